"""Synthetic meetings with officials, commitments, follow-ups and a delegation (`manage.py generate_demo_data`).

Marked as fake like the other apps' demo data: accounts end in @example.invalid (with no usable password), the
treaty meeting is "Demo Meeting of States Parties", outcomes start with "Demo". Meetings belong to the demo
organisations of coalition.members (generated first), one in ten restricted to its organisation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from coalition.accounts.models import User
from coalition.accounts.roles import Role
from coalition.engagement.models import (
    Assignment,
    Commitment,
    Delegate,
    Delegation,
    FollowUp,
    OfficialMeeting,
    Topic,
    Visibility,
)
from coalition.members.models import Organisation
from coalition.states.models import Meeting, State

VOLUMES = {
    "meetings_with_officials": {"small": 200, "large": 20_000, "help": "demo meetings with officials"},
}
BATCH = 2_000
EDITORS = 10
DEMO_MEETING = "demo-meeting-of-states-parties"


def _accounts(organisations: list[Organisation]) -> tuple[User, list[User]]:
    campaigner, created = User.objects.get_or_create(
        email="demo-campaigner@example.invalid", defaults={"full_name": "Demo Campaigner", "is_staff": True}
    )
    if created:
        campaigner.set_unusable_password()
        campaigner.save()
        campaigner.groups.add(Group.objects.get(name=Role.CAMPAIGNER))
    editors = []
    for organisation in organisations[:EDITORS]:
        editor, created = User.objects.get_or_create(
            email=f"demo-editor-{organisation.slug}@example.invalid",
            defaults={"full_name": f"Demo Editor of {organisation.name}"},
        )
        if created:
            editor.set_unusable_password()
            editor.save()
            editor.groups.add(Group.objects.get(name=Role.ORGANISATION_EDITOR))
            organisation.editors.add(editor)
        editors.append(editor)
    return campaigner, editors


def generate(*, volumes: dict[str, int], rng: random.Random, log: Callable[[str], None]) -> str:
    total = volumes["meetings_with_officials"]
    organisations = list(Organisation.objects.filter(slug__startswith="demo-organisation-").order_by("slug"))
    states = list(State.objects.order_by("iso3"))
    if not organisations or not states:
        return "no demo organisations or no states (load the reference data): nothing generated"
    campaigner, editors = _accounts(organisations)
    editor_of = {organisation.pk: editor for organisation, editor in zip(organisations, editors, strict=False)}
    today = timezone.localdate()
    existing = OfficialMeeting.objects.filter(outcome__startswith="Demo meeting ").count()
    made = commitments = follow_ups = 0
    for start in range(existing, total, BATCH):
        batch = []
        for n in range(start + 1, min(start + BATCH, total) + 1):
            organisation = rng.choice(organisations[:EDITORS])
            held_on = today - timedelta(days=rng.randint(0, 3 * 365))
            batch.append(
                OfficialMeeting(
                    state=rng.choice(states),
                    organisation=organisation,
                    held_on=held_on,
                    status=OfficialMeeting.Status.HELD,
                    format=rng.choice(OfficialMeeting.Format.values),
                    topics=rng.sample(Topic.values, k=2),
                    stated_position=rng.choice(OfficialMeeting.Stance.values),
                    outcome=f"Demo meeting {n:06d}: a synthetic record made by **generate_demo_data**.",
                    visibility=Visibility.RESTRICTED if n % 10 == 0 else Visibility.COALITION,
                    created_by=campaigner,
                )
            )
        created = OfficialMeeting.objects.bulk_create(batch)
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35 (RETURNING).
        new_commitments = [
            Commitment(
                meeting=meeting,
                state_id=meeting.state_id,
                text=rng.choice(["Table the ratification bill", "Fund clearance", "Report on stockpiles"]),
                status=rng.choice(Commitment.Status.values),
            )
            for meeting in created
            if rng.random() < 0.5
        ]
        Commitment.objects.bulk_create(new_commitments)
        new_follow_ups = [
            FollowUp(
                title="Demo follow-up: send the briefing",
                owner=editor_of.get(meeting.organisation_id or 0, campaigner),
                due_on=today + timedelta(days=rng.randint(-10, 60)),
                meeting=meeting,
                state_id=meeting.state_id,
                created_by=campaigner,
            )
            for meeting in created
            if rng.random() < 0.25
        ]
        FollowUp.objects.bulk_create(new_follow_ups)
        made += len(created)
        commitments += len(new_commitments)
        follow_ups += len(new_follow_ups)
        log(f"  meetings with officials {start + len(created)}/{total}")
    _delegation(campaigner, editors, states, rng)
    return (
        f"{made} demo meetings with officials ({existing} were already there), {commitments} commitments, "
        f"{follow_ups} follow-ups, and a delegation to the demo Meeting of States Parties"
    )


def _delegation(campaigner: User, editors: list[User], states: list[State], rng: random.Random) -> None:
    today = timezone.localdate()
    meeting, _created = Meeting.objects.get_or_create(
        slug=DEMO_MEETING,
        defaults={
            "name": "Demo Meeting of States Parties",
            "kind": Meeting.Kind.MEETING_OF_STATES_PARTIES,
            "city": "Geneva",
            "start": today + timedelta(days=30),
            "end": today + timedelta(days=34),
            "source": "generate_demo_data",
        },
    )
    delegation, _created = Delegation.objects.get_or_create(
        meeting=meeting, defaults={"created_by": campaigner, "notes": "Demo delegation."}
    )
    delegates = []
    for user in [campaigner, *editors[:4]]:
        delegate, _created = Delegate.objects.get_or_create(
            delegation=delegation,
            user=user,
            defaults={
                "organisation": user.edited_organisations.first(),
                "arrives_on": meeting.start,
                "leaves_on": meeting.end,
            },
        )
        delegates.append(delegate)
    for state in rng.sample(states, k=min(20, len(states))):
        Assignment.objects.get_or_create(
            delegation=delegation,
            state=state,
            defaults={"delegate": rng.choice(delegates), "asks": "Demo ask: join the Convention."},
        )
