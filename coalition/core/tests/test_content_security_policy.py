"""Every page carries a strict Content-Security-Policy; no template needs inline script or styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coalition.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/members/", "/members/join/", "/states/", "/events/", "/accounts/login/"])
def test_public_pages_forbid_scripts_from_elsewhere_inline_code_and_framing(client, path):
    policy = _policy(client.get(path))

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_no_template_has_inline_script_event_handlers_or_style_attributes():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style", text, re.IGNORECASE):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_the_outbox_shows_the_html_of_a_message_in_a_sandbox_with_its_own_styles(client, alice, outbox_backend):
    message = OutboxMessage.objects.create(
        to="sam@example.org",
        subject="Hello",
        body_text="Hello",
        body_html='<p style="color: red">Hello</p>',
        message_id="<x@example.org>",
    )
    client.force_login(alice)

    response = client.get(f"/staff/outbox/{message.pk}/")

    policy = _policy(response)
    assert 'srcdoc="&lt;p style=&quot;color: red&quot;&gt;Hello&lt;/p&gt;"' in response.text
    assert "sandbox" in response.text
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
