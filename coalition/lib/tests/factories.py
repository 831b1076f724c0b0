"""Helpers for the apps' factories (each app's tests/factories.py)."""

from __future__ import annotations

from typing import Any

import factory


def model_factory(model: Any, **declarations: Any) -> Any:
    """A factory for `model` without a class of its own, for rows that need little more than the rows they
    belong to: `organisation=factory.SubFactory(OrganisationFactory)`, a fixed value or two."""
    return factory.make_factory(model, FACTORY_CLASS=factory.django.DjangoModelFactory, **declarations)
