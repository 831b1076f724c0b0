"""`make run` on a fresh data directory: answers / and /healthz, stops on Ctrl-C, keeps data on a second run."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from coalition.core.tests.processes import ROOT, free_port

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")]


def start_make_run(var_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "VAR_DIR": str(var_dir), "PORT": str(port), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    argv = ["make", "--no-print-directory", "run"]
    # Its own session, so Ctrl-C can be sent to the whole group as a terminal would.
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )


def wait_for(url: str, process: subprocess.Popen[str], timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run exited early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  local test server
                return response.status
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def ctrl_c(process: subprocess.Popen[str]) -> str:
    os.killpg(process.pid, signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    return output


def count_users(var_dir: Path) -> int:
    with sqlite3.connect(var_dir / "coalition.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0]


def test_make_run_serves_the_site_stops_on_ctrl_c_and_keeps_data_on_a_second_run(tmp_path):
    port = free_port()
    first = start_make_run(tmp_path, port)
    try:
        # A fresh database runs every migration and loads the reference data first: minutes on a busy machine.
        assert wait_for(f"http://127.0.0.1:{port}/healthz", first, timeout=300) == 200
        assert wait_for(f"http://127.0.0.1:{port}/", first) == 200
        # Visitors' pages, not Django's debug pages: the site's own 404, and the static files still served.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/no-such-page/", timeout=10)  # noqa: S310
        assert missing.value.code == 404
        not_found = missing.value.read().decode()
        assert "<h1>Page introuvable</h1>" in not_found and "URLconf" not in not_found
        stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', not_found)
        assert stylesheet is not None
        assert wait_for(f"http://127.0.0.1:{port}{stylesheet.group(1)}", first) == 200
    finally:
        first_output = ctrl_c(first)
    assert "password:" in first_output
    users_after_first_run = count_users(tmp_path)
    # Both the web server and the worker are gone: no process of the group is left.
    with pytest.raises(ProcessLookupError):
        os.killpg(first.pid, 0)

    second = start_make_run(tmp_path, port)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz", second) == 200
    finally:
        second_output = ctrl_c(second)
    assert "password:" not in second_output, "the administrator's login is printed on the first run only"
    assert count_users(tmp_path) == users_after_first_run


def site_url_with(**environ: str) -> str:
    clean = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORT"}}
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={**clean, **environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_links_in_e_mails_point_at_the_port_make_run_serves_on():
    assert site_url_with(PORT="8080") == "http://127.0.0.1:8080"
    assert site_url_with() == "http://127.0.0.1:8000"
    assert site_url_with(PORT="8080", SITE_URL="https://campaign.example.org/") == "https://campaign.example.org"


def test_serve_gives_its_port_to_the_web_server_and_the_worker(monkeypatch):
    from coalition.core.management.commands import serve

    started: list[dict[str, str]] = []

    class StoppedAtOnce:
        def __init__(self, command: list[str], env: dict[str, str]) -> None:
            started.append(env)

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setattr(serve.subprocess, "Popen", StoppedAtOnce)
    monkeypatch.setattr(serve.settings, "STATIC_FROM_SOURCE", True)
    call_command_quietly = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    call_command_quietly.handle(port=8123, host="127.0.0.1")
    assert [env["PORT"] for env in started] == ["8123", "8123"]
