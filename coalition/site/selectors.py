"""Reads behind the public site's pages."""

from __future__ import annotations

from dataclasses import dataclass

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
