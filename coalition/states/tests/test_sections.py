"""Apps above states add their parts to a state's page and brief through the registry, in INSTALLED_APPS order,
and states imports none of them."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from coalition.states import sections
from coalition.states.sections import StateSection, brief_parts, page_sections, state_sections
from coalition.states.tests.factories import state_party

HIGHER_APPS = ("letters", "events", "research", "engagement", "mailings", "site", "api")


def test_research_letters_and_engagement_register_their_parts_in_installed_apps_order():
    assert [section.app for section in state_sections()] == ["letters", "research", "engagement"]


@pytest.mark.django_db
def test_a_visitor_sees_the_research_section_but_not_the_coalitions_timeline():
    state = state_party("NOR", ratified=date(2008, 12, 3))

    shown = page_sections(state, AnonymousUser())

    assert [section.template for section in shown] == ["research/includes/state_summary.html"]
    assert shown[0].context["research_summary"]["iso3"] == "NOR"
    assert set(brief_parts(state, AnonymousUser())) == {"research"}


@pytest.mark.django_db
def test_a_section_registered_by_another_app_joins_the_page(monkeypatch):
    state = state_party("NOR", ratified=date(2008, 12, 3))
    state_sections()  # the apps' own sections first
    monkeypatch.setitem(
        sections._SECTIONS, "extra", StateSection(app="extra", template="x.html", page=lambda s, u: {"x": s.iso3})
    )

    shown = page_sections(state, AnonymousUser())

    assert shown[-1].template == "x.html" and shown[-1].context == {"x": "NOR"}


def test_no_module_of_states_outside_its_tests_and_api_imports_an_app_above_it():
    root = Path(sections.__file__).parent
    for path in root.rglob("*.py"):
        if {"tests", "api", "migrations"} & set(path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert not name.startswith(tuple(f"coalition.{app}" for app in HIGHER_APPS)), (path, name)
