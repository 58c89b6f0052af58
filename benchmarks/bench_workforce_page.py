"""Workforce page: server time (AppTest, empty query cache, median of 3) for an equality lead, on a
store given by URL (default: a demo store built with ``python -m data.demo --url sqlite:////tmp/workforce.db``).

    python -m benchmarks.bench_workforce_page [--url sqlite:////tmp/workforce.db] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_workforce_page")
    parser.add_argument("--url", default="sqlite:////tmp/workforce.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--user", default="equality")
    parser.add_argument(
        "--first-after-load",
        action="store_true",
        help="also forget the groups of tables reports.workforce keeps per load (the first view after a load)",
    )
    parser.add_argument("--view", default="", help="query parameters, e.g. borough=E09000008&staff=clinical")
    args = parser.parse_args(argv)
    os.environ["EQUALITY_DB_URL"] = args.url
    os.environ.setdefault("EQUALITY_LOGIN_SLEEP_SECONDS", "0")
    os.chdir(ROOT)
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    original_init = PagesManager.__init__

    def init(self, *a, **k):  # as tests/conftest.py: AppTest treats the app as a navigation app
        original_init(self, *a, **k)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.text_input[0].input(args.user)
    at.text_input[1].input(f"demo-{args.user}")
    at.button[0].click()
    at.run()
    at.run()
    at._page_hash = calc_hash("workforce")
    for pair in filter(None, args.view.split("&")):
        name, _, value = pair.partition("=")
        at.query_params[name] = value
    at.run()  # warm Python imports and the store connection
    cold, warm = [], []
    for _ in range(args.runs):
        st.cache_data.clear()
        if args.first_after_load:
            from reports import workforce

            workforce._KEPT.clear()
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        assert not at.exception, at.exception
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    print(
        f"{args.url} {args.view or 'default view'}: Workforce cold {statistics.median(cold):.2f} s, warm {statistics.median(warm):.2f} s "
        f"(median of {args.runs}; cold {', '.join(f'{t:.2f}' for t in cold)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
