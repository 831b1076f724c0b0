"""Campaigners keep actions and log officials' replies in the admin; the rules of the services hold there too."""

from __future__ import annotations

import pytest

from coalition.letters import services
from coalition.letters.models import Action, Message, Reply
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


def test_a_campaigner_logs_a_reply_and_it_is_linked_to_the_messages_sent_to_that_official(
    client, carol, action, minister
):
    services.letter_confirm(letter=write(action))
    Message.objects.update(status=Message.Status.SENT)
    client.force_login(carol)

    response = client.post(
        "/admin/letters/reply/add/",
        {
            "action": action.pk,
            "position": minister.pk,
            "received_on": "2025-03-01",
            "summary": "Norway will raise it at the next Meeting of States Parties.",
            "stance": "supportive",
            "public": "on",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    reply = Reply.objects.get()
    assert reply.logged_by == carol
    assert Message.objects.get().reply == reply
    assert "next Meeting of States Parties" in client.get(f"/act/{action.slug}/").text


def _new_action(minister, **overrides):
    """The admin's form for a new action, as a campaigner fills it in."""
    return {
        "slug": "new-action",
        "title": "New action",
        "ask": "Join.",
        "letter_subject": "Join",
        "letter_template": "Please join.",
        "goal": 10,
        "starts_on": "2025-01-01",
        "status": "draft",
        "target": "fixed",
        "positions": [minister.pk],
        **overrides,
    }


@pytest.mark.parametrize(
    ("subject", "refusal"),
    [
        ("For {{ minister }}", "Unknown merge field(s): minister"),
        # The subject becomes each message's Subject header: a line break there makes every message undeliverable.
        ("Join\r\nBcc: everyone@example.org", "Write this on one line, without line breaks."),
    ],
)
def test_an_action_whose_subject_breaks_the_rules_cannot_be_saved_in_the_admin(
    client, carol, minister, subject, refusal
):
    client.force_login(carol)

    response = client.post("/admin/letters/action/add/", _new_action(minister, letter_subject=subject))

    assert response.status_code == 200
    assert refusal in response.text
    assert not Action.objects.filter(slug="new-action").exists()
