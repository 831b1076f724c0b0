"""A mailing's text, HTML and headers for one recipient, with its merge fields filled in.

The Markdown is rendered and sanitised once per language version, with each merge field left as a
placeholder; a recipient's copy only replaces the placeholders (HTML-escaped in the HTML part), so a list of
100,000 renders the Markdown a handful of times, not 100,000.

Merge fields: `{{ first_name }}` or `{{ first_name | a fallback }}`, `{{ state }}`, `{{ unsubscribe_url }}`,
`{{ manage_url }}`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.core.services import link_in_language
from coalition.lib.markdown import render_markdown

FIELDS = ("first_name", "state", "unsubscribe_url", "manage_url")
_FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([^{}]*?)\s*)?\}\}")
_STRAY = re.compile(r"\{\{|\}\}|\{%|%\}")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
PLACEHOLDER = "MERGEFIELD{n}X"


class MergeFieldError(ValueError):
    pass


def merge_field_errors(text: str) -> list[str]:
    """What is wrong with the merge fields of a subject, preheader or body (empty when all are known)."""
    errors = []
    for found in _FIELD.finditer(text):
        name = found.group(1)
        if name not in FIELDS:
            errors.append(
                _("There is no merge field “%(name)s”; the fields are: %(fields)s.")
                % {"name": name[:40], "fields": ", ".join(FIELDS)}
            )
        elif found.group(2) is not None and name != "first_name":
            errors.append(_("Only first_name takes a fallback (“%(name)s”).") % {"name": name})
    if _STRAY.search(_FIELD.sub("", text)):
        errors.append(_("A merge field is not closed: write it as {{ first_name }}."))
    return errors


@dataclass(frozen=True)
class Part:
    """One text with its merge fields replaced by placeholders: fields[i] is (name, fallback)."""

    text: str
    fields: tuple[tuple[str, str], ...]

    def fill(self, values: dict[str, str], *, html: bool) -> str:
        out = self.text
        for n, (name, fallback) in enumerate(self.fields):
            value = values.get(name, "") or fallback
            out = out.replace(PLACEHOLDER.format(n=n), escape(value) if html else value)
        return out


def _placeholders(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    fields: list[tuple[str, str]] = []

    def replace(found: re.Match[str]) -> str:
        fields.append((found.group(1), (found.group(2) or "").strip()))
        return PLACEHOLDER.format(n=len(fields) - 1)

    return _FIELD.sub(replace, text), tuple(fields)


@dataclass(frozen=True)
class Prepared:
    """One language version of a mailing, rendered once, ready to be filled per recipient."""

    language: str
    subject: Part
    preheader: Part
    html: Part
    text: Part


_SPLIT = "MERGESPLITX"


def prepare(*, subject: str, preheader: str, body: str, language: str, name: str) -> Prepared:
    subject_text, subject_fields = _placeholders(subject)
    # The preheader and the body share one numbering of placeholders, then the two footer links.
    joined, fields = _placeholders(f"{preheader}\n{_SPLIT}\n{body}")
    preheader_text, body_text = (part.strip("\n") for part in joined.split(_SPLIT, 1))
    with translation.override(language):
        context = {
            "coalition_name": settings.COALITION_NAME,
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
            "subject": subject_text,
            "preheader": preheader_text,
            "body_html": render_markdown(body_text),
            "body_text": _LINK.sub(r"\1 <\2>", body_text).strip(),
            "unsubscribe_url": PLACEHOLDER.format(n=len(fields)),
            "manage_url": PLACEHOLDER.format(n=len(fields) + 1),
            "name": name,
        }
        html = render_to_string("mailings/emails/mailing.html", context)
        text = render_to_string("mailings/emails/mailing.txt", context)
    every = (*fields, ("unsubscribe_url", ""), ("manage_url", ""))
    return Prepared(
        language=language,
        subject=Part(subject_text, subject_fields),
        preheader=Part(preheader_text, fields),
        html=Part(html, every),
        text=Part(text, every),
    )


def unsubscribe_token(message_id: str) -> str:
    """The opaque token of one delivery's links: derived from its Message-ID with the site's secret, so the
    same copy is made again after a crash, and only its hash is stored (`Delivery.token_hash`)."""
    return salted_hmac("coalition.mailings.unsubscribe", message_id, algorithm="sha256").hexdigest()[:40]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def links(token: str, language: str | None = None) -> tuple[str, str]:
    """The recipient's links, to the pages in the language of the version they receive."""
    return (
        link_in_language(lambda: reverse("mailings:unsubscribe", args=[token]), language),
        link_in_language(lambda: reverse("mailings:subscriptions", args=[token]), language),
    )


@cache
def _state_name(code: str, language: str) -> str:
    with translation.override(language):
        return str(countries.name(code)) if code else ""


def recipient_values(*, name: str, country: str, language: str, token: str) -> dict[str, str]:
    unsubscribe_url, manage_url = links(token, language)
    first = name.split()[0] if name and name.split() else ""
    return {
        "first_name": first,
        "state": _state_name(country or "", language),
        "unsubscribe_url": unsubscribe_url,
        "manage_url": manage_url,
    }


def bulk_headers(*, message_id: str, unsubscribe_url: str, token: str, list_id: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe (HTTPS, and mailto where configured) and RFC 2919 List-Id."""
    targets = [f"<{unsubscribe_url}>"]
    if settings.MAILINGS_UNSUBSCRIBE_MAILTO:
        targets.append(f"<mailto:{settings.MAILINGS_UNSUBSCRIBE_MAILTO}?subject=unsubscribe-{token}>")
    return {
        "Message-ID": message_id,
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": list_id,
    }


def build_message(
    prepared: Prepared, *, to: str, values: dict[str, str], headers: dict[str, str], connection: Any = None
) -> EmailMultiAlternatives:
    subject = " ".join(prepared.subject.fill(values, html=False).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=prepared.text.fill(values, html=False),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(prepared.html.fill(values, html=True), "text/html")
    return message


def public_text(text: str) -> str:
    """The text for the public archive: names fall back, no state, and the personal links become the page
    where anyone can ask for their own link."""
    my_data = settings.SITE_URL + reverse("members:my-data")

    def replace(found: re.Match[str]) -> str:
        name, fallback = found.group(1), (found.group(2) or "").strip()
        if name in ("unsubscribe_url", "manage_url"):
            return my_data
        return fallback if name == "first_name" else ""

    return _FIELD.sub(replace, text)
