from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.events.reminders import send_due_reminders

JOBS = [Job("events.send_due_reminders", timedelta(minutes=15), send_due_reminders)]
