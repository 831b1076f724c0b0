"""Find the optional per-app modules of the coalition apps.

- `reference_data`: `load(log=...)`, called by `manage.py load_reference_data`;
- `demo_data`: `VOLUMES` and `generate(volumes=, rng=, log=)`, for `manage.py generate_demo_data`;
- `schedule`: `JOBS`, the periodic jobs (coalition/core/scheduler.py);
- `personal_data`: what an app holds on a person (a supporter, or a guest who only replied to an event), so
  members (which imports no other app) can give it all and erase it all; the contract is the `PersonalData`
  protocol of coalition/core/personal_data.py, and `personal_data_modules()` finds them. Each takes a
  `coalition.core.personal_data.DataSubject` (the address, and the supporter row or None):
  `export(subject) -> dict` (JSON-ready sections added to the person's download), `erase(subject, now)`
  (called inside the erasure's transaction) and, optionally, `TEMPLATE`, a partial that shows the app's
  sections on the "your data" page, and `subject_reference(email) -> str | None` /
  `subject_address(reference) -> str`, a record a guest's data link is tied to (decision 0103);
- `bounces`: `bounce_handle(bounce) -> list[BounceMatch]`, what a bounce message is about
  (coalition/core/services.py `bounce_process`, docs/decisions/0503-bounces.md), and optionally
  `mail_handle(message) -> list[BounceMatch]`, what a message of the same mailbox that is not a bounce asks
  for (a reply to a List-Unsubscribe mailto address, coalition/mailings/bounces.py).
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
