"""Actions in several languages, forms people finish (error summary, counter, next step and share links),
and the campaigners' action editor outside the admin."""

from __future__ import annotations

import pytest

from coalition.core.models import AuditEntry
from coalition.letters.models import Action, Letter, Message
from coalition.letters.tests.helpers import letter_form

pytestmark = pytest.mark.django_db

FRENCH = {
    "title": "Écrivez à la Norvège",
    "ask": "Adhérez à la Convention.",
    "background": "",
    "letter_subject": "Adhérez à la Convention",
    "letter_template": "Je vous demande d'adhérer à la Convention sur les armes à sous-munitions.",
}


@pytest.fixture
def bilingual(action):
    Action.objects.filter(pk=action.pk).update(translations={"fr": FRENCH}, languages=["en", "fr"])
    action.refresh_from_db()
    return action


def _get(client, path, language):
    """The page at its address in `language` (English has no prefix; decision 0017)."""
    return client.get(path if language == "en" else f"/{language}{path}")


def test_a_french_visitor_gets_the_french_version_and_its_template(client, bilingual):
    response = _get(client, bilingual.get_absolute_url(), "fr")

    assert '<h1 lang="fr" dir="auto">Écrivez à la Norvège</h1>' in response.text
    assert "Je vous demande d&#x27;adhérer" in response.text
    assert 'name="letter_language" value="fr"' in response.text
    assert "pas encore disponible" not in response.text


def test_a_spanish_visitor_gets_the_original_marked_with_its_language(client, bilingual):
    response = _get(client, bilingual.get_absolute_url(), "es")

    assert '<h1 lang="en" dir="auto">Write to Norway</h1>' in response.text
    assert "nglés" in response.text, "a visible note names the original's language"


def test_the_letter_is_sent_in_the_version_the_supporter_wrote_in(client, bilingual):
    # Written on the French page; the supporter's language changed before sending: the letter stays French.
    data = letter_form(bilingual, body="Adhérez, s'il vous plaît.", letter_language="fr")
    response = client.post(bilingual.get_absolute_url(), data)

    assert response.status_code == 302
    message = Message.objects.get()
    assert message.subject == "Adhérez à la Convention"
    assert message.body.startswith("Madame la Ministre, Monsieur le Ministre,")
    assert Letter.objects.get().edited


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_runs_the_same_queries_in_every_language(client, bilingual, language, django_assert_num_queries):
    with django_assert_num_queries(4):
        response = _get(client, bilingual.get_absolute_url(), language)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.text


def test_an_error_summary_links_to_each_field_with_an_error(client, action):
    response = client.post(action.get_absolute_url(), letter_form(action, email="not-an-address", agree=""))

    assert response.status_code == 400
    summary = response.text.split("data-error-summary>")[1].split("</div>")[0]
    assert "There is a problem" in summary
    assert '<a href="#id_email">Your e-mail address: Enter a valid email address.</a>' in summary
    assert '<a href="#id_agree">' in summary
    assert "js/forms.js" in response.text


def test_the_letter_box_says_its_limit_without_javascript(client, action, settings):
    response = client.get(action.get_absolute_url())

    assert 'data-count-for="id_body" data-limit="5000"' in response.text
    assert "You can write up to 5000 characters." in response.text


def test_after_a_letter_the_page_gives_the_next_step_and_plain_share_links(client, action, settings):
    settings.SITE_URL = "https://coalition.example"
    response = client.get(f"{action.get_absolute_url()}thanks/")

    assert "Next step" in response.text
    shared = "https%3A%2F%2Fcoalition.example%2Fact%2Fwrite-to-norway%2F"
    for link in (
        "mailto:?subject=",
        "https://twitter.com/intent/tweet?",
        "facebook.com/sharer",
        "https://wa.me/?text=",
    ):
        assert link in response.text
    assert shared in response.text
    assert 'value="https://coalition.example/act/write-to-norway/"' in response.text
    assert '<script src="http' not in response.text, "no third-party script"


# --- the editor ------------------------------------------------------------------------------------


def _editor_form(minister, **overrides):
    data = {
        "title": "Ask the minister",
        "slug": "ask-the-minister",
        "ask": "Join the Convention.",
        "background": "",
        "language": "en",
        "languages": ["en", "fr"],
        "letter_subject": "Please join",
        "letter_template": "Please join the Convention on Cluster Munitions.",
        "goal": "500",
        "starts_on": "2025-01-01",
        "ends_on": "",
        "target": "fixed",
        "target_role": "",
        "target_treaty_status": "",
        "positions": [minister.pk],
        "show_replies": "on",
        **{f"fr_{field}": value for field, value in FRENCH.items()},
        "save": "1",
    }
    data.update(overrides)
    return data


def test_a_campaigner_creates_an_action_with_its_french_version_and_it_is_audited(client, carol, minister):
    client.force_login(carol)

    response = client.post("/act/staff/new/", _editor_form(minister))

    assert response.status_code == 302
    created = Action.objects.get(slug="ask-the-minister")
    assert created.status == Action.Status.DRAFT
    assert created.languages == ["en", "fr"]
    assert created.translations["fr"]["letter_template"] == FRENCH["letter_template"]
    assert list(created.positions.all()) == [minister]
    assert created.created_by == carol
    entry = AuditEntry.objects.get(action="action.create")
    assert entry.actor == carol and entry.object_id == str(created.pk)


def test_the_editor_previews_each_language_with_its_greeting_and_saves_nothing(client, carol, minister):
    client.force_login(carol)

    response = client.post("/act/staff/new/", {**_editor_form(minister), "preview": "1"})

    assert response.status_code == 200
    assert "Dear Espen Barth Eide,\n\nPlease join the Convention" in response.text
    assert "Madame la Ministre, Monsieur le Ministre,\n\nJe vous demande" in response.text
    assert "Ana Example" in response.text
    assert not Action.objects.filter(slug="ask-the-minister").exists()


def test_a_language_offered_needs_its_version_and_templates_take_no_merge_fields(client, carol, minister):
    client.force_login(carol)

    response = client.post(
        "/act/staff/new/",
        _editor_form(minister, fr_letter_template="", letter_template="Dear {{ official_name }}, join."),
    )

    assert response.status_code == 400
    assert "Needed for a language the action is offered in." in response.text
    assert not Action.objects.filter(slug="ask-the-minister").exists()


def test_editing_records_what_changed_and_the_staff_pages_link_to_the_editor(client, carol, action, minister):
    client.force_login(carol)
    assert f"/act/{action.slug}/staff/edit/" in client.get(f"/act/{action.slug}/staff/").text
    assert f"/act/{action.slug}/staff/edit/" in client.get(f"/act/{action.slug}/preview/").text

    form = client.get(f"/act/{action.slug}/staff/edit/")
    assert form.status_code == 200
    response = client.post(
        f"/act/{action.slug}/staff/edit/", _editor_form(minister, slug=action.slug, goal="2000", languages=["en"])
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.goal == 2000 and action.translations == {}
    entry = AuditEntry.objects.get(action="action.update")
    assert entry.detail["goal"] == [100, 2000]


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_editor_in_another_language_gives_the_date_inputs_a_date_they_can_read(client, carol, action, language):
    client.force_login(carol)

    html = client.get(f"/{language}/act/{action.slug}/staff/edit/").text

    assert 'type="date" name="starts_on" value="2024-01-01"' in html


def test_the_editor_needs_the_right_to_change_actions(client, sam, action):
    client.force_login(sam)
    assert client.get(f"/act/{action.slug}/staff/edit/").status_code == 403
    assert client.get("/act/staff/new/").status_code == 403
