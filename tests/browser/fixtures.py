"""Set-up that several browser test modules share (imported by them: conftest files are kept for the runner's
own fixtures). A fixture defined here is used by importing its name into the test module."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from coalition.letters.models import Action
from coalition.letters.tests.factories import ActionFactory, official
from coalition.states.tests.factories import StateFactory

LANGUAGES = ["en", "fr", "es", "ar"]
WIDTHS = [1280, 390]


def url_in(language: str, name: str, **kwargs: Any) -> str:
    """The address of a named page in a language: English unprefixed, the others under /fr/, /es/, /ar/."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def fill_in(page: Any, fields: dict[str, str]) -> None:
    """Type each value into its field, found by its label as a reader sees it (or by a CSS selector: `#id_slug`)."""
    for field, value in fields.items():
        (page.locator(field) if field.startswith("#") else page.get_by_label(field)).fill(value)


def gettext_in(language: str, message: str) -> str:
    """What the site says in `language` for an English message of its catalogues."""
    with translation.override(language):
        return translation.gettext(message)


@pytest.fixture
def norway_action(settings: Any) -> Action:
    """An open action whose letter goes to Norway's foreign minister (who has an e-mail address); mail is kept
    in the outbox."""
    settings.EMAIL_BACKEND = "coalition.core.mail.OutboxBackend"
    norway = StateFactory(iso3="NOR", name="Norway")
    minister = official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")
    return ActionFactory(
        slug="write-to-norway", title="Write to Norway", target=Action.Target.OWN_STATE, target_role=minister.role
    )
