"""Reads behind the public site's pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    title: str | Promise
    description: str | Promise
    url: str


# (URL name, title, description) of each public area, in the order the home page lists them.
# An area appears once its app provides the URL, so the home page only shows what exists.
PUBLIC_AREAS = [
    ("members:directory", _("Members"), _("The organisations of the coalition, by country and type.")),
    ("states:list", _("States"), _("Where every state stands on the treaty, and the history behind it.")),
    ("meetings:list", _("Meetings"), _("International meetings of the treaty and what states said there.")),
    ("letters:actions", _("Take action"), _("Write to the officials who can change their government's policy.")),
    ("events:list", _("Events"), _("Public meetings, debates and exhibitions near you.")),
    ("research:index", _("Research"), _("Field research on strikes, casualties and contamination.")),
    # Both strings are the mailings app's (translated in its catalogue), so the site's catalogue is unchanged.
    ("news:list", _("News"), _("Newsletters of the campaign")),
    ("api-root", _("Open data"), _("The campaign's public data through a documented API.")),
]


def home_sections() -> list[Section]:
    sections = []
    for url_name, title, description in PUBLIC_AREAS:
        try:
            sections.append(Section(title=title, description=description, url=reverse(url_name)))
        except NoReverseMatch:
            continue
    return sections


# --- the staff work page -----------------------------------------------------------------------------------


@dataclass
class WorkBlock:
    """One queue as a staff member sees it on /staff/: how many wait, the first few, where to act."""

    key: str
    title: str | Promise
    url: str
    count: int
    entries: list[tuple[Any, str, str]]  # (entry, label, path)

    @property
    def anchor(self) -> str:
        return "queue-" + self.key.replace(".", "-").replace("_", "-")


WORK_BLOCK_ENTRIES = 5


def staff_work(user: Any) -> list[WorkBlock]:
    """The queues `user` may act on: two queries each (the count and the first entries), whatever their length."""
    from coalition.site.work import QUEUES

    blocks = []
    for queue in QUEUES:
        if not user.has_perm(queue.permission):
            continue
        entries = queue.entries()
        count = entries.count()
        first = list(entries[:WORK_BLOCK_ENTRIES])
        blocks.append(
            WorkBlock(
                key=queue.key,
                title=queue.title,
                url=queue.url(),
                count=count,
                entries=[(entry, queue.entry_label(entry), queue.entry_url(entry)) for entry in first],
            )
        )
    return blocks


def may_use_staff_work(user: Any) -> bool:
    """Who gets the work page: staff accounts and anyone holding the permission of one of its queues."""
    from coalition.site.work import QUEUES

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or any(user.has_perm(queue.permission) for queue in QUEUES))


# --- the home page ------------------------------------------------------------------------------------------


HOME_ACTIONS = 3
LIVE_FIELDS = ("starts_on", "ends_on", "status")  # what Action.is_live reads
HOME_NEWS = 3


def home_live_actions() -> list[Any]:
    """The actions people can take today, newest first, with their kept counters (one query)."""
    from coalition.letters.models.actions import TRANSLATED_FIELDS
    from coalition.letters.selectors import actions_live

    return list(
        actions_live()
        # Every field of an action's language versions (Action.version), its counters and dates; not the rest.
        .only("slug", "language", "translations", *TRANSLATED_FIELDS, "goal", "confirmed_count", *LIVE_FIELDS)
        .order_by("-starts_on", "-pk")[:HOME_ACTIONS]
    )


def home_research_figures() -> Any:
    """The headline research figures (casualties recorded, the civilian share) from the kept totals (one query)."""
    from coalition.research.models import OUTCOMES, CasualtyTotal
    from coalition.research.selectors import TOTAL_SUMS, Figures

    sums = {name: value or 0 for name, value in CasualtyTotal.objects.aggregate(**TOTAL_SUMS).items()}
    return Figures(
        killed=sums["killed"],
        injured=sums["injured"],
        records=sums["records"],
        civilian=sums["killed_civilians"] + sums["injured_civilians"],
        status_known=sum(sums[f"{o}_{n}"] for o in OUTCOMES for n in ("civilians", "military", "deminers")),
        sums=sums,
    )


@dataclass(frozen=True)
class NewsItem:
    url: str
    subject: str
    preheader: str
    language: str
    sent_at: Any


def home_latest_news() -> list[NewsItem]:
    """The last public newsletters in the visitor's language where there is a version (two queries)."""
    from coalition.mailings.selectors import archive, version_for
    from coalition.mailings.services import public_text

    items = []
    for mailing in archive()[:HOME_NEWS]:
        language, subject, preheader, _body = version_for(mailing)
        items.append(
            NewsItem(
                url=reverse("news:item", kwargs={"slug": mailing.slug}),
                # Merge fields as the public archive shows them (no reader's name).
                subject=public_text(subject),
                preheader=public_text(preheader),
                language=language,
                sent_at=mailing.started_at,
            )
        )
    return items


@dataclass(frozen=True)
class HomeMap:
    world_map: Any


def home_map() -> HomeMap:
    """The states map of /states/, every state coloured by its treaty status (one query; decision 0019)."""
    from coalition.states.models import State
    from coalition.states.selectors import states_map

    return HomeMap(world_map=states_map(list(State.objects.all())))
