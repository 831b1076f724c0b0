"""Find the optional per-app modules of the coalition apps.

- `reference_data`: `load(log=...)`, called by `manage.py load_reference_data`;
- `demo_data`: `VOLUMES` and `generate(volumes=, rng=, log=)`, for `manage.py generate_demo_data`;
- `schedule`: `JOBS`, the periodic jobs (coalition/core/scheduler.py);
- `personal_data`: what an app holds on a supporter, so members (which imports no other app) can give
  it all and erase it all: `export(supporter) -> dict` (JSON-ready sections added to the supporter's
  download), `erase(supporter, now) -> None` (called inside the erasure's transaction, before the
  supporter's own row is blanked, so `supporter.email` still says who they were) and, optionally,
  `TEMPLATE`, a partial that shows the app's sections on the supporter's "your data" page;
- `bounces`: `bounce_handle(bounce) -> list[BounceMatch]`, what a bounce message is about
  (coalition/core/services.py `bounce_process`, docs/decisions/0503-bounces.md).
"""

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
