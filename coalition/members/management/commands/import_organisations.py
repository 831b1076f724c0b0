"""Import member organisations from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.members import importing


class Command(BaseCommand):
    help = (
        "Create or update (by slug) organisations from a UTF-8 CSV file with the columns "
        + ", ".join(importing.COLUMNS)
        + " (only name is required). Every row is checked first; one bad row and nothing is imported. "
        "Use --dry-run to see every problem and what would change."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from None
        if options["verbosity"] >= 1:
            self.stdout.write(f"Checking {options['file']}…")
        try:
            report = importing.organisations_import(text=text, dry_run=options["dry_run"], by=Actor.SYSTEM)
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from None
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {report.summary}; nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Done: {report.summary}."))
