"""Background tasks of the core app, run by the worker that `make run` starts."""

from __future__ import annotations

from django_tasks import task

from coalition.core import services


@task()
def deliver_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id)
