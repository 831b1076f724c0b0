"""Every URL that takes input is fuzzed: in the endpoints' rows, or named as reading none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


# --- every URL that takes input is covered ------------------------------------------------------------------

# URL names whose views read nothing from the request but the path's ids (and ?page=, which Django's paginator
# reads safely); every other URL of the project is in ENDPOINTS.
WITHOUT_INPUT = {
    "home",
    "staff-work",
    "pages:page",
    "pages:file",
    "two_factor",
    "two_factor_recovery_codes",
    "two_factor_recovery_codes_new",
    "healthz",
    "outbox",
    "outbox-message",
    "javascript-catalog",
    "logout",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change_done",
    "api-schema",
    "api-docs",
    "members:join-thanks",
    "members:sign-up-thanks",
    "members:logo",
    "members:detail",
    "members:staff-applications",
    "members:referrals",
    "members:staff-referrals",
    "events:detail",
    "events:ics",
    "events:mine",
    "events:review-queue",
    "events:submit",
    "events:photo",
    "letters:actions",
    "letters:thanks",
    "letters:letter-pdf",
    "letters:brought",
    "letters:staff-officials",
    "letters:preview",
    "letters:publish",
    "letters:staff-action",
    "letters:staff-export",
    "letters:staff-official-pdf",
    "states:detail",
    "states:brief",
    "states:brief_pdf",
    "meetings:list",
    "meetings:detail",
    "research:export-job",
    "research:reports",
    "research:report",
    "research:attachment",
    "research:record",
    "research:record-submit",
    "research:import-job",
    "engagement:index",
    "engagement:meeting",
    "engagement:attachment",
    "engagement:follow-up-done",
    "delegation:day-sheet",
    "delegation:report",
    # A request for the delegation's briefs posts nothing; its progress page reads only `download`.
    "delegation:briefs",
    "delegation:briefs-job",
    "mailings:staff-list",
    "mailings:staff-suppressions",
    "mailings:staff-progress",
    "news:list",
    "news:item",
    "share-campaign",
    "share-action",
    "share-state",
}
# The URL names the endpoints above post to (a row may cover several, e.g. the record forms of every kind).
COVERED = {
    "members:join",
    "members:sign-up",
    "members:my-data",
    "members:my-data-manage",
    "members:sign-up-confirm",
    "members:edit",
    "members:staff-set-status",
    "members:staff-application",
    "members:staff-import",
    "members:directory",
    "members:staff-supporters",
    "members:staff-organisations",
    "events:rsvp",
    "events:rsvp-manage",
    "events:create",
    "events:edit",
    "events:cancel",
    "events:attendees",
    "events:report",
    "events:review",
    "events:calendar",
    "events:list",
    "events:feed",
    "letters:action",
    "letters:confirm",
    "letters:follow-up",
    "letters:staff-review",
    "letters:editor-new",
    "letters:editor",
    "states:list",
    "states:obligations",
    "states:measure_create",
    "states:measure_update",
    "research:index",
    "research:export",
    "research:workspace",
    "research:record-create",
    "research:record-edit",
    "research:attachment-add",
    "research:inbox",
    "research:decide",
    "research:assign",
    "research:bulk-approve",
    "research:import",
    "login",
    "password_reset",
    "password_change",
    "set_language",
    "events:rsvp-links",
    "two_factor_turn_off",
    "engagement:meetings",
    "engagement:meetings-export",
    "engagement:meeting-create",
    "engagement:meeting-edit",
    "engagement:commitment-status",
    "engagement:follow-ups",
    "engagement:follow-up-create",
    "delegation:detail",
    "delegation:log",
    "mailings:staff-new",
    "mailings:staff-edit",
    "mailings:staff-detail",
    "mailings:staff-decide",
    "mailings:staff-preview",
    "mailings:staff-segments",
    "mailings:staff-lists",
    "mailings:unsubscribe",
    "mailings:subscriptions",
    # A mail provider's JSON, not a form: fuzzed with the shared secret in coalition/mailings/tests/test_bounces.py.
    "mailings:provider-events",
    "news:feed",
    # A one-time code is valid for 30 seconds and bound to the session's secret, so no fixed valid value exists
    # to fuzz around: hostile codes are posted to these by accounts/tests/test_two_factor.py
    # (test_a_hostile_code_is_refused_and_changes_nothing).
    "two_factor_verify",
    "two_factor_enrol",
}


def _url_names(patterns: list[Any], namespace: str = "") -> Iterable[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or str(pattern.pattern).startswith("api/v1/"):
                continue  # the admin is Django's own; the API's routes are checked by the next test
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_takes_its_input_through_a_fuzzed_endpoint():
    names = set(_url_names(get_resolver().url_patterns))
    unclassified = names - WITHOUT_INPUT - COVERED
    assert not unclassified, (
        f"add these URLs to ENDPOINTS (or, if they read no input, to WITHOUT_INPUT): {unclassified}"
    )
    assert not (WITHOUT_INPUT | COVERED) - names, "names listed here that no longer exist"
