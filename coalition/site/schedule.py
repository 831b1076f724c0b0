from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.site.tasks import send_staff_digest

# Hourly: staff hear of new applications, events, records, held letters, draft actions and mailings to approve
# at most once an hour, in one e-mail (site/digest.py).
JOBS = [Job("site.send_staff_digest", timedelta(hours=1), send_staff_digest)]
