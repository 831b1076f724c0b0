"""Segments: saved rules over supporters, combined with all/any/not, turned into one database query.

A rule is a small JSON tree, kept as it was written and computed again each time (the count shown before
sending, the recipients when sending starts):

    {"all": [rule, ...]}      every rule holds          {"any": [rule, ...]}   at least one holds
    {"not": rule}             the rule does not hold
    {"state": "NO"}           the supporter's country (ISO 3166 alpha-2)
    {"language": "fr"}        the language they signed up in
    {"list": "newsletter"}    on that list now (slug)
    {"organisation": "slug"}  referred by that member organisation
    {"action": "slug"}        confirmed a letter in that action
    {"event": 12}             replied to that event (a reply not cancelled)
    {"signed_up": {"from": "2025-01-01", "to": "2025-12-31"}}   signed up between these days (both included)
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_DEPTH = 6
MAX_RULES = 50


class SegmentError(ValueError):
    """A rule that cannot be computed; the message says which and why, for the campaigner."""


LEAVES = ("state", "language", "list", "organisation", "action", "event", "signed_up")
GROUPS = ("all", "any", "not")


def segment_q(rules: Any) -> Q:
    """The rules as a filter on `members.Supporter`; raises SegmentError for a rule that is not valid."""
    counter = [0]
    return _q(rules, depth=0, counter=counter)


def _q(rule: Any, *, depth: int, counter: list[int]) -> Q:
    if depth > MAX_DEPTH:
        raise SegmentError(_("Rules are nested too deeply (at most %(depth)s levels).") % {"depth": MAX_DEPTH})
    counter[0] += 1
    if counter[0] > MAX_RULES:
        raise SegmentError(_("A segment has at most %(count)s rules.") % {"count": MAX_RULES})
    if not isinstance(rule, dict) or len(rule) != 1:
        raise SegmentError(_("Each rule has exactly one name, such as “state” or “all”."))
    ((name, value),) = rule.items()
    if name in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise SegmentError(_("“%(name)s” needs a list of at least one rule.") % {"name": name})
        parts = [_q(part, depth=depth + 1, counter=counter) for part in value]
        combined = parts[0]
        for part in parts[1:]:
            combined = (combined & part) if name == "all" else (combined | part)
        return combined
    if name == "not":
        return ~_q(value, depth=depth + 1, counter=counter)
    if name not in LEAVES:
        raise SegmentError(_("There is no rule named “%(name)s”.") % {"name": str(name)[:40]})
    return _leaf(name, value)


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise SegmentError(_("The rule “%(name)s” needs a value.") % {"name": name})
    return str(value).strip()


def _leaf(name: str, value: Any) -> Q:
    from coalition.events.models import RSVP, Event
    from coalition.letters.models import Action, Letter
    from coalition.mailings.models import MailingList, Subscription
    from coalition.members.models import Organisation

    if name == "state":
        code = _text(name, value).upper()
        if len(code) != 2 or not code.isalpha():
            raise SegmentError(_("A state is given by its two-letter country code, such as NO."))
        return Q(country=code)
    if name == "language":
        return Q(language=_text(name, value).lower())
    if name == "list":
        slug = _text(name, value)
        mailing_list = MailingList.objects.filter(slug=slug).first()
        if mailing_list is None:
            raise SegmentError(_("There is no list “%(slug)s”.") % {"slug": slug[:80]})
        on_list = Subscription.objects.filter(mailing_list=mailing_list, left_at__isnull=True)
        return Q(pk__in=on_list.values("supporter_id"))
    if name == "organisation":
        slug = _text(name, value)
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise SegmentError(_("There is no organisation “%(slug)s”.") % {"slug": slug[:80]})
        return Q(referred_by=organisation)
    if name == "action":
        slug = _text(name, value)
        action = Action.objects.filter(slug=slug).first()
        if action is None:
            raise SegmentError(_("There is no action “%(slug)s”.") % {"slug": slug[:80]})
        letters = Letter.objects.filter(action=action, status=Letter.Status.CONFIRMED)
        return Q(pk__in=letters.values("supporter_id"))
    if name == "event":
        text = _text(name, value)
        event = Event.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 12 else None
        if event is None:
            raise SegmentError(_("There is no event number %(pk)s.") % {"pk": text[:20]})
        replies = RSVP.objects.filter(event=event).exclude(status=RSVP.Status.CANCELLED).exclude(email="")
        return Q(email__in=replies.values("email"))
    # signed_up
    if not isinstance(value, dict) or not (value.get("from") or value.get("to")):
        raise SegmentError(_("“Signed up between” needs a first day, a last day, or both."))
    q = Q()
    start, end = _day(value.get("from")), _day(value.get("to"))
    if start and end and start > end:
        raise SegmentError(_("The first day comes after the last day."))
    zone = timezone.get_default_timezone()
    if start:
        q &= Q(created_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end:
        q &= Q(created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
    return q


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SegmentError(_("“%(value)s” is not a day (YYYY-MM-DD).") % {"value": str(value)[:20]}) from None
