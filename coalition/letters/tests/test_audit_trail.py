"""Staff decisions on letters leave one audit entry each: releasing or rejecting a held message, publishing an
action, logging or correcting a reply; none names the writer (decision 0011)."""

from __future__ import annotations

import pytest

from coalition.core.tests.audit_trail import admin_change_data, assert_one_entry, entry_text, recorded
from coalition.letters import services
from coalition.letters.models import Action, Message, Reply
from coalition.letters.tests.factories import ActionFactory
from coalition.letters.tests.helpers import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(action):
    """Two near-identical letters: the second is held for review."""
    services.letter_confirm(letter=write(action, email="ana@example.org", name="Ana Writer"))
    services.letter_confirm(letter=write(action, email="wanda@example.org", name="Wanda Writer"))
    message = Message.objects.get(status=Message.Status.HELD)
    return message


def test_releasing_a_held_message_is_recorded_without_the_writer(client, carol, action, held):
    client.force_login(carol)

    with recorded() as entries:
        client.post(f"/act/{action.slug}/staff/review/{held.pk}/", {"decision": "release"})

    entry = assert_one_entry(entries, by=carol, action="message.release", target=held)
    assert entry.object_label == f"message #{held.pk}"
    assert entry.detail["recipient"] == held.recipient_title
    assert "similar to message" in entry.detail["hold_reason"]
    for personal in ("Wanda", "wanda@example.org", "Bergen"):
        assert personal not in entry_text(entry)
    assert Message.objects.get(pk=held.pk).status == Message.Status.PENDING


def test_rejecting_a_held_message_is_recorded(client, carol, action, held):
    client.force_login(carol)

    with recorded() as entries:
        client.post(f"/act/{action.slug}/staff/review/{held.pk}/", {"decision": "reject"})
    with recorded() as again:
        client.post(f"/act/{action.slug}/staff/review/{held.pk}/", {"decision": "reject"})

    assert_one_entry(entries, by=carol, action="message.reject", target=held)
    assert again == [], "a message no longer held is not decided twice"


def test_releasing_and_rejecting_from_the_admin_are_recorded_for_each_message(client, carol, action, held):
    services.letter_confirm(letter=write(action, email="xavi@example.org", name="Xavi Writer"))
    other = Message.objects.filter(status=Message.Status.HELD).exclude(pk=held.pk).get()
    client.force_login(carol)

    with recorded() as released:
        client.post("/admin/letters/message/", {"action": "release", "_selected_action": [held.pk]})
    with recorded() as rejected:
        client.post("/admin/letters/message/", {"action": "reject", "_selected_action": [other.pk]})

    assert_one_entry(released, by=carol, action="message.release", target=held)
    assert_one_entry(rejected, by=carol, action="message.reject", target=other)


def test_publishing_an_action_is_recorded_from_its_page_and_from_the_admin(client, carol, minister):
    draft = ActionFactory(slug="draft-one", status=Action.Status.DRAFT, targets=[minister])
    other = ActionFactory(slug="draft-two", status=Action.Status.DRAFT, targets=[minister])
    client.force_login(carol)

    with recorded() as from_page:
        client.post(f"/act/{draft.slug}/publish/")
    with recorded() as from_admin:
        client.post("/admin/letters/action/", {"action": "publish", "_selected_action": [other.pk]})

    entry = assert_one_entry(from_page, by=carol, action="action.publish", target=draft)
    assert entry.detail == {"status": ["draft", "published"]}
    assert_one_entry(from_admin, by=carol, action="action.publish", target=other)
    assert set(Action.objects.values_list("status", flat=True)) == {"published"}


def test_logging_a_reply_and_correcting_it_are_recorded(client, carol, action, minister):
    client.force_login(carol)
    form = {
        "action": action.pk,
        "position": minister.pk,
        "received_on": "2025-03-01",
        "summary": "Norway will raise it.",
        "stance": "noncommittal",
    }

    with recorded() as logged:
        client.post("/admin/letters/reply/add/", form)
    reply = Reply.objects.get()
    url = f"/admin/letters/reply/{reply.pk}/change/"
    data = {**admin_change_data(client.get(url)), "stance": "supportive"}
    with recorded() as corrected:
        response = client.post(url, data)

    assert response.status_code == 302
    entry = assert_one_entry(logged, by=carol, action="reply.log", target=reply)
    assert entry.detail["stance"] == "noncommittal"
    entry = assert_one_entry(corrected, by=carol, action="reply.change", target=reply)
    assert entry.detail == {"fields": {"stance": ["noncommittal", "supportive"]}}
