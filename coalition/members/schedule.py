from __future__ import annotations

from datetime import timedelta

from coalition.core.scheduler import Job
from coalition.members.tasks import expire_unconfirmed_supporters

JOBS = [Job("members.expire_unconfirmed_supporters", timedelta(hours=1), expire_unconfirmed_supporters)]
