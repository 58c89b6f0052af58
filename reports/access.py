"""Service access figures by community: who reaches services (people referred, accepted and seen per
100,000 residents), by which route, how fast, who drops out, intersections, monthly trends and teams,
for every characteristic in the data and for the priority communities (``config/communities.yaml``).

Ethnicity is compared with the reference group (``reports.settings.reference_group``); other
characteristics with the comparison group in ``config/methods.yaml``; priority communities, which
overlap, with everyone else."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures.access import group_median_waits, proportion_table, rate_vs_rest_table, two_way_table
from measures.communities import (
    POPULATION_ATTRIBUTES,
    Community,
    attributes_of,
    community_totals,
    load_communities,
)
from measures.disclosure import PublishedTable, RowTotals, Totals, publish_table
from measures.ethnicity import KNOWN_BROAD_GROUPS, NHS_CATEGORIES
from measures.narrative import describe_ratio
from measures.stats import Estimate
from queries import access
from queries.scope import Scope
from reports.common import PER, monthly_rate, rate_table
from reports.data_quality import Recording, recording_from_groups
from reports.settings import methods, outcome, policy, reference_group, trust

COMMUNITIES = "communities"
LABELS = {
    "broad_group": "Ethnic group (broad)",
    "ethnic_category": "Ethnic group (detailed)",
    "age_band": "Age band",
    "sex": "Sex",
    "religion": "Religion",
    "sexual_orientation": "Sexual orientation",
    "disability": "Disability",
    "imd_quintile": "Deprivation (IMD quintile)",
    COMMUNITIES: "Priority communities",
}
SEX_NAMES = {"M": "Male", "F": "Female", "X": "Not known or other"}
ETHNIC_NAMES = {c.code: c.description for c in NHS_CATEGORIES}
UNKNOWN_ETHNIC = {"Z", "99", "Not stated", "Not known"}
#: Access measures: title and catalogue id (the source of the outcome wording).
MEASURES = {
    "people_referred": ("People referred", "people_referred_rate"),
    "people_accepted": ("People accepted", "people_accepted_rate"),
    "people_seen": ("People seen", "people_seen_rate"),
}
SOURCES = {
    "source_gp": "GP",
    "source_self": "Self",
    "source_police": "Police or criminal justice",
    "source_ae": "A&E",
    "source_other": "Other",
}
TALKING_THERAPIES = "Talking Therapies"


def communities() -> tuple[Community, ...]:
    return load_communities(os.environ.get("EQUALITY_COMMUNITIES_CONFIG") or None)


def characteristics() -> list[str]:
    """The characteristics the page can compare by (priority communities only when some are configured)."""
    return [c for c in LABELS if c != COMMUNITIES or communities()]


def group_name(characteristic: str, value: object) -> str:
    text = str(value)
    if characteristic == "sex":
        return SEX_NAMES.get(text, text)
    if characteristic == "ethnic_category":
        return ETHNIC_NAMES.get(text, text)
    if characteristic == "age_band":
        return f"Aged {text}"
    if characteristic == "imd_quintile" and text[:1].isdigit():
        return f"IMD quintile {text}"
    return text


class _Slice:
    """The counts behind one selection (year, borough, service line, characteristic)."""

    def __init__(
        self, engine: Engine, scope: Scope, financial_year: str, borough: str, service_line: str, by: str
    ):
        self.engine, self.scope, self.by = engine, scope, by
        self.filters = {"financial_year": financial_year, "borough": borough, "service_line": service_line}
        self.standard = trust().waiting_standard_days

    def counts(self, query, counts: tuple[str, ...], **params) -> pd.DataFrame:
        """Counts by the chosen characteristic (or community), with a 'group' column."""
        if self.by == COMMUNITIES:
            cells = query(self.engine, self.scope, dims=attributes_of(communities()), **params)
            return community_totals(cells, communities(), counts).rename(columns={"community": "group"})
        frame = query(self.engine, self.scope, dims=(self.by,), **params)
        frame = frame.groupby(self.by, as_index=False, dropna=False)[list(counts)].sum()
        frame.insert(0, "group", frame[self.by].map(lambda v: group_name(self.by, v)))
        return frame

    def people(self, **overrides) -> pd.DataFrame:
        params = {**self.filters, **overrides}
        return self.counts(access.people_counts, access.PEOPLE_COUNTS, standard_days=self.standard, **params)

    def everyone(self, **overrides) -> pd.DataFrame:
        return access.people_counts(
            self.engine, self.scope, standard_days=self.standard, **{**self.filters, **overrides}
        )

    def population(self, by: str | None = None) -> pd.DataFrame | None:
        """Residents per group, or None when the population table cannot give them."""
        by, borough = by or self.by, self.filters["borough"]
        if by == COMMUNITIES:
            with_pop = [c for c in communities() if c.has_population]
            if not with_pop:
                return None
            dims = tuple(a for a in attributes_of(with_pop) if a in POPULATION_ATTRIBUTES)
            cells = access.population_counts(self.engine, self.scope, dims=dims, borough=borough)
            return community_totals(cells, with_pop, ("population",)).rename(columns={"community": "group"})
        if by not in access.POPULATION_CHARACTERISTICS:
            return None
        frame = access.population_counts(self.engine, self.scope, dims=(by,), borough=borough).dropna(
            subset=[by]
        )
        frame["group"] = frame[by].map(lambda v: group_name(by, v))
        return frame[["group", "population"]]

    def known(self, frame: pd.DataFrame) -> pd.Series:
        """Rows that are a recorded group (not ethnicity not stated / not known)."""
        raw = frame[self.by] if self.by in frame.columns else frame["group"]
        return ~raw.astype(str).isin(UNKNOWN_ETHNIC)

    def reference(self, merged: pd.DataFrame, measure: str) -> tuple[str, int, int]:
        """The comparison group, its events and residents: the reference ethnic group for ethnicity (broad,
        so detailed groups compare with it too), else the configured group or the largest by residents."""
        if self.by in ("broad_group", "ethnic_category"):
            name = reference_group()
            if self.by == "broad_group":
                row = merged.set_index("group").loc[name]
                return name, int(row["events"]), int(row["population"])
            people = access.people_counts(self.engine, self.scope, standard_days=self.standard,
                                          dims=("broad_group",), **self.filters)  # fmt: skip
            population = self.population("broad_group").set_index("group")["population"]
            events = int(people.loc[people["broad_group"] == name, measure].sum())
            return name, events, int(population.get(name, 0))
        chosen = methods().comparison_group(self.by)
        name = (str(merged.loc[merged["population"].idxmax(), "group"]) if chosen == "largest"
                else group_name(self.by, chosen))  # fmt: skip
        row = merged.set_index("group").loc[name]
        return name, int(row["events"]), int(row["population"])


@dataclass(frozen=True)
class Rates:
    """One access measure per 100,000 residents by group, with ratios and their sentences."""

    title: str
    table: PublishedTable
    ratio_title: str
    sentences: tuple[str, ...]


def _rates(cut: _Slice, people: pd.DataFrame, population: pd.DataFrame, measure: str) -> Rates:
    title, measure_id = MEASURES[measure]
    verb, rules = outcome(measure_id), policy()
    if cut.by == COMMUNITIES:
        merged = people[["group", measure, f"rest_{measure}"]].merge(population, on="group", how="inner")
        everyone = int(
            access.population_counts(cut.engine, cut.scope, borough=cut.filters["borough"])[
                "population"
            ].sum()
        )
        merged["rest_population"] = everyone - merged["population"]
        merged = merged.rename(columns={measure: "events", f"rest_{measure}": "rest_events"})
        table = rate_vs_rest_table(merged, group_column="group", events="events", population="population",
                                   policy=rules, per=PER)  # fmt: skip
        ratio_title = "Ratio to everyone else"
    else:
        merged = people[["group", measure]].merge(population, on="group", how="inner")
        merged = merged[cut.known(merged) & (merged["population"] > 0)].rename(columns={measure: "events"})
        reference, ref_events, ref_population = cut.reference(merged, measure)
        table = rate_table(merged, reference=reference, reference_events=ref_events,
                           reference_population=ref_population, policy=rules)  # fmt: skip
        ratio_title = f"Ratio to {reference}"
    sentences = []
    frame = table.frame
    for index in frame.index[frame["ratio_value"].notna() & ~table.mask["ratio_value"]]:
        group = frame.loc[index, "group"]
        estimate = _estimate(frame.loc[index])
        if cut.by == COMMUNITIES:
            subject, against = (
                (f"People in the {group} community" if group != "Men" else "Men"),
                "everyone else",
            )
        else:
            subject, against = f"{group} residents", f"{ratio_title.removeprefix('Ratio to ')} residents"
        sentences.append(describe_ratio(estimate, subject=subject, reference=against, outcome=verb))
    return Rates(title, table, ratio_title, tuple(sentences))


def _estimate(row: pd.Series) -> Estimate:
    lower, upper = (None if pd.isna(row[c]) else float(row[c]) for c in ("ratio_lower", "ratio_upper"))
    return Estimate(float(row["ratio_value"]), lower, upper, "rate ratio", None, None, 0.95)


@dataclass(frozen=True)
class Access:
    """Every tab of the Service access page that does not depend on a further choice."""

    groups: tuple[str, ...]
    has_population: bool
    rates: dict[str, Rates]  # by measure, when a population is loaded
    shares: dict[str, PublishedTable]  # by measure: share of people, against the trust-wide share
    without_population: tuple[str, ...]  # communities with no rate
    police: PublishedTable
    everyone_police_pct: float
    over_represented: tuple[str, ...]
    routes: PublishedTable
    median_waits: PublishedTable
    within_standard: PublishedTable
    everyone_median: float | None
    everyone_within_pct: float
    dna: PublishedTable
    discharged: PublishedTable
    recovery: PublishedTable
    talking_therapies: Rates | None
    recording: Recording


def report(
    engine: Engine, scope: Scope, financial_year: str, borough: str = "", service_line: str = "",
    characteristic: str = "broad_group",
) -> Access | None:  # fmt: skip
    """Every figure of the page's fixed tabs; None when no referrals were received in the selection."""
    cut, rules = _Slice(engine, scope, financial_year, borough, service_line, characteristic), policy()
    people, everyone = cut.people(), cut.everyone()
    recording = recording_from_groups(
        cut.everyone(dims=("broad_group",)), "broad_group", "people_referred", "people referred"
    )
    if everyone.empty or int(everyone["people_referred"].sum()) == 0:
        return None
    total = everyone.iloc[0]
    population = cut.population()
    rates = {m: _rates(cut, people, population, m) for m in MEASURES} if population is not None else {}
    shares = {}
    if population is None or characteristic == COMMUNITIES:
        trust_wide = cut.people(borough="", service_line="").set_index("group")
        trust_total = int(cut.everyone(borough="", service_line="")["people_referred"].sum())
        for measure in MEASURES:
            frame = people[["group", measure]].assign(everyone=int(total[measure]))
            marks = [trust_wide.loc[g, measure] / trust_total * 100 if g in trust_wide.index and trust_total
                     else float("nan") for g in frame["group"]]  # fmt: skip
            shares[measure] = proportion_table(frame, group_column="group", numerator=measure, denominator="everyone",
                                               policy=rules, benchmarks=marks, add_up=characteristic != COMMUNITIES)  # fmt: skip
    police = proportion_table(people[["group", "source_police", "referrals"]], group_column="group",
                              numerator="source_police", denominator="referrals", policy=rules,
                              overall=(int(total["source_police"]), int(total["referrals"])))  # fmt: skip
    mix = people[["group", "referrals", *SOURCES]].copy()
    for column in SOURCES:
        mix[f"{column}_pct"] = mix[column] / mix["referrals"].where(mix["referrals"] > 0) * 100
    routes = publish_table(mix, counts=["referrals", *SOURCES], derived={f"{c}_pct": (c, "referrals") for c in SOURCES},
                           policy=rules,
                           totals=[RowTotals(tuple(SOURCES))] + ([Totals(by=())] if characteristic != COMMUNITIES else []))  # fmt: skip
    within = proportion_table(people[["group", "seen_within_standard", "accepted_referrals"]], group_column="group",
                              numerator="seen_within_standard", denominator="accepted_referrals", policy=rules,
                              overall=(int(total["seen_within_standard"]), int(total["accepted_referrals"])))  # fmt: skip
    histogram = _waits(cut)
    medians = group_median_waits(histogram, by=["group"], value="wait_days", count="referrals")
    waits = within.frame[["group"]].merge(medians, on="group", how="left")
    waits["waited"] = waits["waited"].fillna(0).astype("int64")
    median_table = publish_table(waits, counts=["waited"], derived={"median": ("waited",)}, policy=rules,
                                 totals=[Totals(by=())] if characteristic != COMMUNITIES else [])  # fmt: skip
    everyone_hist = access.wait_histogram(engine, scope, **cut.filters)
    everyone_median = group_median_waits(everyone_hist.assign(group="All"), by=["group"], value="wait_days",
                                         count="referrals")  # fmt: skip
    booked = people.assign(booked=people["attended"] + people["dna"])
    dna = proportion_table(booked[["group", "dna", "booked"]], group_column="group", numerator="dna",
                           denominator="booked", policy=rules,
                           overall=(int(total["dna"]), int(total["attended"] + total["dna"])))  # fmt: skip
    discharged = proportion_table(
        people[["group", "discharged_before_treatment", "seen_referrals"]], group_column="group",
        numerator="discharged_before_treatment", denominator="seen_referrals", policy=rules,
        overall=(int(total["discharged_before_treatment"]), int(total["seen_referrals"])),
    )  # fmt: skip
    outcomes = cut.counts(access.talking_therapies_outcomes, ("finished", "at_caseness", "recovered", "reliably_improved"),
                          financial_year=financial_year, borough=borough)  # fmt: skip
    everyone_tt = access.talking_therapies_outcomes(
        engine, scope, financial_year=financial_year, borough=borough
    )
    recovery = proportion_table(outcomes[["group", "recovered", "at_caseness"]], group_column="group",
                                numerator="recovered", denominator="at_caseness", policy=rules,
                                overall=(int(everyone_tt["recovered"].sum()), int(everyone_tt["at_caseness"].sum())))  # fmt: skip
    talking = None
    if population is not None and characteristic != COMMUNITIES:
        tt = cut.people(service_line=TALKING_THERAPIES)
        if not tt.empty:
            talking = _rates(_Slice(engine, scope, financial_year, borough, TALKING_THERAPIES, characteristic),
                             tt, population, "people_referred")  # fmt: skip
            if talking.table.frame.empty:
                talking = None
    return Access(
        groups=tuple(people["group"]),
        has_population=population is not None,
        rates=rates,
        shares=shares,
        without_population=tuple(c.name for c in communities() if not c.has_population) if characteristic == COMMUNITIES else (),
        police=police,
        everyone_police_pct=int(total["source_police"]) / int(total["referrals"]) * 100,
        over_represented=tuple(police.frame.loc[police.frame["comparison"] == "Higher than everyone", "group"]),
        routes=routes,
        median_waits=median_table,
        within_standard=within,
        everyone_median=None if everyone_median.empty else float(everyone_median["median"].iloc[0]),
        everyone_within_pct=int(total["seen_within_standard"]) / max(int(total["accepted_referrals"]), 1) * 100,
        dna=dna,
        discharged=discharged,
        recovery=recovery,
        talking_therapies=talking,
        recording=recording,
    )  # fmt: skip


def _waits(cut: _Slice) -> pd.DataFrame:
    if cut.by == COMMUNITIES:
        cells = access.wait_histogram(cut.engine, cut.scope, dims=attributes_of(communities()), **cut.filters)
        rows = [cells[c.members(cells)].groupby("wait_days", as_index=False)["referrals"].sum().assign(group=c.name)
                for c in communities()]  # fmt: skip
        return pd.concat(rows, ignore_index=True)
    histogram = access.wait_histogram(cut.engine, cut.scope, dims=(cut.by,), **cut.filters)
    histogram["group"] = histogram[cut.by].map(lambda v: group_name(cut.by, v))
    return histogram


def intersections(
    engine: Engine,
    scope: Scope,
    financial_year: str,
    first: str,
    second: str,
    borough: str = "",
    service_line: str = "",
) -> tuple[PublishedTable, bool]:
    """People referred by two characteristics: per 100,000 residents with a ratio to everyone outside the
    cell when both have a population, else each cell's share of its row. Returns (table, has_population)."""
    cross = access.people_counts(engine, scope, financial_year, trust().waiting_standard_days, (first, second),
                                 borough, service_line)[[first, second, "people_referred"]]  # fmt: skip
    has_population = (
        first in access.POPULATION_CHARACTERISTICS and second in access.POPULATION_CHARACTERISTICS
    )
    if has_population:
        population = access.population_counts(engine, scope, dims=(first, second), borough=borough).dropna()
        cross = cross.merge(population, on=[first, second], how="left")
        cross["population"] = cross["population"].fillna(0).astype("int64")
    for column in (first, second):
        cross[column] = cross[column].astype(str)
    table = two_way_table(cross, row=first, column=second, events="people_referred", policy=policy(),
                          population="population" if has_population else None, per=PER)  # fmt: skip
    return table, has_population


@dataclass(frozen=True)
class Trend:
    series: PublishedTable
    value: str  # the column charted: 'rate' (per 100,000 a year) or 'people_referred'
    unit: str
    has_rate: bool


def trend(
    engine: Engine, scope: Scope, group: str, characteristic: str = "broad_group", borough: str = "",
    service_line: str = "",
) -> Trend:  # fmt: skip
    """People referred each month in one group, as an annualised rate per 100,000 residents of the group
    (× 12, so months compare with the year) when its population is known, else as counts."""
    if characteristic == COMMUNITIES:
        community = next(c for c in communities() if c.name == group)
        monthly = access.monthly_people(
            engine, scope, dims=community.attributes, borough=borough, service_line=service_line
        )
        monthly = monthly[community.members(monthly)]
    else:
        monthly = access.monthly_people(
            engine, scope, dims=(characteristic,), borough=borough, service_line=service_line
        )
        monthly = monthly[monthly[characteristic].map(lambda v: group_name(characteristic, v)) == group]
    monthly = monthly.groupby("month_start", as_index=False)["people_referred"].sum()
    months = access.monthly_people(engine, scope, borough=borough, service_line=service_line)[["month_start"]]
    monthly = months.merge(monthly, on="month_start", how="left").fillna({"people_referred": 0})
    population = _Slice(engine, scope, "", borough, service_line, characteristic).population()
    residents = None
    if population is not None:
        match = population.loc[population["group"] == group, "population"]
        residents = int(match.iloc[0]) if len(match) and int(match.iloc[0]) > 0 else None
    if residents:
        series = monthly_rate(
            monthly["month_start"], monthly["people_referred"], residents, policy(), scale=12
        )
        return Trend(series, "rate", "Per 100,000 a year", True)
    counts = monthly.assign(people_referred=monthly["people_referred"].astype("int64"))
    return Trend(
        publish_table(counts, counts=["people_referred"], policy=policy()),
        "people_referred",
        "People referred",
        False,
    )


def teams(
    engine: Engine,
    scope: Scope,
    financial_year: str,
    characteristic: str,
    borough: str = "",
    service_line: str = "",
) -> tuple[str, PublishedTable]:
    """People referred by team (within scope) and one characteristic (broad group for communities, which
    overlap); returns the characteristic used and the table."""
    dim = "broad_group" if characteristic == COMMUNITIES else characteristic
    frame = access.team_people(engine, scope, financial_year, (dim,), borough, service_line)
    frame[dim] = frame[dim].astype(str)
    return dim, two_way_table(frame, row="team", column=dim, events="people_referred", policy=policy())


MAP_GROUPS = ("All", *KNOWN_BROAD_GROUPS)
