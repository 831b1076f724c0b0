"""Who may organise an event, and who may see the people who come: the rules every events page asks."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from coalition.accounts.models import User
from coalition.events import selectors
from coalition.events.models import Event

Rule = Callable[[User | AnonymousUser, Event], bool]


def may_organise(user: User | AnonymousUser, event: Event) -> bool:
    """The organising organisation's editors, and staff who may change every event."""
    if not user.is_authenticated:
        return False
    return user.has_perm("events.change_event") or event.organisation.editors.filter(pk=user.pk).exists()


def may_see_attendees(user: User | AnonymousUser, event: Event) -> bool:
    """Personal data of attendees: the editors of the organising organisation and of its co-hosts (not of
    promoters), and staff who may view replies."""
    if not user.is_authenticated:
        return False
    return user.has_perm("events.view_rsvp") or selectors.event_hosted_by_editor(event, user)


def event_for(request: HttpRequest, pk: int, rule: Rule) -> Event:
    """The event, for someone the rule lets in: 404 when there is no such event, 403 when the rule refuses."""
    event = selectors.event_get(pk)
    if event is None:
        raise Http404
    if not rule(request.user, event):
        raise PermissionDenied
    return event
