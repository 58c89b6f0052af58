"""Shared parts of the page and concurrency benchmarks: demo stores, logins, a ``streamlit run`` server,
and a Chromium page's time to idle and bytes received (Playwright, async API).

Not a benchmark itself. ``bench_pages.py`` and ``bench_concurrency.py`` import it.

*Idle* means: the server has sent ``script_finished`` for the run the navigation started, no
websocket frame has arrived and no HTTP request has been in flight for ``QUIET_SECONDS``, and the
"Running…" status widget is gone. Time to idle is measured to the last frame or request, not to the
end of the quiet window. Bytes are the websocket frame payloads the browser received (Streamlit's
protobuf ``ForwardMsg``\\s, as delivered to the page: after any transport decompression).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, StreamlitServer  # noqa: E402

#: demo login of each role (components.access, data.users.seed_demo_users)
USERNAMES = {"board": "board", "equality_lead": "equality", "champion": "champion"}
QUIET_SECONDS = 0.5
#: the status widget's text, read in one step (the widget may vanish between two Playwright calls)
STATUS_TEXT = "() => document.querySelector('[data-testid=\"stStatusWidget\"]')?.innerText ?? ''"
EXCEPTIONS = "() => [...document.querySelectorAll('[data-testid=\"stException\"]')].map(e => e.innerText)"
#: text on screen that means a page failed
ERROR_TEXTS = ("Page not found", "Something went wrong", "You do not have access", "The data store did not answer",
               "The data store is not available", "The dashboard is not configured", "The server could not read",
               "not ready to show figures", "Traceback")  # fmt: skip


def bench_password(username: str) -> str:
    return f"bench-{username}-password"


def prepare_logins(url: str, usernames: list[str] | None = None) -> None:
    """Give each demo login a benchmark password: published demo passwords only work in an embedded
    SQLite demo store, and the benchmark also signs in on PostgreSQL."""
    from data.store import make_engine
    from data.users import reset_password

    engine = make_engine(url)
    try:
        for username in usernames or list(USERNAMES.values()):
            reset_password(engine, username, bench_password(username), actor="benchmark")
    finally:
        engine.dispose()


def server_env(url: str) -> dict[str, str]:
    """Environment for the app (AppTest or ``streamlit run``) on a benchmark store."""
    return {
        "EQUALITY_DB_URL": url,
        "EQUALITY_COOKIE_KEY": os.environ.get("EQUALITY_COOKIE_KEY") or secrets.token_urlsafe(48),
        "EQUALITY_LOGIN_SLEEP_SECONDS": "0",
    }


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, in seconds (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_server_quiet(pid: int, quiet: float = 1.0, timeout: float = 300) -> float:
    """Wait until the server process has used no CPU for ``quiet`` seconds (its background warm-up of the
    landing views has finished, as on a server that has been up a while); returns the seconds waited."""
    started = time.perf_counter()
    last, still_since = cpu_seconds(pid), time.perf_counter()
    while time.perf_counter() - started < timeout:
        await asyncio.sleep(0.2)
        now = cpu_seconds(pid)
        if now - last > 0.02:
            last, still_since = now, time.perf_counter()
        elif time.perf_counter() - still_since >= quiet:
            break
    return time.perf_counter() - started


class Server:
    """``streamlit run app.py`` on a free loopback port (the browser tests' server), on a given store."""

    def __init__(self, url: str, env: dict[str, str]):
        self._folder = tempfile.TemporaryDirectory(prefix="equality-bench-")
        self._server = StreamlitServer(url, Path(self._folder.name), env)
        self.url = self._server.url
        self.pid = self._server.process.pid
        self.log_path = self._server.log_path

    def __enter__(self) -> Server:
        self._server.wait_until_healthy(timeout=120)
        return self

    def __exit__(self, *exc) -> None:
        self._server.stop()
        self._folder.cleanup()

    def rss_mb(self) -> float:
        return rss_mb(self.pid)


@dataclass
class Traffic:
    """What one Playwright page receives: websocket frames (bytes, ``script_finished`` messages) and
    HTTP requests in flight, with the time of the last activity."""

    received: int = 0
    finished_runs: int = 0
    not_found: int = 0
    last_activity: float = field(default_factory=time.perf_counter)
    in_flight: set = field(default_factory=set)

    def attach(self, page) -> Traffic:
        page.on("websocket", lambda socket: socket.on("framereceived", self._frame))
        page.on("request", self._request_started)
        page.on("requestfinished", self._request_ended)
        page.on("requestfailed", self._request_ended)
        return self

    def mark(self) -> tuple[int, int, int]:
        """Counters now, to measure one navigation from."""
        return self.received, self.finished_runs, self.not_found

    def _frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        data = payload if isinstance(payload, bytes) else payload.encode()
        self.received += len(data)
        self.last_activity = time.perf_counter()
        message = ForwardMsg()
        try:
            message.ParseFromString(data)
        except Exception:  # not a ForwardMsg: count its bytes only
            return
        kind = message.WhichOneof("type")
        if kind == "script_finished":
            self.finished_runs += 1
        elif kind == "page_not_found":
            self.not_found += 1

    def _request_started(self, request) -> None:
        if request.url.startswith(("http:", "https:")):  # not the websocket, blob: workers or data: URLs
            self.in_flight.add(request)
            self.last_activity = time.perf_counter()

    def _request_ended(self, request) -> None:
        self.in_flight.discard(request)
        self.last_activity = time.perf_counter()


async def wait_idle(
    page, traffic: Traffic, started: float, since: tuple[int, int, int], timeout: float = 300
) -> float:
    """Seconds from ``started`` to the last activity before the page went idle (see module docstring)."""
    runs_before = since[1]
    deadline = started + timeout
    while time.perf_counter() < deadline:
        now = time.perf_counter()
        quiet = (traffic.finished_runs > runs_before and not traffic.in_flight
                 and now - traffic.last_activity >= QUIET_SECONDS)  # fmt: skip
        # while a run is going the widget shows "Running…" and a Stop button; idle, it is empty
        if quiet and not (await page.evaluate(STATUS_TEXT)).strip():
            return traffic.last_activity - started
        await page.wait_for_timeout(50)
    raise TimeoutError(f"page not idle after {timeout:.0f} s")


async def screen_error(page, traffic: Traffic, since: tuple[int, int, int]) -> str | None:
    """Text of an error on screen (exception, refusal, "Page not found"), or None."""
    if traffic.not_found > since[2]:
        return "Page not found"
    exceptions = await page.evaluate(EXCEPTIONS)
    if exceptions:
        return exceptions[0].strip()[:200]
    body = await page.evaluate("() => document.body.innerText")
    for text in ERROR_TEXTS:
        if text in body:
            line = next((line for line in body.splitlines() if text in line), text)
            return line.strip()[:200]
    return None


@dataclass
class Visit:
    seconds: float
    received: int
    error: str | None
    waited: float = 0.0  # before a sign-in: seconds waited for the server to be quiet


async def open_page(page, traffic: Traffic, url: str, timeout: float = 300) -> Visit:
    """Navigate to ``url`` and wait until idle: seconds, bytes received, error on screen."""
    since = traffic.mark()
    started = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=timeout * 1000)
    seconds = await wait_idle(page, traffic, started, since, timeout)
    return Visit(seconds, traffic.received - since[0], await screen_error(page, traffic, since))


async def sign_in(
    page,
    traffic: Traffic,
    base_url: str,
    username: str,
    password: str | None = None,
    timeout: float = 300,
    server_pid: int | None = None,
) -> Visit:
    """Sign in through the form (default password: :func:`bench_password`); the visit is from the click
    to the landing page idle. With ``server_pid``, the click waits until that server is quiet (its
    warm-up done); the seconds waited are the visit's ``waited``."""
    page.set_default_timeout(timeout * 1000)  # a busy server: Playwright's 30 s is too short for a first load
    await page.goto(base_url, timeout=timeout * 1000)
    await page.get_by_role("textbox", name="Username").wait_for(timeout=timeout * 1000)
    await page.get_by_role("textbox", name="Username").fill(username)
    await page.get_by_role("textbox", name="Password").fill(password or bench_password(username))
    await wait_idle(page, traffic, time.perf_counter(), (0, 0, 0), timeout)
    waited = 0.0 if server_pid is None else await wait_server_quiet(server_pid, timeout=timeout)
    since = traffic.mark()
    started = time.perf_counter()
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Sign out").wait_for(timeout=timeout * 1000)
    seconds = await wait_idle(page, traffic, started, since, timeout)
    return Visit(seconds, traffic.received - since[0], await screen_error(page, traffic, since), waited)


async def launch(playwright):
    """Debian's Chromium, headless, as the browser tests run it."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set EQUALITY_CHROMIUM)"
        )
    return await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)


def build_store(url: str, scale: str, seed: int = 2021) -> None:
    """Build the synthetic demo trust into ``url`` with this checkout's ``python -m data.demo``."""
    subprocess.run([sys.executable, "-m", "data.demo", "--scale", scale, "--seed", str(seed), "--url", url,
                    "--replace"], cwd=ROOT, check=True)  # fmt: skip


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
