"""Update states and treaty events from a newer `ccm_states.csv` (same columns as the shipped one)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.states import imports
from coalition.states.reference_updates import reference_update


class Command(BaseCommand):
    help = (
        "Show what a newer ccm_states.csv (and optionally ccm_withdrawals.csv) would change: new events and "
        "changed dates. Nothing is written unless --apply is given; history is never deleted (a changed date "
        "supersedes the old event, which stays on record). Run when the treaty status is updated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("states_csv", type=Path, help="A CSV with the columns of ccm_states.csv.")
        parser.add_argument("--withdrawals", type=Path, help="A CSV with the columns of ccm_withdrawals.csv.")
        parser.add_argument(
            "--as-of", required=True, type=date.fromisoformat, help="The date the file is current (YYYY-MM-DD)."
        )
        parser.add_argument("--source", default="", help="Where the file comes from; recorded on each new event.")
        parser.add_argument("--apply", action="store_true", help="Write the changes (without it, only show them).")
        parser.add_argument("--dry-run", action="store_true", help="Only show the changes (the default).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: date = options["as_of"]
        source = options["source"] or f"{options['states_csv'].name} as of {as_of}"
        try:
            states = imports.read_states(
                self._read(options["states_csv"]),
                withdrawals=self._read(options["withdrawals"]) if options["withdrawals"] else "",
                as_of=as_of,
                default_source=source,
                filename=options["states_csv"].name,
            )
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(exc.errors)} bad row(s); nothing changed.") from exc
        if options["verbosity"] >= 1:
            self.stdout.write(f"Checked {len(states)} states; comparing with the database…")
        apply = options["apply"] and not options["dry_run"]
        plan = reference_update(
            data=imports.ReferenceData(states=states), as_of=as_of, source=source, apply=apply, by=Actor.SYSTEM
        )
        for line in plan.lines:
            self.stdout.write(f"  {line}")
        if not plan.changes:
            self.stdout.write(self.style.SUCCESS("Already up to date: nothing to change."))
        elif apply:
            self.stdout.write(self.style.SUCCESS(f"Applied: {plan.summary()}."))
        else:
            self.stdout.write(
                self.style.WARNING(f"Would apply: {plan.summary()}. Nothing changed; run again with --apply to apply.")
            )

    def _read(self, path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
