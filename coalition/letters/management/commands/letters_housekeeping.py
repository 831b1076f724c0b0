"""Daily upkeep of letters: reminders, expiry, reply follow-ups, retention scrubbing, lost deliveries."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coalition.letters.housekeeping import letters_housekeeping


class Command(BaseCommand):
    help = (
        "Run hourly or at least daily (cron, or the worker via the `housekeeping` task): send the one reminder "
        "to writers who have not confirmed after a day, expire letters unconfirmed after LETTERS_CONFIRM_DAYS, "
        "ask writers two weeks after sending whether the officials replied, scrub the text and writer's details "
        "of letters sent more than LETTERS_RETENTION_DAYS ago (the counts stay), and requeue deliveries whose "
        "task was lost. Safe to run any number of times."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = letters_housekeeping()
        self.stdout.write(self.style.SUCCESS(f"Done: {result}."))
