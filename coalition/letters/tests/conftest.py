"""Fixtures of the letters tests: a Norwegian minister and an action writing to her."""

from __future__ import annotations

import pytest

from coalition.letters.tests.factories import ActionFactory, official
from coalition.states.tests.factories import StateFactory


@pytest.fixture
def norway(db):
    return StateFactory(iso3="NOR", name="Norway")


@pytest.fixture
def minister(norway):
    """Norway's foreign minister, with an e-mail address verified today."""
    return official(state=norway, name="Espen Barth Eide", email="minister@mfa.no.example")


@pytest.fixture
def action(minister):
    """A live action with a fixed list of one official."""
    return ActionFactory(slug="write-to-norway", title="Write to Norway", targets=[minister])


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; Django's SMTP backend sends to it. Started by the test (`.start()`),
    so a test can first show the server down."""
    from coalition.letters.tests.smtp import SMTPServer

    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
