"""Data for the worker-crash test, made in the worker's database by `manage.py shell -c` (not a test module)."""

from __future__ import annotations

from typing import Any

from coalition.accounts.tests.factories import UserFactory
from coalition.mailings import approval
from coalition.mailings.tests.factories import MailingFactory, MailingListFactory, subscriber


def make_scheduled_mailing(count: int) -> None:
    newsletter: Any = MailingListFactory(slug="crash")
    for n in range(count):
        subscriber(newsletter, email=f"reader{n}@example.org", name=f"Reader {n}")
    carol: Any = UserFactory(email="carol@example.org", is_superuser=True)
    mailing: Any = MailingFactory(mailing_list=newsletter, created_by=carol)
    approval.mailing_schedule(mailing=mailing, by=carol)
