"""Concurrency benchmark: many signed-in sessions of mixed roles opening pages at once (issue 16).

Run (one line; the store must exist, e.g. one ``bench_pages.py --build`` made):

    python benchmarks/bench_concurrency.py --url sqlite:////tmp/equality-bench/default.db --sessions 20 --seconds 120

One ``streamlit run`` server on loopback and one headless Chromium with a browser context per session
(roles in turn: board, equality lead, champion). Each session signs in, then until the time is up opens
the pages its role may open, in turn from a random start, each a full navigation waited on until idle
(``benchmarks/harness.py``). Every session signs in first, one starting every ``--ramp`` seconds (default 1);
the bounded period starts when all have.
Reports visits, errors (any exception on screen, "Page not found", a refusal, a store error, a failed
sign-in), p50/p95/max page time overall and per page, and the server's resident memory
at start, after sign-in, at its peak and at the end. Options: ``--sessions``, ``--seconds`` (bounded: the
run stops starting visits then; visits in flight get ``--grace`` seconds), ``--pages``, ``--demo-passwords``
(sign in with the published demo passwords, in an embedded demo store; by default each login first gets
the benchmark password ``bench_pages.py`` uses), ``--output FILE``.

The server and the browser share the machine: on loopback the browsers' rendering competes with the
server for the same cores, so page times here are an upper bound for a server with its own machine.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    USERNAMES,
    Server,
    Traffic,
    launch,
    open_page,
    prepare_logins,
    server_env,
    sign_in,
)

DATA_PAGES = ["overview", "home", "areas", "access", "pcref", "workforce", "my_team", "methods"]
ROLES = ["board", "equality_lead", "champion"]


@dataclass
class Result:
    sessions: int
    seconds: float
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    #: visits still loading when the grace period ended (not errors: the time ran out)
    unfinished: int = 0
    sign_in_times: list[float] = field(default_factory=list)
    memory: dict[str, float] = field(default_factory=dict)

    @property
    def visits(self) -> int:
        return sum(len(values) for values in self.times.values())


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.5 = median)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Session:
    number: int
    role: str
    page: object
    traffic: Traffic


async def _sign_in(context, server, number: int, demo_passwords: bool, timeout: float, ramp: float,
                   result: Result) -> Session | None:  # fmt: skip
    role = ROLES[number % len(ROLES)]
    username = USERNAMES[role]
    await asyncio.sleep(number * ramp)  # users arrive one after another, not in the same instant
    page = await context.new_page()
    traffic = Traffic().attach(page)
    password = f"demo-{username}" if demo_passwords else None
    try:
        visit = await asyncio.wait_for(sign_in(page, traffic, server.url, username, password), timeout)
    except TimeoutError:  # not signed in within the time allowed: a slow machine, not an error on screen
        result.unfinished += 1
        return None
    except Exception as problem:
        result.errors.append(f"session {number} ({role}) sign-in: {type(problem).__name__}: {problem}"[:300])
        return None
    result.sign_in_times.append(visit.seconds)
    if visit.error:
        result.errors.append(f"session {number} ({role}) landing: {visit.error}")
    return Session(number, role, page, traffic)


async def _browse(session: Session, server, pages: list[str], deadline: float, grace: float,
                  result: Result) -> None:  # fmt: skip
    from components.access import may_open

    mine = [name for name in pages if may_open(session.role, name)]
    turn = random.Random(session.number).randrange(len(mine))
    while time.perf_counter() < deadline:
        name = mine[turn % len(mine)]
        turn += 1
        where = f"session {session.number} ({session.role}) {name}"
        try:
            visit = await asyncio.wait_for(
                open_page(session.page, session.traffic, f"{server.url}/{name}"),
                deadline + grace - time.perf_counter(),
            )
        except TimeoutError:  # the grace period ended while it loaded
            result.unfinished += 1
            continue
        except Exception as problem:
            result.errors.append(f"{where}: {type(problem).__name__}: {problem}"[:300])
            continue
        result.times[name].append(visit.seconds)
        if visit.error:
            result.errors.append(f"{where}: {visit.error}")


async def _sample_memory(server, result: Result, stop: asyncio.Event) -> None:
    while not stop.is_set():
        result.memory["peak"] = max(result.memory.get("peak", 0.0), server.rss_mb())
        await asyncio.sleep(1)


async def run(url: str, sessions: int = 20, seconds: float = 120, pages: list[str] | None = None,
              demo_passwords: bool = False, grace: float = 120, sign_in_timeout: float = 300,
              ramp: float = 1.0) -> Result:  # fmt: skip
    """Start a server on ``url``, run the sessions for ``seconds``, stop it; see the module docstring."""
    from playwright.async_api import async_playwright

    result = Result(sessions, seconds)
    with Server(url, server_env(url)) as server:
        result.memory["start"] = server.rss_mb()
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample_memory(server, result, stop))
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            contexts = [
                await browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(sessions)
            ]
            # every session signs in first; the bounded period starts when they all have (or failed)
            signed_in = await asyncio.gather(
                *(
                    _sign_in(contexts[n], server, n, demo_passwords, sign_in_timeout, ramp, result)
                    for n in range(sessions)
                )
            )
            result.memory["signed in"] = server.rss_mb()
            deadline = time.perf_counter() + seconds
            await asyncio.gather(
                *(_browse(session, server, pages or DATA_PAGES, deadline, grace, result)
                  for session in signed_in if session)
            )  # fmt: skip
            for context in contexts:
                await context.close()
            await browser.close()
        stop.set()
        await sampler
        result.memory["end"] = server.rss_mb()
    return result


def report(result: Result, heading: str) -> str:
    every = [t for values in result.times.values() for t in values]
    memory = result.memory
    lines = [
        heading,
        "",
        f"{result.sessions} sessions for {result.seconds:.0f} s: {result.visits} page visits, "
        f"{len(result.errors)} errors, {result.unfinished} sign-ins or visits still loading when the time ran out; "
        f"sign-in to landing page p50 {percentile(result.sign_in_times, 0.5):.2f} s, "
        f"max {max(result.sign_in_times, default=float('nan')):.2f} s.",
        f"Server memory (RSS): {memory.get('start', 0):.0f} MB at start, "
        f"{memory.get('signed in', 0):.0f} MB with every session signed in, {memory.get('peak', 0):.0f} MB at peak, "
        f"{memory.get('end', 0):.0f} MB at the end.",
        "",
        "| page | visits | p50 s | p95 s | max s |",
        "|---|---|---|---|---|",
        f"| **all** | {len(every)} | {percentile(every, 0.5):.2f} | {percentile(every, 0.95):.2f} | "
        f"{max(every, default=float('nan')):.2f} |",
    ]
    for name, values in sorted(result.times.items()):
        lines.append(f"| {name} | {len(values)} | {percentile(values, 0.5):.2f} | {percentile(values, 0.95):.2f} | "
                     f"{max(values):.2f} |")  # fmt: skip
    if result.errors:
        where: dict[str, list[str]] = defaultdict(list)  # message → "page (role)" of each occurrence
        for error in result.errors:
            place, message = error.split(": ", 1)
            where[" ".join(message.split())[:200]].append(place.split(" ", 2)[-1])
        lines += ["", f"Errors ({len(result.errors)}):"]
        for message, places in sorted(where.items()):
            counts = ", ".join(f"{place} ×{places.count(place)}" for place in sorted(set(places)))
            lines.append(f"- {message}: {counts}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        default=f"sqlite:///{Path(os.environ.get('TMPDIR', '/tmp')) / 'equality-bench' / 'default.db'}",
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--grace", type=float, default=120, help="seconds a visit in flight may finish in")
    parser.add_argument("--pages", nargs="+", default=DATA_PAGES)
    parser.add_argument(
        "--ramp", type=float, default=1.0, help="seconds between one session's sign-in and the next's"
    )
    parser.add_argument("--demo-passwords", action="store_true", help="sign in with demo-<username>")
    parser.add_argument("--output", help="also write the Markdown report to this file")
    args = parser.parse_args(argv)

    if not args.demo_passwords:
        prepare_logins(args.url)
    load_before = os.getloadavg()
    started = datetime.now()
    result = asyncio.run(
        run(
            args.url, args.sessions, args.seconds, args.pages, args.demo_passwords, args.grace, ramp=args.ramp
        )
    )
    heading = (f"Measured {started:%Y-%m-%d %H:%M}–{datetime.now():%H:%M} on {args.url.split('///')[-1].split('@')[-1]}, "
               f"load average (1 min) {load_before[0]:.2f} at the start and {os.getloadavg()[0]:.2f} at the end, "
               f"{os.cpu_count()} CPUs.")  # fmt: skip
    text = report(result, heading)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")


if __name__ == "__main__":
    main()
