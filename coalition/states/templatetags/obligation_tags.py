"""Labels for the Convention's obligations and their statuses, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from coalition.states import obligations

register = template.Library()

ARTICLE_LABELS = {
    obligations.INITIAL_REPORT: _("Initial transparency report (Article 7(1))"),
    obligations.ANNUAL_REPORT: _("Annual transparency report (Article 7(2))"),
    obligations.STOCKPILE_DESTRUCTION: _("Stockpile destruction (Article 3(2))"),
    obligations.CLEARANCE: _("Clearance of contaminated areas (Article 4(1))"),
    obligations.NATIONAL_MEASURES: _("National implementation measures (Article 9)"),
}
STATUS_LABELS = {
    obligations.MET: _("Met"),
    obligations.PENDING: _("Pending"),
    obligations.DUE_SOON: _("Due soon"),
    obligations.OVERDUE: _("Overdue"),
    obligations.EXTENDED: _("Extended"),
}
REASONS = {
    obligations.NOT_A_PARTY: _("Not a state party: the Convention sets it no deadline."),
    obligations.NO_ENTRY_INTO_FORCE: _(
        "No entry-into-force date is recorded for this state, so the Convention's deadlines cannot be computed."
    ),
}


@register.filter
def article_label(article: str) -> str:
    return str(ARTICLE_LABELS.get(article, article))


@register.filter
def obligation_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def obligation_reason(reason: str) -> str:
    return str(REASONS.get(reason, reason))
