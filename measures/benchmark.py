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
from measures.disclosure import (
    DisclosurePolicy,
    Percentage,
    PublishedTable,
    Rate,
    Ratio,
    Totals,
    publish_table,
)
from measures.stats import crude_rates, dsr, dsr_ratio, esp2013, proportions

HIGHER, LOWER, SIMILAR, NOT_COMPARED = "higher", "lower", "similar", "not_compared"
LEVELS = ("team", "service_line", "trust")
#: A team percentage is not shown when its published denominator is smaller (docs/disclosure.md: 6 of 7
#: publishes as 5 of 5 = 100%).
MIN_PERCENTAGE_DENOMINATOR = 10


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
    denominator of 0, are left out. Counts are suppressed and rounded by ``policy``; every figure is
    computed from the published counts; a team figure whose counts are suppressed is blank, and so is its
    reading, as is a percentage on a published denominator under 10.
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
            row.update({f"{level}_numerator": float(numerator), f"{level}_denominator": float(denominator)})
            row.update({f"{level}_{k}": np.nan for k in ("value", "lower", "upper")})
        rows.append(row)
    levels = [lv for lv in LEVELS if show_service_line or lv != "service_line"]
    columns = ["measure_id", "measure", "unit"] + [
        f"{lv}_{k}" for lv in levels for k in ("numerator", "denominator", "value", "lower", "upper")
    ]
    frame = pd.DataFrame(rows, columns=columns)
    count_columns = [f"{lv}_{k}" for lv in levels for k in ("numerator", "denominator")]
    # Each row is a different measure (a percentage or a rate per 1,000 bed days), so the figures are
    # computed here, row by row, from the counts as published (rounded, "*" left blank); the table is then
    # published with the same counts, so its suppression matches the one the figures were computed from.
    counts_only = publish_table(frame[["measure_id", *count_columns]], counts=count_columns, policy=policy)
    published = counts_only.frame
    for level in levels:
        for index in frame.index:
            numerator = published.loc[index, f"{level}_numerator"]
            denominator = published.loc[index, f"{level}_denominator"]
            measure = catalogue[frame.loc[index, "measure_id"]]
            least = MIN_PERCENTAGE_DENOMINATOR if measure.method == "proportion" else 1
            usable = not (pd.isna(numerator) or pd.isna(denominator)) and float(denominator) >= least
            estimate = (
                _estimates(measure, pd.Series([float(numerator)]), pd.Series([float(denominator)])).iloc[0]
                if usable
                else None
            )
            for k in ("value", "lower", "upper"):
                frame.loc[index, f"{level}_{k}"] = (
                    np.nan if estimate is None else round(float(estimate[k]), 1)
                )
    derived = {
        tuple(f"{lv}_{k}" for k in ("value", "lower", "upper")): (f"{lv}_numerator", f"{lv}_denominator")
        for lv in levels
    }
    return publish_table(
        frame, counts=count_columns, derived=derived, policy=policy, derived_from_published=True
    )


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
    check: bool = False,
) -> PublishedTable:
    """Rates per ``per`` for each group with CIs, and each group's rate ratio to the ``reference`` group
    with its log-method CI, through disclosure control; every rate, ratio and interval is computed from
    the published (rounded) counts (:class:`measures.disclosure.Rate`, :class:`~measures.disclosure.Ratio`).

    ``groups`` has columns ``group_column``, events and population (groups without a population, such
    as "not stated", must be left out by the caller). The reference's (events, population) come from its
    row, or from ``reference_counts`` when the reference is not a row (detailed groups compared with the
    broad reference group). A ratio rests on both groups' events, so it is blanked when either is
    suppressed; a row that is the reference gets no ratio (it is 1 by definition). The events column adds
    up to a published total, so secondary suppression applies. ``extra_counts`` are further count
    columns carried through (e.g. distinct people). ``check`` also attacks the table and its total.
    """
    frame = rate_frame(groups, reference=reference, group_column=group_column, extra_counts=extra_counts,
                       reference_counts=reference_counts)  # fmt: skip
    return publish_table(
        frame,
        counts=["events", "reference_events", *extra_counts],
        figures=rate_figures(per),
        public=["population", "reference_population"],
        policy=policy,
        totals=[Totals(by=(), columns=("events",))],
        check=check,
    )


def rate_frame(
    groups: pd.DataFrame,
    *,
    reference: str,
    group_column: str = "group",
    extra_counts: tuple[str, ...] = (),
    reference_counts: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """The counts behind :func:`group_rate_table`: ``group_column``, events, population, the extra counts,
    and the reference's events and population on every row but the reference's own (where they are
    missing, so that row gets no ratio)."""
    frame = groups[[group_column, "events", "population", *extra_counts]].reset_index(drop=True).copy()
    frame["events"] = frame["events"].astype("int64")
    frame["population"] = frame["population"].astype("int64")
    if reference_counts is None:
        if reference not in set(frame[group_column]):
            raise ValueError(f"the reference group {reference!r} is not in the table")
        row = frame[frame[group_column] == reference].iloc[0]
        reference_counts = (int(row["events"]), int(row["population"]))
    reference_events, reference_population = (int(v) for v in reference_counts)
    is_reference = (frame[group_column] == reference).to_numpy()
    frame["reference_events"] = np.where(is_reference, np.nan, float(reference_events))
    frame["reference_population"] = np.where(is_reference, np.nan, float(reference_population))
    return frame


def rate_figures(
    per: float = 100_000,
    *,
    count: str = "events",
    population: str = "population",
    prefix: str = "",
    reference_count: str = "reference_events",
    reference_population: str = "reference_population",
) -> list:
    """The rate (value, lower, upper) and ratio (ratio_value, ratio_lower, ratio_upper) figures of a
    :func:`rate_frame`, computed from published counts; ``prefix`` names the output columns."""
    return [
        Rate(f"{prefix}value", count, population, per=per, lower=f"{prefix}lower", upper=f"{prefix}upper"),
        Ratio(
            f"{prefix}ratio_value",
            count,
            population,
            reference_count,
            reference_population,
            lower=f"{prefix}ratio_lower",
            upper=f"{prefix}ratio_upper",
        ),
    ]


def group_proportion_table(
    groups: pd.DataFrame,
    *,
    numerator: str,
    denominator: str,
    reference: str,
    policy: DisclosurePolicy,
    group_column: str = "group",
    min_denominator: int = 0,
    check: bool = False,
) -> PublishedTable:
    """Percentages with Wilson CIs for each group, and each group's relative likelihood to the
    ``reference`` group (ratio of proportions), through disclosure control, all computed from the
    published (rounded) numerators and denominators.

    The relative likelihood's interval is the log-method interval of a ratio of rates
    (:class:`measures.disclosure.Ratio`), which is a little wider than the ratio-of-proportions interval
    (it leaves out the ``- 1/n`` terms): conservative, never narrower.

    Output columns: group, numerator, denominator (counts), value/lower/upper (percent),
    ratio_value/ratio_lower/ratio_upper (the reference row blank), reference_numerator and
    reference_denominator (counts the ratio rests on). ``min_denominator`` hides a percentage whose
    published denominator is smaller.
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
    is_reference = (frame[group_column] == reference).to_numpy()
    frame["reference_numerator"] = np.where(is_reference, np.nan, float(ref["numerator"]))
    frame["reference_denominator"] = np.where(is_reference, np.nan, float(ref["denominator"]))
    return publish_table(
        frame,
        counts=["numerator", "denominator", "reference_numerator", "reference_denominator"],
        figures=[
            Percentage("value", "numerator", "denominator", lower="lower", upper="upper",
                       min_denominator=min_denominator),
            Ratio("ratio_value", "numerator", "denominator", "reference_numerator", "reference_denominator",
                  lower="ratio_lower", upper="ratio_upper"),
        ],
        policy=policy,
        totals=[Totals(by=(), columns=("numerator",))],
        check=check,
    )  # fmt: skip


def standardised_rate_table(
    cells: pd.DataFrame,
    *,
    reference: str,
    policy: DisclosurePolicy,
    group_column: str = "broad_group",
    band_column: str = "esp2013_band",
    reference_cells: pd.DataFrame | None = None,
) -> PublishedTable:
    """Directly standardised rates per 100,000 (ESP2013, Dobson CI; docs/methods.md) for each group, and
    each group's ratio of DSRs to the ``reference`` group (approximate log CI, docs/methods.md, labelled
    approximate), through disclosure control.

    The ESP2013 bands 85-89 and 90+ are merged (weight 2,500) because small local populations are often
    empty at 90+. A group with fewer than 10 events, or with an empty age band, gets no DSR (Fingertips
    does not publish a DSR below 10 events). ``reference_cells`` (``band_column``, events, population)
    are the reference's own when it is not a row (detailed groups compared with the broad reference).

    The rates rest on the **published** count: each group's events by age band are scaled to add up to
    its published (rounded) total before standardising, so a DSR agrees with the count beside it and
    carries nothing of the exact total (only the group's age profile). Groups are published by the
    same rule as every count (a group whose count is hidden has no DSR and no ratio).
    """
    standard = esp2013()
    weights = {band: weight for band, weight in standard.items() if band not in ("85-89", "90+")}
    weights["85+"] = standard["85-89"] + standard["90+"]
    frame = cells.assign(band=cells[band_column].replace({"85-89": "85+", "90+": "85+"}))
    grouped = frame.groupby([group_column, "band"], as_index=False)[["events", "population"]].sum()

    def by_band(block: pd.DataFrame) -> tuple[list[float], list[float]]:
        sums = block.groupby("band")[["events", "population"]].sum()
        return [float(sums["events"].get(b, 0)) for b in weights], [
            float(sums["population"].get(b, 0)) for b in weights
        ]

    inputs = {group: by_band(block) for group, block in grouped.groupby(group_column, sort=False)}
    outside = reference_cells is not None
    if outside:
        ref_frame = reference_cells.assign(
            band=reference_cells[band_column].replace({"85-89": "85+", "90+": "85+"})
        )
        ref_inputs = by_band(ref_frame)
    elif reference not in inputs:
        raise ValueError(f"the reference group {reference!r} is not in the table")
    else:
        ref_inputs = inputs[reference]
    table = pd.DataFrame({group_column: list(inputs), "events": [int(sum(c)) for c, _ in inputs.values()]})
    table["reference_events"] = int(sum(ref_inputs[0]))
    totals = [Totals(by=(), columns=("events",))]
    shown = publish_table(table, counts=["events", "reference_events"], policy=policy, totals=totals).frame

    def scaled(group: str, published: object) -> list[float] | None:
        counts = inputs[group][0]
        if pd.isna(published):
            return None
        total = sum(counts)
        return [0.0] * len(counts) if total == 0 else [c * float(published) / total for c in counts]

    published_counts = {g: scaled(g, shown.loc[i, "events"]) for i, g in enumerate(table[group_column])}
    if outside:
        ref_total, ref_shown = sum(ref_inputs[0]), shown.loc[0, "reference_events"] if len(shown) else None
        ref_counts = (
            None
            if ref_shown is None or pd.isna(ref_shown)
            else [c * float(ref_shown) / ref_total if ref_total else 0.0 for c in ref_inputs[0]]
        )
    else:
        ref_counts = published_counts[reference]
    ref_populations = ref_inputs[1]
    for column in ("value", "lower", "upper", "ratio_value", "ratio_lower", "ratio_upper"):
        table[column] = np.nan
    for index, group in enumerate(table[group_column]):
        counts, populations = published_counts[group], inputs[group][1]
        if counts is None:
            continue
        try:
            estimate = dsr(counts, populations, standard=weights)
        except ValueError:  # an age band with no population
            continue
        for column, value in (
            ("value", estimate.value),
            ("lower", estimate.lower),
            ("upper", estimate.upper),
        ):
            table.loc[index, column] = np.nan if value is None else round(value, 1)
        if (group == reference and not outside) or ref_counts is None:
            continue
        try:
            ratio = dsr_ratio(counts, populations, ref_counts, ref_populations, standard=weights)
        except ValueError:
            continue
        for column, value in (("ratio_value", ratio.value), ("ratio_lower", ratio.lower),
                              ("ratio_upper", ratio.upper)):  # fmt: skip
            table.loc[index, column] = np.nan if value is None else round(value, 2)
    # No disclosure.Figure computes a DSR, so the figures above are passed as derived columns; they rest
    # on the published counts only (see the docstring), and are blanked with them.
    return publish_table(
        table,
        counts=["events", "reference_events"],
        derived={
            ("value", "lower", "upper"): ("events",),
            ("ratio_value", "ratio_lower", "ratio_upper"): ("events", "reference_events"),
        },
        policy=policy,
        totals=totals,
        derived_from_published=True,
    )
