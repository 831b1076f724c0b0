from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coalition.events import selectors as events_selectors
from coalition.lib.page_cache import public_page
from coalition.members import selectors as members_selectors
from coalition.states import selectors as states_selectors


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The campaign at a glance; each app adds its panel as it lands."""
    context = {
        "members_headline": members_selectors.headline_counts(),
        "steering_committee": members_selectors.steering_committee(),
        "states_panel": states_selectors.home_panel(),
        "next_events": events_selectors.upcoming_for_home(),
    }
    return render(request, "site/home.html", context)
