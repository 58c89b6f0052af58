"""Benchmark of the store: building the demo trust, and the page queries on it.

Run:  .venv/bin/python benchmarks/bench_store.py [--scale default] [--url URL] [--repeat 5]

Not a timed test: it prints the build time and the best of ``--repeat`` runs of each page query, so a
slow machine does not fail a build. Targets (issues): the default demo builds in under 30 s; pages
answer within a second. ``--url`` runs the queries on another store (e.g. PostgreSQL) after building
the demo into it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data.config import load_trust_config
from data.demo import build_demo
from data.store import describe_url, make_engine
from queries import area, overview, pcref, team
from queries.overview import dataset_facts
from queries.scope import Scope
from reports.board_pack import build_board_pack
from reports.headlines import compute_headlines


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=["tiny", "default", "large"])
    parser.add_argument("--url", help="store to build into and query (default: a temporary SQLite file)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/bench.db"
        engine = make_engine(url)
        result = build_demo(engine, scale=args.scale, seed=2021)
        people, referrals = result.row_counts["person"], result.row_counts["referral"]
        print(f"{describe_url(url)}: built the {args.scale} demo in {result.seconds:.1f} s "
              f"({people:,} people, {referrals:,} referrals)")  # fmt: skip

        trust, champion = Scope.whole_trust(), Scope.teams([13])
        year = "2025-26"
        queries = {
            "headline_counts (trust)": lambda: overview.headline_counts(engine, trust, year),
            "headline_counts (one team)": lambda: overview.headline_counts(engine, champion, year),
            "ethnicity_recording (trust)": lambda: overview.ethnicity_recording(engine, trust, year),
            "team_comparison (one team)": lambda: team.team_comparison(engine, champion, 13, year, 28),
            "financial_years": lambda: overview.financial_years(engine, trust),
            "area_counts (boroughs)": lambda: area.area_counts(
                engine, trust, "mha_detentions_crude_rate", year
            ),
            "pcref monthly_events": lambda: pcref.monthly_events(engine, trust, "detentions"),
        }
        for name, run in queries.items():
            print(f"  {name:<32} {best_of(args.repeat, run) * 1000:8.1f} ms")

        config = load_trust_config()
        start = time.perf_counter()
        headlines = compute_headlines(
            engine, trust, year, config.headline_measures, 5, 5, config.reference_group
        )
        middle = time.perf_counter()
        pdf = build_board_pack(engine, trust, financial_year=year, config=config, facts=dataset_facts(engine, trust),
                               headlines=headlines)  # fmt: skip
        end = time.perf_counter()
        print(f"  {'board headlines':<32} {(middle - start) * 1000:8.1f} ms")
        print(f"  {'board pack PDF':<32} {(end - middle) * 1000:8.1f} ms ({len(pdf) / 1024:.0f} KB)")
        engine.dispose()


if __name__ == "__main__":
    main()
