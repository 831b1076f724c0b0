"""What the states app's forms post, shared by the tests of what they do (national measures, the audit trail)."""

from __future__ import annotations

# Staff adding Norway's stockpile destruction at /states/NOR/measures/new/.
MEASURE = {
    "kind": "stockpile_destruction",
    "title": "Destruction of the national stockpile",
    "status": "in_progress",
    "description": "",
    "started": "2010-01-01",
    "deadline": "2018-08-01",
    "completed": "",
    "munitions_destroyed": "50000",
    "munitions_remaining": "2000",
    "submunitions_destroyed": "",
    "submunitions_remaining": "",
    "source": "https://example.org/monitor/norway",
}
