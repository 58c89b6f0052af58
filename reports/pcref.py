"""PCREF figures: coercion (Mental Health Act detentions, CTOs, s136, restrictive interventions), their
monthly series, age-standardised rates, teams and wards, Talking Therapies outcomes and patient and
carer experience, by ethnic group; each compared with the one reference group (``reports.settings``).
Used by the PCREF page, the board's headlines and the board pack alike."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial

import pandas as pd
from sqlalchemy import Engine

from measures.benchmark import group_proportion_table, rate_figures, standardised_rate_table
from measures.disclosure import (
    CellRef,
    DisclosurePolicy,
    Equation,
    PublishedTable,
    Rate,
    Ratio,
    Rollup,
    TableSpec,
    publish_linked,
    publish_table,
)
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS, category, people_of
from measures.narrative import describe_ratio
from measures.stats import proportion
from queries import overview, pcref
from queries.scope import Scope
from reports.common import PER, kept_per_load, published_ratio
from reports.data_quality import Recording
from reports.settings import catalogue, outcome, policy, reference_group

#: Coercion measures: page title and catalogue id (the source of outcome wording and polarity).
COERCION = {
    "detentions": ("Mental Health Act detentions", "mha_detentions_crude_rate"),
    "ctos": ("Community treatment orders", "cto_crude_rate"),
    "s136": ("Section 136 (police place of safety)", "s136_crude_rate"),
    "restrictive": ("Restrictive interventions", "restrictive_interventions_rate"),
}
#: Measures the area maps can show (the others have no area query).
MAPPED = ("detentions", "ctos", "s136")
RI_LABELS = {
    "any": "Any restrictive intervention",
    "physical": "Physical restraint",
    "prone": "Prone restraint",
    "mechanical": "Mechanical restraint",
    "seclusion": "Seclusion",
    "segregation": "Segregation",
    "rapid_tranquillisation": "Rapid tranquillisation",
}
OUTCOME_MEASURES = (
    ("talking_therapies_recovery_pct", "recovered", "caseness", "Recovery"),
    ("talking_therapies_reliable_improvement_pct", "improved", "finished", "Reliable improvement"),
    ("talking_therapies_reliable_deterioration_pct", "deteriorated", "finished", "Reliable deterioration"),
)


#: What each coercion measure counts: (events, people) in plain words. Every table shows both.
COUNTS = {
    "detentions": ("detentions", "people detained"),
    "ctos": ("CTOs started", "people starting a CTO"),
    "s136": ("section 136 detentions", "people detained under section 136"),
    "restrictive": ("incidents", "people subject to them"),
}
RATE_COUNTS = ("events", "people")
TREND_FIGURES = ("value", "lower", "upper", "ratio_value", "ratio_lower", "ratio_upper")


def _shown(table: PublishedTable, columns) -> pd.DataFrame:
    """Published counts as numbers, with 1 where a count is hidden: publishing them again hides exactly
    those (and rounds nothing, as published counts are already rounded), so nothing hidden is used."""
    out = table.frame.copy()
    for column in columns:
        out[column] = out[column].astype("Float64").mask(table.mask[column].to_numpy(), 1).astype(float)
    return out


def _with_ratios(
    table: PublishedTable, source: PublishedTable, on: list[str], where: dict, reference: str,
    rules: DisclosurePolicy, counts: tuple[str, ...] = RATE_COUNTS, series: bool = False,
) -> PublishedTable:  # fmt: skip
    """``table`` with rates per 100,000 and ratios to the reference group, computed from published counts
    only: each row's counts and its reference group's counts as ``source`` published them (its rows
    matching ``where``, joined on ``on``). A hidden count stays hidden, with every figure resting on it;
    the reference group's own rows get no ratio."""
    frame = _shown(table, counts)
    own = _shown(source, counts)
    own = own[own["group"] == reference]
    for column, value in where.items():
        own = own[own[column] == value]
    renamed = {c: f"reference_{c}" for c in counts} | {"population": "reference_population"}
    own = own[[*on, *counts, "population"]].rename(columns=renamed)
    frame = frame.merge(own, on=on, how="left") if on else frame.merge(own, how="cross")
    is_reference = (frame["group"] == reference).to_numpy() & ("code" not in frame.columns)
    for column in renamed.values():
        frame[column] = frame[column].astype(float).where(~is_reference)
    for column in counts:
        frame[column] = frame[column].astype(float)
    figures = [
        rate_figures(PER, count=c, prefix="" if c == "events" else f"{c}_", reference_count=f"reference_{c}")
        for c in counts
    ]
    if series:  # a monthly series: "rate" and "ratio", as the SPC charts and the board read them
        figures = [[Rate("rate", "events", "population", per=PER),
                    Ratio("ratio", "events", "population", "reference_events", "reference_population")]]  # fmt: skip
    keep = [c for c in frame.columns if c not in table.count_columns or c in counts]
    return publish_table(frame[keep], counts=[*counts, *(f"reference_{c}" for c in counts)],
                         public=["population", "reference_population"], figures=[f for fs in figures for f in fs],
                         policy=rules)  # fmt: skip


def _rate_tables(by_code: pd.DataFrame, population: pd.DataFrame, on: str):
    """Broad, detailed and trust frames (events, people and population) from counts by NHS code, one set per value of the column ``on`` (a financial year, or one window)."""
    by_code_pop = population[population["level"] == "code"].set_index("grp")["population"]
    by_broad_pop = population[population["level"] == "broad"].set_index("grp")["population"]
    known = by_code["ethnic_category"].map(lambda c: category(c).known).astype(bool)
    slices = pd.DataFrame({on: pd.Series(sorted(by_code[on].unique()), dtype=by_code[on].dtype)})
    codes = sorted(
        {c for c in by_code_pop.index if category(c).known} | set(by_code.loc[known, "ethnic_category"])
    )
    detailed = slices.merge(pd.DataFrame({"code": codes}), how="cross").merge(
        by_code[known].rename(columns={"ethnic_category": "code"})[[on, "code", "events", "people"]],
        on=[on, "code"], how="left",
    ).fillna({"events": 0, "people": 0})  # fmt: skip
    detailed["group"] = pd.Series(
        [category(c).description for c in detailed["code"]], index=detailed.index, dtype=object
    )
    detailed["broad_group"] = pd.Series([category(c).broad_group for c in detailed["code"]], index=detailed.index,
                                        dtype=object)  # fmt: skip
    detailed["population"] = [int(by_code_pop.get(c, 0)) for c in detailed["code"]]
    sums = detailed.groupby([on, "broad_group"], as_index=False)[["events", "people"]].sum()
    broad = slices.merge(pd.DataFrame({"group": list(KNOWN_BROAD_GROUPS)}), how="cross")
    broad = broad.merge(sums.rename(columns={"broad_group": "group"}), on=[on, "group"], how="left")
    broad = broad.fillna({"events": 0, "people": 0})
    broad["population"] = [int(by_broad_pop.get(g, 0)) for g in broad["group"]]
    unrecorded = by_code[~known].groupby(on, as_index=False)[["events", "people"]].sum()
    trust = slices.merge(broad.groupby(on, as_index=False)[["events", "people"]].sum(), on=on, how="left")
    trust = trust.merge(unrecorded.rename(columns={"events": "unrecorded_events", "people": "unrecorded_people"}),
                        on=on, how="left").fillna(0)  # fmt: skip
    trust["events"] = trust["events"] + trust["unrecorded_events"]
    trust["people"] = trust["people"] + trust["unrecorded_people"]
    trust["trust"] = "Trust"
    for frame in (broad, detailed, trust):
        for column in ("events", "people", "unrecorded_events", "unrecorded_people"):
            if column in frame.columns:
                frame[column] = frame[column].astype("int64")
    return broad, detailed, trust


def _period_specs(prefix: str, broad, trust, on: str) -> tuple[dict, list]:
    """Table specs and links of a broad and a trust table keyed by ``on`` (``prefix`` names them): the
    trust's events and people are the groups' plus those without a recorded ethnicity."""
    names = {k: f"{prefix}{k}" for k in ("broad", "trust")}
    specs = {
        names["broad"]: TableSpec(broad, counts=list(RATE_COUNTS), keys=[on, "group"], public=["population"]),
        names["trust"]: TableSpec(trust, counts=["events", "people", "unrecorded_events", "unrecorded_people"],
                                  keys=[on, "trust"]),
    }  # fmt: skip
    links: list = []
    for _, row in trust.iterrows():
        for column in RATE_COUNTS:
            cell = {on: row[on], "trust": "Trust"}
            terms = [
                (1, CellRef(names["trust"], cell, column)),
                (-1, CellRef(names["trust"], cell, f"unrecorded_{column}")),
            ]
            terms += [
                (-1, CellRef(names["broad"], {on: row[on], "group": g}, column)) for g in KNOWN_BROAD_GROUPS
            ]
            links.append(Equation(tuple(terms), label=f"{names['trust']} {column} = groups + not recorded"))
    return specs, links


@dataclass(frozen=True)
class Coercion:
    """One coercion measure in a period, by ethnic group: events and people, each as a rate per 100,000
    with its ratio to the reference group (columns value…/ratio_… for events, people_value…/
    people_ratio_… for people)."""

    title: str
    measure_id: str
    reference: str
    sentence: str | None  # Black people compared with the reference group, by people; None if no population
    broad: PublishedTable
    detailed: PublishedTable
    recording: Recording
    mapped: bool
    events_sentence: str | None = None  # the same comparison by events ("… were 2.1 times as frequent")
    trust: PublishedTable | None = (
        None  # the trust's events and people, and those without a recorded ethnicity
    )
    events_noun: str = "events"
    people_noun: str = "people"


@dataclass(frozen=True)
class Monthly:
    """A group's monthly rate per 100,000 and its ratio to the reference group, published."""

    group: str
    reference: str
    series: PublishedTable  # month_start, events, rate, reference_events, ratio
    improvement: str
    polarity: str


@dataclass(frozen=True)
class View:
    """Everything the coercion tab shows for one measure and one set of filters, published together so
    that no table can be set against another to reveal a hidden or rounded count: the period's broad,
    detailed and trust tables, every financial year's (the yearly trend of each ratio, broad and detailed
    groups; a financial year's own tables are its rows of these), the monthly series of every broad group,
    and the teams (their events add up to the trust's)."""

    coercion: Coercion
    yearly: PublishedTable  # financial_year, group, events, people, rates and ratios
    monthly_all: PublishedTable  # month_start, financial_year, group, events, rate, reference_events, ratio
    yearly_detailed: PublishedTable  # financial_year, code, group, broad_group, events, people, rates, ratios
    teams: PublishedTable
    teams_note: str
    improvement: str
    polarity: str
    definition: str = ""

    def trend_groups(self) -> dict[str, str]:
        """The groups whose ratio can be followed year by year: each broad group but the reference (by
        name), then each detailed group (by its NHS code), with the names the page shows."""
        detailed = self.yearly_detailed.frame.drop_duplicates("code")
        broad = {g: g for g in KNOWN_BROAD_GROUPS if g != self.coercion.reference}
        return broad | dict(zip(detailed["code"], detailed["group"], strict=True))

    def trend(self, group: str) -> PublishedTable:
        """One group's ratio year by year (rows of the published yearly tables): a broad group by name, a
        detailed group by its NHS code, compared with the whole reference group as in the detailed table."""
        if group in KNOWN_BROAD_GROUPS:
            return self.yearly.filter_rows(self.yearly.frame["group"] == group)
        return self.yearly_detailed.filter_rows(self.yearly_detailed.frame["code"] == group)

    def monthly(self, group: str) -> Monthly:
        """One group's monthly series (rows of the published series: showing less reveals nothing more)."""
        rows = self.monthly_all.filter_rows(self.monthly_all.frame["group"] == group)
        series = rows.select(["month_start", "events", "rate", "reference_events", "ratio", "population"])
        return Monthly(group, self.coercion.reference, series, self.improvement, self.polarity)


def _months(engine: Engine, scope: Scope, counts: pd.DataFrame) -> pd.DataFrame:
    years = overview.financial_years(engine, scope)
    out = counts.copy()
    out["financial_year"] = None
    for fy, first, last in zip(years["financial_year"], years["first_day"], years["last_day"], strict=True):
        out.loc[(out["month_start"] >= first) & (out["month_start"] <= last), "financial_year"] = fy
    return out


def _is_financial_year(engine: Engine, scope: Scope, start: date, end: date) -> str | None:
    years = overview.financial_years(engine, scope)
    match = years[(years["first_day"] == start) & (years["last_day"] == end)]
    return None if match.empty else str(match["financial_year"].iloc[0])


def _sentences(table: PublishedTable, reference: str, measure: str, measure_id: str, period_label: str,
               population_black: int, population_reference: int) -> tuple[str | None, str | None]:  # fmt: skip
    """The people sentence ('Black people were 3.1 times as likely to be detained …') and the events
    sentence ('Detentions were 3.6 times as frequent …'), from the published ratios."""
    if not population_reference or not population_black:
        return None, None
    events_noun, _ = COUNTS[measure]
    where = period_label or "for this selection"
    people = published_ratio(table, BLACK, prefix="people_")
    events = published_ratio(table, BLACK)
    people_sentence = (
        f"Too few people to compare Black people with {reference} people {where}."
        if people is None
        else describe_ratio(people, subject="Black people", reference=f"{reference} people",
                            outcome=outcome(measure_id))
    )  # fmt: skip
    events_sentence = (
        f"Too few {events_noun} to compare Black people with {reference} people {where}."
        if events is None
        else describe_frequency(
            events, noun=events_noun, subject="Black people", reference=f"{reference} people"
        )
    )
    return people_sentence, events_sentence


def describe_frequency(estimate, *, noun: str, subject: str, reference: str) -> str:
    """One sentence on a ratio of event rates: '{Noun} were 3.6 times as frequent for Black people as for
    White people, per resident (95% CI 3.1 to 4.2).'"""
    value = f"{estimate.value:.1f}"
    noun_cap = noun[0].upper() + noun[1:]
    if not estimate.has_ci:
        return f"{noun_cap} per resident: ratio {value} for {subject} to {reference}; no confidence interval."
    interval = f"95% CI {estimate.lower:.1f} to {estimate.upper:.1f}"
    if estimate.lower > 1:
        return f"{noun_cap} were {value} times as frequent for {subject} as for {reference}, per resident ({interval})."
    if estimate.upper < 1:
        return (f"{noun_cap} were less frequent for {subject} than for {reference}, per resident: {value} times as "
                f"frequent ({interval}).")  # fmt: skip
    return (f"There is no clear difference between {subject} and {reference} in how frequent {noun} were per "
            f"resident (ratio {value}, {interval}).")  # fmt: skip


def view(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    borough: str = "", sex: str = "", age_band: str = "", service_line: str = "", period_label: str = "",
    rules: DisclosurePolicy | None = None, reference: str | None = None,
) -> View:  # fmt: skip
    """The coercion tab for one measure, period and set of filters, published together (see :class:`View`).
    Every filter applies to every table; the rate per 1,000 bed days is left out of the team table when a
    person filter is chosen (bed days are not split by where patients live, their sex or age).

    A view is published once per store load and kept (the page, the board's headlines and the pack ask
    for the same views, and publishing a view with its attack takes a second or more); ``period_label``
    only words the sentences."""
    rules, reference = rules or policy(), reference_group(reference)
    built = kept_per_load(_build_view, engine, scope, measure, period_start, period_end, ri_type, borough, sex,
                          age_band, service_line, rules, reference)  # fmt: skip
    if not period_label:
        return built
    figures = built.coercion
    residents = figures.broad.frame.set_index("group")["population"]
    people, events = _sentences(figures.broad, reference, measure, figures.measure_id, period_label,
                                int(residents.get(BLACK, 0)), int(residents.get(reference, 0)))  # fmt: skip
    return replace(built, coercion=replace(figures, sentence=people, events_sentence=events))


def _build_view(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str,
    borough: str, sex: str, age_band: str, service_line: str, rules: DisclosurePolicy, reference: str,
) -> View:  # fmt: skip
    period_label = ""
    title, measure_id = COERCION[measure]
    if measure == "restrictive":
        title = RI_LABELS[ri_type]
    info = catalogue()[measure_id]
    filters = {"borough": borough, "sex": sex, "age_band": age_band, "service_line": service_line}
    population = pcref.population(engine, scope, borough, sex, age_band)
    by_broad_pop = population[population["level"] == "broad"].set_index("grp")["population"]
    fy = _is_financial_year(engine, scope, period_start, period_end)
    label = fy or f"{period_start} to {period_end}"
    yearly, yearly_detailed, yearly_trust = _rate_tables(
        pcref.yearly_events(engine, scope, measure, ri_type, **filters), population, "financial_year"
    )
    specs, links = _period_specs("yearly_", yearly, yearly_trust, "financial_year")
    # every year's detailed groups (the trend of a detailed group's ratio), adding up to the broad groups
    specs["yearly_detailed"] = TableSpec(yearly_detailed, counts=list(RATE_COUNTS), keys=["financial_year", "code"],
                                         public=["population"])  # fmt: skip
    links.append(Rollup("yearly_broad", "yearly_detailed", on={"financial_year": "financial_year", "broad_group": "group"},
                        columns=list(RATE_COUNTS)))  # fmt: skip
    monthly = _months(engine, scope, pcref.monthly_events(engine, scope, measure, ri_type, **filters))
    monthly = monthly[monthly["broad_group"].isin(KNOWN_BROAD_GROUPS)].rename(
        columns={"broad_group": "group"}
    )
    monthly["population"] = [int(by_broad_pop.get(g, 0)) for g in monthly["group"]]
    specs["monthly"] = TableSpec(monthly.reset_index(drop=True), counts=["events"], keys=["month_start", "group"],
                                 public=["population"])  # fmt: skip
    links.append(Rollup("yearly_broad", "monthly", on=["financial_year", "group"], columns=["events"]))
    if fy is None:  # a rolling window: its own broad, detailed and trust tables, adding up to its months
        period_counts = pcref.coercion_events(
            engine, scope, measure, period_start, period_end, ri_type, **filters
        )
        broad, detailed, trust = _rate_tables(period_counts.assign(period=label), population, "period")
        specs["detailed"] = TableSpec(
            detailed, counts=list(RATE_COUNTS), keys=["period", "code"], public=["population"]
        )
        links.append(Rollup("broad", "detailed", on={"broad_group": "group"}, columns=list(RATE_COUNTS)))
        more, more_links = _period_specs("", broad, trust, "period")
        specs.update(more)
        links += more_links
        window = [m for m in monthly["month_start"].unique() if period_start <= m <= period_end]
        links.append(Rollup("broad", "monthly", on={"group": "group"}, columns=["events"],
                            parts_where={"month_start": window}))  # fmt: skip
        period_tables, period_where = ("broad", "trust"), {}
    else:  # the year's rows of the yearly tables
        period_tables, period_where = ("yearly_broad", "yearly_trust"), {"financial_year": fy}
    teams = pcref.coercion_by_team(engine, scope, measure, period_start, period_end, ri_type, **filters)
    person_filter = bool(borough or sex or age_band)
    team_figures = [] if person_filter else [Rate("obd_rate", "events", "bed_days", per=1000)]
    specs["teams"] = TableSpec(teams, counts=["events", "black_events", "unrecorded_events", "bed_days"],
                               keys=["team"], figures=team_figures)  # fmt: skip
    if scope.trust_wide:  # a champion's teams do not cover the trust (PCREF is not a champion's page)
        links.append(Rollup(period_tables[1], "teams", columns={"events": "events", "unrecorded_events": "unrecorded_events"},
                            total_where=period_where))  # fmt: skip
        links.append(Rollup(period_tables[0], "teams", columns={"black_events": "events"},
                            total_where={**period_where, "group": BLACK}))  # fmt: skip
    counts = publish_linked(specs, links, policy=rules)
    # Rates and ratios from the published counts (each row against its reference group's published row)
    ratios = partial(_with_ratios, reference=reference, rules=rules)
    yearly_table = ratios(counts["yearly_broad"], counts["yearly_broad"], ["financial_year"], {})
    monthly_table = ratios(
        counts["monthly"], counts["monthly"], ["month_start"], {}, counts=("events",), series=True
    )
    yearly_detailed_table = ratios(counts["yearly_detailed"], counts["yearly_broad"], ["financial_year"], {})
    if fy is None:
        broad_table = ratios(counts["broad"], counts["broad"], ["period"], {})
        detailed_table = ratios(counts["detailed"], counts["broad"], [], {})
        trust_table = counts["trust"]
    else:  # the year's rows of the yearly tables: nothing is published twice
        broad_table, detailed_table, trust_table = (
            table.filter_rows(table.frame["financial_year"] == fy)
            for table in (yearly_table, yearly_detailed_table, counts["yearly_trust"])
        )
    events_noun, people_noun = COUNTS[measure]
    people_sentence, events_sentence = _sentences(broad_table, reference, measure, measure_id, period_label,
                                                  int(by_broad_pop.get(BLACK, 0)), int(by_broad_pop.get(reference, 0)))  # fmt: skip
    row = trust_table.frame.iloc[0] if len(trust_table.frame) else None
    recording = _recording(row, trust_table, rules)
    result = Coercion(title, measure_id, reference, people_sentence, broad_table, detailed_table, recording,
                      measure in MAPPED, events_sentence, trust_table, events_noun, people_noun)  # fmt: skip
    note = (
        "Every filter applies to the teams' counts. The rate per 1,000 occupied bed days is shown only "
        "without a borough, sex or age filter: bed days are not split by where patients live, their sex or age."
        if person_filter
        else "Every filter applies to the teams' counts."
    )
    return View(result, yearly_table, monthly_table, yearly_detailed_table, counts["teams"], note,
                info.improvement, info.polarity, info.definition)  # fmt: skip


def _recording(row, table: PublishedTable, rules: DisclosurePolicy) -> Recording:
    """Events without a recorded ethnicity, from the published trust table (the same numbers as shown)."""
    if row is None:
        return Recording("events", 0, 0, None, rules.threshold)
    total = None if pd.isna(row["events"]) else int(row["events"])
    unrecorded = None if pd.isna(row["unrecorded_events"]) else int(row["unrecorded_events"])
    share = proportion(unrecorded, total) if total and unrecorded is not None else None
    return Recording("events", total, unrecorded, share, rules.threshold)


def coercion(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    borough: str = "", sex: str = "", age_band: str = "", service_line: str = "", period_label: str = "",
    rules: DisclosurePolicy | None = None, reference: str | None = None,
) -> Coercion:  # fmt: skip
    """Rates per 100,000 by broad and detailed ethnic group, of events and of people, each compared with
    the reference group, the sentences comparing Black people with it, and how many events lack a
    recorded ethnicity (published with the rest of the view, :func:`view`)."""
    return view(engine, scope, measure, period_start, period_end, ri_type, borough, sex, age_band, service_line,
                period_label, rules, reference).coercion  # fmt: skip


def monthly(
    engine: Engine, scope: Scope, measure: str, group: str = BLACK, ri_type: str = "any", borough: str = "",
    sex: str = "", age_band: str = "", service_line: str = "", rules: DisclosurePolicy | None = None,
    reference: str | None = None, period_start: date | None = None, period_end: date | None = None,
) -> Monthly:  # fmt: skip
    """The monthly series for SPC charts (the page, the board's sparklines and the pack use this one),
    published with the yearly tables it adds up to (the latest financial year's view unless a period is
    given)."""
    if period_start is None or period_end is None:
        years = overview.financial_years(engine, scope)
        period_start, period_end = years["first_day"].iloc[-1], years["last_day"].iloc[-1]
    whole = view(engine, scope, measure, period_start, period_end, ri_type, borough, sex, age_band, service_line,
                 rules=rules, reference=reference)  # fmt: skip
    return whole.monthly(group)


def standardised(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    borough: str = "", sex: str = "", service_line: str = "", detailed: bool = False,
) -> PublishedTable | None:  # fmt: skip
    """Directly standardised rates (ESP2013, Dobson) by broad group (or NHS ethnic category with
    ``detailed``, compared with the broad reference group), with ratios to the reference group; None when
    the store holds no population by age (Census TS021 alone has none).

    Both tables come from one query and are published once per store load and kept, like the view
    (standardising by age band is most of a cold run of the page)."""
    both = kept_per_load(_build_standardised, engine, scope, measure, period_start, period_end, ri_type, borough,
                         sex, service_line, policy(), reference_group())  # fmt: skip
    return None if both is None else both[1 if detailed else 0]


def _build_standardised(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str,
    borough: str, sex: str, service_line: str, rules: DisclosurePolicy, reference: str,
) -> tuple[PublishedTable, PublishedTable] | None:  # fmt: skip
    """The broad and the detailed standardised tables of :func:`standardised`, or None."""
    cells = pcref.standardisation_cells(engine, scope, measure, period_start, period_end, ri_type, borough, sex,
                                        service_line)  # fmt: skip
    if cells.empty or int(cells["population"].sum()) == 0:
        return None
    broad = cells[cells["level"] == "broad"].rename(columns={"grp": "group"})
    broad = broad[broad["group"].isin(KNOWN_BROAD_GROUPS)]
    table = broad.rename(columns={"group": "broad_group_name"}).drop(columns=["broad_group"])
    broad_table = standardised_rate_table(table.rename(columns={"broad_group_name": "broad_group"}),
                                          reference=reference, policy=rules)  # fmt: skip
    codes = cells[cells["level"] == "code"]
    codes = codes[codes["grp"].map(lambda c: category(c).known).astype(bool)]
    codes = codes.assign(group=[category(c).description for c in codes["grp"]])
    detailed_table = standardised_rate_table(codes[["group", "esp2013_band", "events", "population"]],
                                             reference=reference, policy=rules, group_column="group",
                                             reference_cells=broad[broad["group"] == reference])  # fmt: skip
    return broad_table, detailed_table


def by_team(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    service_line: str = "", borough: str = "", sex: str = "", age_band: str = "",
) -> PublishedTable:  # fmt: skip
    """Events by team or ward, with rates per 1,000 occupied bed days for wards (equality leads),
    published with the rest of the view (:func:`view`)."""
    return view(engine, scope, measure, period_start, period_end, ri_type, borough, sex, age_band,
                service_line).teams  # fmt: skip


@dataclass(frozen=True)
class Outcomes:
    """Talking Therapies outcomes by broad group: (measure id, title, definition, label, denominator,
    table) per measure, and a recovery sentence for each broad group compared with the reference group
    (Asian people as well as Black people: each group is named)."""

    reference: str
    tables: tuple[tuple[str, str, str, str, str, PublishedTable], ...]
    sentences: tuple[str, ...]


def outcomes(
    engine: Engine, scope: Scope, period_start: date, period_end: date, borough: str = "", sex: str = "",
    age_band: str = "", service_line: str = "", rules: DisclosurePolicy | None = None, reference: str | None = None,
) -> Outcomes:  # fmt: skip
    """Recovery, reliable improvement and reliable deterioration by broad group (courses finishing in
    the period), each compared with the reference group."""
    reference, rules = reference_group(reference), rules or policy()
    frame = pcref.talking_therapies_outcomes(engine, scope, period_start, period_end, borough, sex, age_band,
                                             service_line)  # fmt: skip
    frame = frame.loc[frame["ethnic_category"].map(lambda c: category(c).known).astype(bool)]
    frame = frame.assign(group=[category(c).broad_group for c in frame["ethnic_category"]])
    by_group = frame.groupby("group", as_index=False)[
        ["finished", "caseness", "recovered", "improved", "deteriorated"]
    ].sum()
    if by_group.empty or reference not in set(by_group["group"]):
        return Outcomes(reference, (), ())
    tables = []
    for measure_id, numerator, denominator, label in OUTCOME_MEASURES:
        table = group_proportion_table(by_group, numerator=numerator, denominator=denominator,
                                       reference=reference, policy=rules)  # fmt: skip
        info = catalogue()[measure_id]
        tables.append((measure_id, info.title, info.definition, label, denominator, table))
    recovery = tables[0][5]
    sentences = []
    for group in recovery.frame["group"]:
        if group == reference:
            continue
        ratio = published_ratio(recovery, group)
        sentences.append(
            f"Too few {people_of(group)} finished a course at caseness to compare their recovery with {reference} people."
            if ratio is None
            else describe_ratio(ratio, subject=f"{people_of(group)} who finished a course", reference=f"{reference} people",
                                outcome=outcome(OUTCOME_MEASURES[0][0]))
        )  # fmt: skip
    return Outcomes(reference, tuple(tables), tuple(sentences))


@dataclass(frozen=True)
class Experience:
    """Feedback by broad group for one kind of respondent: every answer, and each question."""

    reference: str
    overall: PublishedTable | None
    questions: tuple[tuple[str, PublishedTable], ...]


def experience(
    engine: Engine, scope: Scope, period_start: date, period_end: date, respondent: str, borough: str = ""
) -> Experience | None:
    """The share of positive answers by broad group, compared with the reference group (None when no
    feedback was given for the selection)."""
    reference, rules = reference_group(), policy()
    answers = pcref.feedback(engine, scope, period_start, period_end, borough)
    if answers.empty:
        return None
    chosen = answers[
        (answers["respondent_type"] == respondent) & answers["broad_group"].isin(KNOWN_BROAD_GROUPS)
    ]

    def table(rows: pd.DataFrame) -> PublishedTable | None:
        grouped = rows.groupby("broad_group", as_index=False)[["positive", "answers"]].sum()
        grouped = grouped.rename(columns={"broad_group": "group"})
        if reference not in set(grouped["group"]):
            return None
        return group_proportion_table(grouped, numerator="positive", denominator="answers", reference=reference,
                                      policy=rules)  # fmt: skip

    questions = []
    for question in sorted(chosen["question"].unique()):
        published = table(chosen[chosen["question"] == question])
        if published is not None:
            questions.append((question, published))
    return Experience(reference, table(chosen), tuple(questions))


def feedback_actions(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The "you said, we did" log (words only, no counts)."""
    return pcref.feedback_actions(engine, scope)


def periods(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Financial years in the data, for the period choices."""
    return overview.financial_years(engine, scope)
