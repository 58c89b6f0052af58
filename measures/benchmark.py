"""Comparing a unit (a team) with a benchmark (its service line, the trust), as Fingertips does.

Fingertips marks an area "higher" or "lower" than its benchmark only when the area's confidence
interval excludes the benchmark's value; otherwise the difference is "similar" (here: "no clear
difference"). The words "better" and "worse" come from the measure's polarity.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from measures.catalogue import Catalogue, Measure
from measures.disclosure import DisclosurePolicy, PublishedTable, Totals, publish_table
from measures.stats import (
    crude_rates,
    dsr,
    dsr_ratio,
    esp2013,
    proportions,
    rate_ratios,
    relative_likelihoods,
)

HIGHER, LOWER, SIMILAR, NOT_COMPARED = "higher", "lower", "similar", "not_compared"
LEVELS = ("team", "service_line", "trust")


def compare_with_benchmark(lower: float | None, upper: float | None, benchmark: float | None) -> str:
    """'higher' when the whole CI is above the benchmark, 'lower' when below, else 'similar';
    'not_compared' when a value is missing."""
    values = (lower, upper, benchmark)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
        return NOT_COMPARED
    if lower > benchmark:
        return HIGHER
    if upper < benchmark:
        return LOWER
    return SIMILAR


def reading(comparison: str, polarity: str, benchmark_name: str) -> str:
    """A short plain-English reading, e.g. 'Higher than the trust (worse)' or 'No clear difference'."""
    if comparison == NOT_COMPARED:
        return "Too few to compare"
    if comparison == SIMILAR:
        return f"No clear difference from {benchmark_name}"
    direction = "Higher" if comparison == HIGHER else "Lower"
    judgement = ""
    if polarity == "higher_is_better":
        judgement = " (better)" if comparison == HIGHER else " (worse)"
    elif polarity == "lower_is_better":
        judgement = " (worse)" if comparison == HIGHER else " (better)"
    return f"{direction} than {benchmark_name}{judgement}"


def _estimates(measure: Measure, numerators: pd.Series, denominators: pd.Series) -> pd.DataFrame:
    """Value and CI on the scale shown: % for proportions, per ``multiplier`` for rates."""
    if measure.method == "proportion":
        frame = proportions(numerators, denominators, confidence=measure.confidence)
        scale = 100.0
    elif measure.method == "crude_rate":
        per = measure.multiplier or 100_000
        frame = crude_rates(numerators, denominators, per=per, confidence=measure.confidence)
        scale = 1.0
    else:
        raise ValueError(f"{measure.id}: method {measure.method!r} has no team-level form")
    return frame[["value", "lower", "upper"]].astype(float) * scale


def team_benchmark_table(
    counts: pd.DataFrame,
    catalogue: Catalogue,
    *,
    policy: DisclosurePolicy,
    show_service_line: bool = True,
) -> PublishedTable:
    """One row per catalogue measure with team-level counts: the team, its service line and the trust,
    each with value and CI, and readings against the service line and the trust.

    ``counts`` has columns level ('team', 'service_line', 'trust'), measure_id, numerator, denominator
    (the shape of ``queries.team.team_comparison``). Measures without a team row, or with a team
    denominator of 0, are left out. Counts are suppressed and rounded by ``policy``; a team figure
    whose counts are suppressed is blank, and so is its reading.
    """
    rows = []
    for measure in catalogue:
        block = counts[counts["measure_id"] == measure.id].set_index("level")
        if "team" not in block.index or block.loc["team", "denominator"] <= 0:
            continue
        row = {"measure_id": measure.id, "measure": measure.title, "unit": measure.unit}
        for level in LEVELS:
            if level == "service_line" and not show_service_line:
                continue
            if level not in block.index or block.loc[level, "denominator"] <= 0:
                row.update({f"{level}_numerator": np.nan, f"{level}_denominator": np.nan})
                row.update({f"{level}_{k}": np.nan for k in ("value", "lower", "upper")})
                continue
            numerator = block.loc[level, "numerator"]
            denominator = block.loc[level, "denominator"]
            estimate = _estimates(measure, pd.Series([numerator]), pd.Series([denominator])).iloc[0]
            row.update({f"{level}_numerator": float(numerator), f"{level}_denominator": float(denominator)})
            row.update({f"{level}_{k}": float(estimate[k]) for k in ("value", "lower", "upper")})
        rows.append(row)
    levels = [lv for lv in LEVELS if show_service_line or lv != "service_line"]
    columns = ["measure_id", "measure", "unit"] + [
        f"{lv}_{k}" for lv in levels for k in ("numerator", "denominator", "value", "lower", "upper")
    ]
    frame = pd.DataFrame(rows, columns=columns)
    count_columns = [f"{lv}_{k}" for lv in levels for k in ("numerator", "denominator")]
    derived = {
        tuple(f"{lv}_{k}" for k in ("value", "lower", "upper")): (f"{lv}_numerator", f"{lv}_denominator")
        for lv in levels
    }
    published = publish_table(frame, counts=count_columns, derived=derived, policy=policy)
    return published


def readings(published: PublishedTable, catalogue: Catalogue, *, show_service_line: bool = True) -> pd.Series:
    """Readings of the team against the trust (and service line), computed from published figures only,
    so a suppressed team figure can never produce a reading that hints at it."""
    frame = published.frame
    out = []
    for _, row in frame.iterrows():
        measure = catalogue[row["measure_id"]]
        parts = [
            reading(
                compare_with_benchmark(
                    _num(row["team_lower"]), _num(row["team_upper"]), _num(row["trust_value"])
                ),
                measure.polarity,
                "the trust",
            )
        ]
        if show_service_line and "service_line_value" in frame.columns:
            service = compare_with_benchmark(
                _num(row["team_lower"]), _num(row["team_upper"]), _num(row["service_line_value"])
            )
            if service != NOT_COMPARED:
                parts.append(reading(service, measure.polarity, "the service").lower())
        out.append("; ".join(parts))
    return pd.Series(out, index=frame.index, dtype="object")


def _num(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def group_rate_table(
    groups: pd.DataFrame,
    *,
    reference: str,
    policy: DisclosurePolicy,
    per: float = 100_000,
    group_column: str = "group",
    extra_counts: tuple[str, ...] = (),
    reference_counts: tuple[int, int] | None = None,
) -> PublishedTable:
    """Rates per ``per`` for each group with CIs, and each group's rate ratio to the ``reference`` group
    with its log-method CI, through disclosure control.

    ``groups`` has columns ``group_column``, events and population (groups without a population, such
    as "not stated", must be left out by the caller). The reference's (events, population) come from its
    row, or from ``reference_counts`` when the reference is not a row (detailed groups compared with the
    broad reference group). A ratio rests on both groups' events, so it is blanked when either is
    suppressed; a row that is the reference gets no ratio (it is 1 by definition). The events column adds
    up to a published total, so secondary suppression applies. ``extra_counts`` are further count
    columns carried through (e.g. distinct people).
    """
    frame = groups[[group_column, "events", "population", *extra_counts]].reset_index(drop=True).copy()
    frame["events"] = frame["events"].astype("int64")
    frame["population"] = frame["population"].astype("int64")
    if reference_counts is None:
        if reference not in set(frame[group_column]):
            raise ValueError(f"the reference group {reference!r} is not in the table")
        row = frame[frame[group_column] == reference].iloc[0]
        reference_counts = (int(row["events"]), int(row["population"]))
    reference_events, reference_population = (int(v) for v in reference_counts)
    frame["reference_events"] = reference_events
    rates = crude_rates(frame["events"], frame["population"], per=per)
    n = len(frame)
    ratios = (
        rate_ratios(frame["events"], frame["population"], [reference_events] * n, [reference_population] * n)
        if reference_population > 0 and n
        else pd.DataFrame({c: [np.nan] * n for c in ("value", "lower", "upper")})
    )
    is_reference = (frame[group_column] == reference).to_numpy()
    for column in ("value", "lower", "upper"):
        frame[column] = rates[column].astype(float).to_numpy()
        frame[f"ratio_{column}"] = np.where(is_reference, np.nan, ratios[column].astype(float).to_numpy())
    return publish_table(
        frame,
        counts=["events", "reference_events", *extra_counts],
        derived={
            ("value", "lower", "upper"): ("events",),
            ("ratio_value", "ratio_lower", "ratio_upper"): ("events", "reference_events"),
        },
        public=["population"],
        policy=policy,
        totals=[Totals(by=(), columns=("events",))],
    )


def group_proportion_table(
    groups: pd.DataFrame,
    *,
    numerator: str,
    denominator: str,
    reference: str,
    policy: DisclosurePolicy,
    group_column: str = "group",
) -> PublishedTable:
    """Percentages with Wilson CIs for each group, and each group's relative likelihood to the
    ``reference`` group (ratio of proportions, log-method CI), through disclosure control.

    Output columns: group, numerator, denominator (counts), value/lower/upper (percent),
    ratio_value/ratio_lower/ratio_upper (the reference row blank), reference_numerator and
    reference_denominator (counts the ratio rests on).
    """
    if reference not in set(groups[group_column]):
        raise ValueError(f"the reference group {reference!r} is not in the table")
    frame = pd.DataFrame(
        {
            group_column: groups[group_column].to_numpy(),
            "numerator": groups[numerator].astype("int64").to_numpy(),
            "denominator": groups[denominator].astype("int64").to_numpy(),
        }
    )
    frame = frame[frame["denominator"] > 0].reset_index(drop=True)
    ref = frame[frame[group_column] == reference]
    if ref.empty:
        raise ValueError(f"the reference group {reference!r} has no denominator")
    ref = ref.iloc[0]
    n = len(frame)
    shares = proportions(frame["numerator"], frame["denominator"])
    ratios = relative_likelihoods(
        frame["numerator"], frame["denominator"], [int(ref["numerator"])] * n, [int(ref["denominator"])] * n
    )
    is_reference = (frame[group_column] == reference).to_numpy()
    frame["reference_numerator"] = int(ref["numerator"])
    frame["reference_denominator"] = int(ref["denominator"])
    for column in ("value", "lower", "upper"):
        frame[column] = shares[column].astype(float).to_numpy() * 100
        frame[f"ratio_{column}"] = np.where(is_reference, np.nan, ratios[column].astype(float).to_numpy())
    return publish_table(
        frame,
        counts=["numerator", "denominator", "reference_numerator", "reference_denominator"],
        derived={
            ("value", "lower", "upper"): ("numerator", "denominator"),
            ("ratio_value", "ratio_lower", "ratio_upper"): (
                "numerator",
                "denominator",
                "reference_numerator",
                "reference_denominator",
            ),
        },
        policy=policy,
        totals=[Totals(by=(), columns=("numerator",))],
    )


def standardised_rate_table(
    cells: pd.DataFrame,
    *,
    reference: str,
    policy: DisclosurePolicy,
    group_column: str = "broad_group",
    band_column: str = "esp2013_band",
) -> PublishedTable:
    """Directly standardised rates per 100,000 (ESP2013, Dobson CI; docs/methods.md) for each group, and
    each group's ratio of DSRs to the ``reference`` group (approximate log CI, docs/methods.md, labelled
    approximate), through disclosure control.

    The ESP2013 bands 85-89 and 90+ are merged (weight 2,500) because small local populations are often
    empty at 90+. A group with fewer than 10 events, or with an empty age band, gets no DSR (Fingertips
    does not publish a DSR below 10 events).
    """
    standard = esp2013()
    weights = {band: weight for band, weight in standard.items() if band not in ("85-89", "90+")}
    weights["85+"] = standard["85-89"] + standard["90+"]
    frame = cells.assign(band=cells[band_column].replace({"85-89": "85+", "90+": "85+"}))
    grouped = frame.groupby([group_column, "band"], as_index=False)[["events", "population"]].sum()
    rows = []
    inputs: dict[str, tuple[list[float], list[float]]] = {}
    for group, block in grouped.groupby(group_column, sort=False):
        by_band = block.set_index("band")
        counts = [float(by_band["events"].get(b, 0)) for b in weights]
        populations = [float(by_band["population"].get(b, 0)) for b in weights]
        inputs[group] = (counts, populations)
        try:
            estimate = dsr(counts, populations, standard=weights)
        except ValueError:  # an age band with no population
            estimate = None
        rows.append(
            {
                group_column: group,
                "events": int(sum(counts)),
                "value": np.nan if estimate is None or estimate.value is None else estimate.value,
                "lower": np.nan if estimate is None or estimate.lower is None else estimate.lower,
                "upper": np.nan if estimate is None or estimate.upper is None else estimate.upper,
            }
        )
    table = pd.DataFrame(rows)
    if reference not in inputs:
        raise ValueError(f"the reference group {reference!r} is not in the table")
    ref_counts, ref_populations = inputs[reference]
    table["reference_events"] = int(sum(ref_counts))
    for column in ("ratio_value", "ratio_lower", "ratio_upper"):
        table[column] = np.nan
    for index, row in table.iterrows():
        if row[group_column] == reference:
            continue
        counts, populations = inputs[row[group_column]]
        try:
            ratio = dsr_ratio(counts, populations, ref_counts, ref_populations, standard=weights)
        except ValueError:
            continue
        for column, value in (
            ("ratio_value", ratio.value),
            ("ratio_lower", ratio.lower),
            ("ratio_upper", ratio.upper),
        ):
            table.loc[index, column] = np.nan if value is None else value
    return publish_table(
        table,
        counts=["events", "reference_events"],
        derived={
            ("value", "lower", "upper"): ("events",),
            ("ratio_value", "ratio_lower", "ratio_upper"): ("events", "reference_events"),
        },
        policy=policy,
        totals=[Totals(by=(), columns=("events",))],
    )
