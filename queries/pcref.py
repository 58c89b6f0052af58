"""Queries behind the PCREF page: coercion events, population, standardisation cells, monthly series,
teams, Talking Therapies outcomes and feedback, by ethnic group. Counts only; rates, ratios and SPC
come from ``measures``. Filters: borough, sex and age band ('' for all); service line where the
events belong to a team. The coercion queries read the per-load summaries ``summary_pcref_events`` and
``summary_pcref_population`` (built by ``data.summaries``), so periods are whole months."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from queries.runner import run_query
from queries.scope import Scope

COERCION_MEASURES = ("detentions", "ctos", "s136", "restrictive")
RI_TYPES = ("any", "physical", "prone", "mechanical", "seclusion", "segregation", "rapid_tranquillisation")


def _check(measure: str, ri_type: str) -> None:
    if measure not in COERCION_MEASURES:
        raise ValueError(f"measure must be one of {COERCION_MEASURES}")
    if ri_type not in RI_TYPES:
        raise ValueError(f"ri_type must be one of {RI_TYPES}")


def _ints(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame


def coercion_events(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    borough: str = "", sex: str = "", age_band: str = "", service_line: str = "",
) -> pd.DataFrame:  # fmt: skip
    """Events and distinct people by NHS ethnic category code in the period: ethnic_category, events, people."""
    _check(measure, ri_type)
    frame = run_query(engine, "pcref_events", scope, measure=measure, ri_type=ri_type, period_start=period_start,
                      period_end=period_end, borough=borough, sex=sex, age_band=age_band,
                      service_line=service_line)  # fmt: skip
    return _ints(frame, ("events", "people"))


def population(
    engine: Engine, scope: Scope, borough: str = "", sex: str = "", age_band: str = ""
) -> pd.DataFrame:
    """Population by NHS code (level 'code') and by broad group (level 'broad'): level, grp, population."""
    frame = run_query(engine, "pcref_population", scope, borough=borough, sex=sex, age_band=age_band)
    return _ints(frame, ("population",))


def standardisation_cells(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    borough: str = "", sex: str = "", service_line: str = "",
) -> pd.DataFrame:  # fmt: skip
    """Events and population by ESP2013 band at two levels: level ('broad' or 'code'), grp (the broad
    group or the NHS code), broad_group, esp2013_band, events, population. No rows without a population
    by age."""
    _check(measure, ri_type)
    frame = run_query(engine, "pcref_standardised", scope, measure=measure, ri_type=ri_type,
                      period_start=period_start, period_end=period_end, borough=borough, sex=sex, age_band="",
                      service_line=service_line)  # fmt: skip
    return _ints(frame, ("events", "population"))


def yearly_events(
    engine: Engine, scope: Scope, measure: str, ri_type: str = "any", borough: str = "", sex: str = "",
    age_band: str = "", service_line: str = "",
) -> pd.DataFrame:  # fmt: skip
    """Events and distinct people per financial year by NHS ethnic category over the data period:
    financial_year, ethnic_category, events, people."""
    _check(measure, ri_type)
    frame = run_query(engine, "pcref_yearly", scope, measure=measure, ri_type=ri_type, borough=borough, sex=sex,
                      age_band=age_band, service_line=service_line)  # fmt: skip
    return _ints(frame, ("events", "people"))


def monthly_events(
    engine: Engine, scope: Scope, measure: str, ri_type: str = "any", borough: str = "", sex: str = "",
    age_band: str = "", service_line: str = "",
) -> pd.DataFrame:  # fmt: skip
    """Events per month by broad group over the data period (zero months included): month_start,
    broad_group, events."""
    _check(measure, ri_type)
    frame = run_query(engine, "pcref_monthly", scope, measure=measure, ri_type=ri_type, borough=borough, sex=sex,
                      age_band=age_band, service_line=service_line)  # fmt: skip
    frame["month_start"] = pd.to_datetime(frame["month_start"]).dt.date
    return _ints(frame, ("events",))


def coercion_by_team(
    engine: Engine, scope: Scope, measure: str, period_start: date, period_end: date, ri_type: str = "any",
    service_line: str = "", borough: str = "", sex: str = "", age_band: str = "",
) -> pd.DataFrame:  # fmt: skip
    """Events by team in the period (the person filters apply to the events): team, service_line, events,
    black_events, unrecorded_events, bed_days."""
    _check(measure, ri_type)
    frame = run_query(engine, "pcref_teams", scope, measure=measure, ri_type=ri_type, period_start=period_start,
                      period_end=period_end, service_line=service_line, borough=borough, sex=sex,
                      age_band=age_band)  # fmt: skip
    return _ints(frame, ("events", "black_events", "unrecorded_events", "bed_days"))


def talking_therapies_outcomes(
    engine: Engine, scope: Scope, period_start: date, period_end: date, borough: str = "", sex: str = "",
    age_band: str = "", service_line: str = "",
) -> pd.DataFrame:  # fmt: skip
    """Finished courses by NHS ethnic category: finished, caseness, recovered, improved, deteriorated."""
    frame = run_query(engine, "pcref_outcomes", scope, period_start=period_start, period_end=period_end,
                      borough=borough, sex=sex, age_band=age_band, service_line=service_line)  # fmt: skip
    return _ints(frame, ("finished", "caseness", "recovered", "improved", "deteriorated"))


def feedback(
    engine: Engine, scope: Scope, period_start: date, period_end: date, borough: str = ""
) -> pd.DataFrame:
    """Answers and positive answers by respondent_type, question and broad_group."""
    frame = run_query(engine, "pcref_feedback", scope, period_start=period_start, period_end=period_end,
                      borough=borough)  # fmt: skip
    return _ints(frame, ("answers", "positive"))


def feedback_actions(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The "you said, we did" log within scope: date, theme, you_said, we_did, team."""
    return run_query(engine, "feedback_actions", scope)
