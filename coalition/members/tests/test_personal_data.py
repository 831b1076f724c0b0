"""Members gives and erases what every app holds on a supporter, through each app's `personal_data` module,
without importing those apps."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from django.core.exceptions import ImproperlyConfigured

from coalition.core.audit import Actor
from coalition.core.personal_data import DataSubject, personal_data_modules
from coalition.members import personal_data as members_personal_data
from coalition.members import selectors, supporters
from coalition.members.models import Supporter
from coalition.members.tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def _supporter(**fields: Any) -> Supporter:
    return cast(Supporter, SupporterFactory(**fields))


def _fake(label: str, calls: list[Any], *, fail: bool = False, section: str | None = None) -> tuple[str, Any]:
    def erase(subject: DataSubject, now: Any) -> None:
        calls.append((label, subject.email))
        if fail:
            raise RuntimeError("the disk is full")

    def export(subject: DataSubject) -> dict[str, Any]:
        return {section or label: [subject.email]}

    return label, SimpleNamespace(erase=erase, export=export)


MEMBERS = ("members", members_personal_data)


def test_the_apps_that_hold_personal_data_each_have_a_module():
    found = dict(personal_data_modules())

    assert {"core", "members", "events", "letters"} <= set(found)
    assert all(callable(module.export) and callable(module.erase) for module in found.values())


def test_the_export_has_a_section_from_every_app_even_when_empty():
    data = selectors.supporter_data_export(_supporter(email="lina@example.org"))

    assert (data["emails"], data["event_replies"], data["letters"], data["mailing_lists"]) == ([], [], [], [])
    assert selectors.supporter_data_templates() == [
        "events/includes/personal_data.html",
        "letters/includes/personal_data.html",
        "mailings/includes/personal_data.html",
    ]


def test_erasure_calls_every_app_with_the_persons_address(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(
        supporters, "personal_data_modules", lambda: [MEMBERS, _fake("one", calls), _fake("two", calls)]
    )
    supporter = _supporter(email="lina@example.org")

    supporters.supporter_erase(supporter=supporter, by=Actor.SUBJECT)

    assert calls == [("one", "lina@example.org"), ("two", "lina@example.org")]
    assert Supporter.objects.get().email is None


def test_erasure_is_all_or_nothing_across_the_apps(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(
        supporters, "personal_data_modules", lambda: [MEMBERS, _fake("one", calls), _fake("two", calls, fail=True)]
    )
    supporter = _supporter(email="lina@example.org", name="Lina")

    with pytest.raises(RuntimeError):
        supporters.supporter_erase(supporter=supporter, by=Actor.SUBJECT)

    supporter.refresh_from_db()
    assert (supporter.email, supporter.name, supporter.status) == ("lina@example.org", "Lina", "confirmed")


def test_two_apps_exporting_the_same_section_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(
        selectors, "personal_data_modules", lambda: [_fake("one", calls, section="x"), _fake("two", calls, section="x")]
    )

    with pytest.raises(ImproperlyConfigured, match="two.personal_data"):
        selectors.supporter_data_export(_supporter())
