"""Back up the database and uploaded files into one archive."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup archive (database + uploaded files + manifest of row counts) to var/backups/ or --output. "
        "Safe while the site runs; run it daily from cron and copy the archive off the machine."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", type=Path, help="where to write the .tar.gz archive")
        parser.add_argument(
            "--nice",
            type=int,
            default=10,
            help="lower this process's CPU priority by N (pg_dump inherits it) so the site's requests go first "
            "(default 10; 0 keeps it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["nice"] and hasattr(os, "nice"):
            # On a small server a backup competes with the web workers for the same cores; measured in
            # bench/bench_backup_under_load.py (docs/decisions/0009-backups-under-load.md).
            os.nice(options["nice"])
        try:
            path = backup_create(output=options["output"], log=self._log(options["verbosity"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(path)))

    def _log(self, verbosity: int) -> Any:
        return (lambda message: self.stdout.write(message)) if verbosity >= 1 else (lambda message: None)
