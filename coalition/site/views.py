from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The campaign at a glance; each app adds its panel as it lands."""
    return render(request, "site/home.html")
