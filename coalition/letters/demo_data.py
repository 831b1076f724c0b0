"""Synthetic officials, actions and letters for development and benchmarks (`manage.py generate_demo_data`).

Marked as fake like the members' demo data: keys start with "demo-", addresses end in @example.invalid.
Letters are written by the demo supporters; the kept counts are set to match what is generated.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db.models import Count, Q
from django.utils import timezone

from coalition.letters.models import Action, ActionCount, Letter, Message, Person, Position, Role, Term
from coalition.letters.models.letters import new_message_id
from coalition.lib import rows
from coalition.members.models import Supporter
from coalition.states.models import State

VOLUMES = {
    "letters": {"small": 1_000, "large": 1_000_000, "help": "demo letters to officials (one message each)"},
}
BATCH = 5_000  # also the unit of the draws: changing it changes the data of a seed
# The body only: the greeting and the signature are added for each official.
TEMPLATE = "Please make sure our country joins and upholds the Convention on Cluster Munitions."

# The demo action in the other languages (decision 0505).
VERSIONS = {
    "fr": {
        "title": "Démo : demandez à votre ministre des Affaires étrangères de rejoindre l'interdiction",
        "ask": "Adhérer à la Convention sur les armes à sous-munitions.",
        "background": "",
        "letter_subject": "Veuillez adhérer à la Convention sur les armes à sous-munitions",
        "letter_template": "Je vous demande de veiller à ce que notre pays adhère à la Convention sur les armes à "
        "sous-munitions et la respecte.",
    },
    "es": {
        "title": "Demo: pida a su ministro de Asuntos Exteriores que se sume a la prohibición",
        "ask": "Adherirse a la Convención sobre Municiones en Racimo.",
        "background": "",
        "letter_subject": "Adhiérase a la Convención sobre Municiones en Racimo",
        "letter_template": "Le pido que nuestro país se adhiera a la Convención sobre Municiones en Racimo "
        "y la cumpla.",
    },
    "ar": {
        "title": "تجريبي: اطلب من وزير خارجيتك الانضمام إلى الحظر",
        "ask": "الانضمام إلى اتفاقية الذخائر العنقودية.",
        "background": "",
        "letter_subject": "يرجى الانضمام إلى اتفاقية الذخائر العنقودية",
        "letter_template": "أطلب منكم العمل على أن تنضم بلادنا إلى اتفاقية الذخائر العنقودية وأن تلتزم بها.",
    },
}


def _officials(log: Callable[[str], None]) -> list[Position]:
    today = timezone.localdate()
    states = list(State.objects.order_by("iso3"))
    Position.objects.bulk_create(
        [
            Position(
                key=f"demo-mfa-{state.iso3}",
                state=state,
                role=Role.FOREIGN_MINISTER,
                title=f"Minister of Foreign Affairs of {state.name}",
            )
            for state in states
        ],
        ignore_conflicts=True,
    )
    positions = list(Position.objects.filter(key__startswith="demo-mfa-").order_by("key"))
    Person.objects.bulk_create(
        [Person(key=f"demo-person-{p.state_id}", name=f"Demo Minister {p.state_id}") for p in positions],
        ignore_conflicts=True,
    )
    person_by_key = {p.key: p for p in Person.objects.filter(key__startswith="demo-person-")}
    open_terms = set(
        Term.objects.filter(position__in=positions, ended_on__isnull=True).values_list("position_id", flat=True)
    )
    Term.objects.bulk_create(
        Term(
            position=position,
            person=person_by_key[f"demo-person-{position.state_id}"],
            started_on=today.replace(year=today.year - 1),
            email=f"minister-{position.state_id.lower()}@example.invalid",
            verified_on=today,
            source="generate_demo_data",
        )
        for position in positions
        if position.pk not in open_terms
    )
    for term in Term.objects.filter(position__in=positions, ended_on__isnull=True):
        Position.objects.filter(pk=term.position_id).update(current_term=term)
    log(f"  officials {len(positions)}/{len(positions)}")
    return positions


def generate(*, volumes: dict[str, int], rng: random.Random, log: Callable[[str], None]) -> str:
    positions = _officials(log)
    action, _created = Action.objects.get_or_create(
        slug="demo-join-the-ban",
        defaults={
            "title": "Demo: ask your foreign minister to join the ban",
            "ask": "Join the Convention on Cluster Munitions.",
            "letter_subject": "Please join the Convention on Cluster Munitions",
            "letter_template": TEMPLATE,
            "language": "en",
            "languages": ["en", "fr", "es", "ar"],
            "translations": VERSIONS,
            "status": Action.Status.PUBLISHED,
            "target": Action.Target.OWN_STATE,
            "target_role": Role.FOREIGN_MINISTER,
            "goal": max(1000, volumes["letters"]),
        },
    )
    supporter_ids = list(
        Supporter.objects.filter(email__endswith="@example.invalid").values_list("pk", flat=True)[:100_000]
    )
    total = volumes["letters"] - Letter.objects.filter(action=action).count()
    if not supporter_ids or not positions or total <= 0:
        return "no demo letters added (no demo supporters, no states, or already there)"
    now = timezone.now()
    letter_template = Letter(
        action=action,
        name="Demo Writer",
        town="Demo City",
        body=TEMPLATE,
        status=Letter.Status.CONFIRMED,
        confirmed_at=now,
        created_at=now,
    )
    message_template = Message(
        action=action,
        subject=action.letter_subject,
        body="Synthetic letter made by generate_demo_data.",
        status=Message.Status.SENT,
        sent_at=now,
    )
    # The same draws as ever (a batch's officials, then each letter's writer): same seed, same letters.
    # Rows are numbered here and written through executemany (coalition.lib.rows.insert_many): bulk_create
    # spent nine tenths of the time building and compiling model instances.
    recipient = {
        position.pk: (
            position.current_term_id,
            f"Demo Minister {position.state_id}",
            position.title,
            f"minister-{position.state_id.lower()}@example.invalid",
        )
        for position in positions
    }
    next_letter, next_message = rows.next_key(Letter), rows.next_key(Message)
    made = 0
    while made < total:
        size = min(BATCH, total - made)
        chosen = [rng.choice(positions) for _ in range(size)]
        letters = [(next_letter + n, rng.choice(supporter_ids), position.state_id) for n, position in enumerate(chosen)]
        rows.insert_many(Letter, template=letter_template, columns=("id", "supporter_id", "state_id"), rows=letters)
        rows.insert_many(
            Message,
            template=message_template,
            columns=(
                "id",
                "letter_id",
                "position_id",
                "term_id",
                "recipient_name",
                "recipient_title",
                "recipient_email",
                "message_id",
            ),
            rows=(
                (next_message + n, letter[0], position.pk, *recipient[position.pk], new_message_id())
                for n, (letter, position) in enumerate(zip(letters, chosen, strict=True))
            ),
        )
        next_letter += size
        next_message += size
        made += size
        if made % 100_000 < BATCH:
            log(f"  letters {made}/{total}")
    rows.sequences_reset(Letter, Message)
    # Counts are kept, not recounted, by the services; demo rows bypass them, so set them once here.
    per_position = (
        Message.objects.filter(action=action)
        .values("position_id", "position__state_id")
        .annotate(confirmed=Count("id"), sent=Count("id", filter=Q(status=Message.Status.SENT)))
    )
    ActionCount.objects.filter(action=action).delete()
    ActionCount.objects.bulk_create(
        ActionCount(
            action=action,
            position_id=row["position_id"],
            state_id=row["position__state_id"],
            confirmed=row["confirmed"],
            sent=row["sent"],
        )
        for row in per_position
    )
    totals = Message.objects.filter(action=action).aggregate(
        confirmed=Count("id"), sent=Count("id", filter=Q(status=Message.Status.SENT))
    )
    Action.objects.filter(pk=action.pk).update(confirmed_count=totals["confirmed"], sent_count=totals["sent"])
    return f"{len(positions)} demo officials, {total} demo letters (existing ones kept)"
