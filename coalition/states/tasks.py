"""Background tasks of the states app; each is a thin, idempotent call into a service."""

from __future__ import annotations

from django_tasks import task

from coalition.states import services


@task()
def send_obligations_digest() -> int:
    """Tell campaigners, once, which treaty obligations became due within 90 days or overdue."""
    return services.obligations_digest_send()
