"""Delete supporter sign-ups never confirmed in time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from coalition.members.supporters import supporters_expire_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete supporter sign-ups not confirmed within MEMBERS_CONFIRM_DAYS days. Run daily (cron or a "
        "systemd timer); safe to run any number of times."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = supporters_expire_unconfirmed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted} sign-up(s) unconfirmed after {settings.MEMBERS_CONFIRM_DAYS} day(s)."
            )
        )
