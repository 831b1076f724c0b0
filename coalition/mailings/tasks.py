"""Background tasks of the mailings app: each a thin call into services."""

from __future__ import annotations

from django_tasks import task

from coalition.mailings import services


@task()
def start_mailing(mailing_id: int) -> str:
    return services.mailing_start(mailing_id=mailing_id)


@task()
def send_batch(mailing_id: int) -> str:
    return services.deliveries_send_batch(mailing_id=mailing_id)


@task()
def keep_mailings_going() -> str:
    return f"{services.mailings_keep_going()} mailing task(s) enqueued"
