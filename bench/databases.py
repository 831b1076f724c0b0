"""The two database profiles every benchmark reports: SQLite (WAL) and the machine's PostgreSQL."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.harness import bench_environment, log, manage

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/coalition_bench")


@dataclass
class Database:
    name: str
    environ: dict[str, str]
    var_dir: Path


def _recreate_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-q", "-c", sql], check=True, capture_output=True)


@contextmanager
def prepared(
    kind: str, *, demo_scale: str | None = None, demo_volumes: dict[str, int] | None = None
) -> Iterator[Database]:
    """A fresh, migrated database with the reference data (and demo data at `demo_scale`; with `demo_volumes`,
    only those volumes, e.g. {"casualties": 1_000_000}: the others are 0)."""
    with TemporaryDirectory(prefix="coalition-bench-") as tmp:
        var_dir = Path(tmp)
        url = ""
        if kind == "postgresql":
            url = POSTGRES_URL
            _recreate_postgres(url)
        environ = bench_environment(var_dir, url)
        log(f"[{kind}] migrating and loading reference data…")
        manage(environ, "migrate", "--noinput", "-v0")
        manage(environ, "load_reference_data", "-v0")
        manage(environ, "collectstatic", "--noinput", "-v0")
        if demo_volumes:
            log(f"[{kind}] generating demo data: {demo_volumes}…")
            options = [f"--{name.replace('_', '-')}={n}" for name, n in demo_volumes.items()]
            manage(environ, "generate_demo_data", *options, "-v0")
        elif demo_scale:
            log(f"[{kind}] generating demo data at scale {demo_scale}…")
            manage(environ, "generate_demo_data", f"--scale={demo_scale}", "-v0")
        yield Database(name=kind, environ=environ, var_dir=var_dir)
