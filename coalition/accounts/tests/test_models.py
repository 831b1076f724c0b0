"""The user model's manager: log-in by address in any case, and nothing else reaches the database."""

from __future__ import annotations

import pytest

from coalition.accounts.tests.factories import PASSWORD, UserFactory


def test_a_log_in_with_an_address_of_a_million_characters_is_refused_like_any_wrong_one(client, db):
    # It once reached a server error: SQLite refuses a LIKE pattern that long ("pattern too complex").
    response = client.post("/accounts/login/", {"username": "ā" * 1_000_000, "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]


@pytest.mark.parametrize("typed", ["alice@example.org", "Alice@Example.ORG"])
def test_a_log_in_takes_the_address_in_any_case(client, db, typed):
    UserFactory(email="alice@example.org")

    response = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})

    assert response.status_code == 302
