"""Pure statistics for the Service access page: medians read from wait histograms, proportions by
group compared with everyone, and two-way tables (intersections) with secondary suppression.

SQL returns counts (a histogram of waits rather than one row per referral), so the median is read
from the histogram here; comparisons follow Fingertips: a group is "higher" or "lower" than everyone
only when its confidence interval excludes everyone's value (docs/design.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from measures.benchmark import HIGHER, LOWER, NOT_COMPARED, SIMILAR, compare_with_benchmark
from measures.disclosure import DisclosurePolicy, PublishedTable, Totals, publish_table
from measures.stats import crude_rates, proportions, rate_ratios

__all__ = [
    "COMPARISON_WORDS",
    "group_median_waits",
    "median_from_histogram",
    "proportion_table",
    "rate_vs_rest_table",
    "two_way_table",
]

COMPARISON_WORDS = {
    HIGHER: "Higher than everyone",
    LOWER: "Lower than everyone",
    SIMILAR: "No clear difference",
    NOT_COMPARED: "Too few to compare",
}


def median_from_histogram(values: Sequence[float], counts: Sequence[float]) -> float:
    """The median of the data a histogram describes (``counts[i]`` observations equal to ``values[i]``):
    the middle value, or the mean of the two middle values when the total is even. NaN when empty."""
    values = np.asarray(values, dtype=float)
    counts = np.asarray(counts, dtype=float)
    if values.shape != counts.shape:
        raise ValueError("values and counts must have the same length")
    if (counts < 0).any() or np.isnan(counts).any():
        raise ValueError("counts must be numbers ≥ 0")
    if (counts != np.round(counts)).any():
        raise ValueError("counts must be whole numbers")
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    total = counts.sum()
    if total == 0:
        return float("nan")
    cumulative = np.cumsum(counts)
    # positions (1-based) of the middle observation(s)
    low_rank = (total + 1) // 2
    high_rank = total // 2 + 1
    low = values[np.searchsorted(cumulative, low_rank)]
    high = values[np.searchsorted(cumulative, high_rank)]
    return float((low + high) / 2)


def group_median_waits(histogram: pd.DataFrame, by: Sequence[str], value: str, count: str) -> pd.DataFrame:
    """Median ``value`` per group of ``by`` from a long histogram; columns ``by``, waited, median."""
    rows = []
    for key, block in histogram.groupby(list(by), sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        rows.append(
            {
                **dict(zip(by, key, strict=True)),
                "waited": int(block[count].sum()),
                "median": median_from_histogram(block[value], block[count]),
            }
        )
    return pd.DataFrame(rows, columns=[*by, "waited", "median"])


def proportion_table(
    frame: pd.DataFrame,
    *,
    group_column: str,
    numerator: str,
    denominator: str,
    policy: DisclosurePolicy,
    overall: tuple[int, int] | None = None,
    benchmarks: Sequence[float] | None = None,
    confidence: float = 0.95,
    public: Sequence[str] = (),
    add_up: bool = True,
) -> PublishedTable:
    """Percentages (numerator / denominator × 100) with Wilson CIs per group, each compared with the
    ``overall`` (numerator, denominator) for everyone: 'comparison' holds the reading, blank where the
    group's figure is suppressed. ``benchmarks`` (a % per row) replaces the single overall value, e.g.
    each group's trust-wide share when the table covers one borough.

    The groups' numerators and denominators add up to published totals, so secondary suppression applies
    to both; pass ``add_up=False`` for overlapping groups (priority communities), which add up to nothing. Rows with a denominator of 0 get no percentage.
    """
    data = frame.reset_index(drop=True).copy()
    num = data[numerator].astype("int64")
    den = data[denominator].astype("int64")
    safe_den = den.where(den > 0, 1)
    estimate = proportions(num.where(den > 0, 0), safe_den, confidence=confidence)
    for column in ("value", "lower", "upper"):
        data[column] = np.where(den > 0, estimate[column].astype(float).to_numpy() * 100, np.nan)
    if overall is None:
        overall = (int(num.sum()), int(den.sum()))
    overall_value = overall[0] / overall[1] * 100 if overall[1] else float("nan")
    marks = [overall_value] * len(data) if benchmarks is None else [float(b) for b in benchmarks]
    if len(marks) != len(data):
        raise ValueError("give one benchmark per row")
    data["comparison"] = [
        COMPARISON_WORDS[compare_with_benchmark(lo, up, mark)]
        for lo, up, mark in zip(data["lower"], data["upper"], marks, strict=True)
    ]
    return publish_table(
        data,
        counts=[numerator, denominator],
        derived={("value", "lower", "upper", "comparison"): (numerator, denominator)},
        public=list(public),
        policy=policy,
        totals=[Totals(by=())] if add_up else [],
    )


def two_way_table(
    frame: pd.DataFrame,
    *,
    row: str,
    column: str,
    events: str,
    policy: DisclosurePolicy,
    population: str | None = None,
    per: float = 100_000,
) -> PublishedTable:
    """An intersection (e.g. ethnic group × age band): each cell's events, and either its rate per
    ``per`` of ``population`` (with a ratio to everyone else, CI by the log method) or, without a
    population, its share of the row's events (%, Wilson CI).

    Cells add up across rows and down columns to published totals, so secondary suppression runs on
    both margins; a rate, share or ratio is blank whenever a count it rests on is hidden.
    """
    data = frame[[row, column, events, *([population] if population else [])]].reset_index(drop=True).copy()
    data[events] = data[events].astype("int64")
    totals = [Totals(by=(row,), columns=(events,)), Totals(by=(column,), columns=(events,))]
    if population:
        data[population] = data[population].fillna(0).astype("int64")
        has = (data[population] > 0).to_numpy()
        safe = data[population].where(has, 1)
        rates = crude_rates(data[events].where(has, 0), safe, per=per)
        total_events = int(data.loc[has, events].sum())
        total_population = int(data.loc[has, population].sum())
        data["rest_events"] = np.where(has, total_events - data[events], 0).astype("int64")
        rest_population = (total_population - data[population]).where(has, 1).clip(lower=1)
        ratios = rate_ratios(data[events].where(has, 0), safe, data["rest_events"], rest_population)
        for name in ("value", "lower", "upper"):
            data[name] = np.where(has, rates[name].astype(float).to_numpy(), np.nan)
            data[f"ratio_{name}"] = np.where(has, ratios[name].astype(float).to_numpy(), np.nan)
        return publish_table(
            data,
            counts=[events, "rest_events"],
            derived={
                ("value", "lower", "upper"): (events,),
                ("ratio_value", "ratio_lower", "ratio_upper"): (events, "rest_events"),
            },
            public=[population],
            policy=policy,
            totals=totals,
        )
    data["row_total"] = data.groupby(row)[events].transform("sum").astype("int64")
    shares = proportions(data[events], data["row_total"].where(data["row_total"] > 0, 1))
    for name in ("value", "lower", "upper"):
        data[name] = shares[name].astype(float).to_numpy() * 100
    return publish_table(
        data,
        counts=[events, "row_total"],
        derived={("value", "lower", "upper"): (events, "row_total")},
        policy=policy,
        totals=totals,
    )


def rate_vs_rest_table(
    frame: pd.DataFrame,
    *,
    group_column: str,
    events: str,
    population: str,
    policy: DisclosurePolicy,
    per: float = 100_000,
) -> PublishedTable:
    """Rates per ``per`` for groups that overlap (priority communities: a Black man over 55 is in three),
    each with its ratio to everyone else (``rest_<events>`` over ``rest_<population>``).

    The groups overlap, so they do not add up to a total and no secondary suppression applies across
    them; a ratio is blank when either its events or the rest's events are suppressed.
    """
    rest_events, rest_population = f"rest_{events}", f"rest_{population}"
    data = (
        frame[[group_column, events, population, rest_events, rest_population]].reset_index(drop=True).copy()
    )
    for column in (events, population, rest_events, rest_population):
        data[column] = data[column].astype("int64")
    has = ((data[population] > 0) & (data[rest_population] > 0)).to_numpy()
    rates = crude_rates(data[events], data[population].where(has, 1), per=per)
    ratios = rate_ratios(
        data[events], data[population].where(has, 1), data[rest_events], data[rest_population].where(has, 1)
    )
    for name in ("value", "lower", "upper"):
        data[name] = np.where(has, rates[name].astype(float).to_numpy(), np.nan)
        data[f"ratio_{name}"] = np.where(has, ratios[name].astype(float).to_numpy(), np.nan)
    return publish_table(
        data,
        counts=[events, rest_events],
        derived={
            ("value", "lower", "upper"): (events,),
            ("ratio_value", "ratio_lower", "ratio_upper"): (events, rest_events),
        },
        public=[population, rest_population],
        policy=policy,
    )
