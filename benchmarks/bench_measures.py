"""Benchmark of the measures core: rates and CIs for 100,000 groups at once.

Run:  .venv/bin/python benchmarks/bench_measures.py [--groups 100000] [--repeat 5]

Not a timed test: prints the best of ``--repeat`` runs for each operation, so a slow machine does not
fail a build. The target (issue): rates and CIs for 100,000 groups in well under a second.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measures.disclosure import Totals, publish_estimates
from measures.spc import xmr
from measures.stats import (
    ESP2013_BANDS,
    MHA_AGE_BANDS,
    crude_rate,
    crude_rates,
    dsr_by_group,
    mha_standardised_rates,
    proportions,
    rate_ratios,
    relative_likelihoods,
)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n, repeat = args.groups, args.repeat
    rng = np.random.default_rng(2024)

    # Counts with many small values, so both the exact (< 10) and Byar's branches are exercised.
    counts = np.where(rng.random(n) < 0.3, rng.integers(0, 10, n), rng.integers(10, 5000, n))
    populations = rng.integers(1_000, 500_000, n)
    denominators = counts + rng.integers(1, 5000, n)
    ref_counts = rng.integers(1, 5000, n)
    ref_populations = rng.integers(1_000, 500_000, n)

    results: list[tuple[str, int, float]] = []
    results.append(
        ("crude_rates (Byar's/exact CI)", n, best_of(repeat, lambda: crude_rates(counts, populations)))
    )
    results.append(
        (
            "crude_rates at 99.8%",
            n,
            best_of(repeat, lambda: crude_rates(counts, populations, confidence=0.998)),
        )
    )
    results.append(("proportions (Wilson)", n, best_of(repeat, lambda: proportions(counts, denominators))))
    results.append(
        (
            "rate_ratios (log CI)",
            n,
            best_of(repeat, lambda: rate_ratios(counts, populations, ref_counts, ref_populations)),
        )
    )
    results.append(
        (
            "relative_likelihoods (log CI)",
            n,
            best_of(repeat, lambda: relative_likelihoods(counts, denominators, ref_counts, ref_counts + 10)),
        )
    )

    # DSR: n groups × 19 ESP2013 bands in long format.
    bands = len(ESP2013_BANDS)
    long = pd.DataFrame(
        {
            "group": np.repeat(np.arange(n), bands),
            "age": np.tile(np.array(ESP2013_BANDS, dtype=object), n),
            "count": rng.integers(0, 40, n * bands),
            "pop": rng.integers(100, 20_000, n * bands),
        }
    )
    results.append(
        (
            f"dsr_by_group (Dobson; {n * bands:,} rows)",
            n,
            best_of(max(1, repeat // 2), lambda: dsr_by_group(long, ["group"], "age", "count", "pop")),
        )
    )

    # MHA standardisation: n groups × 12 (sex × age) strata.
    strata = [(sex, band) for sex in ("Male", "Female") for band in MHA_AGE_BANDS]
    standard = {s: float(rng.integers(500_000, 5_000_000)) for s in strata}
    mha = pd.DataFrame(
        {
            "group": np.repeat(np.arange(n), len(strata)),
            "sex": np.tile(np.array([s for s, _ in strata], dtype=object), n),
            "age": np.tile(np.array([a for _, a in strata], dtype=object), n),
            "count": rng.integers(0, 40, n * len(strata)),
            "pop": rng.integers(100, 20_000, n * len(strata)),
        }
    )
    results.append(
        (
            f"mha_standardised_rates ({n * len(strata):,} rows)",
            n,
            best_of(
                max(1, repeat // 2),
                lambda: mha_standardised_rates(mha, ["group"], ["sex", "age"], "count", "pop", standard),
            ),
        )
    )

    # Disclosure control on the crude-rate frame, with and without secondary suppression.
    frame = crude_rates(counts, populations).assign(borough=np.arange(n) // 10, group=np.arange(n) % 10)
    frame = frame.drop(columns="method")
    results.append(
        (
            "publish_estimates (primary only)",
            n,
            best_of(
                repeat,
                lambda: publish_estimates(frame, denominator_is_count=False, public=["borough", "group"]),
            ),
        )
    )
    results.append(
        (
            "publish_estimates (+ secondary, 2 dimensions)",
            n,
            best_of(
                max(1, repeat // 2),
                lambda: publish_estimates(
                    frame,
                    denominator_is_count=False,
                    public=["borough", "group"],
                    totals=[Totals(by=("borough",)), Totals(by=("group",))],
                ),
            ),
        )
    )

    # SPC: 1,000 monthly series of 36 points.
    series = rng.normal(100, 10, (1000, 36))
    results.append(
        ("xmr (1,000 series x 36 points)", 1000, best_of(repeat, lambda: [xmr(s) for s in series]))
    )

    # Scalar call overhead, for pages that compute a handful of figures one at a time.
    results.append(
        (
            "crude_rate scalar x 1,000 calls",
            1000,
            best_of(repeat, lambda: [crude_rate(15, 1000) for _ in range(1000)]),
        )
    )

    width = max(len(name) for name, _, _ in results)
    print(f"measures benchmark: best of {repeat} (numpy {np.__version__}, pandas {pd.__version__})")
    print(f"{'operation'.ljust(width)}  {'items':>9}  {'seconds':>8}  {'per item':>10}")
    for name, items, seconds in results:
        print(f"{name.ljust(width)}  {items:>9,}  {seconds:>8.3f}  {seconds / items * 1e6:>8.2f}µs")


if __name__ == "__main__":
    main()
