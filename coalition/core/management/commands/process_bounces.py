"""Record the bounces in a mailbox: officials' addresses against their positions, our e-mails as failed."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coalition.core.bounce_mailbox import BounceRun, bounces_process_mailbox


class Command(BaseCommand):
    help = (
        "Read bounce messages from a Maildir folder, an mbox file, single message files, or standard input "
        "('-', for a mail server that pipes each bounce to a command), and record them. Safe to run again on "
        "the same mailbox: nothing is recorded twice. Set BOUNCES_MAILDIR to have the worker do it every 10 minutes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("sources", nargs="+", help="Maildir folders, mbox files, message files, or - for stdin")
        parser.add_argument("--remove", action="store_true", help="delete each message once it is handled")

    def handle(self, *args: Any, **options: Any) -> None:
        log = (lambda line: self.stdout.write(line)) if options["verbosity"] >= 1 else (lambda line: None)
        for source in options["sources"]:
            run = self._run(source, remove=options["remove"], log=log)
            self.stdout.write(self.style.SUCCESS(f"{source}: {run}"))

    def _run(self, source: str, *, remove: bool, log: Any) -> BounceRun:
        if source == "-":
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "message.eml"
                path.write_bytes(sys.stdin.buffer.read())
                return bounces_process_mailbox(path, log=log)
        try:
            return bounces_process_mailbox(Path(source), remove=remove, log=log)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
