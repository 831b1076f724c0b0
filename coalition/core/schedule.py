from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.core.tasks import process_bounces

# Bounces that come back after sending, read from BOUNCES_MAILDIR (does nothing when it is not set).
JOBS = [Job("core.process_bounces", timedelta(minutes=10), process_bounces)]
