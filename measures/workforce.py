"""Workforce representation: WRES indicators 1–4 and 9, each band against the community, targets.

Pure functions over the counts that ``queries.workforce`` returns (docs/methods.md). Every table leaves
here as a :class:`~measures.disclosure.PublishedTable`, so counts are suppressed and rounded, shares and
ratios are blanked with their counts, and secondary suppression protects cells that add up to a
published total.

- BME is every known non-White group; Not stated (Z) and Not known (99) are left out of every share
  and ratio (docs/methods.md) but counted in the headcount.
- Shares carry Wilson intervals (``measures.stats.proportions``); relative likelihoods carry the
  log-method interval of ``measures.stats.relative_likelihoods``, which WRES does not publish (our
  addition, labelled).
- A band "reflects the community" only when its interval includes the community share; it is
  "under-represented" only when the whole interval lies below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from measures.disclosure import DisclosurePolicy, PublishedTable, RowTotals, Totals, publish_table
from measures.ethnicity import ASIAN, BLACK, BME, MIXED, OTHER, WHITE
from measures.stats import Estimate, proportions, relative_likelihood, relative_likelihoods

__all__ = [
    "BAND_ORDER",
    "BME_GROUPS",
    "OVER",
    "REFLECTS",
    "TARGET_MEASURES",
    "UNDER",
    "TargetProgress",
    "board_table",
    "characteristic_table",
    "group_wide",
    "likelihood_estimate",
    "likelihood_table",
    "representation_table",
    "representation_verdict",
    "share",
    "survey_table",
    "target_progress",
    "target_scale",
    "trend_table",
]

#: Pay bands in WRES order: Agenda for Change 1–9 (8a–8d), VSM, then medical and dental grades.
BAND_ORDER: tuple[str, ...] = (
    "1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM",
    "Medical: Consultant", "Medical: SAS doctor", "Medical: Doctor in training",
)  # fmt: skip
BME_GROUPS: tuple[str, ...] = (MIXED, ASIAN, BLACK, OTHER)
GROUP_COLUMNS = {WHITE: "white", MIXED: "mixed", ASIAN: "asian", BLACK: "black", OTHER: "other"}

#: Band groups behind the demo's targets (and any trust's of the same ids).
BAND_GROUPS: dict[str, tuple[str, ...]] = {
    "8a_plus": ("8a", "8b", "8c", "8d", "9", "VSM"),
    "8c_plus": ("8c", "8d", "9", "VSM"),
}

REFLECTS = "reflects the community"
UNDER = "under-represented"
OVER = "above the community share"


def band_sort_key(band: str) -> tuple[int, str]:
    """Position of a pay band in WRES order; unknown bands go last, alphabetically."""
    return (BAND_ORDER.index(band), "") if band in BAND_ORDER else (len(BAND_ORDER), str(band))


# ---------------------------------------------------------------------------------------------------------
# Counts by group, wide
# ---------------------------------------------------------------------------------------------------------


def group_wide(long: pd.DataFrame, by: str | Sequence[str], *, value: str = "staff") -> pd.DataFrame:
    """Long counts by NHS broad group to one row per ``by``: white, mixed, asian, black, other, bme,
    not_recorded (Not stated + Not known) and the total ``staff`` (or ``value``)."""
    keys = [by] if isinstance(by, str) else list(by)
    columns = [*GROUP_COLUMNS.values(), "bme", "not_recorded", value]
    if long.empty:
        return pd.DataFrame(columns=[*keys, *columns])
    group = long["broad_group"].map(GROUP_COLUMNS).fillna("not_recorded")
    wide = (
        long.assign(_group=group)
        .pivot_table(index=keys, columns="_group", values=value, aggfunc="sum", fill_value=0)
        .reindex(columns=[*GROUP_COLUMNS.values(), "not_recorded"], fill_value=0)
    )
    wide["bme"] = wide[[GROUP_COLUMNS[g] for g in BME_GROUPS]].sum(axis=1)
    wide[value] = wide[[*GROUP_COLUMNS.values(), "not_recorded"]].sum(axis=1)
    wide = wide.reset_index()[[*keys, *columns]]
    wide.columns.name = None
    for column in columns:
        wide[column] = wide[column].astype("int64")
    return wide


def share(bme: float, white: float) -> float | None:
    """BME share of staff with a known ethnic group (fraction), or None when there is nobody."""
    known = bme + white
    return bme / known if known else None


# ---------------------------------------------------------------------------------------------------------
# WRES 1 and the community comparison
# ---------------------------------------------------------------------------------------------------------


def representation_verdict(lower: float | None, upper: float | None, reference: float | None) -> str:
    """Where a share's confidence interval sits against a reference share (all fractions or all %).

    Only an interval wholly below the reference is "under-represented" and only one wholly above is
    "above the community share"; an interval that includes the reference "reflects the community"
    (which, for a small band, may only mean the data cannot tell). Empty when anything is missing.
    """
    values = (lower, upper, reference)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA for v in values):
        return ""
    if upper < reference:
        return UNDER
    if lower > reference:
        return OVER
    return REFLECTS


def _with_text(
    frame: pd.DataFrame, text: dict[str, pd.Series], blank_when: dict[str, str], **publish_args
) -> PublishedTable:
    """Publish ``frame``, then add text columns blanked wherever the figure they describe is suppressed.

    Text is not a number, so publish_table would not blank it: publish once to learn the mask, blank the
    text where its figure is hidden, and publish again (the same numbers give the same mask)."""
    first = publish_table(frame, **publish_args)
    out = frame.copy()
    for column, values in text.items():
        hidden = first.mask[blank_when[column]].to_numpy() | first.frame[blank_when[column]].isna().to_numpy()
        out[column] = pd.Series(values, index=frame.index).astype(object).where(~hidden, "")
    return publish_table(out, **publish_args)


def representation_table(
    wide: pd.DataFrame,
    *,
    key: str,
    workforce_share: float | None,
    population_share: float | pd.Series | None,
    policy: DisclosurePolicy,
    column_totals: bool = True,
) -> PublishedTable:
    """WRES 1 with the community comparison, one row per ``key`` (a pay band, a borough or a team).

    ``wide`` comes from :func:`group_wide`. Adds, as percentages: ``bme_pct`` with Wilson limits
    ``bme_lower``/``bme_upper``, each broad group's share (``white_pct`` … ``other_pct``), the ratio of the
    BME share to the workforce share (``ratio_workforce``) and to the community share
    (``ratio_population``; a number or a per-row Series), and the verdicts ``vs_workforce`` and
    ``vs_population`` (:func:`representation_verdict`).

    Disclosure: the table publishes staff with a known ethnic group (``known``), not the headcount, so
    that hiding a handful of unrecorded staff does not take the band's BME share with it (completeness is
    reported once, for the whole workforce). The broad groups add up to BME and White + BME to ``known``
    across each row; with ``column_totals`` every column also adds up over the rows to a published total
    (the whole workforce), so a lone hidden cell in a row or a column takes a second one with it.
    """
    frame = wide.copy().reset_index(drop=True).drop(columns=["not_recorded", "staff"], errors="ignore")
    frame["known"] = frame["white"] + frame["bme"]
    known = frame["known"]
    has_known = known > 0
    safe_known = known.where(has_known, 1)
    estimates = proportions(frame["bme"], safe_known)
    frame["bme_pct"] = (estimates["value"] * 100).where(has_known)
    frame["bme_lower"] = (estimates["lower"] * 100).where(has_known)
    frame["bme_upper"] = (estimates["upper"] * 100).where(has_known)
    for column in GROUP_COLUMNS.values():
        frame[f"{column}_pct"] = (frame[column] / safe_known * 100).where(has_known)
    if isinstance(population_share, pd.Series):
        population = population_share.reset_index(drop=True).astype(float)
    else:
        population = pd.Series(np.nan if population_share is None else population_share, index=frame.index)
    frame["population_pct"] = population * 100
    workforce_pct = np.nan if workforce_share is None else workforce_share * 100
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio_workforce"] = frame["bme_pct"] / workforce_pct if workforce_pct else np.nan
        frame["ratio_population"] = (frame["bme_pct"] / frame["population_pct"]).where(
            frame["population_pct"] > 0
        )
    vs_workforce = [
        representation_verdict(lo, up, workforce_pct)
        for lo, up in zip(frame["bme_lower"], frame["bme_upper"], strict=True)
    ]
    vs_workforce = [
        v.replace("the community share", "the workforce share").replace(REFLECTS, "similar")
        for v in vs_workforce
    ]
    vs_population = [
        representation_verdict(lo, up, pop)
        for lo, up, pop in zip(frame["bme_lower"], frame["bme_upper"], frame["population_pct"], strict=True)
    ]
    counts = [*GROUP_COLUMNS.values(), "bme", "known"]
    derived = {
        ("bme_pct", "bme_lower", "bme_upper", "ratio_workforce", "ratio_population"): ("bme", "known"),
        **{f"{c}_pct": (c, "known") for c in GROUP_COLUMNS.values()},
    }
    totals: list = [
        RowTotals(("white", "bme")),
        RowTotals(tuple(GROUP_COLUMNS[g] for g in BME_GROUPS)),
    ]
    if column_totals:
        totals.append(Totals(by=()))
    return _with_text(
        frame,
        {"vs_workforce": pd.Series(vs_workforce), "vs_population": pd.Series(vs_population)},
        {"vs_workforce": "bme_pct", "vs_population": "bme_pct"},
        counts=counts,
        derived=derived,
        public=["population_pct"],
        policy=policy,
        totals=totals,
    )


# ---------------------------------------------------------------------------------------------------------
# WRES 2, 3, 4: relative likelihoods
# ---------------------------------------------------------------------------------------------------------

#: For each indicator, which group is "a" (the numerator of the ratio) and which is "b".
LIKELIHOOD_ORDER = {2: (WHITE, BME), 3: (BME, WHITE), 4: (WHITE, BME)}


def _likelihood_wide(counts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for indicator in sorted(LIKELIHOOD_ORDER):
        part = counts[counts["indicator"] == indicator].set_index("wres_group")
        row = {"indicator": indicator}
        for group, prefix in ((WHITE, "white"), (BME, "bme")):
            row[f"{prefix}_events"] = int(part.loc[group, "events"]) if group in part.index else 0
            row[f"{prefix}_total"] = int(part.loc[group, "total"]) if group in part.index else 0
        rows.append(row)
    return pd.DataFrame(rows)


def likelihood_estimate(counts: pd.DataFrame, indicator: int) -> Estimate | None:
    """The relative likelihood of one indicator from the counts of one year (None if a group is empty)."""
    row = _likelihood_wide(counts).set_index("indicator").loc[indicator]
    a, b = ("white", "bme") if LIKELIHOOD_ORDER[indicator][0] == WHITE else ("bme", "white")
    if row[f"{a}_total"] == 0 or row[f"{b}_total"] == 0:
        return None
    return relative_likelihood(row[f"{a}_events"], row[f"{a}_total"], row[f"{b}_events"], row[f"{b}_total"])


def likelihood_table(counts: pd.DataFrame, policy: DisclosurePolicy) -> PublishedTable:
    """WRES 2, 3 and 4 for one year, one row each: the four counts, the two percentages, and the relative
    likelihood with its (our addition) log-method interval. ``counts`` has indicator, wres_group, events,
    total. The ratio is hidden when any of its four counts is."""
    frame = _likelihood_wide(counts)
    for prefix in ("white", "bme"):
        total = frame[f"{prefix}_total"]
        frame[f"{prefix}_pct"] = (frame[f"{prefix}_events"] / total.where(total > 0) * 100).astype(float)
    value, lower, upper = [], [], []
    for _, row in frame.iterrows():
        a, b = ("white", "bme") if LIKELIHOOD_ORDER[row["indicator"]][0] == WHITE else ("bme", "white")
        if row[f"{a}_total"] > 0 and row[f"{b}_total"] > 0:
            est = relative_likelihoods(
                [row[f"{a}_events"]], [row[f"{a}_total"]], [row[f"{b}_events"]], [row[f"{b}_total"]]
            ).iloc[0]
            value.append(est["value"])
            lower.append(est["lower"])
            upper.append(est["upper"])
        else:
            value.append(np.nan)
            lower.append(np.nan)
            upper.append(np.nan)
    frame["value"] = pd.Series(value, dtype=float)
    frame["lower"] = pd.Series(lower, dtype=float)
    frame["upper"] = pd.Series(upper, dtype=float)
    all_counts = ("white_events", "white_total", "bme_events", "bme_total")
    return publish_table(
        frame,
        counts=list(all_counts),
        derived={
            "white_pct": ("white_events", "white_total"),
            "bme_pct": ("bme_events", "bme_total"),
            ("value", "lower", "upper"): all_counts,
        },
        public=["indicator"],
        policy=policy,
    )


# ---------------------------------------------------------------------------------------------------------
# WRES 9: the board against the workforce
# ---------------------------------------------------------------------------------------------------------


def board_table(
    board: pd.DataFrame, workforce_bme: int, workforce_white: int, policy: DisclosurePolicy
) -> PublishedTable:
    """WRES 9 for one year, one row: board voting members with a known ethnic group (``board_known``),
    BME members, their share, the workforce's BME share and the difference in percentage points.

    The board's White count is in the table (not for display) so that White + BME add up to the published
    board total: if either is 1–4 the other is hidden too, and with the BME count goes the board share and
    the difference (which would give the count away on a board of a dozen people).
    """
    groups = board.set_index("wres_group")["members"] if not board.empty else pd.Series(dtype="int64")
    board_bme = int(groups.get(BME, 0))
    board_white = int(groups.get(WHITE, 0))
    board_known = board_bme + board_white
    workforce_known = workforce_bme + workforce_white
    board_pct = board_bme / board_known * 100 if board_known else np.nan
    workforce_pct = workforce_bme / workforce_known * 100 if workforce_known else np.nan
    frame = pd.DataFrame(
        {
            "board_known": [board_known],
            "board_bme": [board_bme],
            "board_white": [board_white],
            "board_not_recorded": [int(groups.get("Not recorded", 0))],
            "board_pct": [board_pct],
            "workforce_known": [workforce_known],
            "workforce_bme": [workforce_bme],
            "workforce_pct": [workforce_pct],
            "difference_pp": [board_pct - workforce_pct],
        }
    )
    return publish_table(
        frame,
        counts=[
            "board_known",
            "board_bme",
            "board_white",
            "board_not_recorded",
            "workforce_known",
            "workforce_bme",
        ],
        derived={
            "board_pct": ("board_bme", "board_white"),
            "workforce_pct": ("workforce_bme", "workforce_known"),
            "difference_pp": ("board_bme", "board_white", "workforce_bme", "workforce_known"),
        },
        policy=policy,
        totals=[RowTotals(("board_white", "board_bme"))],
    )


# ---------------------------------------------------------------------------------------------------------
# WRES 5–8: the staff survey as published
# ---------------------------------------------------------------------------------------------------------


def survey_table(survey: pd.DataFrame, year: int, policy: DisclosurePolicy) -> PublishedTable:
    """WRES 5–8 for one survey year, one row per indicator: White and BME percentages as published with
    their respondents (a percentage is hidden when its respondents are 1–4; missing respondents are
    treated as unknown and the percentage is shown as published)."""
    part = survey[survey["year"] == year]
    rows = []
    for indicator in sorted(part["indicator"].unique()):
        row: dict = {"indicator": int(indicator)}
        for group, prefix in ((WHITE, "white"), (BME, "bme")):
            match = part[(part["indicator"] == indicator) & (part["ethnic_group"] == group)]
            row[f"{prefix}_percent"] = float(match["percent"].iloc[0]) if len(match) else np.nan
            respondents = match["respondents"].iloc[0] if len(match) else pd.NA
            row[f"{prefix}_respondents"] = np.nan if respondents is pd.NA else float(respondents)
        rows.append(row)
    frame = pd.DataFrame(
        rows, columns=["indicator", "white_percent", "white_respondents", "bme_percent", "bme_respondents"]
    )
    return publish_table(
        frame,
        counts=["white_respondents", "bme_respondents"],
        derived={"white_percent": "white_respondents", "bme_percent": "bme_respondents"},
        public=["indicator"],
        policy=policy,
    )


# ---------------------------------------------------------------------------------------------------------
# Other characteristics
# ---------------------------------------------------------------------------------------------------------


def characteristic_table(
    long: pd.DataFrame, characteristic: str, categories: Sequence[str], policy: DisclosurePolicy
) -> tuple[PublishedTable, dict[str, str]]:
    """One characteristic (sex, disability or age band) by pay band: a count column per category (in the
    given order; categories not listed are added at the end), the band total, and each category's share
    of the band (%). Categories add up to the band total across a row and bands add up to the workforce
    down each column, so secondary suppression runs both ways. Returns the table and the category name
    of each count column (``n_0``, ``n_1`` …)."""
    part = long[long["characteristic"] == characteristic]
    wide = part.pivot_table(index="pay_band", columns="category", values="staff", aggfunc="sum", fill_value=0)
    order = [c for c in categories if c in wide.columns] + sorted(
        c for c in wide.columns if c not in categories
    )
    order = order or list(categories)
    wide = wide.reindex(columns=order, fill_value=0)
    names = {c: f"n_{i}" for i, c in enumerate(order)}
    frame = wide.rename(columns=names).reset_index()
    frame.columns.name = None
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: band_sort_key(frame["pay_band"].iloc[i]))]
    frame = frame.reset_index(drop=True)
    count_columns = list(names.values())
    frame["staff"] = frame[count_columns].sum(axis=1)
    safe = frame["staff"].where(frame["staff"] > 0)
    derived = {}
    for column in count_columns:
        frame[f"{column}_pct"] = frame[column] / safe * 100
        derived[f"{column}_pct"] = (column, "staff")
    totals: list = [Totals(by=())]
    if len(count_columns) >= 2:
        totals.append(RowTotals(tuple(count_columns)))
    table = publish_table(
        frame, counts=[*count_columns, "staff"], derived=derived, policy=policy, totals=totals
    )
    return table, {v: k for k, v in names.items()}


# ---------------------------------------------------------------------------------------------------------
# Trend and targets
# ---------------------------------------------------------------------------------------------------------


def trend_table(
    bands: pd.DataFrame, likelihoods: pd.DataFrame, board: pd.DataFrame, policy: DisclosurePolicy
) -> PublishedTable:
    """One row per WRES year: the BME share of the workforce, of bands 8a and above, of bands 8c and
    above (with Wilson limits), WRES 2, 3 and 4, and WRES 9, each published with its counts.

    ``bands`` has financial_year, pay_band, broad_group, staff (every year); ``likelihoods`` and ``board``
    are the query results for every year."""
    years = sorted(set(bands["financial_year"]))
    rows = []
    for year in years:
        row: dict = {"financial_year": year}
        wide = group_wide(bands[bands["financial_year"] == year], "pay_band")
        subsets = {"all": wide, **{k: wide[wide["pay_band"].isin(v)] for k, v in BAND_GROUPS.items()}}
        for name, part in subsets.items():
            bme, white = int(part["bme"].sum()), int(part["white"].sum())
            row[f"bme_{name}"], row[f"white_{name}"] = bme, white
            row[f"share_{name}"] = np.nan
            row[f"share_{name}_lower"] = np.nan
            row[f"share_{name}_upper"] = np.nan
            if bme + white:
                est = proportions([bme], [bme + white]).iloc[0]
                row[f"share_{name}"] = est["value"] * 100
                row[f"share_{name}_lower"] = est["lower"] * 100
                row[f"share_{name}_upper"] = est["upper"] * 100
        counts = likelihoods[likelihoods["financial_year"] == year]
        wide_l = _likelihood_wide(counts).set_index("indicator")
        for indicator in sorted(LIKELIHOOD_ORDER):
            for column in ("white_events", "white_total", "bme_events", "bme_total"):
                row[f"w{indicator}_{column}"] = int(wide_l.loc[indicator, column])
            est = likelihood_estimate(counts, indicator) if not counts.empty else None
            row[f"wres_{indicator}"] = np.nan if est is None or est.value is None else est.value
            row[f"wres_{indicator}_lower"] = np.nan if est is None or est.lower is None else est.lower
            row[f"wres_{indicator}_upper"] = np.nan if est is None or est.upper is None else est.upper
        groups = board[board["financial_year"] == year].set_index("wres_group")["members"]
        row["board_bme"], row["board_white"] = int(groups.get(BME, 0)), int(groups.get(WHITE, 0))
        board_known = row["board_bme"] + row["board_white"]
        board_pct = row["board_bme"] / board_known * 100 if board_known else np.nan
        row["wres_9"] = board_pct - row["share_all"]
        rows.append(row)
    frame = pd.DataFrame(rows)
    counts = [
        c
        for c in frame.columns
        if c.startswith(("bme_", "white_", "board_")) or "_events" in c or "_total" in c
    ]
    derived: dict = {}
    for name in ("all", *BAND_GROUPS):
        derived[(f"share_{name}", f"share_{name}_lower", f"share_{name}_upper")] = (
            f"bme_{name}",
            f"white_{name}",
        )
    for indicator in sorted(LIKELIHOOD_ORDER):
        derived[(f"wres_{indicator}", f"wres_{indicator}_lower", f"wres_{indicator}_upper")] = tuple(
            f"w{indicator}_{c}" for c in ("white_events", "white_total", "bme_events", "bme_total")
        )
    derived["wres_9"] = ("board_bme", "board_white", "bme_all", "white_all")
    return publish_table(
        frame,
        counts=counts,
        derived=derived,
        policy=policy,
        totals=[RowTotals(("board_white", "board_bme"))],
    )


#: Target measure ids (catalogue ids, and the short WRES ids some trusts use) → the trend_table column
#: holding the latest value. Shares are percentages in the trend and may be fractions in the target.
TARGET_MEASURES: dict[str, str] = {
    "workforce_bme_share_8a_plus": "share_8a_plus",
    "workforce_bme_share_8c_plus": "share_8c_plus",
    "workforce_bme_share": "share_all",
    "wres_2": "wres_2",
    "wres_2_shortlisting_relative_likelihood": "wres_2",
    "wres_3": "wres_3",
    "wres_3_disciplinary_relative_likelihood": "wres_3",
    "wres_4": "wres_4",
    "wres_4_training_relative_likelihood": "wres_4",
    "wres_9": "wres_9",
    "wres_9_board_difference": "wres_9",
}


def target_scale(column: str, baseline: float | None, target: float) -> float:
    """Factor from a trend value to the target's unit: shares are percentages in the trend; a share target
    written as a fraction (0.35, not 35) is compared as a fraction."""
    if not column.startswith("share_"):
        return 1.0
    values = [v for v in (baseline, target) if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return 0.01 if all(abs(v) <= 1 for v in values) else 1.0


@dataclass(frozen=True)
class TargetProgress:
    """Where a target stands: the value the straight path from baseline to target expects at ``as_of``,
    the latest value, and a verdict: "on track", "behind the path", "met", "not met by the due date" or
    "cannot be judged" (with ``reason``)."""

    expected: float | None
    latest: float | None
    verdict: str
    reason: str = ""


def _days(day: date | str) -> int:
    return (day if isinstance(day, date) else date.fromisoformat(str(day)[:10])).toordinal()


def target_progress(
    *,
    baseline: float | None,
    target: float,
    start: date | str | None,
    due: date | str,
    latest: float | None,
    as_of: date | str,
    increase: bool | None = None,
) -> TargetProgress:
    """Progress against a straight path from ``baseline`` at ``start`` to ``target`` at ``due``.

    "On track" only if the latest value is at or beyond the path at ``as_of`` (above it for a target that
    rises, below it for one that falls); "behind the path" otherwise. After the due date: "met" or "not
    met by the due date". Without a latest value (e.g. suppressed) or without a baseline and start date
    (no path to compare with) the verdict is "cannot be judged". The direction is taken from baseline
    and target unless ``increase`` is given.
    """
    if latest is None or (isinstance(latest, float) and math.isnan(latest)):
        return TargetProgress(
            None, None, "cannot be judged", "the latest figure is not available (suppressed or no data)"
        )
    up = increase if increase is not None else (baseline is None or target >= baseline)
    beyond = (lambda value, mark: value >= mark) if up else (lambda value, mark: value <= mark)
    now, end = _days(as_of), _days(due)
    if now >= end:
        return TargetProgress(target, latest, "met" if beyond(latest, target) else "not met by the due date")
    if beyond(latest, target):
        return TargetProgress(target, latest, "met")
    if baseline is None or start is None or (isinstance(baseline, float) and math.isnan(baseline)):
        return TargetProgress(None, latest, "cannot be judged", "the target has no baseline and start date")
    begin = _days(start)
    fraction = min(max((now - begin) / (end - begin), 0.0), 1.0) if end > begin else 1.0
    expected = baseline + (target - baseline) * fraction
    return TargetProgress(expected, latest, "on track" if beyond(latest, expected) else "behind the path")
