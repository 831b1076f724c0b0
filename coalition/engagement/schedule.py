from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.engagement.tasks import send_follow_up_reminders

JOBS = [Job("engagement.send_follow_up_reminders", timedelta(hours=1), send_follow_up_reminders)]
