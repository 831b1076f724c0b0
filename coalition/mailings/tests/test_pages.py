"""Pages: one-click unsubscribe and the supporter's lists, the campaigners' pages, the public archive and feed."""

from __future__ import annotations

import feedparser
import pytest
from django.core import mail

from coalition.mailings import approval
from coalition.mailings.models import Mailing, MailingVersion, Subscription
from coalition.mailings.tests.factories import MailingFactory, MailingListFactory, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsletter():
    return MailingListFactory(name="Newsletter", slug="newsletter")


@pytest.fixture
def sent(newsletter, carol, run_tasks):
    """One mailing sent to Ola; returns (mailing, ola, the token in Ola's copy)."""
    ola = subscriber(newsletter, name="Ola Nordmann", country="NO")
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol, public=True)
    approval.mailing_schedule(mailing=mailing, by=carol)
    run_tasks()
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    token = header.split("/unsubscribe/")[1].split("/")[0]
    mailing.refresh_from_db()
    return mailing, ola, token


def on_list(supporter, mailing_list) -> bool:
    return Subscription.objects.filter(supporter=supporter, mailing_list=mailing_list, left_at__isnull=True).exists()


def test_one_click_post_unsubscribes_without_login_or_csrf(sent, newsletter):
    from django.test import Client

    mailing, ola, token = sent
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/mailings/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not on_list(ola, newsletter)
    from coalition.mailings.selectors import mailing_progress

    assert mailing_progress(mailing)["unsubscribed"] == 1


def test_the_link_opens_a_page_whose_one_button_unsubscribes(sent, newsletter, client):
    _mailing, ola, token = sent
    page = client.get(f"/mailings/unsubscribe/{token}/")
    assert page.status_code == 200
    assert on_list(ola, newsletter), "opening the link (as a link scanner does) changes nothing"
    assert "Unsubscribe from “Newsletter”" in page.content.decode()
    assert "Newsletter" in page.content.decode()  # the supporter's lists
    done = client.post(f"/mailings/unsubscribe/{token}/")
    assert "You are no longer on the list “Newsletter”." in done.content.decode()
    assert not on_list(ola, newsletter)


def test_the_manage_page_joins_and_leaves_lists_with_consent_records(sent, newsletter, client):
    _mailing, ola, token = sent
    alerts = MailingListFactory(name="Action alerts", consent_kind="action_alerts")
    response = client.post(f"/mailings/subscriptions/{token}/", {"lists": [alerts.pk]})
    assert response.status_code == 302
    assert on_list(ola, alerts) and not on_list(ola, newsletter)
    kinds = list(ola.consents.order_by("created_at", "pk").values_list("kind", "granted"))
    assert ("action_alerts", True) in kinds and ("newsletter", False) in kinds


def test_a_wrong_token_is_not_found(client, db):
    assert client.get("/mailings/unsubscribe/not-a-token/").status_code == 404
    assert client.post("/mailings/unsubscribe/not-a-token/").status_code == 404


def test_the_token_does_not_stay_in_stored_mail(sent):
    from coalition.core.secret_links import secret_links_redact

    _mailing, _ola, token = sent
    body = mail.outbox[0].body
    assert token in body
    assert token not in secret_links_redact(body)


def test_the_archive_and_its_atom_feed_per_language(sent, client):
    mailing, _ola, _token = sent
    MailingVersion.objects.create(mailing=mailing, language="fr", subject="Nouvelles du mois", body="Bonjour.")
    page = client.get("/news/")
    assert "News for friend" in page.content.decode()
    item = client.get(f"/news/{mailing.slug}/")
    text = item.content.decode()
    assert "Dear friend" in text and "Ola" not in text and "/mailings/unsubscribe/" not in text
    feed = feedparser.parse(client.get("/news/feed.atom").content)
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["News for friend"]
    assert feed.entries[0].link.endswith(f"/news/{mailing.slug}/")
    french = feedparser.parse(client.get("/news/feed.atom?language=fr").content)
    assert [entry.title for entry in french.entries] == ["Nouvelles du mois"]
    assert french.feed.language == "fr"


def test_drafts_and_non_public_mailings_stay_out_of_the_archive(newsletter, client):
    draft = MailingFactory(mailing_list=newsletter, public=True)
    private = MailingFactory(mailing_list=newsletter, public=False, status=Mailing.Status.SENT)
    assert client.get(f"/news/{draft.slug}/").status_code == 404
    assert client.get(f"/news/{private.slug}/").status_code == 404
    assert feedparser.parse(client.get("/news/feed.atom").content).entries == []


def test_the_archive_runs_a_fixed_number_of_queries(newsletter, client, django_assert_num_queries):
    for _ in range(3):
        MailingFactory(mailing_list=newsletter, public=True, status=Mailing.Status.SENT)
    with django_assert_num_queries(2):
        client.get("/news/")
    with django_assert_num_queries(2):
        client.get("/news/feed.atom")


def test_a_campaigner_composes_previews_and_sends_from_the_pages(newsletter, carol, client, run_tasks):
    ola = subscriber(newsletter, name="Ola Nordmann", country="NO", language="en")
    client.force_login(carol)
    form = {
        "name": "June newsletter",
        "mailing_list": newsletter.pk,
        "language": "en",
        "subject": "June news for {{ first_name | friend }}",
        "preheader": "",
        "body": "Hello {{ first_name }} in {{ state }}.",
    }
    response = client.post("/mailings/staff/new/", form)
    mailing = Mailing.objects.get(name="June newsletter")
    assert response.status_code == 302 and response["Location"] == f"/mailings/staff/{mailing.pk}/"
    detail = client.get(f"/mailings/staff/{mailing.pk}/").content.decode()
    assert "Send to 1 supporter" in detail
    preview = client.get(f"/mailings/staff/{mailing.pk}/preview/", {"email": ola.email}).content.decode()
    assert "June news for Ola" in preview and "Hello Ola in Norway." in preview
    client.post(f"/mailings/staff/{mailing.pk}/decide/", {"decision": "test"})
    client.post(f"/mailings/staff/{mailing.pk}/", {"when": "now", "zone": "UTC"})
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([carol.email, ola.email])
    progress = client.get(f"/mailings/staff/{mailing.pk}/progress/").json()
    assert progress["sent"] == 1 and progress["percent"] == 100 and progress["status"] == "sent"


def test_an_unknown_merge_field_gets_a_message_on_the_page(newsletter, carol, client):
    client.force_login(carol)
    form = {"name": "Bad", "mailing_list": newsletter.pk, "language": "en", "subject": "Hi", "body": "{{ nickname }}"}
    response = client.post("/mailings/staff/new/", form)
    assert response.status_code == 200
    assert "There is no merge field “nickname”" in response.content.decode()
    assert not Mailing.objects.exists()


def test_sending_a_bad_mailing_from_the_page_shows_why(newsletter, carol, client, run_tasks):
    mailing = MailingFactory(mailing_list=newsletter, created_by=carol)  # nobody on the list
    client.force_login(carol)
    response = client.post(f"/mailings/staff/{mailing.pk}/", {"when": "now", "zone": "UTC"})
    assert "Nobody is in this audience" in response.content.decode()
    run_tasks()
    assert mail.outbox == []


def test_segments_page_counts_before_saving(newsletter, carol, client):
    subscriber(newsletter, country="NO")
    client.force_login(carol)
    response = client.post("/mailings/staff/segments/", {"name": "Norway", "rules": '{"state": "NO"}', "count": "1"})
    assert "1 supporter matches these rules now." in response.content.decode()
    bad = client.post("/mailings/staff/segments/", {"name": "Bad", "rules": '{"colour": "red"}'})
    assert "There is no rule named “colour”." in bad.content.decode()


def test_public_pages_run_a_fixed_number_of_queries(sent, client, django_assert_num_queries):
    mailing, _ola, token = sent
    with django_assert_num_queries(2):
        client.get(f"/news/{mailing.slug}/")
    with django_assert_num_queries(3):
        client.get(f"/mailings/unsubscribe/{token}/")


def test_the_archive_speaks_arabic_right_to_left(sent, client):
    mailing, _ola, _token = sent
    MailingVersion.objects.create(mailing=mailing, language="ar", subject="أخبار الشهر", body="مرحبًا.")
    page = client.get(f"/ar/news/{mailing.slug}/").content.decode()
    assert 'dir="rtl"' in page and "أخبار الشهر" in page and "كل الأخبار" in page
