"""The staff work digest: at most hourly, one e-mail per staff member naming what entered their queues.

Each person is told of each entry once (`StaffDigestNotice` rows, written in the transaction that queues the
e-mail, under a lock on the person's row, so two workers running the job at once cannot both tell them). An entry
that leaves its queue loses its rows: if it comes back (an event sent back and resubmitted) it is news again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from coalition.core.services import email_send
from coalition.site.models import StaffDigestNotice
from coalition.site.work import QUEUES, Queue

# The e-mail names this many entries per queue, then how many more there are.
NAMED_PER_QUEUE = 10


@dataclass
class DigestSection:
    queue: Queue
    url: str
    count: int = 0
    named: list[tuple[str, str]] = field(default_factory=list)  # (label, path)

    @property
    def more(self) -> int:
        return self.count - len(self.named)


def _recipients(queue: Queue) -> list[int]:
    """Active people holding the queue's permission through a role (or given it directly); superusers are not
    mailed for every queue, only for those their roles give them."""
    app_label, codename = queue.permission.split(".")
    held = Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename) | Q(
        user_permissions__content_type__app_label=app_label, user_permissions__codename=codename
    )
    users = get_user_model().objects.filter(held, is_active=True).exclude(email="").distinct()
    return list(users.values_list("pk", flat=True))


def staff_digest_send() -> int:
    """Send each staff member the entries that entered their queues since they were last told; returns e-mails."""
    digest_queues = [queue for queue in QUEUES if queue.in_digest]
    with transaction.atomic():
        for queue in digest_queues:
            # Entries that left the queue: forget them, so a return is announced.
            StaffDigestNotice.objects.filter(queue=queue.key).exclude(
                entry_id__in=queue.entries().order_by().values("pk")
            ).delete()
    recipients: dict[int, list[Queue]] = {}
    for queue in digest_queues:
        for user_id in _recipients(queue):
            recipients.setdefault(user_id, []).append(queue)
    sent = 0
    User = get_user_model()
    for user_id, queues in sorted(recipients.items()):
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
            if user is None:
                continue
            sections, notices = [], []
            for queue in queues:
                told = StaffDigestNotice.objects.filter(user_id=user_id, queue=queue.key).values("entry_id")
                new = queue.entries().exclude(pk__in=told)
                new_ids = list(new.order_by().values_list("pk", flat=True))
                if not new_ids:
                    continue
                section = DigestSection(queue=queue, url=queue.url(), count=len(new_ids))
                section.named = [(queue.entry_label(e), queue.entry_url(e)) for e in new[:NAMED_PER_QUEUE]]
                sections.append(section)
                notices += [StaffDigestNotice(user_id=user_id, queue=queue.key, entry_id=pk) for pk in new_ids]
            if not sections:
                continue
            StaffDigestNotice.objects.bulk_create(notices, ignore_conflicts=True)
            email_send(
                to=user.email,
                template="site-staff-digest",
                context={"sections": sections, "total": sum(s.count for s in sections)},
                language=getattr(user, "preferred_language", "") or None,
            )
            sent += 1
    return sent
