"""Pure statistics for the Service access page: medians read from wait histograms, and the pieces of
its linked publications: each group's comparison with a reference group (its counts repeated on every
row, tied to the reference's own cell so that both are published alike), rates and percentages with
their ratios, all computed from the published counts (``measures.disclosure`` figures).

SQL returns counts (a histogram of waits rather than one row per referral), so the median is read
from the histogram here; a median is shown only when it rests on at least the suppression threshold's
number of referrals (as NHS Digital does for HES). Comparisons follow Fingertips: a group differs
clearly only when the confidence interval of its ratio excludes 1 (docs/design.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from measures.disclosure import (
    DisclosurePolicy,
    Percentage,
    PublishedTable,
    Rate,
    Ratio,
    Totals,
    publish_table,
)
from measures.stats import Estimate

__all__ = [
    "clear_differences",
    "group_median_waits",
    "median_from_histogram",
    "percentage_figures",
    "proportion_table",
    "rate_figures",
    "with_reference",
]


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


def group_median_waits(
    histogram: pd.DataFrame, by: Sequence[str], value: str, count: str, min_count: int = 0
) -> pd.DataFrame:
    """Median ``value`` per group of ``by`` from a long histogram; columns ``by``, waited, median. The
    median is NaN for a group with fewer than ``min_count`` observations (pass the suppression threshold:
    a median is not shown when based on fewer values than a count would be)."""
    rows = []
    for key, block in histogram.groupby(list(by), sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        waited = int(block[count].sum())
        median = median_from_histogram(block[value], block[count]) if waited >= max(min_count, 1) else np.nan
        rows.append({**dict(zip(by, key, strict=True)), "waited": waited, "median": median})
    return pd.DataFrame(rows, columns=[*by, "waited", "median"])


def with_reference(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    group_column: str,
    reference: str | None,
    values: dict[str, float] | None = None,
    prefix: str = "ref_",
) -> pd.DataFrame:
    """``frame`` with ``<prefix><column>`` for each of ``columns``: the reference group's figure on every
    row but the reference's own (NaN there, so it gets no ratio to itself), from its row or from
    ``values`` (pass its *published* counts, so a ratio rests only on published numbers, and detailed
    groups can be compared with the broad reference group). Without a reference (None, or absent from
    the frame and no ``values``) the columns are all NaN."""
    out = frame.copy()
    rows = out[group_column] == reference if reference is not None else pd.Series(False, index=out.index)
    if values is None:
        values = (
            {c: float(out.loc[rows, c].iloc[0]) for c in columns}
            if rows.any()
            else dict.fromkeys(columns, np.nan)
        )
    for column in columns:
        out[f"{prefix}{column}"] = np.where(rows.to_numpy(), np.nan, float(values[column]))
    return out


def rate_figures(
    name: str, count: str, population: str, *, reference: str = "ref_", per: float = 100_000
) -> list:
    """Rate per ``per`` of ``population`` (``<name>``, ``<name>_lower``, ``<name>_upper``) and the ratio to the
    reference's rate (``<name>_ratio…``, from ``<reference><count>`` and ``<reference><population>``)."""
    return [
        Rate(name, count, population, per=per, lower=f"{name}_lower", upper=f"{name}_upper"),
        Ratio(f"{name}_ratio", count, population, f"{reference}{count}", f"{reference}{population}",
              lower=f"{name}_ratio_lower", upper=f"{name}_ratio_upper"),
    ]  # fmt: skip


def percentage_figures(
    name: str, numerator: str, denominator: str, *, reference: str | None = "ref_", min_denominator: int = 0
) -> list:
    """Percentage (Wilson interval) and, with a ``reference`` prefix, its ratio to the reference group's
    percentage (the log-method rate-ratio interval: a little wider than the ratio-of-proportions one)."""
    figures = [Percentage(name, numerator, denominator, lower=f"{name}_lower", upper=f"{name}_upper",
                          min_denominator=min_denominator)]  # fmt: skip
    if reference is not None:
        figures.append(
            Ratio(f"{name}_ratio", numerator, denominator, f"{reference}{numerator}", f"{reference}{denominator}",
                  lower=f"{name}_ratio_lower", upper=f"{name}_ratio_upper")
        )  # fmt: skip
    return figures


def clear_differences(
    table: PublishedTable, ratio: str, group_column: str = "group"
) -> list[tuple[str, Estimate]]:
    """Every row whose published ratio's 95% interval excludes 1, as (group, estimate), highest first."""
    frame, mask = table.frame, table.mask
    out = []
    for index in frame.index:
        if ratio not in frame.columns or bool(mask.loc[index, ratio]) or pd.isna(frame.loc[index, ratio]):
            continue
        lower, upper = frame.loc[index, f"{ratio}_lower"], frame.loc[index, f"{ratio}_upper"]
        if pd.isna(lower) or pd.isna(upper) or lower <= 1 <= upper:
            continue
        estimate = Estimate(
            float(frame.loc[index, ratio]), float(lower), float(upper), "ratio", None, None, 0.95
        )
        out.append((str(frame.loc[index, group_column]), estimate))
    return sorted(out, key=lambda item: -item[1].value)


def proportion_table(
    frame: pd.DataFrame,
    *,
    group_column: str,
    numerator: str,
    denominator: str,
    policy: DisclosurePolicy,
    add_up: bool = True,
    min_denominator: int = 0,
) -> PublishedTable:
    """Percentages (numerator / denominator × 100, Wilson 95% CIs) by group, computed from the published
    counts. The groups' numerators and denominators add up to published totals, so secondary suppression
    applies to both; pass ``add_up=False`` for overlapping groups, which add up to nothing."""
    data = frame[[group_column, numerator, denominator]].reset_index(drop=True).copy()
    return publish_table(
        data.astype({numerator: "int64", denominator: "int64"}),
        counts=[numerator, denominator],
        figures=percentage_figures(
            "value", numerator, denominator, reference=None, min_denominator=min_denominator
        ),
        policy=policy,
        totals=[Totals(by=())] if add_up else [],
    )
