"""The project's own processes, started in tests the way the Procfile says (deploy/systemd runs the same lines).

Each process starts in a session of its own, so a SIGKILL stops it with anything it started (a gunicorn
master and its workers), the way a machine or a container dies; every process still running at the end is
stopped, and each one's stderr is kept in a file that a failing test can show.
"""

from __future__ import annotations

import http.client as http_client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROCFILE = ROOT / "Procfile"
_VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")


def procfile() -> dict[str, str]:
    """The Procfile's commands by process kind."""
    commands = {}
    for line in PROCFILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            kind, command = line.split(":", 1)
            commands[kind.strip()] = command.strip()
    return commands


def commands(kind: str, env: dict[str, str]) -> list[list[str]]:
    """The Procfile's line for `kind` as the commands it chains with `&&`, ${VAR:-default} filled from `env`."""
    line = _VARIABLE.sub(lambda m: env.get(m[1] or m[3]) or (m[2] or ""), procfile()[kind])
    return [_with_this_python(shlex.split(part)) for part in line.split("&&")]


def command(kind: str, env: dict[str, str], *extra: str) -> list[str]:
    """The Procfile's (one-command) line for `kind`, run by this test's Python."""
    (words,) = commands(kind, env)
    return [*words, *extra]


def _with_this_python(words: list[str]) -> list[str]:
    if words[0] == "python":
        words = [sys.executable, *words[1:]]
    elif words[0] == "gunicorn":
        words = [sys.executable, "-m", "gunicorn", *words[1:]]
    return words


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], object], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.2)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects())
CSRF_TOKEN = "processtestprocesstestprocesstes"  # noqa: S105  the 32 characters a browser's cookie would carry


def http(url: str, form: Mapping[str, object] | None = None) -> tuple[int, str]:
    """GET, or POST `form` as a browser would (CSRF cookie and field); returns status and body, redirects
    not followed."""
    headers = {"Cookie": f"csrftoken={CSRF_TOKEN}"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF_TOKEN, **form}, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310  the test's own server
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def body_or_nothing(url: str) -> str:
    """For polling: the page, or "" while the server is too busy to answer (a refused or reset connection)."""
    try:
        return http(url)[1]
    except (OSError, http_client.HTTPException):
        return ""


class Processes:
    """Started processes, stopped at the end (SIGTERM, then SIGKILL) whatever happens in between."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
        )
        self.started.append((name, process))
        return process

    def web(self, name: str, env: dict[str, str]) -> str:
        """A web process as the Procfile runs it, on a free port; returns its address once it answers."""
        port = free_port()
        process = self.start(name, command("web", {**env, "PORT": str(port)}), env)
        url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"{name} stopped:\n{self.log(name)}")
            try:
                return http(f"{url}/healthz")[0] == 200
            except (OSError, http_client.HTTPException):
                return False

        wait_until(answers, timeout=30, what=f"{name} to answer")
        return url

    def worker(self, name: str, env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
        return self.start(name, command("worker", env, *extra), env)

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL, as a machine that loses power: no clean-up runs."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)}" for name, _process in self.started)

    def stop_all(self) -> None:
        running = [process for _name, process in self.started if process.poll() is None]
        for process in running:
            os.killpg(process.pid, signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_all()
