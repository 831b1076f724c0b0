"""The systemd units in deploy/ run what the Procfile says, which is what the multi-process test starts."""

from __future__ import annotations

import re
import shlex

from coalition.core.tests.processes import ROOT, procfile

SYSTEMD = ROOT / "deploy" / "systemd"
VENV_BIN = "/srv/coalition/app/.venv/bin/"


def exec_starts(unit: str) -> list[list[str]]:
    lines = (SYSTEMD / unit).read_text().splitlines()
    return [shlex.split(line.split("=", 1)[1].replace(VENV_BIN, "")) for line in lines if line.startswith("ExecStart=")]


def procfile_commands(kind: str) -> list[list[str]]:
    # ${PORT:-8000} in the Procfile is ${PORT} in a unit, whose environment file always sets it.
    line = re.sub(r"\$\{(\w+):-[^}]*\}", r"${\1}", procfile()[kind])
    return [shlex.split(part) for part in line.split("&&")]


def test_the_web_unit_runs_the_procfiles_web_line():
    assert exec_starts("coalition-web.service") == procfile_commands("web")


def test_the_worker_unit_runs_the_procfiles_worker_line():
    assert exec_starts("coalition-worker@.service") == procfile_commands("worker")


def test_the_release_unit_runs_the_procfiles_release_steps_in_order():
    assert exec_starts("coalition-release.service") == procfile_commands("release")


def test_the_example_environment_sets_what_the_units_read():
    example = (ROOT / "deploy" / "coalition.env.example").read_text()
    assert re.search(r"^HOST=", example, re.M) and re.search(r"^PORT=", example, re.M)
    assert re.search(r"^VAR_DIR=/srv/coalition/var$", example, re.M)
