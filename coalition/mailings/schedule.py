from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.mailings.delivery import keep_mailings_going

# Scheduled mailings whose time came, and batches that stopped (a safety net; batches chain themselves).
JOBS = [Job("mailings.keep_going", timedelta(minutes=1), keep_mailings_going)]
