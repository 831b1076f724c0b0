"""The API does what its OpenAPI schema says: schemathesis, in process against the live schema (the WSGI app
serving /api/schema/), with every check it has (server errors, status codes, content types, response bodies and
headers against the schema, schema-valid values accepted, schema-invalid ones refused, undeclared methods
refused, authentication...), for every operation the schema lists, anonymous and with an API token.

Generation is derandomized (the same examples every run, nothing stored between runs) and bounded by
`SCHEMATHESIS_EXAMPLES` (default 20 per operation and phase), so the file runs in about two minutes on two cores.
A new endpoint is covered as soon as the schema lists it.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from coalition.accounts.tests.factories import UserFactory
from coalition.events.tests.factories import EventFactory
from coalition.letters.tests.factories import ActionFactory
from coalition.members.tests.factories import OrganisationFactory
from coalition.research.services import casualty_totals_refresh
from coalition.research.tests.factories import CasualtyFactory
from coalition.states.tests.factories import MeetingFactory, ParticipationFactory, StateFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

EXAMPLES = settings(
    max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "20")),
    derandomize=True,
    database=None,
    deadline=None,
    # The database fixture is set up once per operation, not per example: each example only reads.
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection at the end of each one
    (on PostgreSQL that would end the test's transaction): as Django's test client does, keep it open."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def open_data(db):
    """A little of everything the API lists, so lists answer rows and their bodies are checked too."""
    norway = StateFactory(iso3="NOR", region="Europe")
    laos = StateFactory(iso3="LAO", region="Asia", subregion="South-eastern Asia")
    organisation = OrganisationFactory(slug="norwegian-peoples-aid", country="NO")
    event = EventFactory(organisation=organisation, latitude=59.91, longitude=10.75)
    action = ActionFactory(slug="write-to-norway")
    meeting = MeetingFactory(slug="first-msp", country=laos)
    ParticipationFactory(meeting=meeting, state=norway)
    casualty = CasualtyFactory(state=laos, date=date(2020, 5, 1), latitude=19.45, longitude=103.2)
    casualty_totals_refresh()
    return {
        "iso3": "NOR",
        "organisations": organisation.slug,
        "events": event.pk,
        "actions": action.slug,
        "meetings": meeting.slug,
        "research/casualties": casualty.pk,
    }


@pytest.fixture
def token(db):
    return Token.objects.create(user=UserFactory()).key


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_anonymous(case, open_data):
    cache.clear()  # the anonymous rate limit starts afresh: a 429 would hide what the example checks
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_with_token(case, open_data, token):
    cache.clear()
    case.call_and_validate(headers={"Authorization": f"Token {token}"})


def _record(path: str, name: str, open_data: dict) -> object:
    if name == "iso3":
        return open_data["iso3"]
    resource = path.removeprefix("/api/v1/").split("/{")[0]
    return open_data[resource]


@pytest.mark.django_db
def test_real_records_conform_to_the_schema_in_every_operation(open_data):
    """Generated path values seldom name a record: each operation is also called once with one that exists."""
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = [parameter.name for parameter in operation.path_parameters]
        case = operation.Case(path_parameters={name: _record(operation.path, name, open_data) for name in names})
        cache.clear()
        response = case.call_and_validate()
        assert response.status_code == 200, f"{operation.label}: {response.status_code}"
        checked.append(operation.label)
    assert len(checked) >= 13
