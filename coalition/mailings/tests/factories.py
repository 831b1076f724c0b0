from __future__ import annotations

from typing import Any

import factory

from coalition.mailings import services
from coalition.mailings.models import Mailing, MailingList, Segment
from coalition.members.tests.factories import SupporterFactory


class MailingListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailingList

    name = factory.Sequence(lambda n: f"Newsletter {n}")
    slug = factory.Sequence(lambda n: f"newsletter-{n}")
    consent_kind = "newsletter"
    consent_text = "Send me the coalition's newsletter by e-mail."


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    rules = factory.LazyFunction(lambda: {"state": "NO"})


class MailingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mailing

    name = factory.Sequence(lambda n: f"Newsletter of month {n}")
    slug = factory.Sequence(lambda n: f"newsletter-of-month-{n}")
    mailing_list = factory.SubFactory(MailingListFactory)
    language = "en"
    subject = "News for {{ first_name | friend }}"
    preheader = "What happened this month"
    body = "Dear {{ first_name | friend }},\n\nThe treaty has **112** states parties.\n\n[Leave]({{ unsubscribe_url }})"


def subscriber(mailing_list: Any, **fields: Any) -> Any:
    """A confirmed supporter on the list, joined through the service (with a consent record)."""
    supporter: Any = SupporterFactory(**fields)
    services.list_join(supporter=supporter, mailing_list=mailing_list, source="test")
    return supporter
