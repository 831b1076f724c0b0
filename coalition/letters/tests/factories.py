"""Factories for officials, actions and letters; `official(...)` makes a position with a current holder."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import factory
from django.utils import timezone

from coalition.letters.models import Action, Person, Position, Role, Term
from coalition.states.tests.factories import StateFactory

TEMPLATE = (
    "I am writing to ask that our government joins the Convention on Cluster Munitions without delay. "
    "These weapons kill and maim civilians for decades."
)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    key = factory.Sequence(lambda n: f"position-{n}")
    state = factory.SubFactory(StateFactory)
    role = Role.FOREIGN_MINISTER
    title = factory.LazyAttribute(lambda p: f"Minister of Foreign Affairs of {p.state.name}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    key = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Official Person {n}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    position = factory.SubFactory(PositionFactory)
    person = factory.SubFactory(PersonFactory)
    started_on = date(2024, 1, 1)
    email = factory.Sequence(lambda n: f"official{n}@gov.example")
    postal_address = "1 Government Square\nCapital City"
    source = "https://gov.example/ministers"
    verified_on = factory.LazyFunction(timezone.localdate)


def official(*, state=None, name: str | None = None, email: str | None = None, **position_fields) -> Position:
    """A position with a current holder (the usual case); `email=""` for one without an address."""
    position = cast(Position, PositionFactory(**({"state": state} if state else {}), **position_fields))
    term_fields: dict[str, Any] = {}
    if name:
        term_fields["person"] = PersonFactory(name=name)
    if email is not None:
        term_fields["email"] = email
    term = cast(Term, TermFactory(position=position, **term_fields))
    position.current_term = term
    position.save(update_fields=["current_term"])
    return position


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"action-{n}")
    title = factory.Sequence(lambda n: f"Join the ban now {n}")
    ask = "Join the Convention on Cluster Munitions."
    background = "Cluster munitions kill civilians long after conflicts end."
    letter_subject = "Please join the Convention on Cluster Munitions"
    letter_template = TEMPLATE
    goal = 100
    status = Action.Status.PUBLISHED
    target = Action.Target.FIXED
    starts_on = factory.LazyFunction(lambda: date(2024, 1, 1))

    @factory.post_generation
    def targets(self, create, extracted, **kwargs):
        if create and extracted:
            self.positions.set(extracted)
