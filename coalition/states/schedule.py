from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.states.tasks import send_obligations_digest

# Daily: a deadline turns "due soon" 90 days ahead and "overdue" the day after; each is announced once.
JOBS = [Job("states.send_obligations_digest", timedelta(days=1), send_obligations_digest)]
