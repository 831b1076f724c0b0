"""Background tasks of the registry."""

from __future__ import annotations

from django_tasks import task

from coalition.members.supporters import supporters_expire_unconfirmed


@task()
def expire_unconfirmed_supporters() -> int:
    """Idempotent: deletes only sign-ups still unconfirmed past the deadline."""
    return supporters_expire_unconfirmed()
