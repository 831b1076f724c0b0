"""What the research import commands share: options and who submits (import_casualties too); for `import_strikes`
and `import_areas` also progress, every bad row printed, a one-line summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO, Any, Protocol

from django.core.management.base import BaseCommand, CommandError

from coalition.accounts.models import User
from coalition.core.audit import Actor
from coalition.lib.imports import ImportRejected
from coalition.members.models import Organisation
from coalition.research import place_import
from coalition.research.importing.spec import Problem, count_rows


class Counted(Protocol):
    """What an import's report counts (the casualty and the place imports' reports alike)."""

    rows: int
    imported: int
    updated: int
    unchanged: int


class ImportCommand(BaseCommand):
    """What every research import command shares (import_casualties, import_strikes, import_areas): its options,
    the file it reads and how it prints each problem."""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Path to the file, or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; change nothing.")
        parser.add_argument("--approve", action="store_true", help="Import the records as approved.")
        parser.add_argument("--organisation", default="", help="Slug of the submitting member organisation.")
        parser.add_argument("--user", default="", help="E-mail of the person importing (kept in the history).")
        parser.add_argument("--source", default="", help="Source title for rows without a source column.")

    def write_summary(self, report: Counted, *, kind: str, warnings: int, label: str, dry_run: bool) -> None:
        """The last line: what was imported, or that a dry run found every row good; rows whose identifier names a
        record already kept are counted as updated or unchanged."""
        known = f"{report.updated:,} updated, {report.unchanged:,} unchanged, {warnings} warning(s)"
        if dry_run:
            summary = f"{kind}: {report.rows:,} rows checked, all good ({known}); nothing changed (dry run)."
        else:
            summary = f"{kind}: imported {report.imported:,} {label} ({known})."
        self.stdout.write(self.style.SUCCESS(summary))

    def import_file(self, path: str) -> IO[str]:
        """The file named on the command line, or standard input for `-`."""
        try:
            return sys.stdin if path == "-" else open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc

    def problem_printer(self, verbosity: int) -> Callable[[str, Problem], None]:
        """Prints each problem as it is found: errors always (on stderr), warnings unless -v0."""

        def problem(kind: str, item: Problem) -> None:
            if kind != "error" and verbosity < 1:
                return
            stream = self.stderr if kind == "error" else self.stdout
            stream.write(f"\n{'error' if kind == 'error' else 'warning'}: {item}")

        return problem

    def import_arguments(
        self,
        options: dict[str, Any],
        *,
        organisation: Organisation | None,
        user: User | None,
        progress: Callable[[int], None],
    ) -> dict[str, Any]:
        """The arguments every import takes from the command's options: who imports, how, what it prints."""
        return {
            "dry_run": options["dry_run"],
            "by": user or Actor.SYSTEM,
            "organisation": organisation,
            "approve": options["approve"],
            "default_source": options["source"] or str(options["file"]),
            "on_problem": self.problem_printer(options["verbosity"]),
            "on_progress": progress,
        }


def import_submitter(options: dict[str, Any]) -> tuple[Organisation | None, User | None]:
    """The organisation and the person named by --organisation and --user; a name that matches nobody stops."""
    organisation = None
    if options["organisation"]:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
    user = None
    if options["user"]:
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {options['user']!r}.")
    return organisation, user


class PlaceImportCommand(ImportCommand):
    kind = ""
    label = ""

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        organisation, user = import_submitter(options)
        path = options["file"]
        with self.import_file(path) as handle:
            head = handle.read(1) if path != "-" else ""
            geojson = head == "{" or str(path).lower().endswith((".geojson", ".json"))
            if path != "-":
                handle.seek(0)
            total = count_rows(handle) if path != "-" and not geojson else 0
            started = time.monotonic()

            def progress(done: int) -> None:
                if verbosity < 1:
                    return
                rate = done / max(time.monotonic() - started, 1e-6)
                shown = f"{done:,}/{total:,}" if total else f"{done:,}"
                self.stdout.write(f"\rChecked {shown} rows ({rate:,.0f}/s)", ending="")
                self.stdout.flush()

            report = place_import.Report()
            try:
                place_import.places_import(
                    kind=self.kind,
                    handle=handle,
                    geojson=geojson,
                    report=report,
                    **self.import_arguments(options, organisation=organisation, user=user, progress=progress),
                )
            except ImportRejected as exc:
                self.stdout.write("")
                raise CommandError(
                    f"{len(exc.errors)} bad row(s) in {report.rows:,} checked; nothing was imported."
                ) from exc
        self.stdout.write("")
        self.write_summary(
            report, kind=report.format, warnings=len(report.warnings), label=self.label, dry_run=options["dry_run"]
        )
