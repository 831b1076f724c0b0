"""Queue the reminders that are due now; the scheduled tasks do this already, this is the safety net."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coalition.events import reminders


class Command(BaseCommand):
    help = (
        "Queue reminder e-mails for every published event whose reminders are due now "
        "(EVENTS_REMINDER_HOURS before the start). Publishing an event already schedules a task that does "
        "this; run this command from cron (e.g. hourly) as a safety net. Each reply gets one reminder, "
        "however often it runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders.reminders_send_due()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Queued {sent} reminder(s)."))
