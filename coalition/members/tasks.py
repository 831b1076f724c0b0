"""Background tasks of the registry."""

from __future__ import annotations

from django_tasks import task

from coalition.members import services


@task()
def expire_unconfirmed_supporters() -> int:
    """Idempotent: deletes only sign-ups still unconfirmed past the deadline."""
    return services.supporters_expire_unconfirmed()
