"""Segments: each rule alone, combined with all/any/not, and the messages a wrong rule gets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coalition.events.models import RSVP
from coalition.events.tests.factories import EventFactory, RSVPFactory
from coalition.letters.models import Letter
from coalition.letters.tests.factories import ActionFactory, official
from coalition.letters.tests.helpers import write
from coalition.mailings import selectors
from coalition.mailings.segments import SegmentError, segment_q
from coalition.mailings.tests.factories import MailingListFactory, subscriber
from coalition.members.models import Supporter
from coalition.members.tests.factories import OrganisationFactory, SupporterFactory
from coalition.states.tests.factories import StateFactory

pytestmark = pytest.mark.django_db


def names(rules) -> set[str]:
    return set(Supporter.objects.filter(segment_q(rules)).values_list("name", flat=True))


@pytest.fixture
def people():
    alpha = OrganisationFactory(slug="alpha-aid")
    return {
        "ola": SupporterFactory(name="Ola", country="NO", language="en", referred_by=alpha,
                                created_at=datetime(2025, 3, 1, tzinfo=UTC)),
        "rima": SupporterFactory(name="Rima", country="LB", language="ar",
                                 created_at=datetime(2025, 6, 15, tzinfo=UTC)),
        "ines": SupporterFactory(name="Inès", country="FR", language="fr", referred_by=alpha,
                                 created_at=datetime(2026, 1, 10, tzinfo=UTC)),
    }  # fmt: skip


def test_state(people):
    assert names({"state": "no"}) == {"Ola"}


def test_language(people):
    assert names({"language": "ar"}) == {"Rima"}


def test_list_counts_only_who_is_on_it_now(people):
    newsletter = MailingListFactory(slug="newsletter")
    from coalition.mailings import services

    for person in (people["ola"], people["rima"]):
        services.list_join(supporter=person, mailing_list=newsletter, source="test")
    services.list_leave(supporter=people["rima"], mailing_list=newsletter, source="test")
    assert names({"list": "newsletter"}) == {"Ola"}


def test_referring_organisation(people):
    assert names({"organisation": "alpha-aid"}) == {"Ola", "Inès"}


def test_confirmed_letter_in_an_action(people):
    norway = StateFactory(iso3="NOR", name="Norway")
    action = ActionFactory(slug="ratify-now", targets=[official(state=norway, email="minister@mfa.no.example")])
    confirmed = write(action, email="writer@example.org", name="Writer")
    Letter.objects.filter(pk=confirmed.pk).update(status=Letter.Status.CONFIRMED)
    write(action, email="unconfirmed@example.org", name="Unconfirmed")
    assert Supporter.objects.filter(segment_q({"action": "ratify-now"})).get().email == "writer@example.org"


def test_replied_to_an_event(people):
    event = EventFactory()
    RSVPFactory(event=event, email=people["rima"].email, status=RSVP.Status.CONFIRMED)
    RSVPFactory(event=event, email=people["ines"].email, status=RSVP.Status.CANCELLED)
    assert names({"event": event.pk}) == {"Rima"}


def test_signed_up_between_days_both_included(people):
    assert names({"signed_up": {"from": "2025-03-01", "to": "2025-06-15"}}) == {"Ola", "Rima"}
    assert names({"signed_up": {"from": "2026-01-01"}}) == {"Inès"}


def test_combinations_all_any_not(people):
    rules = {"all": [{"organisation": "alpha-aid"}, {"not": {"state": "FR"}}]}
    assert names(rules) == {"Ola"}
    assert names({"any": [{"state": "LB"}, {"language": "fr"}]}) == {"Rima", "Inès"}
    nested = {"any": [{"all": [{"state": "NO"}, {"language": "en"}]}, {"not": {"organisation": "alpha-aid"}}]}
    assert names(nested) == {"Ola", "Rima"}


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"colour": "blue"}, "There is no rule named “colour”."),
        ({"list": "no-such-list"}, "There is no list “no-such-list”."),
        ({"action": "nope"}, "There is no action “nope”."),
        ({"event": "abc"}, "There is no event number abc."),
        ({"all": []}, "“all” needs a list of at least one rule."),
        ({"state": "Norway"}, "A state is given by its two-letter country code, such as NO."),
        ({"signed_up": {"from": "2026-02-01", "to": "2026-01-01"}}, "The first day comes after the last day."),
        ({"signed_up": {"from": "yesterday"}}, "“yesterday” is not a day (YYYY-MM-DD)."),
        ({"state": "NO", "language": "en"}, "Each rule has exactly one name"),
        ([1, 2], "Each rule has exactly one name"),
    ],
)
def test_a_wrong_rule_gets_a_clear_message(people, rules, message):
    with pytest.raises(SegmentError, match=message.split("(")[0].strip()):
        segment_q(rules)


def test_count_leaves_out_the_unconfirmed_the_erased_and_the_suppressed(people):
    from coalition.mailings.models import Suppression

    newsletter = MailingListFactory()
    kept = subscriber(newsletter, name="Kept", country="NO")
    SupporterFactory(name="Pending", country="NO", status=Supporter.Status.PENDING)
    suppressed = subscriber(newsletter, name="Suppressed", country="NO")
    Suppression.objects.create(email=suppressed.email, reason="Hard bounce")
    assert selectors.segment_count({"state": "NO"}) == 2  # Ola and Kept
    assert list(selectors.audience(newsletter, {"state": "NO"})) == [kept]
