"""Import officials (positions, people, terms) from CSV or Popolo JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.letters import importing
from coalition.lib.imports import ImportRejected


class Command(BaseCommand):
    help = (
        "Create or update officials from a UTF-8 file: CSV with the columns "
        + ", ".join(importing.COLUMNS)
        + " (position_id, state and title required), or Popolo JSON (persons, organizations, posts, memberships; "
        "the state is the post's or organization's area_id as ISO alpha-3). Run it after each change of "
        "government: positions are updated in place and terms whose holder changed are closed. Every row is "
        "checked first; one bad or duplicate row and nothing is imported. Use --dry-run to see every problem "
        "and what would change."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report; change nothing.")
        parser.add_argument("--format", choices=["auto", "csv", "popolo"], default="auto")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        fmt = options["format"]
        if fmt == "auto":
            fmt = "popolo" if path.suffix.lower() == ".json" or text.lstrip().startswith("{") else "csv"

        def log(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(message)

        log(f"Checking {path} ({fmt})…")
        try:
            report = importing.officials_import(text=text, fmt=fmt, dry_run=options["dry_run"], log=log)
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from None
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {report.summary}; nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Done: {report.summary}."))
