"""Who may open a staff page: one decorator for every view behind a log-in and a permission, so a visitor is sent
to log in and an account without the right gets 403, never a log-in loop. In lib, below core and accounts, so
core's own pages (the outbox) use the same rule."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def access_required(allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    """Visitors are sent to log in; people logged in whom `allowed(user)` refuses get 403 rather than a login loop."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permission_required(perm: str) -> Callable[[View], View]:
    """Visitors are sent to log in; people logged in without `perm` get 403 rather than a login loop."""
    return access_required(lambda user: user.has_perm(perm))
