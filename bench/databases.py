"""The two database profiles every benchmark reports: SQLite (WAL) and the machine's PostgreSQL.

A database with demo data is made once and kept: generating the large volume takes minutes, and every
benchmark at that volume would otherwise pay it again. The kept copy is keyed by everything that decides
its content (the migrations, the reference and demo data code and files, the scale and the seed): SQLite's
file is copied from BENCH_CACHE_DIR (default var/bench-cache), PostgreSQL's database is made with
`CREATE DATABASE … TEMPLATE` from a template database named after the key. A change to any of those files
gives a new key, and the old copies of this benchmark database are removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.harness import ROOT, Server, bench_environment, gunicorn, log, manage, probe

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/coalition_bench")
CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR", str(ROOT / "var" / "bench-cache")))
SEED = 2008  # generate_demo_data's default


@dataclass
class Database:
    name: str
    environ: dict[str, str]
    var_dir: Path


def _content_key(demo_scale: str | None, demo_volumes: dict[str, int] | None = None) -> str:
    """What decides a prepared database's rows: migrations, reference and demo data code and files, scale or
    volumes, seed."""
    digest = hashlib.sha256(f"{demo_scale}|{sorted((demo_volumes or {}).items())}|{SEED}".encode())
    package = ROOT / "coalition"
    files = [
        *package.glob("*/migrations/*.py"),
        *package.glob("*/demo_data.py"),
        *package.glob("*/reference_data.py"),
        *package.glob("*/data/*"),
        *package.glob("*/management/commands/generate_demo_data.py"),
        *package.glob("*/management/commands/load_reference_data.py"),
        ROOT / "coalition" / "lib" / "rows.py",
    ]
    for path in sorted(files):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _recreate_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-q", "-c", sql], check=True, capture_output=True)


def _psql(admin_url: str, sql: str) -> str:
    result = subprocess.run(["psql", admin_url, "-qtA", "-c", sql], check=True, capture_output=True, text=True)
    return result.stdout


def _fill(kind: str, environ: dict[str, str], demo_scale: str | None, demo_volumes: dict[str, int] | None) -> None:
    log(f"[{kind}] migrating and loading reference data…")
    manage(environ, "migrate", "--noinput", "-v0")
    manage(environ, "load_reference_data", "-v0")
    if demo_volumes:
        log(f"[{kind}] generating demo data: {demo_volumes} (kept for the next run)…")
        options = [f"--{name.replace('_', '-')}={n}" for name, n in demo_volumes.items()]
        manage(environ, "generate_demo_data", *options, f"--seed={SEED}", "-v0")
    elif demo_scale:
        log(f"[{kind}] generating demo data at scale {demo_scale} (kept for the next run)…")
        manage(environ, "generate_demo_data", f"--scale={demo_scale}", f"--seed={SEED}", "-v0")


def _prepare_postgres(
    url: str, environ: dict[str, str], key: str, demo_scale: str | None, demo_volumes: dict[str, int] | None
) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    template = f"{name}_tpl_{key}"
    _psql(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
    like = f"SELECT datname FROM pg_database WHERE datname LIKE '{name}_tpl_%'"  # noqa: S608  our own name
    existing = _psql(admin_url, like).split()
    if template in existing:
        log(f"[postgresql] demo database kept from an earlier run ({template})")
        _psql(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return
    _psql(admin_url, f'CREATE DATABASE "{name}"')
    _fill("postgresql", environ, demo_scale, demo_volumes)
    for old in existing:
        _psql(admin_url, f'DROP DATABASE IF EXISTS "{old}"')
    _psql(admin_url, f'CREATE DATABASE "{template}" TEMPLATE "{name}"')


def _prepare_sqlite(
    var_dir: Path, environ: dict[str, str], key: str, demo_scale: str | None, demo_volumes: dict[str, int] | None
) -> None:
    kept = CACHE_DIR / f"sqlite-{key}.sqlite3"
    database = var_dir / "coalition.sqlite3"
    if kept.exists():
        log(f"[sqlite] demo database kept from an earlier run ({kept.name})")
        shutil.copyfile(kept, database)
        return
    _fill("sqlite", environ, demo_scale, demo_volumes)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for old in CACHE_DIR.glob("sqlite-*.sqlite3"):
        old.unlink()
    partial = kept.with_suffix(".partial")
    source, copy = sqlite3.connect(database), sqlite3.connect(partial)
    try:
        source.backup(copy)  # a consistent copy, the WAL included
    finally:
        source.close()
        copy.close()
    partial.rename(kept)


@contextmanager
def prepared(
    kind: str, *, demo_scale: str | None = None, demo_volumes: dict[str, int] | None = None
) -> Iterator[Database]:
    """A fresh, migrated database with the reference data (and demo data at `demo_scale`; with `demo_volumes`,
    only those volumes, e.g. {"casualties": 1_000_000}: the others are 0)."""
    with TemporaryDirectory(prefix="coalition-bench-") as tmp:
        var_dir = Path(tmp)
        url = POSTGRES_URL if kind == "postgresql" else ""
        environ = bench_environment(var_dir, url)
        key = _content_key(demo_scale, demo_volumes)
        if kind == "postgresql":
            _prepare_postgres(url, environ, key, demo_scale, demo_volumes)
        else:
            _prepare_sqlite(var_dir, environ, key, demo_scale, demo_volumes)
        manage(environ, "migrate", "--noinput", "-v0")  # nothing to do, unless a migration is new
        manage(environ, "collectstatic", "--noinput", "-v0")
        yield Database(name=kind, environ=environ, var_dir=var_dir)


def answering(databases: list[str], paths: list[str], *, demo_scale: str | None) -> Iterator[tuple[str, Server, str]]:
    """Each path on each database's server (gunicorn's defaults), leaving out with a log line those that answer
    with errors or non-2xx/3xx (a page whose app has not landed yet, a list that fails)."""
    for kind in databases:
        with prepared(kind, demo_scale=demo_scale) as database, gunicorn(database.environ) as server:
            for path in paths:
                if errors := probe(f"{server.url}{path}"):
                    log(f"[{kind}] {path}: {errors} errors or non-2xx/3xx answers, skipped")
                    continue
                yield kind, server, path
