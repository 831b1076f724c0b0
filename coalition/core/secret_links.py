"""Links that act on an account or on a person's data: marked where they are routed, removed from stored mail.

A password reset, a set-password link, a confirmation, a "your data" link, an RSVP's manage link: whoever
holds one acts as its addressee. Their views are wrapped in `secret_link` in the apps' `urls.py`, and
`secret_links_redact` blanks every such URL from a stored e-mail once it has been delivered, so no role
reads them later in the admin, an export or a backup (docs/decisions/0012-secret-links-in-stored-mail.md).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

View = TypeVar("View", bound=Callable[..., Any])

REDACTED = "[personal link removed after sending]"
# An absolute http(s) URL, up to a character that cannot be part of one in our mail (space, quote, angle bracket).
_URL = re.compile(r"https?://[^\s\"'<>]+")
# A path alone, as Django's request log writes it ("Not Found: /act/confirm/…/").
_PATH = re.compile(r"(?<![\w/:.])/[^\s\"'<>]+")


def secret_link(view: View) -> View:
    """Mark a view whose URL carries a secret: it is redacted from stored e-mails and tested as such."""
    view.secret_link = True  # type: ignore[attr-defined]
    return view


def is_secret_path(path: str) -> bool:
    """Does this path (with or without a language prefix) lead to a view marked with `secret_link`?"""
    candidates = [path]
    language_prefix = re.match(r"^/([a-z]{2}(?:-[a-z]+)?)/", path)
    if language_prefix and language_prefix.group(1) in {code for code, _name in settings.LANGUAGES}:
        candidates.append(path[len(language_prefix.group(1)) + 1 :])
    for candidate in candidates:
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if getattr(match.func, "secret_link", False):
            return True
    return False


def secret_links_redact(text: str) -> str:
    """The text with every secret link to this site (under any host name) replaced by a notice; other links
    stay as they are."""

    def replace(found: re.Match[str]) -> str:
        url = found.group(0)
        # Closing punctuation of a sentence is not part of the link.
        trailing = ""
        while url and url[-1] in ".,;:!?)]":
            trailing = url[-1] + trailing
            url = url[:-1]
        # Any host: SITE_URL may have changed since the message was written.
        if is_secret_path(urlsplit(url.replace("&amp;", "&")).path):
            return REDACTED + trailing
        return found.group(0)

    return _URL.sub(replace, text)


class RedactSecretLinksFilter(logging.Filter):
    """Log lines name the path of a request that failed ("Bad Request: /act/confirm/<token>/"): the
    secret part never reaches the log, whoever may read it later."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _PATH.sub(_redact_path, secret_links_redact(message))
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _redact_path(found: re.Match[str]) -> str:
    path = found.group(0).split("?")[0]
    return REDACTED if is_secret_path(path) else found.group(0)
