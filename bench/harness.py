"""Side-by-side measurement: subject (A) and baseline (B) interleaved A B A B in one run.

Rules from BENCHMARKS.md: at least five pairs after a warm-up, the median ratio with its
min–max spread, a native load generator (wrk), both arms on the same server. Nothing here
fails on a time; results are written to docs/benchmarks.md.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable

# wrk reports p50/p95/p99 through this script's done() hook.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("p50_us %d\\np95_us %d\\np99_us %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    # The parts of `errors`: requests wrk gave up on after its --timeout, and answers outside 2xx/3xx.
    timeouts: int = 0
    non_2xx: int = 0


@dataclass
class Comparison:
    """One row of a section: A and B measured side by side, round after round, and each round's A ÷ B."""

    name: str
    subject: str
    baseline: str
    unit: str = "req/s"
    goal: str = ""
    rounds: list[tuple[float, float]] = field(default_factory=list)  # (A, B) of each round

    def add(self, a: float, b: float) -> float:
        """Record one round; its ratio A ÷ B."""
        self.rounds.append((a, b))
        return a / b

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in self.rounds]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    def row(self) -> str:
        a, b = (statistics.median(values) for values in zip(*self.rounds, strict=True))
        return (
            f"| {self.name} | {self.subject} | {self.baseline} | {a:,.1f} | {b:,.1f} | {self.unit} "
            f"| **{self.median:.2f}×** ({min(self.ratios):.2f}–{max(self.ratios):.2f}) | {self.goal} |"
        )


def interleave(
    name: str,
    subject: str,
    baseline: str,
    measure_a: Callable[[], float],
    measure_b: Callable[[], float],
    *,
    pairs: int = 5,
    unit: str = "req/s",
    goal: str = "",
) -> Comparison:
    """Warm up both arms, then measure A and B alternately `pairs` times; the ratio is A ÷ B."""
    measure_a()
    measure_b()
    result = Comparison(name=name, subject=subject, baseline=baseline, unit=unit, goal=goal)
    for _ in range(pairs):
        a = measure_a()
        b = measure_b()
        ratio = result.add(a, b)
        log(f"  {name}: A={a:,.1f} B={b:,.1f} {unit} ratio={ratio:.2f}")
    return result


def log(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_environment(var_dir: Path, database_url: str = "") -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        DEBUG="false",
        PYTHONPATH=str(ROOT),
    )
    return environ


def manage(environ: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=environ, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@dataclass
class Server:
    url: str
    description: str
    pid: int  # gunicorn's master; its workers are its children


@contextmanager
def gunicorn(environ: dict[str, str], *, workers: int = 2, threads: int = 1) -> Iterator[Server]:
    """The project under gunicorn (sync workers by default), started and stopped around a benchmark."""
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "coalition.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--log-level=warning",
        "--backlog=2048",
    ]
    process = subprocess.Popen(command, env=environ, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/bench/ok", timeout=2):  # noqa: S310  local server
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    stderr = process.stderr.read() if process.stderr else ""
                    raise RuntimeError(f"gunicorn did not start: {stderr}") from None
                time.sleep(0.3)
        yield Server(url=url, description=f"gunicorn {workers} worker(s) × {threads} thread(s)", pid=process.pid)
    finally:
        stop(process, timeout=15)


def stop(process: subprocess.Popen[bytes], *, timeout: float) -> None:
    """SIGTERM, as a supervisor stops a service; SIGKILL if it has not exited within `timeout` seconds."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def wrk(
    url: str,
    *,
    seconds: float = 5,
    connections: int = 16,
    threads: int = 2,
    script: str | None = None,
    rate: float | None = None,
) -> Load:
    """Closed-loop load at a fixed concurrency; with `rate`, each connection paces itself to that total rate."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt install wrk")
    lua = WRK_REPORT + (script or "")
    if rate:
        delay_ms = connections * 1000.0 / rate
        lua += f"\ndelay = function() return {delay_ms:.3f} end\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua)
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout=10s",
                "-s",
                handle.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    percentiles = {key: int(value) / 1000 for key, value in re.findall(r"(p\d\d)_us (\d+)", output)}
    return Load(
        requests_per_s=rps,
        p50_ms=percentiles["p50"],
        p95_ms=percentiles["p95"],
        p99_ms=percentiles["p99"],
        errors=errors + (int(non_2xx.group(1)) if non_2xx else 0),
        timeouts=sum(int(n) for n in re.findall(r"timeout (\d+)", output)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def probe(url: str, *, script: str | None = None) -> int:
    """Errors and non-2xx/3xx answers in one second of one connection: does `url` answer before it is measured."""
    return wrk(url, seconds=1, connections=1, threads=1, script=script).errors


def load_average() -> str:
    """The machine's load (1, 5, 15 min), which a section reports because the cores are shared."""
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def by_database(databases: list[str], measures: list[tuple[str, list[str]]]) -> str:
    """A markdown table of named measures, one column per database."""
    return "\n".join(
        [
            f"| measure | {' | '.join(databases)} |",
            f"| --- |{' --- |' * len(databases)}",
            *(f"| {name} | {' | '.join(values)} |" for name, values in measures),
        ]
    )


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return (
        f"{os.cpu_count()} CPU ({cpu}), Python {platform.python_version()}, "
        f"commit {commit.strip() or 'unknown'}, {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC"
    )


def write_section(benchmark_id: str, body: str) -> None:
    """Replace this benchmark's section in docs/benchmarks.md, keeping the others."""
    header = (
        "# Benchmarks\n\nWritten by `make bench` (see bench/). Ratios are subject ÷ baseline measured side by side "
        "in one run; each section says which direction is better.\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else header
    start_marker, end_marker = f"<!-- {benchmark_id} -->", f"<!-- /{benchmark_id} -->"
    section = f"{start_marker}\n{body.strip()}\n{end_marker}"
    if start_marker in text:
        before, rest = text.split(start_marker, 1)
        after = rest.split(end_marker, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)
