"""Schemathesis against the live OpenAPI schema, in process, with every check, anonymous and with a token."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from coalition.accounts.tests.factories import UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

EXAMPLES = settings(
    max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture
def token(db):
    return Token.objects.create(user=UserFactory()).key


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_anonymous(case):
    cache.clear()
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@EXAMPLES
def test_with_token(case, token):
    cache.clear()
    case.call_and_validate(headers={"Authorization": f"Token {token}"})
