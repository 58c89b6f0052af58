"""Real-browser fixtures: a ``streamlit run`` server on 127.0.0.1 and Debian's Chromium via Playwright.

Tests here skip, saying why, when Chromium or Playwright is missing; ``.ci/run`` installs both.
Playwright never downloads a browser here: it drives ``/usr/bin/chromium`` (docs/design.md).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("EQUALITY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """A ``streamlit run app.py`` process on a free local port, stopped when the test is done."""

    def __init__(self, store_url: str, tmp_path: Path, extra_env: dict[str, str] | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "EQUALITY_DB_URL": store_url, **(extra_env or {})}
        self.log_path = tmp_path / f"streamlit-{self.port}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=PROJECT_ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not become healthy in {timeout} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("browser tests need the playwright package (requirements-dev.txt)")
    return CHROMIUM


@pytest.fixture
def start_server(private_store_url, tmp_path):
    """Start a fresh server (each call a new process) on the test's own copy of the tiny store, so no
    other process ever writes (sign-ins, sessions) to the store this worker's tests read; all are
    stopped after the test."""
    servers: list[StreamlitServer] = []

    def start(**extra_env: str) -> StreamlitServer:
        server = StreamlitServer(private_store_url, tmp_path, extra_env)
        servers.append(server)
        server.wait_until_healthy()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def browser_page(chromium_path, tmp_path, monkeypatch):
    """A Playwright page in a fresh Chromium profile; no request leaves the machine."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=chromium_path,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(30_000)
        yield page
        context.close()


def save_screenshot(page, name: str) -> Path:
    """Save a screenshot as a test artefact (test-artifacts/, git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.wait_for_timeout(1500)  # let skeletons (metrics, tables) finish rendering
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_one(locator, timeout: float = 30_000) -> None:
    """Wait until exactly one element matches: while a run redraws, Streamlit can briefly show the
    previous run's copy of an element beside the new one."""
    from playwright.sync_api import expect

    expect(locator).to_have_count(1, timeout=timeout)


def browser_sign_in(page, base_url: str, username: str, password: str | None = None) -> None:
    """Open the app and sign in through the form (demo passwords are demo-<username>)."""
    page.goto(base_url)
    wait_for_one(page.get_by_role("textbox", name="Username"))
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(
        password if password is not None else f"demo-{username}"
    )
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def pytest_collection_modifyitems(items):
    """Browser tests share one xdist worker (``--dist loadgroup``), one after another: each starts its own
    server and Chromium, and two at once on a two-core machine would starve each other."""
    for item in items:
        if item.get_closest_marker("browser") or "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.xdist_group("browser"))
