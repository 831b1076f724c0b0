"""Background tasks of the events app; each is a thin, idempotent call into a service."""

from __future__ import annotations

from django_tasks import task

from coalition.events import services


@task()
def send_event_reminders(event_id: int) -> int:
    return services.event_send_reminders(event_id=event_id)


@task()
def send_due_reminders() -> int:
    """The safety net behind the per-event reminder tasks: queues every reminder that is due now."""
    return services.reminders_send_due()
