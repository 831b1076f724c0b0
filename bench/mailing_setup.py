"""Data for the mailing benchmark, made in its database by `manage.py shell -c` (not imported by the project)."""

from __future__ import annotations

import smtplib
import time
from email.message import EmailMessage

from django.db import transaction
from django.utils import timezone

COUNTRIES = ["NO", "FR", "LB", "LA", "CO", "ES", "IQ", "VN"]
LANGUAGES = ["en", "fr", "es", "ar"]
BODY = (
    "Dear {{ first_name | friend }},\n\nThe **Convention on Cluster Munitions** has new states parties this month, "
    "and {{ state }} can be next. [Write to your minister](https://campaign.example.org/act/) today.\n\n"
    "Thank you for standing with the survivors.\n\n[Manage my lists]({{ manage_url }})"
)


def make_supporters(count: int) -> None:
    """`count` confirmed supporters on the list `bench`, each with the consent record of joining it."""
    from coalition.mailings.models import MailingList

    MailingList.objects.create(
        name="Bench newsletter", slug="bench", consent_kind="newsletter", consent_text="Send me the newsletter."
    )
    add_supporters(count)


def add_supporters(count: int) -> None:
    from coalition.mailings.models import MailingList, Subscription
    from coalition.members.models import ConsentRecord, Supporter

    now = timezone.now()
    newsletter = MailingList.objects.get(slug="bench")
    first = Supporter.objects.count()
    with transaction.atomic():
        for start in range(first, first + count, 5000):
            supporters = Supporter.objects.bulk_create(
                Supporter(
                    name=f"Reader{n} Example",
                    email=f"reader{n}@example.org",
                    country=COUNTRIES[n % len(COUNTRIES)],
                    language=LANGUAGES[n % len(LANGUAGES)],
                    status=Supporter.Status.CONFIRMED,
                    confirmed_at=now,
                )
                for n in range(start, min(first + count, start + 5000))
            )
            consents = ConsentRecord.objects.bulk_create(
                ConsentRecord(
                    supporter=s, kind="newsletter", granted=True, text=newsletter.consent_text, text_version="bench:1",
                    source="mailings:bench", created_at=now, confirmed_at=now,
                )
                for s in supporters
            )  # fmt: skip
            Subscription.objects.bulk_create(
                Subscription(supporter=s, mailing_list=newsletter, consent=c, joined_at=now)
                for s, c in zip(supporters, consents, strict=True)
            )


def schedule_mailing(run: int) -> None:
    """A new mailing to the whole list, in English with a French version, sent now."""
    from coalition.accounts.models import User
    from coalition.mailings import approval
    from coalition.mailings.models import Mailing, MailingList, MailingVersion

    admin = User.objects.filter(email="bench@example.org").first() or User.objects.create_superuser(
        email="bench@example.org", password=None
    )
    mailing = Mailing.objects.create(
        name=f"Bench {run}", slug=f"bench-{run}", mailing_list=MailingList.objects.get(slug="bench"),
        subject="News for {{ first_name | friend }}", preheader="This month", body=BODY, created_by=admin,
    )  # fmt: skip
    MailingVersion.objects.create(mailing=mailing, language="fr", subject="Nouvelles pour {{ first_name }}", body=BODY)
    approval.mailing_schedule(mailing=mailing, by=admin)


def _floor_message(html_template: str, pk: int, name: str, address: str, country: str) -> EmailMessage:
    from django_countries import countries

    first = name.split()[0] if name else "friend"
    state = str(countries.name(country))
    message = EmailMessage()
    message["Subject"] = f"News for {first}"
    message["From"] = "Coalition <noreply@localhost>"
    message["To"] = address
    message["Message-ID"] = f"<floor-{pk}@bench>"
    message.set_content(BODY.replace("{{ first_name | friend }}", first).replace("{{ state }}", state))
    message.add_alternative(
        html_template.replace("{{ first_name | friend }}", first).replace("{{ state }}", state), subtype="html"
    )
    return message


def smtplib_floor(port: int) -> None:
    """The baseline: the same personalised messages (text and HTML, first name and state filled in), built with
    the standard library and sent with smtplib over one connection, as fast as the server takes them."""
    from coalition.lib.markdown import render_markdown
    from coalition.members.models import Supporter

    html_template = str(render_markdown(BODY))
    started = time.monotonic()
    rows = Supporter.objects.filter(subscriptions__mailing_list__slug="bench").values_list(
        "pk", "name", "email", "country"
    )
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for pk, name, address, country in rows.iterator(chunk_size=2000):
            connection.send_message(_floor_message(html_template, pk, name, address, country))
    print(f"floor {time.monotonic() - started:.3f}")


# The statement the queue runs once per message it sent (delivery.deliveries_send_batch), by hand.
MARK_SENT = (
    "UPDATE mailings_delivery SET status = 'sent', sent_at = %s, lease_until = NULL, claim = '', last_error = '' "
    "WHERE id = %s AND status = 'queued'"
)


def smtplib_commit_floor(port: int) -> None:
    """The floor under any queue that records each message before the next (so a crash repeats only the one
    in flight): the smtplib loop above, plus after each message one autocommitted UPDATE of its delivery row,
    the statement the queue runs, on the same database, committed as the queue commits its marks (on PostgreSQL
    without waiting for the disk unless MAILINGS_SYNCHRONOUS_MARKS). Rows of the last mailing, set back to
    queued first."""
    from django.conf import settings
    from django.db import connection

    from coalition.lib.markdown import render_markdown
    from coalition.mailings.models import Delivery, Mailing

    html_template = str(render_markdown(BODY))
    mailing = Mailing.objects.filter(slug__startswith="bench-").latest("pk")
    Delivery.objects.filter(mailing=mailing).update(status=Delivery.Status.QUEUED, sent_at=None)
    rows = list(
        Delivery.objects.filter(mailing=mailing)
        .order_by("pk")
        .values_list("pk", "supporter_id", "supporter__name", "supporter__email", "supporter__country")
    )
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as server, connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not settings.MAILINGS_SYNCHRONOUS_MARKS:
            cursor.execute("SET synchronous_commit TO off")  # as the queue's marks (coalition/mailings/sending.py)
        for delivery_id, pk, name, address, country in rows:
            server.send_message(_floor_message(html_template, pk, name, address, country))
            cursor.execute(MARK_SENT, [timezone.now(), delivery_id])
    print(f"commit floor {time.monotonic() - started:.3f}")
