"""Load the reference data that ships with the product (states, meetings, seed organisations...)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coalition.core.discovery import app_modules
from coalition.lib.imports import ImportRejected


class DryRunRollback(Exception):
    """Raised to undo a dry run after every loader has reported what it would change."""


class Command(BaseCommand):
    help = (
        "Load the reference data shipped in each app's `reference_data` module. Run after `migrate`; "
        "`make run` does. Safe to run again: records already loaded are kept and not duplicated."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        loaders = app_modules("reference_data")
        if not loaders:
            self.stdout.write("No reference data to load.")
            return

        def log(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(message)

        try:
            with transaction.atomic():
                for label, module in loaders:
                    log(f"{label}: loading…")
                    summary = module.load(log=log)
                    log(self.style.SUCCESS(f"{label}: {summary}"))
                if options["dry_run"]:
                    raise DryRunRollback
        except DryRunRollback:
            self.stdout.write("Dry run: nothing was changed.")
        except ImportRejected as exc:
            raise CommandError(f"Reference data not loaded, nothing changed: {exc}") from exc
