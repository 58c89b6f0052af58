"""Five signed-in sessions of mixed roles open pages at once for 20 seconds on one server (the tiny demo
store) and none sees an error: no exception, refusal, "Page not found" or store error on screen.
Bounded: the sessions sign in (at most 60 s), stop starting visits 20 s later, and a visit still loading
25 s after that (or a sign-in after 60 s) is counted as unfinished, not as an error. The full run (20 sessions, 2 minutes) is ``benchmarks/bench_concurrency.py``."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

import pytest

from tests.browser.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser


def _bench_concurrency():
    path = PROJECT_ROOT / "benchmarks" / "bench_concurrency.py"
    spec = importlib.util.spec_from_file_location("bench_concurrency", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_five_sessions_of_mixed_roles_for_20_seconds_see_no_error(chromium_path, private_store_url):
    bench = _bench_concurrency()
    result = asyncio.run(
        bench.run(
            private_store_url, sessions=5, seconds=20, demo_passwords=True, grace=25, sign_in_timeout=60
        )
    )
    assert not result.errors, "\n".join(result.errors)
    assert result.sign_in_times, "no session signed in"
    assert result.visits >= 1, "no page visit finished"
