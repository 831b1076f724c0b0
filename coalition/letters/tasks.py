"""Background tasks of the letters app; each is a thin call into a service and safe to run twice."""

from __future__ import annotations

from django_tasks import task

from coalition.letters import services


@task()
def send_letter_email(letter_id: int) -> str:
    return services.letter_email_send(letter_id=letter_id)


@task()
def deliver_message(message_id: int) -> str:
    return services.message_deliver(message_id=message_id)


@task()
def housekeeping() -> str:
    return str(services.letters_housekeeping())
