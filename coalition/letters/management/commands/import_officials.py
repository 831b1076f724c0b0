"""Import officials (positions, people, terms) from CSV or Popolo JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.letters.importing import rows, writing
from coalition.lib.imports import ImportRejected


class Command(BaseCommand):
    help = (
        "Create or update officials from a UTF-8 file: CSV with the columns "
        + ", ".join(rows.COLUMNS)
        + " (position_id, state and title required), or Popolo JSON: posts with memberships (the state is the "
        "post's or organization's area_id, ISO alpha-3 or an Open Civic Data division id), or EveryPolitician's "
        "files with no posts (one position per seat of each legislature, area and role; dates from the "
        "membership or its legislative period; the state from the area's OCD division id or --state). Run it "
        "after each change of government: positions are updated in place, terms whose holder changed are "
        "closed, and an unchanged file changes nothing. Every row is checked first; one bad or duplicate row "
        "and nothing is imported. Use --dry-run to see every problem and what would change."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report; change nothing.")
        parser.add_argument("--format", choices=["auto", "csv", "popolo"], default="auto")
        parser.add_argument(
            "--state",
            default="",
            metavar="ISO3",
            help="The state of every Popolo membership whose area is not an Open Civic Data division id.",
        )

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
            report = writing.officials_import(
                text=text, fmt=fmt, dry_run=options["dry_run"], state=options["state"], log=log
            )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from None
        for line in report.skipped:
            self.stdout.write(self.style.WARNING(line))
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {report.summary}; nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Done: {report.summary}."))
