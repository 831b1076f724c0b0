"""Find the optional per-app modules (reference_data, demo_data, schedule, bounces) of the coalition apps."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """(app label, module) of every coalition app that has a `<app>.<name>` module, in INSTALLED_APPS order.

    A module that is missing is skipped; one that fails to import for another reason raises.
    """
    found = []
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("coalition."):
            continue
        dotted = f"{app_config.name}.{name}"
        try:
            found.append((app_config.label, import_module(dotted)))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return found
