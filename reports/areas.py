"""Area figures: a measure's rate per 100,000 by borough or neighbourhood (for one ethnic group or
everyone), the summary sentence judged against the trust or borough, the breakdown by community with
ratios to the reference group, and a borough's teams. Used by the Areas page, the board overview's map,
the Service access map and the board pack alike."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures.benchmark import HIGHER, LOWER, SIMILAR, compare_with_benchmark
from measures.disclosure import PublishedTable, Rate, Rollup, TableSpec, publish_linked, publish_table
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS
from measures.narrative import describe_area_spread, describe_ratio
from measures.stats import crude_rate
from queries import area, overview
from queries.scope import Scope
from reports.common import PER, describe_rates, published_ratio, rate_table
from reports.data_quality import Recording, recording_from_groups
from reports.settings import catalogue, outcome, policy, reference_group

AREA_MEASURES = area.AREA_MEASURES
LEVELS = {"lad": "borough", "msoa": "neighbourhood"}


@dataclass(frozen=True)
class AreaRates:
    """Rates by area, the tooltip text per row, the sentence comparing areas with the benchmark, and the
    benchmark itself (the trust, or the borough of the neighbourhoods: one row, published with them)."""

    table: PublishedTable
    describe: pd.Series
    summary: str
    total: PublishedTable | None = None


def _publish_areas(counts: pd.DataFrame, names: dict[str, str]) -> tuple[PublishedTable, PublishedTable]:
    """The areas and their total (trust or borough) in one publication: the areas add up to the total
    (neighbourhoods to their borough, boroughs to the trust), so no hidden area can be worked back from
    it; rates from the published counts. Map properties are built from these tables only."""
    rate = Rate("value", "events", "population", per=PER, lower="lower", upper="upper")
    areas = counts.assign(area=counts["area_code"].map(lambda code: names.get(code, code)))
    total = pd.DataFrame({"area_code": ["total"], "events": [int(counts["events"].sum())],
                          "population": [int(counts["population"].sum())]})  # fmt: skip
    published = publish_linked(
        {"areas": TableSpec(areas, counts=["events"], keys=["area_code"], public=["population"], figures=[rate]),
         "total": TableSpec(total, counts=["events"], keys=["area_code"], public=["population"], figures=[rate])},
        [Rollup("total", "areas")], policy=policy(),
    )  # fmt: skip
    return published["areas"], published["total"]


def _summary(table: PublishedTable, total: PublishedTable, benchmark_name: str, area_word: str) -> str:
    """Highest and lowest areas, and how many are clearly above or below the benchmark (the trust or the
    borough: its published total), judged by each area's confidence interval."""
    shown = table.frame[~table.mask["value"].to_numpy() & table.frame["value"].notna()]
    if len(shown) < 2:
        return "Too few areas have figures that can be shown to compare them."
    if bool(total.mask["value"].iloc[0]) or pd.isna(total.frame["value"].iloc[0]):
        return f"The {benchmark_name} figure cannot be shown, so the areas are not compared with it."
    benchmark = crude_rate(
        int(total.frame["events"].iloc[0]), int(total.frame["population"].iloc[0]), per=PER
    )
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
    table, total = _publish_areas(counts, dict(names))
    return AreaRates(
        table,
        describe_rates(table, counts="residents"),
        _summary(table, total, benchmark_name, LEVELS[level]),
        total,
    )


@dataclass(frozen=True)
class Community:
    """A borough's (or the trust's) rates by broad ethnic group, with ratios to the reference group."""

    reference: str
    table: PublishedTable
    sentence: str | None
    recording: Recording


def community(
    engine: Engine, scope: Scope, measure_id: str, financial_year: str, borough: str = "", place: str = "",
    msoa: str = "",
) -> Community:  # fmt: skip
    """Rates by broad ethnic group with ratios to the reference group, for the trust, a borough or one of
    its neighbourhoods (``msoa``), by where people live."""
    reference, rules = reference_group(), policy()
    groups = area.group_counts(engine, scope, measure_id, financial_year, borough, msoa)
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
    """Teams based in the borough, within scope, with referrals and detentions in the year (wherever
    their patients live); ``id`` is kept for links to each team's page."""
    teams = area.borough_teams(engine, scope, borough, financial_year)
    return publish_table(teams, counts=["referrals", "detentions"], public=["id"], policy=policy())


def area_teams(
    engine: Engine, scope: Scope, borough: str, financial_year: str, msoa: str = ""
) -> PublishedTable:
    """The teams that served residents of a neighbourhood (or the borough) in the year, with the referrals
    and detentions of people living there, published with their totals (the teams add up to the area's
    events, which the map shows); ``id`` is kept for links to each team's page."""
    teams = area.area_teams(engine, scope, borough, financial_year, msoa)
    totals = pd.DataFrame({"area": ["total"], "referrals": [int(teams["referrals"].sum())],
                           "detentions": [int(teams["detentions"].sum())]})  # fmt: skip
    counts = ["referrals", "detentions"]
    return publish_linked(
        {"teams": TableSpec(teams, counts=counts, keys=["id"], public=["id"]),
         "total": TableSpec(totals, counts=counts, keys=["area"])},
        [Rollup("total", "teams")], policy=policy(),
    )["teams"]  # fmt: skip


def measure_titles() -> dict[str, str]:
    """The measures the area maps can show, with their titles."""
    return {measure_id: catalogue()[measure_id].title for measure_id in AREA_MEASURES}


def measure_definition(measure_id: str) -> tuple[str, str]:
    info = catalogue()[measure_id]
    return info.title, info.definition
