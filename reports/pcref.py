"""PCREF figures: coercion (Mental Health Act detentions, CTOs, s136, restrictive interventions), their
monthly series, age-standardised rates, teams and wards, Talking Therapies outcomes and patient and
carer experience, by ethnic group; each compared with the one reference group (``reports.settings``).
Used by the PCREF page, the board's headlines and the board pack alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from measures.benchmark import group_proportion_table, standardised_rate_table
from measures.disclosure import DisclosurePolicy, PublishedTable, publish_table
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS, category
from measures.narrative import describe_ratio
from measures.stats import crude_rates
from queries import overview, pcref
from queries.scope import Scope
from reports.common import published_ratio, rate_table
from reports.data_quality import Recording, recording_from_counts
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


def _broad(events: pd.DataFrame, column: str) -> dict[str, int]:
    """Counts summed by broad group from counts by NHS code."""
    groups = events["ethnic_category"].map(lambda c: category(c).broad_group)
    return {g: int(events.loc[groups == g, column].sum()) for g in KNOWN_BROAD_GROUPS}


@dataclass(frozen=True)
class Coercion:
    """One coercion measure in a period, by ethnic group."""

    title: str
    measure_id: str
    reference: str
    sentence: str | None  # Black people compared with the reference group; None if no population
    broad: PublishedTable
    detailed: PublishedTable
    recording: Recording
    mapped: bool


def coercion(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    borough: str = "", sex: str = "", age_band: str = "", service_line: str = "", period_label: str = "",
    rules: DisclosurePolicy | None = None, reference: str | None = None,
) -> Coercion:  # fmt: skip
    """Rates per 100,000 by broad and detailed ethnic group, each compared with the reference group, the
    sentence comparing Black people with it, and how many events lack a recorded ethnicity."""
    rules, reference = rules or policy(), reference_group(reference)
    title, measure_id = COERCION[measure]
    if measure == "restrictive":
        title = RI_LABELS[ri_type]
    events = pcref.coercion_events(engine, scope, measure, period_start, period_end, ri_type, borough, sex,
                                   age_band, service_line)  # fmt: skip
    population = pcref.population(engine, scope, borough, sex, age_band)
    by_code = population[population["level"] == "code"].set_index("grp")["population"]
    by_broad = population[population["level"] == "broad"].set_index("grp")["population"]
    coded = events.set_index("ethnic_category")
    broad_events, broad_people = _broad(events, "events"), _broad(events, "people")
    broad = pd.DataFrame({"group": list(KNOWN_BROAD_GROUPS)})
    broad["events"] = broad["group"].map(broad_events)
    broad["population"] = [int(by_broad.get(g, 0)) for g in broad["group"]]
    broad["people"] = broad["group"].map(broad_people)
    codes = [c for c in by_code.index if category(c).known]
    detailed = pd.DataFrame({"group": [category(c).description for c in codes]})
    detailed["events"] = [int(coded["events"].get(c, 0)) for c in codes]
    detailed["population"] = [int(by_code[c]) for c in codes]
    detailed["people"] = [int(coded["people"].get(c, 0)) for c in codes]
    against = {"reference": reference, "reference_events": broad_events[reference],
               "reference_population": int(by_broad.get(reference, 0)), "policy": rules, "extra_counts": ("people",)}  # fmt: skip
    broad_table = rate_table(broad, **against)
    sentence = None
    if against["reference_population"] and int(by_broad.get(BLACK, 0)):
        ratio = published_ratio(broad_table, BLACK)
        sentence = (
            f"Too few events to compare Black people with {reference} people {period_label or 'for this selection'}."
            if ratio is None
            else describe_ratio(ratio, subject="Black people", reference=f"{reference} people",
                                outcome=outcome(measure_id))
        )  # fmt: skip
    known = events["ethnic_category"].map(lambda c: category(c).known).astype(bool)
    recording = recording_from_counts(int(events.loc[~known, "events"].sum()), int(events["events"].sum()),
                                      "events", rules)  # fmt: skip
    return Coercion(title, measure_id, reference, sentence, broad_table, rate_table(detailed, **against),
                    recording, measure in MAPPED)  # fmt: skip


def standardised(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    borough: str = "", sex: str = "", service_line: str = "",
) -> PublishedTable | None:  # fmt: skip
    """Directly standardised rates (ESP2013, Dobson) by broad group, with ratios to the reference group;
    None when the store holds no population by age (Census TS021 alone has none)."""
    cells = pcref.standardisation_cells(engine, scope, measure, period_start, period_end, ri_type, borough, sex,
                                        service_line)  # fmt: skip
    if cells.empty or int(cells["population"].sum()) == 0:
        return None
    return standardised_rate_table(cells, reference=reference_group(), policy=policy())


def by_team(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    service_line: str = "",
) -> PublishedTable:  # fmt: skip
    """Events by team or ward, with rates per 1,000 occupied bed days for wards (equality leads)."""
    teams = pcref.coercion_by_team(engine, scope, measure, period_start, period_end, ri_type, service_line)
    wards = teams["bed_days"] > 0
    teams["obd_rate"] = float("nan")
    if wards.any():
        rates = crude_rates(teams.loc[wards, "events"], teams.loc[wards, "bed_days"], per=1000)
        teams.loc[wards, "obd_rate"] = rates["value"].to_numpy(dtype=float)
    return publish_table(teams, counts=["events", "black_events", "unrecorded_events", "bed_days"],
                         derived={"obd_rate": ("events", "bed_days")}, policy=policy())  # fmt: skip


@dataclass(frozen=True)
class Monthly:
    """A group's monthly rate per 100,000 and its ratio to the reference group, published."""

    group: str
    reference: str
    series: PublishedTable  # month_start, events, rate, reference_events, ratio
    improvement: str
    polarity: str


def monthly(
    engine: Engine, scope: Scope, measure: str, group: str = BLACK, ri_type: str = "any", borough: str = "",
    sex: str = "", age_band: str = "", service_line: str = "", rules: DisclosurePolicy | None = None,
    reference: str | None = None,
) -> Monthly:  # fmt: skip
    """The monthly series for SPC charts (the page, the board's sparklines and the pack use this one)."""
    reference = reference_group(reference)
    info = catalogue()[COERCION[measure][1]]
    counts = pcref.monthly_events(engine, scope, measure, ri_type, borough, sex, age_band, service_line)
    wide = counts.pivot(index="month_start", columns="broad_group", values="events").fillna(0).astype("int64")
    population = pcref.population(engine, scope, borough, sex, age_band)
    by_broad = population[population["level"] == "broad"].set_index("grp")["population"]
    pop_group, pop_reference = int(by_broad.get(group, 0)), int(by_broad.get(reference, 0))
    series = pd.DataFrame({"month_start": list(wide.index), "events": wide[group].to_numpy(),
                           "reference_events": wide[reference].to_numpy()})  # fmt: skip
    series["rate"] = series["events"] / pop_group * 100_000 if pop_group else float("nan")
    reference_rate = series["reference_events"] / pop_reference * 100_000 if pop_reference else float("nan")
    series["ratio"] = (series["rate"] / reference_rate).where(series["reference_events"] > 0)
    published = publish_table(series, counts=["events", "reference_events"],
                              derived={"rate": ("events",), "ratio": ("events", "reference_events")},
                              policy=rules or policy())  # fmt: skip
    return Monthly(group, reference, published, info.improvement, info.polarity)


@dataclass(frozen=True)
class Outcomes:
    """Talking Therapies outcomes by broad group: (measure id, title, definition, label, denominator,
    table) per measure, and the recovery sentence for Black people."""

    reference: str
    tables: tuple[tuple[str, str, str, str, str, PublishedTable], ...]
    sentence: str | None


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
        return Outcomes(reference, (), None)
    tables = []
    for measure_id, numerator, denominator, label in OUTCOME_MEASURES:
        table = group_proportion_table(by_group, numerator=numerator, denominator=denominator,
                                       reference=reference, policy=rules)  # fmt: skip
        info = catalogue()[measure_id]
        tables.append((measure_id, info.title, info.definition, label, denominator, table))
    ratio = published_ratio(tables[0][5], BLACK)
    sentence = None
    if ratio is not None:
        sentence = describe_ratio(ratio, subject="Black people who finished a course",
                                  reference=f"{reference} people", outcome=outcome(OUTCOME_MEASURES[0][0]))  # fmt: skip
    return Outcomes(reference, tuple(tables), sentence)


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
