from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.research.tasks import fail_abandoned_imports

# An import command killed mid-run (on this machine) leaves its job "running": marked failed within minutes.
JOBS = [Job("research.fail-abandoned-imports", timedelta(minutes=5), fail_abandoned_imports)]
