"""Benchmark of every page per role: server time, Chromium time to idle, bytes sent (issue 16).

Cold and warm server time, time to idle in Chromium and bytes sent to the browser, at default and large
scale, on SQLite and PostgreSQL, with the growth large/default and the ratio to a one-scan floor.

Run (one line; ``--build`` first builds each store with this checkout's ``python -m data.demo``):

    python benchmarks/bench_pages.py --build --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        --output bench-pages.md

Options: ``--pages overview access …``, ``--roles board equality_lead champion``, ``--backends sqlite
postgresql``, ``--scales default large``, ``--repeat 3`` (medians), ``--browser-repeat N`` (warm Chromium
visits, default ``--repeat``), ``--no-browser``, ``--no-server``,
``--store-dir DIR`` (SQLite stores ``DIR/<scale>.db``, default ``$TMPDIR/equality-bench``),
``--pg-db-prefix P`` (PostgreSQL databases ``P<scale>`` on the server of ``--pg-url``, default
``equality_bench_``), ``--json FILE`` (raw results, written as each store finishes), ``--from-json FILE …``
(print the report of earlier runs, merged, without measuring). Without ``--build`` the stores must exist.

What is measured, per (backend, scale) in a fresh worker process:

- **cold**: server time of one run of ``app.py`` with the page selected (``streamlit.testing.v1.AppTest``,
  signed in as the role, as ``tests/app`` do) right after ``st.cache_data.clear()``: empty query cache,
  engine and connections kept, and views published once per store load kept (``reports.common.kept_per_load``).
  The app's warm-up (``reports.warmup``) publishes the landing views while the role signs in; any other
  view is published by the first repeat, so with ``--repeat 1`` its cold time includes publishing.
  **warm**: the same run again, cache filled. Medians of ``--repeat``.
- **Chromium**: a fresh ``streamlit run`` server per role (empty cache) and Debian's Chromium via
  Playwright. *cold* is the first visit of each page (the landing page's is from the Sign in click, so it
  includes the password check; the click waits until the server is quiet, its background warm-up of the
  landing views done, as on a server that has been up for a while; the report gives the wait); *warm* the median of ``--repeat`` further visits. Each visit is a full
  navigation to ``/<page>`` (the landing page: ``/``; the app shell comes from the browser's cache) and
  lasts until idle: see
  ``benchmarks/harness.py``. **KB** is the websocket payload the browser received on the cold visit.
- **floor**: one grouped pass over referral, mha_episode and restrictive_intervention joined to person
  (median of ``--repeat``); ``÷floor`` is cold server time over it.
- **growth**: large over default, cold server time.

Not a timed test: targets (issue 16) are cold ≤ 1.0 s (default) and ≤ 2.0 s (large) on SQLite, warm ≤ 0.3 s,
Chromium ≤ 2 s at default, growth ≤ 2×, PostgreSQL no slower than SQLite. Run it on a quiet machine and
note the load (``uptime``); the report prints it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    ROOT,
    USERNAMES,
    Server,
    Traffic,
    bench_password,
    build_store,
    launch,
    median,
    open_page,
    prepare_logins,
    server_env,
    sign_in,
)

DATA_PAGES = ["overview", "home", "areas", "access", "pcref", "workforce", "my_team", "methods"]
FLOOR_SQL = """
SELECT events.kind, person.ethnic_category, COUNT(*) AS n
FROM (SELECT 'referral' AS kind, person_id FROM referral
      UNION ALL SELECT 'mha', person_id FROM mha_episode
      UNION ALL SELECT 'restraint', person_id FROM restrictive_intervention) AS events
JOIN person ON person.id = events.person_id
GROUP BY events.kind, person.ethnic_category
"""


# --------------------------------------------------------------------------- worker (one store)


def allowed_pages(role: str, pages: list[str]) -> list[str]:
    from components.access import may_open

    return [page for page in pages if may_open(role, page)]


def floor_seconds(url: str, repeat: int) -> float:
    from sqlalchemy import text

    from data.store import make_engine

    engine = make_engine(url)
    times = []
    try:
        with engine.connect() as connection:
            for _ in range(repeat):
                started = time.perf_counter()
                connection.execute(text(FLOOR_SQL)).fetchall()
                times.append(time.perf_counter() - started)
    finally:
        engine.dispose()
    return median(times)


def screen_problem(at) -> str | None:
    """An exception, an error box or the health check's "not ready" on the page: its timing is not a page's."""
    if at.exception:
        return str(at.exception[0].value)[:200]
    boxes = [box.value for box in at.error] + [box.value for box in at.warning if "not ready" in box.value]
    return str(boxes[0])[:200] if boxes else None


def server_times(roles: list[str], pages: list[str], repeat: int) -> dict:
    """Cold and warm AppTest runs per role and page (the environment already names the store)."""
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    # as tests/conftest.py: AppTest would otherwise skip the entry point (and sign-in) on reruns
    original_init = PagesManager.__init__

    def init_without_pages_directory(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init_without_pages_directory
    results: dict = {}
    for role in roles:
        username = USERNAMES[role]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        at.run()
        at.text_input[0].input(username)
        at.text_input[1].input(bench_password(username))
        at.button[0].click()
        at.run()
        at.run()
        for page in allowed_pages(role, pages):
            cold, warm, error = [], [], None
            for _ in range(repeat):
                st.cache_data.clear()
                at._page_hash = calc_hash(page)
                started = time.perf_counter()
                at.run()
                cold.append(time.perf_counter() - started)
                started = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - started)
                error = screen_problem(at) or error
            results[f"{role}/{page}"] = {"cold": median(cold), "warm": median(warm), "error": error}
            print(
                f"  server {role}/{page}: cold {median(cold):.2f} s, warm {median(warm):.2f} s",
                file=sys.stderr,
            )
    return results


async def browser_times(url: str, roles: list[str], pages: list[str], repeat: int) -> dict:
    from playwright.async_api import async_playwright

    from components.access import DEFAULT_PAGE

    results: dict = {}
    env = server_env(url)
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        for role in roles:
            with Server(url, env) as server:
                context = await browser.new_context(viewport={"width": 1400, "height": 1000})
                page = await context.new_page()
                traffic = Traffic().attach(page)
                landing = await sign_in(page, traffic, server.url, USERNAMES[role], server_pid=server.pid)
                visits = {DEFAULT_PAGE[role]: [landing]}
                todo = allowed_pages(role, pages)

                # the landing page is the root (older versions answer it only there)
                address = {
                    name: f"{server.url}/{'' if name == DEFAULT_PAGE[role] else name}" for name in todo
                }
                for name in todo:  # first visits: cold
                    if name not in visits:
                        visits[name] = [await open_page(page, traffic, address[name])]
                for _ in range(repeat):
                    for name in todo:
                        visits[name].append(await open_page(page, traffic, address[name]))
                for name in todo:
                    first, *again = visits[name]
                    errors = [visit.error for visit in visits[name] if visit.error]
                    results[f"{role}/{name}"] = {
                        "cold": first.seconds, "warm": median([v.seconds for v in again]),
                        "kb": first.received / 1024, "error": errors[0] if errors else None,
                        "landing": name == DEFAULT_PAGE[role], "warm_up": landing.waited,
                    }  # fmt: skip
                    print(f"  chromium {role}/{name}: cold {first.seconds:.2f} s, "
                          f"{first.received / 1024:.0f} KB", file=sys.stderr)  # fmt: skip
                await context.close()
        await browser.close()
    return results


def worker(args: argparse.Namespace) -> None:
    os.chdir(ROOT)
    prepare_logins(args.url, [USERNAMES[role] for role in args.roles])
    os.environ.update(server_env(args.url))
    result = {"floor": floor_seconds(args.url, args.repeat)}
    if not args.no_server:
        result["server"] = server_times(args.roles, args.pages, args.repeat)
    if not args.no_browser:
        repeat = args.browser_repeat or args.repeat
        result["browser"] = asyncio.run(browser_times(args.url, args.roles, args.pages, repeat))
    print(json.dumps(result))


# --------------------------------------------------------------------------- orchestration


def store_url(args: argparse.Namespace, backend: str, scale: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{Path(args.store_dir) / f'{scale}.db'}"
    from sqlalchemy.engine import make_url

    if not args.pg_url:
        raise SystemExit("--backends postgresql needs --pg-url (or EQUALITY_TEST_PG_URL)")
    database = f"{args.pg_db_prefix}{scale}"
    return make_url(args.pg_url).set(database=database).render_as_string(hide_password=False)


def ensure_database(args: argparse.Namespace, scale: str) -> None:
    from sqlalchemy import create_engine, text

    database = f"{args.pg_db_prefix}{scale}"
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()


def run_worker(args: argparse.Namespace, url: str) -> dict:
    command = [sys.executable, __file__, "--worker", url, "--repeat", str(args.repeat),
               "--browser-repeat", str(args.browser_repeat or args.repeat),
               "--pages", *args.pages, "--roles", *args.roles]  # fmt: skip
    command += ["--no-browser"] * args.no_browser + ["--no-server"] * args.no_server
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if completed.returncode:  # reported in the table; the other stores are still measured
        return {"failed": f"the worker stopped with status {completed.returncode} (its log is above)"}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ratio(top: float | None, bottom: float | None) -> str:
    return "–" if top is None or not bottom else f"{top / bottom:.1f}×"


def report(results: dict, args: argparse.Namespace) -> str:
    """Markdown: one table per backend, a row per role and page, scales side by side."""
    scales = args.scales
    lines = []
    for backend in args.backends:
        runs = {scale: results.get(f"{backend}/{scale}") for scale in scales}
        floors = ", ".join(
            f"{scale} {runs[scale]['floor']:.3f} s" for scale in scales if "floor" in (runs[scale] or {})
        )
        lines += ["", f"### {backend}", "", f"One-scan floor: {floors}.", ""]
        measures = ["cold s", "warm s", "Chromium cold/warm s", "KB", "÷floor"]
        header = ["role", "page"] + [f"{measure} {scale}" for measure in measures for scale in scales]
        if len(scales) == 2:
            header.insert(2 + len(scales), f"growth {scales[1]}/{scales[0]}")  # after the cold times
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for role in args.roles:
            for page in allowed_pages(role, args.pages):
                cells = {measure: [] for measure in measures}
                for scale in scales:
                    run = runs[scale] or {}
                    server = run.get("server", {}).get(f"{role}/{page}", {})
                    browser = run.get("browser", {}).get(f"{role}/{page}", {})
                    chromium = "–"
                    if browser:
                        chromium = f"{browser['cold']:.2f}{'†' if browser['landing'] else ''} / {browser['warm']:.2f}"
                    errors = [e for e in (server.get("error"), browser.get("error")) if e]
                    cells["cold s"].append(_fmt(server.get("cold")) + (" ⚠" if errors else ""))
                    cells["warm s"].append(_fmt(server.get("warm")))
                    cells["Chromium cold/warm s"].append(chromium)
                    cells["KB"].append(_fmt(browser.get("kb"), 0))
                    cells["÷floor"].append(_ratio(server.get("cold"), run.get("floor")))
                row = [role, page] + [cell for measure in measures for cell in cells[measure]]
                if len(scales) == 2:
                    colds = [((runs[scale] or {}).get("server") or {}).get(f"{role}/{page}", {}).get("cold")
                             for scale in scales]  # fmt: skip
                    row.insert(2 + len(scales), _ratio(colds[1], colds[0]))
                lines.append("| " + " | ".join(row) + " |")
        problems = [f"- {scale} {kind} {key}: {' '.join(value['error'].split())}" for scale in scales for kind in ("server", "browser")
                    for key, value in ((runs[scale] or {}).get(kind) or {}).items() if value.get("error")]  # fmt: skip
        problems += [
            f"- {scale}: {runs[scale]['failed']}" for scale in scales if "failed" in (runs[scale] or {})
        ]
        if problems:
            lines += ["", "⚠ errors:", *problems]
    warm_ups = [f"{key.split('/')[0]} {scale} {value['warm_up']:.1f} s" for backend in args.backends for scale in scales
                for key, value in ((results.get(f"{backend}/{scale}") or {}).get("browser") or {}).items()
                if value.get("landing") and "warm_up" in value]  # fmt: skip
    lines += ["", "† landing page: timed from the Sign in click (includes the password check), once the fresh "
              "server is quiet: its background warm-up of the landing views (reports/warmup.py) has finished. "
              "Waited from opening the sign-in page: " + (", ".join(warm_ups) or "–") + "."]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=DATA_PAGES)
    parser.add_argument("--roles", nargs="+", default=list(USERNAMES), choices=list(USERNAMES))
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--scales", nargs="+", default=["default", "large"], choices=["tiny", "default", "large"]
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--browser-repeat", type=int, help="warm Chromium visits per page (default: --repeat)"
    )
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--build", action="store_true", help="build every store first (python -m data.demo)")
    parser.add_argument("--store-dir", default=str(Path(tempfile.gettempdir()) / "equality-bench"))
    parser.add_argument("--pg-url", default=os.environ.get("EQUALITY_TEST_PG_URL"))
    parser.add_argument("--pg-db-prefix", default="equality_bench_")
    parser.add_argument("--output", help="also write the Markdown report to this file")
    parser.add_argument("--json", help="write the raw results to this file")
    parser.add_argument(
        "--from-json", nargs="+", metavar="FILE", help="only print the report of earlier --json files"
    )
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        args.url = args.worker
        worker(args)
        return

    if args.from_json:  # merged in order: a later file's store replaces an earlier one's
        results = {
            key: value for name in args.from_json for key, value in json.loads(Path(name).read_text()).items()
        }
        print(report(results, args))
        return
    Path(args.store_dir).mkdir(parents=True, exist_ok=True)
    if "postgresql" in args.backends and not args.pg_url:
        parser.error("--backends postgresql needs --pg-url (or EQUALITY_TEST_PG_URL)")
    load_before = os.getloadavg()
    started = datetime.now()
    results = {}
    for backend in args.backends:
        for scale in args.scales:
            url = store_url(args, backend, scale)
            if args.build:
                if backend == "postgresql":
                    ensure_database(args, scale)
                build_store(url, scale)
            print(f"{backend} {scale}: measuring", file=sys.stderr)
            results[f"{backend}/{scale}"] = run_worker(args, url)
            if args.json:  # as it goes: a long run that is stopped keeps what it measured
                Path(args.json).write_text(json.dumps(results, indent=1))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    load_after = os.getloadavg()
    heading = (f"Measured {started:%Y-%m-%d %H:%M}–{datetime.now():%H:%M}, commit {commit.stdout.strip() or '?'}, "
               f"load average (1 min) {load_before[0]:.2f} at the start and {load_after[0]:.2f} at the end, "
               f"{os.cpu_count()} CPUs; server times median of {args.repeat}, Chromium warm median of "
               f"{args.browser_repeat or args.repeat}.")  # fmt: skip
    text = heading + "\n" + report(results, args) + "\n"
    print(text)
    if args.output:
        Path(args.output).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
