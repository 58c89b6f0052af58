"""Statistical process control: XmR charts as NHS "Making Data Count" does them.

Written from docs/methods.md, which describes how NHSRplotthedots v0.2.2 (nhs-r-community) implements the
NHS England Making Data Count method:

- Limits: mean of the values; moving ranges |x_t − x_{t−1}|; mR̄ = their mean; process limits
  mean ± 2.66 mR̄; the "near" band beyond mean ± (2/3 × 2.66) mR̄. Limits are not floored at 0.
  Optional outlier screening (NHSRplotthedots' default, but not the MDC Excel tool's, hence our default
  False): drop moving ranges ≥ 3.267 mR̄ and recompute mR̄ once. ``fix_after`` takes the mean and mR̄
  from the first n points of each segment. Rebasing gives each segment its own limits and rules.
- Rules, first match wins: a point outside the limits (strictly); a 7-point trend (6 successive
  differences of one sign, a tie breaks it, it may cross the mean); 2 of 3 consecutive points in the near
  band (inside the limits) with all 3 on one side of the mean, flagging only the points in the band; 7 or
  more consecutive points on one side of the mean (a point on the mean breaks the run).
- Classification and icons: improvement/concern by the improvement direction, neutral high/low
  when there is none; the variation icon comes from the last point; the assurance icon compares a target
  with the last point's limits and needs a direction.
- Short series: a warning when a segment has fewer than 13 points (trial limits). Missing values
  are ignored in the mean and mR̄; as in the R package, a missing value leaves the moving ranges either
  side of it missing and breaks runs and trends.

One reading of ours: a flagged point's direction is the side of the mean it lies on, except for trend
points, whose direction is the trend's (so a rising trend below the mean is "improvement" when higher is
better). docs/methods.md words it as "a flagged point in the improving direction".
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ASSURANCE_ICONS",
    "COLOURS",
    "IMPROVEMENT_DIRECTIONS",
    "POINT_TYPES",
    "VARIATION_ICONS",
    "SpcResult",
    "xmr",
    "xmr_by_group",
]

IMPROVEMENT_DIRECTIONS: tuple[str, ...] = ("increase", "decrease", "neutral")

POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)

VARIATION_ICONS: tuple[str, ...] = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)

ASSURANCE_ICONS: tuple[str, ...] = ("pass", "fail", "hit_and_miss")

#: Default Making Data Count colours (docs/methods.md).
COLOURS: dict[str, str] = {
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#00b0f0",
    "special_cause_concern": "#e46c0a",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
    "target": "#de1b1b",
}

LIMIT = 2.66  # 3 / d2, d2 = 1.128 for subgroups of 2
NEAR_LIMIT = 2 * LIMIT / 3  # about 2 sigma
SCREEN_LIMIT = 3.267  # D4 for subgroups of 2
WARNING_THRESHOLD = 13  # NHSRplotthedots ptd_spc.warning_threshold
RUN_LENGTH = 7

RULE_ABOVE_UCL = "Above UCL"
RULE_BELOW_LCL = "Below LCL"
RULE_TREND_UP = "7 Point Trend (Increasing)"
RULE_TREND_DOWN = "7 Point Trend (Decreasing)"
RULE_TWO_IN_THREE_ABOVE = "2 in 3 Above CL"
RULE_TWO_IN_THREE_BELOW = "2 in 3 Below CL"
RULE_SHIFT_ABOVE = "7 Points Above CL"
RULE_SHIFT_BELOW = "7 Points Below CL"


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart: one entry per point in each sequence, plus the icons for the last point.

    ``point_type`` and ``rule`` are None for missing values. ``variation`` is the icon of the last
    non-missing point (None if there is none); ``assurance`` is "pass", "fail", "hit_and_miss" or None
    (no target, or a neutral direction). ``warning`` is set when a segment has fewer than 13 points.
    """

    x: tuple[Hashable, ...]
    values: tuple[float, ...]
    segment: tuple[int, ...]
    mean: tuple[float, ...]
    upper: tuple[float, ...]
    lower: tuple[float, ...]
    near_upper: tuple[float, ...]
    near_lower: tuple[float, ...]
    moving_range: tuple[float, ...]
    mr_bar: tuple[float, ...]
    point_type: tuple[str | None, ...]
    rule: tuple[str | None, ...]
    variation: str | None
    assurance: str | None
    improvement: str
    target: float | None
    warning: str | None

    def __len__(self) -> int:
        return len(self.values)

    @property
    def last_index(self) -> int | None:
        """Position of the last non-missing point, or None."""
        for i in range(len(self.values) - 1, -1, -1):
            if not math.isnan(self.values[i]):
                return i
        return None

    @property
    def last_point_type(self) -> str | None:
        i = self.last_index
        return None if i is None else self.point_type[i]

    @property
    def last_rule(self) -> str | None:
        i = self.last_index
        return None if i is None else self.rule[i]

    def to_frame(self) -> pd.DataFrame:
        """One row per point for charts: x, value, segment, mean, limits, moving range, type, rule, colour."""
        frame = pd.DataFrame(
            {
                "x": list(self.x),
                "value": self.values,
                "segment": self.segment,
                "mean": self.mean,
                "lower": self.lower,
                "upper": self.upper,
                "near_lower": self.near_lower,
                "near_upper": self.near_upper,
                "moving_range": self.moving_range,
                "mr_bar": self.mr_bar,
                "point_type": pd.array(self.point_type, dtype="object"),
                "rule": pd.array(self.rule, dtype="object"),
                "colour": [COLOURS[t] if t is not None else None for t in self.point_type],
            }
        )
        frame["target"] = np.nan if self.target is None else float(self.target)
        return frame


# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


def _as_values(values: Any) -> tuple[np.ndarray, list[Hashable], pd.Index | None]:
    if isinstance(values, pd.Series):
        if values.index.has_duplicates:
            raise ValueError("values has duplicate index labels (dates); each period must appear once")
        array = pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan)
        return array, list(values.index), values.index
    items = list(values)
    try:
        array = np.array([np.nan if v is None else v for v in items], dtype=float)
    except (TypeError, ValueError):
        raise ValueError("values must be numbers (None or NaN for missing)") from None
    return array, list(range(len(array))), None


def _segment_starts(rebase_at: Iterable[Any], n: int, index: pd.Index | None) -> list[int]:
    starts = {0}
    for item in rebase_at:
        if index is not None and item in index:
            position = index.get_loc(item)
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            position = int(item)
        else:
            raise ValueError(f"rebase point {item!r} is neither an index label of values nor a position")
        if not isinstance(position, (int, np.integer)) or not 0 <= position < max(n, 1):
            raise ValueError(f"rebase point {item!r} is outside the series (0 to {n - 1})")
        starts.add(int(position))
    return sorted(starts)


def _nanmean(values: np.ndarray) -> float:
    finite = values[~np.isnan(values)]
    return float(finite.mean()) if len(finite) else math.nan


def _runs(signs: np.ndarray) -> list[tuple[int, int, int]]:
    """Maximal runs of equal non-zero signs: (start, end inclusive, sign)."""
    runs = []
    start = 0
    n = len(signs)
    for i in range(1, n + 1):
        if i == n or signs[i] != signs[start]:
            if signs[start] != 0:
                runs.append((start, i - 1, int(signs[start])))
            start = i
    return runs


def _limits(y: np.ndarray, fix_after: int | None, screen_outliers: bool) -> tuple[float, float]:
    basis = y if fix_after is None else y[:fix_after]
    mean = _nanmean(basis)
    moving_ranges = np.abs(np.diff(basis))  # NaN next to a missing value
    mr_bar = _nanmean(moving_ranges)
    if screen_outliers and not math.isnan(mr_bar) and mr_bar > 0:
        kept = moving_ranges[~np.isnan(moving_ranges) & (moving_ranges < SCREEN_LIMIT * mr_bar)]
        mr_bar = float(kept.mean()) if len(kept) else math.nan
    return mean, mr_bar


def _flag_segment(
    y: np.ndarray, mean: float, upper: float, lower: float, near_upper: float, near_lower: float
) -> tuple[list[str | None], np.ndarray]:
    """Rule label and direction (+1 high, −1 low, 0 none) for each point of one segment."""
    n = len(y)
    with np.errstate(invalid="ignore"):
        side = np.nan_to_num(np.sign(y - mean), nan=0.0)
        outside = (y > upper) | (y < lower)
        near = ~outside & ((y > near_upper) | (y < near_lower))
    labels: list[str | None] = [None] * n
    direction = np.zeros(n, dtype=int)

    def flag(i: int, label: str, sign: int) -> None:
        if labels[i] is None:
            labels[i] = label
            direction[i] = sign

    # 1. Outside the process limits (strictly).
    for i in np.flatnonzero(outside):
        high = y[i] > upper
        flag(int(i), RULE_ABOVE_UCL if high else RULE_BELOW_LCL, 1 if high else -1)
    # 2. Trend: 6 successive differences of one sign; ties and gaps break it; all 7+ points flagged.
    steps = np.nan_to_num(np.sign(np.diff(y)), nan=0.0)
    for start, end, sign in _runs(steps):
        if end - start + 1 >= RUN_LENGTH - 1:
            for i in range(start, end + 2):
                flag(i, RULE_TREND_UP if sign > 0 else RULE_TREND_DOWN, sign)
    # 3. Two of three in the near band, all three on one side of the mean; only band points flagged.
    for i in range(n - 2):
        window = slice(i, i + 3)
        sides = side[window]
        if sides[0] != 0 and (sides == sides[0]).all() and near[window].sum() >= 2:
            sign = int(sides[0])
            for j in range(i, i + 3):
                if near[j]:
                    flag(j, RULE_TWO_IN_THREE_ABOVE if sign > 0 else RULE_TWO_IN_THREE_BELOW, sign)
    # 4. Shift: 7 or more consecutive points on one side; a point on the mean (or missing) breaks it.
    for start, end, sign in _runs(side):
        if end - start + 1 >= RUN_LENGTH:
            for i in range(start, end + 1):
                flag(i, RULE_SHIFT_ABOVE if sign > 0 else RULE_SHIFT_BELOW, sign)
    return labels, direction


def _point_type(direction: int, improvement: str) -> str:
    if direction == 0:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neutral_high" if direction > 0 else "special_cause_neutral_low"
    improving = (direction > 0) == (improvement == "increase")
    return "special_cause_improvement" if improving else "special_cause_concern"


def _variation_icon(point_type: str | None, improvement: str) -> str | None:
    if point_type is None:
        return None
    if point_type == "common_cause":
        return "common_cause"
    if point_type == "special_cause_neutral_high":
        return "neutral_high"
    if point_type == "special_cause_neutral_low":
        return "neutral_low"
    high = "_high" if improvement == "increase" else "_low"
    low = "_low" if improvement == "increase" else "_high"
    if point_type == "special_cause_improvement":
        return "improvement" + high
    return "concern" + low


def _assurance(target: float | None, improvement: str, upper: float, lower: float) -> str | None:
    if target is None or improvement == "neutral" or math.isnan(upper) or math.isnan(lower):
        return None
    if target > upper:
        return "fail" if improvement == "increase" else "pass"
    if target < lower:
        return "pass" if improvement == "increase" else "fail"
    return "hit_and_miss"


# ---------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------


def xmr(
    values: Sequence[float | None] | pd.Series,
    *,
    improvement: str = "neutral",
    target: float | None = None,
    screen_outliers: bool = False,
    rebase_at: Iterable[Any] = (),
    fix_after: int | None = None,
) -> SpcResult:
    """XmR chart of a series in time order, as NHSRplotthedots implements Making Data Count (docs/methods.md).

    Parameters
    ----------
    values
        The series in time order; a pandas Series keeps its index (e.g. month) as ``x``. None/NaN are
        missing and are ignored in the mean and mR̄.
    improvement
        "increase" (higher is better), "decrease" (lower is better) or "neutral".
    target
        Optional target; gives the assurance icon when the direction is not neutral.
    screen_outliers
        Drop moving ranges ≥ 3.267 mR̄ before the limits (NHSRplotthedots' default). False, the
        default here, matches the NHS England Making Data Count Excel tool.
    rebase_at
        Points where a new segment starts (index labels of a Series, or 0-based positions); each
        segment gets its own mean, limits and rules.
    fix_after
        Take the mean and mR̄ from the first ``fix_after`` points of each segment (default: all points).
    """
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(f"improvement must be one of {IMPROVEMENT_DIRECTIONS}, got {improvement!r}")
    if fix_after is not None and (
        isinstance(fix_after, bool) or not isinstance(fix_after, int) or fix_after < 1
    ):
        raise ValueError(f"fix_after must be a whole number of points ≥ 1, got {fix_after!r}")
    if target is not None:
        target = float(target)
        if math.isnan(target):
            target = None
    y, x, index = _as_values(values)
    n = len(y)
    starts = _segment_starts(rebase_at, n, index)
    bounds = list(zip(starts, [*starts[1:], n], strict=True)) if n else []

    columns = {
        k: np.full(n, np.nan) for k in ("mean", "upper", "lower", "near_upper", "near_lower", "mr_bar")
    }
    segment = np.zeros(n, dtype=int)
    rules: list[str | None] = [None] * n
    directions = np.zeros(n, dtype=int)
    short: list[tuple[int, int]] = []
    for number, (start, end) in enumerate(bounds):
        part = y[start:end]
        mean, mr_bar = _limits(part, fix_after, screen_outliers)
        upper, lower = mean + LIMIT * mr_bar, mean - LIMIT * mr_bar
        near_upper, near_lower = mean + NEAR_LIMIT * mr_bar, mean - NEAR_LIMIT * mr_bar
        for key, value in (
            ("mean", mean),
            ("upper", upper),
            ("lower", lower),
            ("near_upper", near_upper),
            ("near_lower", near_lower),
            ("mr_bar", mr_bar),
        ):
            columns[key][start:end] = value
        segment[start:end] = number
        labels, direction = _flag_segment(part, mean, upper, lower, near_upper, near_lower)
        rules[start:end] = labels
        directions[start:end] = direction
        observed = int((~np.isnan(part)).sum())
        if observed < WARNING_THRESHOLD:
            short.append((number, observed))

    missing = np.isnan(y)
    point_types = [None if missing[i] else _point_type(int(directions[i]), improvement) for i in range(n)]
    moving_range = np.concatenate([[np.nan], np.abs(np.diff(y))]) if n else np.array([])
    for start in starts[1:]:
        moving_range[start] = np.nan  # no moving range across a rebase

    observed_positions = np.flatnonzero(~missing)
    last = int(observed_positions[-1]) if len(observed_positions) else None
    variation = None if last is None else _variation_icon(point_types[last], improvement)
    assurance = None
    if last is not None:
        assurance = _assurance(target, improvement, columns["upper"][last], columns["lower"][last])

    warning = None
    if short:
        if len(bounds) == 1:
            warning = (
                f"Only {short[0][1]} points: limits from fewer than {WARNING_THRESHOLD} points are trial "
                "limits and may change as more data arrive."
            )
        else:
            parts = ", ".join(f"segment {s + 1} has {k}" for s, k in short)
            warning = (
                f"Fewer than {WARNING_THRESHOLD} points ({parts}): limits from so few points are trial "
                "limits and may change as more data arrive."
            )

    return SpcResult(
        x=tuple(x),
        values=tuple(float(v) for v in y),
        segment=tuple(int(s) for s in segment),
        mean=tuple(float(v) for v in columns["mean"]),
        upper=tuple(float(v) for v in columns["upper"]),
        lower=tuple(float(v) for v in columns["lower"]),
        near_upper=tuple(float(v) for v in columns["near_upper"]),
        near_lower=tuple(float(v) for v in columns["near_lower"]),
        moving_range=tuple(float(v) for v in moving_range),
        mr_bar=tuple(float(v) for v in columns["mr_bar"]),
        point_type=tuple(point_types),
        rule=tuple(rules),
        variation=variation,
        assurance=assurance,
        improvement=improvement,
        target=target,
        warning=warning,
    )


def xmr_by_group(
    frame: pd.DataFrame, value_col: str, by: Sequence[str], *, x_col: str | None = None, **options: Any
) -> dict[Hashable, SpcResult]:
    """One independent XmR chart per group (facet), e.g. per ethnic group or ward.

    Rows are taken in ``x_col`` order when given (else frame order); ``options`` go to :func:`xmr`.
    Returns a dict keyed by group value (a tuple when ``by`` has several columns).
    """
    by = [by] if isinstance(by, str) else list(by)
    results: dict[Hashable, SpcResult] = {}
    ordered = frame.sort_values(x_col, kind="stable") if x_col else frame
    for key, group in ordered.groupby(by if len(by) > 1 else by[0], sort=False):
        series = group.set_index(x_col)[value_col] if x_col else group[value_col].reset_index(drop=True)
        results[key] = xmr(series, **options)
    return results
