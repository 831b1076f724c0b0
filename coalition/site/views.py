from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coalition.states import selectors as states_selectors


def home(request: HttpRequest) -> HttpResponse:
    """The campaign at a glance; each app adds its panel as it lands."""
    return render(request, "site/home.html", {"states_panel": states_selectors.home_panel()})
