from __future__ import annotations

from django_tasks import task

from coalition.site.digest import staff_digest_send


@task()
def send_staff_digest() -> int:
    return staff_digest_send()
