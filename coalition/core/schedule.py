from __future__ import annotations

from datetime import timedelta

from coalition.core.bounce_mailbox import process_bounces
from coalition.core.delivery import purge_email_bodies
from coalition.core.scheduler import Job

# Bounces that come back after sending, read from BOUNCES_MAILDIR (does nothing when it is not set).
# Stored e-mail bodies are kept EMAIL_BODY_RETENTION_DAYS, then emptied (docs/privacy.md).
JOBS = [
    Job("core.process_bounces", timedelta(minutes=10), process_bounces),
    Job("core.purge_email_bodies", timedelta(days=1), purge_email_bodies),
]
