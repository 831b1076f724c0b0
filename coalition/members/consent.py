"""The consent texts a supporter sees, each with a version.

Change a text → change its version: records keep the version and the exact text shown (in the
language shown), so what someone agreed to can always be read back. See
docs/decisions/0101-members-consent-and-referrals.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coalition.members.models import ConsentKind


@dataclass(frozen=True)
class ConsentText:
    kind: str
    version: str
    text: str | Promise


CONSENT_TEXTS: dict[str, ConsentText] = {
    ConsentKind.NEWSLETTER: ConsentText(
        ConsentKind.NEWSLETTER,
        "2025-01",
        _("Send me the coalition's newsletter by e-mail (about once a month)."),
    ),
    ConsentKind.ACTION_ALERTS: ConsentText(
        ConsentKind.ACTION_ALERTS,
        "2025-01",
        _("E-mail me when there is an action to take, such as writing to an official."),
    ),
    ConsentKind.EVENT_INVITATIONS: ConsentText(
        ConsentKind.EVENT_INVITATIONS,
        "2025-01",
        _("Invite me by e-mail to events in my country."),
    ),
}
