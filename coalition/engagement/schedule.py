from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.engagement.delegation_briefs import purge_printed_briefs
from coalition.engagement.follow_ups import send_follow_up_reminders

# Printed delegation briefs are kept ENGAGEMENT_PRINTED_BRIEFS_DAYS, then deleted (docs/privacy.md).
JOBS = [
    Job("engagement.send_follow_up_reminders", timedelta(hours=1), send_follow_up_reminders),
    Job("engagement.purge_printed_briefs", timedelta(days=1), purge_printed_briefs),
]
