from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.letters.housekeeping import housekeeping

# Reminders, expiry, reply questions, retention scrubbing and re-queuing lost deliveries.
JOBS = [Job("letters.housekeeping", timedelta(minutes=15), housekeeping)]
