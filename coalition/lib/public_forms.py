"""Screening a public form's POST: the honeypot, the rate limit, then the form's own validation.

Every form anyone may post without logging in (joining, signing up, writing a letter, replying to an event)
goes through the same checks in the same order, so a bot is never counted against a person's limit and an
address over its limit stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from coalition.lib.ratelimit import request_is_limited

if TYPE_CHECKING:
    from django.http import HttpRequest

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


def screen_public_post(
    request: HttpRequest,
    form: HoneypotFormMixin,
    *,
    scope: str,
    key_field: str,
    per_key: str,
    per_ip: str,
    limited_message: str,
) -> Screened:
    """`screen_post` with the usual limit: per client address and per the value of the POST's `key_field`
    (an e-mail address, say), both counted in `scope` (`coalition.lib.ratelimit.request_is_limited`)."""
    return screen_post(
        form,
        limited=lambda: request_is_limited(
            request, scope, request.POST.get(key_field, ""), per_key=per_key, per_ip=per_ip
        ),
        limited_message=limited_message,
    )
