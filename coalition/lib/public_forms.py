"""Screening a public form's POST: the honeypot, the rate limit, then the form's own validation.

Every form anyone may post without logging in (joining, signing up, writing a letter, replying to an event)
goes through the same checks in the same order, so a bot is never counted against a person's limit and an
address over its limit stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.conf import settings

from coalition.lib.ratelimit import request_is_limited

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import Promise

    from coalition.lib.honeypot import HoneypotFormMixin

Screened = Literal["bot", "limited", "valid", "invalid"]


def screen_post(form: HoneypotFormMixin, *, limited: Callable[[], bool], limited_message: str) -> Screened:
    """The checks every public form's POST goes through, in this order: a bot (the honeypot) is answered
    like a person before it can use up anyone's limit; over the limit (`limited()` counts one hit and says
    whether it went over) the form is shown with its errors and `limited_message`, and nothing is stored;
    only then does the form's own validation count."""
    if form.caught_bot():
        return "bot"
    if limited():
        form.is_valid()  # so the field errors show as well
        form.add_error(None, limited_message)
        return "limited"
    return "valid" if form.is_valid() else "invalid"


@dataclass(frozen=True)
class PostLimit:
    """How often one client address, and one e-mail address, may post a public form: hits counted in `scope`
    at the rates of the settings named `per_email` and `per_ip` (read at each post, so tests may change them).
    `key_field` is the form's field holding the e-mail address; `message` is shown to whoever is over it."""

    scope: str
    per_email: str
    per_ip: str
    key_field: str = "email"
    message: str | Promise = ""

    def reached(self, request: HttpRequest, email: str) -> bool:
        """Count one post by the client's address and one by `email`, and say whether either went over."""
        per_key, per_ip = getattr(settings, self.per_email), getattr(settings, self.per_ip)
        return request_is_limited(request, self.scope, email, per_key=per_key, per_ip=per_ip)


def screen_public_post(request: HttpRequest, form: HoneypotFormMixin, limit: PostLimit) -> Screened:
    """`screen_post` with the usual limit: per client address and per the e-mail address the POST holds in
    the `limit`'s `key_field` (`coalition.lib.ratelimit.request_is_limited`)."""
    return screen_post(
        form,
        limited=lambda: limit.reached(request, request.POST.get(limit.key_field, "")),
        limited_message=str(limit.message),
    )
