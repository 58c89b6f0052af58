"""Area figures: a measure's rate per 100,000 by borough or neighbourhood (for one ethnic group or
everyone), the summary sentence judged against the trust or borough, the breakdown by community with
ratios to the reference group, and a borough's teams. Used by the Areas page, the board overview's map,
the Service access map and the board pack alike."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures.benchmark import HIGHER, LOWER, SIMILAR, compare_with_benchmark
from measures.disclosure import PublishedTable, publish_table
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS
from measures.narrative import describe_area_spread, describe_ratio
from measures.stats import crude_rate
from queries import area, overview
from queries.scope import Scope
from reports.common import PER, area_rates, describe_rates, published_ratio, rate_table
from reports.data_quality import Recording, recording_from_groups
from reports.settings import catalogue, outcome, policy, reference_group

AREA_MEASURES = area.AREA_MEASURES
LEVELS = {"lad": "borough", "msoa": "neighbourhood"}


@dataclass(frozen=True)
class AreaRates:
    """Rates by area, the tooltip text per row, and the sentence comparing areas with the benchmark."""

    table: PublishedTable
    describe: pd.Series
    summary: str


def _summary(table: PublishedTable, counts: pd.DataFrame, benchmark_name: str, area_word: str) -> str:
    """Highest and lowest areas, and how many are clearly above or below the benchmark (the trust or the
    borough: its total, which is published), judged by each area's confidence interval."""
    shown = table.frame[~table.mask["value"].to_numpy() & table.frame["value"].notna()]
    if len(shown) < 2:
        return "Too few areas have figures that can be shown to compare them."
    benchmark = crude_rate(int(counts["events"].sum()), int(counts["population"].sum()), per=PER)
    comparisons = [
        compare_with_benchmark(lo, up, benchmark.value)
        for lo, up in zip(shown["lower"], shown["upper"], strict=True)
    ]
    high, low = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
    if high["value"] == low["value"]:
        return f"Every {area_word} shown has the same rate ({high['value']:,.1f} per 100,000)."
    return describe_area_spread(
        high["area"], f"{high['value']:,.1f} per 100,000", low["area"], f"{low['value']:,.1f} per 100,000",
        benchmark=benchmark_name, benchmark_rate=f"{benchmark.value:,.1f} per 100,000",
        higher=comparisons.count(HIGHER), lower=comparisons.count(LOWER), similar=comparisons.count(SIMILAR),
        area_word=area_word,
    )  # fmt: skip


def area_table(
    engine: Engine, scope: Scope, measure_id: str, financial_year: str, level: str = "lad", borough: str = "",
    broad_group: str = "", names: tuple[tuple[str, str], ...] = (), benchmark_name: str = "the trust",
) -> AreaRates:  # fmt: skip
    """Rates per 100,000 of ``broad_group`` ('' for everyone) by borough (``level='lad'``) or by
    neighbourhood of one borough (``level='msoa'``, named by ``names``)."""
    counts = area.area_counts(engine, scope, measure_id, financial_year, level, borough, broad_group)
    if level == "lad":
        names = tuple(zip(*overview.boroughs(engine, scope)[["code", "name"]].to_numpy().T, strict=True))
    table = area_rates(counts, dict(names), policy())
    return AreaRates(
        table,
        describe_rates(table, counts="residents"),
        _summary(table, counts, benchmark_name, LEVELS[level]),
    )


@dataclass(frozen=True)
class Community:
    """A borough's (or the trust's) rates by broad ethnic group, with ratios to the reference group."""

    reference: str
    table: PublishedTable
    sentence: str | None
    recording: Recording


def community(
    engine: Engine, scope: Scope, measure_id: str, financial_year: str, borough: str = "", place: str = ""
) -> Community:
    reference, rules = reference_group(), policy()
    groups = area.group_counts(engine, scope, measure_id, financial_year, borough)
    known = groups[groups["broad_group"].isin(KNOWN_BROAD_GROUPS)].rename(columns={"broad_group": "group"})
    reference_row = known.set_index("group").loc[reference]
    table = rate_table(known, reference=reference, reference_events=int(reference_row["events"]),
                       reference_population=int(reference_row["population"]), policy=rules)  # fmt: skip
    ratio = published_ratio(table, BLACK)
    sentence = None
    if ratio is not None:
        sentence = describe_ratio(ratio, subject=f"Black residents of {place}", reference=f"{reference} residents",
                                  outcome=outcome(measure_id))  # fmt: skip
    return Community(
        reference, table, sentence, recording_from_groups(groups, "broad_group", "events", "events")
    )


def borough_teams(engine: Engine, scope: Scope, borough: str, financial_year: str) -> PublishedTable:
    """Teams based in the borough, within scope, with referrals and detentions in the year."""
    teams = area.borough_teams(engine, scope, borough, financial_year)
    return publish_table(teams.drop(columns="id"), counts=["referrals", "detentions"], policy=policy())


def measure_titles() -> dict[str, str]:
    """The measures the area maps can show, with their titles."""
    return {measure_id: catalogue()[measure_id].title for measure_id in AREA_MEASURES}


def measure_definition(measure_id: str) -> tuple[str, str]:
    info = catalogue()[measure_id]
    return info.title, info.definition
