"""Reading a bounce mailbox (a Maildir, an mbox, one message): `manage.py process_bounces`, and the worker's
`process_bounces` job every 10 minutes when BOUNCES_MAILDIR is set. Each message goes to
`coalition.core.services.bounce_process`, which lets every app record what it recognises."""

from __future__ import annotations

import mailbox
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from coalition.core.services import bounce_process


@task()
def process_bounces() -> str:
    """Empty the bounce mailbox the mail server fills (BOUNCES_MAILDIR), when there is one."""
    if not settings.BOUNCES_MAILDIR:
        return "no bounce mailbox configured"
    return str(bounces_process_mailbox(Path(settings.BOUNCES_MAILDIR), remove=True))


@dataclass
class BounceRun:
    """What one pass over a bounce mailbox found."""

    read: int = 0
    bounces: int = 0
    recorded: list[str] = field(default_factory=list)
    unmatched: int = 0
    not_bounces: int = 0
    requests: int = 0

    def __str__(self) -> str:
        return (
            f"{self.read} message(s) read: {self.bounces} bounce(s), {len(self.recorded)} recorded, "
            f"{self.unmatched} bounce(s) of nothing we sent, {self.not_bounces} not a bounce"
        ) + (f", {self.requests} request(s) by mail (unsubscribe)" if self.requests else "")


def bounces_process_mailbox(
    path: Path, *, remove: bool = False, log: Callable[[str], None] = lambda line: None
) -> BounceRun:
    """Read every message of a Maildir, an mbox file or a single message file and record its bounces.

    With `remove`, each message is deleted once handled (what a mailbox the site alone reads wants);
    without it, reading the same mailbox again records nothing twice.
    """
    if path.is_dir():
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise ValueError(f"{path} is a folder but not a Maildir (no cur/ and new/ inside)")
        box: mailbox.Mailbox[Any] = mailbox.Maildir(path, factory=None, create=False)
    elif path.is_file():
        with path.open("rb") as handle:
            is_mbox = handle.read(5) == b"From "
        if not is_mbox:
            run = BounceRun()
            _bounce_count(run, path.read_bytes(), log)
            if remove:
                path.unlink()
            return run
        box = mailbox.mbox(path, factory=None, create=False)
    else:
        raise ValueError(f"{path}: no such file or folder")
    run = BounceRun()
    box.lock()
    try:
        for key in list(box.keys()):
            _bounce_count(run, box.get_bytes(key), log)
            if remove:
                box.remove(key)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return run


def _bounce_count(run: BounceRun, raw: bytes, log: Callable[[str], None]) -> None:
    run.read += 1
    bounce, matches = bounce_process(raw)
    if not bounce.is_bounce and matches:
        run.requests += 1
        for match in matches:
            if match.new:
                run.recorded.append(match.what)
            log(f"  {match.what}: {'recorded' if match.new else 'already recorded'}")
        return
    if not bounce.is_bounce:
        run.not_bounces += 1
        return
    run.bounces += 1
    if not matches:
        run.unmatched += 1
        log(f"  a bounce for {', '.join(sorted(bounce.permanent | bounce.temporary))} matches nothing we sent")
    for match in matches:
        if match.new:
            run.recorded.append(match.what)
        log(f"  {match.what}: {'recorded' if match.new else 'already recorded'}")
