"""Area figures: a measure's rate per 100,000 by borough or neighbourhood (for one ethnic group or
everyone), the summary sentence judged against the trust or borough, the breakdown by community with
ratios to the reference group, and a borough's teams. Used by the Areas page, the board overview's map,
the Service access map and the board pack alike."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures.benchmark import HIGHER, LOWER, SIMILAR, compare_with_benchmark, rate_figures
from measures.disclosure import (
    CellRef,
    Equation,
    PublishedTable,
    Rollup,
    TableSpec,
    publish_linked,
    publish_table,
)
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS
from measures.narrative import describe_area_spread, describe_ratio
from measures.stats import crude_rate, proportion
from queries import area, overview
from queries.scope import Scope
from reports.common import PER, describe_rates, kept_per_load, published_ratio
from reports.data_quality import Recording
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


ALL = "All"  # everyone: the "Ethnic group" filter set to All
UNRECORDED = "Not recorded"  # ethnicity not stated or not known: in everyone's count, in no group's
MAP_COLUMNS = ["area_code", "events", "population", "area", "value", "lower", "upper"]
TOTAL_COLUMNS = ["area_code", "events", "population", "value", "lower", "upper"]
COMMUNITY_COLUMNS = ["group", "events", "population", "reference_events", "reference_population",
                     "value", "lower", "upper", "ratio_value", "ratio_lower", "ratio_upper"]  # fmt: skip


@dataclass(frozen=True)
class AreaFigures:
    """Every count the Areas page can show for one measure and year, published together: events by area
    (the trust, each borough, each neighbourhood) and by group (everyone, each broad ethnic group, and
    those whose ethnicity was not recorded), with rates and ratios to the reference group from the
    published counts. Every view of the page (a map for everyone or for one group, a breakdown by
    community at any level and its caption) is a selection of these tables, so a count shown in one view
    is shown, or hidden, in every other view that holds it."""

    trust: PublishedTable  # area_code "total"
    lad: PublishedTable  # area_code a borough
    msoa: PublishedTable  # area_code a neighbourhood; borough its borough


def _area_counts(
    engine: Engine, scope: Scope, measure_id: str, financial_year: str
) -> dict[str, pd.DataFrame]:
    """One row per area and group: events, population (none for the unrecorded), and the reference
    group's events and population in the same area on every other known group's row (for its ratio)."""
    reference = reference_group()
    boroughs = overview.boroughs(engine, scope)[["code", "name"]]
    msoas = []
    for borough in boroughs["code"]:
        by_group = {
            group: area.area_counts(engine, scope, measure_id, financial_year, "msoa", borough, group)
            for group in ("", *KNOWN_BROAD_GROUPS)
        }
        everyone = by_group[""].set_index("area_code")
        for group in ("", *KNOWN_BROAD_GROUPS):
            counts = by_group[group].set_index("area_code").reindex(everyone.index, fill_value=0)
            msoas.append(counts.reset_index().assign(borough=borough, group=group or ALL))
        known = sum(by_group[g].set_index("area_code")["events"].reindex(everyone.index, fill_value=0)
                    for g in KNOWN_BROAD_GROUPS)  # fmt: skip
        unrecorded = everyone["events"] - known
        if (unrecorded < 0).any():
            raise ValueError("an area has more events in its ethnic groups than in all")
        msoas.append(pd.DataFrame({"area_code": everyone.index, "events": unrecorded.to_numpy(), "population": pd.NA,
                                   "borough": borough, "group": UNRECORDED}))  # fmt: skip
    order = {group: i for i, group in enumerate((ALL, *KNOWN_BROAD_GROUPS, UNRECORDED))}
    msoa = pd.concat(msoas, ignore_index=True)
    msoa["population"] = pd.to_numeric(msoa["population"]).astype("Int64")
    msoa = msoa.assign(area=msoa["area_code"])  # named by the page that shows them (area_table)
    lad = msoa.groupby(["borough", "group"], as_index=False, sort=False).agg(
        events=("events", "sum"), population=("population", lambda p: p.sum(min_count=1))
    )  # fmt: skip
    lad = lad.assign(
        area_code=lad["borough"], area=lad["borough"].map(dict(zip(*boroughs.to_numpy().T, strict=True)))
    )
    trust = lad.groupby("group", as_index=False, sort=False).agg(
        events=("events", "sum"), population=("population", lambda p: p.sum(min_count=1))
    )  # fmt: skip
    trust = trust.assign(area_code="total", borough="", area="the trust")
    tables = {}
    for name, frame in (("trust", trust), ("lad", lad), ("msoa", msoa)):
        frame = frame.assign(rank=frame["group"].map(order)).sort_values(["area_code", "rank"])
        frame = frame.drop(columns="rank").reset_index(drop=True)
        frame["events"] = frame["events"].astype("int64")
        frame["population"] = pd.to_numeric(frame["population"]).astype("Float64")
        reference_rows = frame[frame["group"] == reference].set_index("area_code")
        gets_ratio = frame["group"].isin([g for g in KNOWN_BROAD_GROUPS if g != reference])
        for column in ("events", "population"):
            values = frame["area_code"].map(reference_rows[column]).astype("Float64")
            frame[f"reference_{column}"] = values.where(gets_ratio)
        tables[name] = frame[["area_code", "borough", "area", "group", "events", "population",
                              "reference_events", "reference_population"]]  # fmt: skip
    return tables


def _publish_every_area(engine: Engine, scope: Scope, measure_id: str, financial_year: str) -> AreaFigures:
    """Every area and group of the measure's year in one publication, with how they add up: boroughs to
    the trust and neighbourhoods to their borough (in each group), the groups and the unrecorded to
    everyone (in each area), and the reference group's events, repeated on every other row for its ratio,
    to its own row."""
    tables = _area_counts(engine, scope, measure_id, financial_year)
    reference = reference_group()
    specs = {
        name: TableSpec(frame, counts=["events", "reference_events"], keys=["area_code", "group"],
                        public=["population", "reference_population"], figures=rate_figures(PER))
        for name, frame in tables.items()
    }  # fmt: skip
    links: list = [
        Rollup("trust", "lad", on=["group"], columns=["events"]),
        Rollup("lad", "msoa", on={"borough": "area_code", "group": "group"}, columns=["events"]),
    ]
    for name, frame in tables.items():
        links.append(Rollup(name, name, on=["area_code"], columns=["events"], total_where={"group": ALL},
                            parts_where={"group": [*KNOWN_BROAD_GROUPS, UNRECORDED]}))  # fmt: skip
        for code in frame["area_code"].unique():
            own = CellRef(name, {"area_code": code, "group": reference}, "events")
            links += [
                Equation(((1, own), (-1, CellRef(name, {"area_code": code, "group": group}, "reference_events"))),
                         label=f"{name} {code}: the reference group's events, for {group}'s ratio")
                for group in KNOWN_BROAD_GROUPS if group != reference
            ]  # fmt: skip
    published = publish_linked(specs, links, policy=policy())
    return AreaFigures(published["trust"], published["lad"], published["msoa"])


def area_figures(engine: Engine, scope: Scope, measure_id: str, financial_year: str) -> AreaFigures:
    """:func:`_publish_every_area`, kept once per store load: publishing it (with its attack) takes one
    to three seconds, and every map, filter and breakdown of the measure's year is a selection of it."""
    return kept_per_load(_publish_every_area, engine, scope, measure_id, financial_year)


def _rows(table: PublishedTable, **where: str) -> PublishedTable:
    keep = pd.Series(True, index=table.frame.index)
    for column, value in where.items():
        keep &= table.frame[column] == value
    return table.filter_rows(keep)


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
    neighbourhood of one borough (``level='msoa'``, named by ``names``), with their total (the trust, or
    the borough): rows of :func:`area_figures`, so that every map, filter and breakdown agrees."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {tuple(LEVELS)}")
    group = broad_group or ALL
    if group not in (ALL, *KNOWN_BROAD_GROUPS):
        raise ValueError(f"no area figures for the group {broad_group!r}")
    figures = area_figures(engine, scope, measure_id, financial_year)
    if level == "lad":
        table, total = _rows(figures.lad, group=group), _rows(figures.trust, group=group)
    else:
        table = _rows(figures.msoa, borough=borough, group=group).relabel("area", dict(names))
        total = _rows(figures.lad, area_code=borough, group=group)
    table, total = table.select(MAP_COLUMNS), total.select(TOTAL_COLUMNS)
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


@dataclass(frozen=True)
class _PublishedRecording(Recording):
    """Events with no recorded ethnicity, as published with the area's figures: a count hidden there
    (whether small or hidden to protect another) is a "*" here too, never "fewer than 5", which would
    say more than the "*" does."""

    def amount(self) -> str:
        if self.total == 0:
            return f"no {self.what}"
        if self.total is None:
            return f"* of * {self.what}"
        if self.unrecorded is None:
            return f"* of about {self.total:,} {self.what}"
        return super().amount()

    def sentence(self, where: str) -> str:
        if self.total == 0:
            return f"No {self.what} {where}."
        return f"Ethnicity was not stated or not known for {self.amount()} {where}."


def _published_count(table: PublishedTable, group: str, column: str = "events") -> int | None:
    rows = table.frame.index[table.frame["group"] == group]
    if not len(rows) or bool(table.mask.loc[rows[0], column]) or pd.isna(table.frame.loc[rows[0], column]):
        return None
    return int(table.frame.loc[rows[0], column])


def community(
    engine: Engine, scope: Scope, measure_id: str, financial_year: str, borough: str = "", place: str = "",
    msoa: str = "",
) -> Community:  # fmt: skip
    """Rates by broad ethnic group with ratios to the reference group, for the trust, a borough or one of
    its neighbourhoods (``msoa``), by where people live: rows of :func:`area_figures`, published with the
    maps; the caption's counts (everyone, and those with no recorded ethnicity) are rows of it too."""
    reference, rules = reference_group(), policy()
    figures = area_figures(engine, scope, measure_id, financial_year)
    if msoa:
        rows = _rows(figures.msoa, area_code=msoa)
    elif borough:
        rows = _rows(figures.lad, area_code=borough)
    else:
        rows = figures.trust
    table = rows.filter_rows(rows.frame["group"].isin(KNOWN_BROAD_GROUPS)).select(COMMUNITY_COLUMNS)
    ratio = published_ratio(table, BLACK)
    sentence = None
    if ratio is not None:
        sentence = describe_ratio(ratio, subject=f"Black residents of {place}", reference=f"{reference} residents",
                                  outcome=outcome(measure_id))  # fmt: skip
    total, unrecorded = _published_count(rows, ALL), _published_count(rows, UNRECORDED)
    share = None
    if total and unrecorded is not None:
        share = proportion(min(unrecorded, total), total)
    recording = _PublishedRecording("events", total, unrecorded, share, rules.threshold)
    return Community(reference, table, sentence, recording)


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
