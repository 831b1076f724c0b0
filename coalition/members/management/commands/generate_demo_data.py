"""Fill the database with synthetic volume for development and benchmarks."""

from __future__ import annotations

import random
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from coalition.core.discovery import app_modules

SCALES = ("small", "large")


def demo_modules() -> list[tuple[str, ModuleType]]:
    """Each coalition app may have a `demo_data` module with VOLUMES and generate(volumes=, rng=, log=)."""
    return app_modules("demo_data")


class Command(BaseCommand):
    help = (
        "Generate synthetic data (names start with 'Demo', e-mails end in @example.invalid) for development "
        "and benchmarks. Never run it on a production database. Choose a --scale (small, the default, or "
        "large: 500 organisations, 100,000 supporters…) and override any volume, e.g. --organisations 10. "
        "Same --seed, same data; records already there are kept, so running it twice adds nothing. "
        "Apps add their own volumes with a `demo_data` module: VOLUMES = {name: {'small': n, 'large': n, "
        "'help': text}} and generate(*, volumes, rng, log) -> summary; each volume becomes an option."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default=None,
            help="Volume of everything (default small; with explicit volumes only, the others are 0).",
        )
        parser.add_argument("--seed", type=int, default=2008, help="Random seed (default 2008).")
        seen: set[str] = set()
        for label, module in demo_modules():
            for name, volume in module.VOLUMES.items():
                if name in seen:
                    raise CommandError(f"{label}.demo_data: volume {name!r} is declared by two apps")
                seen.add(name)
                parser.add_argument(
                    f"--{name.replace('_', '-')}",
                    dest=name,
                    type=int,
                    default=None,
                    help=f"Number of {volume['help']} (small {volume['small']}, large {volume['large']}).",
                )

    def handle(self, *args: Any, **options: Any) -> None:
        def log(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(message)

        rng = random.Random(options["seed"])  # noqa: S311  synthetic data, not security
        if connection.vendor == "sqlite":
            # A million rows land in tables with several indexes each: with SQLite's default 2 MB page cache,
            # most index inserts read a page back from the file. 256 MB for this connection only.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        modules = demo_modules()
        explicit = any(options.get(name) is not None for _label, module in modules for name in module.VOLUMES)
        # `--organisations 10` alone means just that; `--scale` (or nothing at all) fills every volume.
        scale = options["scale"] or (None if explicit else "small")
        for label, module in modules:
            volumes = {
                name: options[name] if options.get(name) is not None else (volume[scale] if scale else 0)
                for name, volume in module.VOLUMES.items()
            }
            if any(n < 0 for n in volumes.values()):
                raise CommandError("Volumes cannot be negative.")
            log(f"{label}: generating {', '.join(f'{n} {name}' for name, n in volumes.items())}…")
            with transaction.atomic():
                summary = module.generate(volumes=volumes, rng=rng, log=log)
            log(self.style.SUCCESS(f"{label}: {summary}"))
