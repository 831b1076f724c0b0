"""Failed log-ins are counted per (account, client address) and per client address, never per account alone.

So whoever guesses an account's password from one machine is stopped after a few failures, one machine
guessing many accounts is stopped too, and the owner logging in from anywhere that has not been failing is
let in: ten wrong guesses from a stranger cannot lock the administrator out. A wrong one-time code counts
as a failed log-in. Only failures count; a successful log-in clears its (account, address) counter.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from coalition.lib import ratelimit

_BY_ACCOUNT_AND_IP = "login-failures:account-ip"
_BY_IP = "login-failures:ip"


def _pair(request: HttpRequest, account: str) -> str:
    return f"{account.strip().lower()}\n{ratelimit.client_ip(request)}"


def login_is_blocked(request: HttpRequest, account: str) -> bool:
    """Whether this client address has failed too often, for this account or for all accounts together."""
    ip = ratelimit.client_ip(request)
    return ratelimit.hits_reached(_BY_IP, ip, settings.LOGIN_RATE_PER_IP) or (
        bool(account.strip())
        and ratelimit.hits_reached(_BY_ACCOUNT_AND_IP, _pair(request, account), settings.LOGIN_RATE_PER_EMAIL_AND_IP)
    )


def login_failure_record(request: HttpRequest, account: str) -> None:
    ratelimit.hit(_BY_IP, ratelimit.client_ip(request), settings.LOGIN_RATE_PER_IP)
    if account.strip():
        ratelimit.hit(_BY_ACCOUNT_AND_IP, _pair(request, account), settings.LOGIN_RATE_PER_EMAIL_AND_IP)


def login_failures_clear(request: HttpRequest, account: str) -> None:
    """After a success, this address starts afresh for this account (its failures for others still count)."""
    ratelimit.hits_clear(_BY_ACCOUNT_AND_IP, _pair(request, account))
