"""Queries behind the Workforce page (WRES and the workforce against the community it serves).

Counts only, aggregated in SQL from the per-load summary tables (``summary_workforce_*``, built by
``data.summaries`` at every load, with ``team_id`` so scope still applies): headcounts by band, borough,
team and characteristic at each 31 March snapshot, the counts behind WRES indicators 2, 3, 4 and 9, working-age residents by borough, the staff
survey figures (WRES 5–8) and equality targets. Shares, likelihoods, intervals and disclosure control
happen in ``measures``. The WRES year is the financial year ending on the snapshot date (31 March 2026
closes 2025-26), so every function takes that label rather than a date (portable across backends).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from queries.runner import run_query
from queries.scope import Scope

#: Which staff a page may ask for: everyone, clinical or non-clinical staff (WRES 1 reports both).
STAFF_FILTERS = ("all", "clinical", "non_clinical")


def _check_filter(staff_filter: str) -> str:
    if staff_filter not in STAFF_FILTERS:
        raise ValueError(f"staff_filter must be one of {STAFF_FILTERS}")
    return staff_filter


def _ints(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame


def _iso(values: pd.Series) -> pd.Series:
    """Dates as 'YYYY-MM-DD' text whichever backend returned them (SQLite gives text, PostgreSQL dates)."""
    return values.map(lambda value: None if value is None or pd.isna(value) else str(value)[:10])


def snapshot_years(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The staff snapshots in scope, oldest first: financial_year (the WRES year), snapshot_date."""
    frame = run_query(engine, "workforce_years", scope)
    frame["snapshot_date"] = _iso(frame["snapshot_date"])
    return frame


def band_counts(
    engine: Engine, scope: Scope, financial_year: str = "", staff_filter: str = "all", borough: str = ""
) -> pd.DataFrame:
    """Headcount by financial_year, pay_band and broad_group (NHS broad group, including Not stated and
    Not known): columns financial_year, pay_band, broad_group, staff. ``financial_year=''`` gives every
    snapshot (for trends); ``borough`` limits to staff working there."""
    frame = run_query(
        engine,
        "workforce_bands",
        scope,
        financial_year=financial_year,
        staff_filter=_check_filter(staff_filter),
        borough=borough,
    )
    return _ints(frame, "staff")


def borough_counts(
    engine: Engine, scope: Scope, financial_year: str, staff_filter: str = "all"
) -> pd.DataFrame:
    """Headcount by work borough, pay band and broad group: area_code, pay_band, broad_group, staff."""
    frame = run_query(
        engine,
        "workforce_boroughs",
        scope,
        financial_year=financial_year,
        staff_filter=_check_filter(staff_filter),
        borough="",  # every borough (the shared staff condition binds it)
    )
    return _ints(frame, "staff")


def population_counts(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Working-age residents (16 to 64) by borough and NHS broad group: area_code, broad_group, population,
    age_basis ("16-64", or "all ages" when the store holds no population by age)."""
    return _ints(run_query(engine, "workforce_population", scope), "population")


def likelihood_counts(engine: Engine, scope: Scope, financial_year: str = "") -> pd.DataFrame:
    """Counts behind WRES 2, 3 and 4: financial_year, indicator, wres_group (White or BME), events, total."""
    frame = run_query(engine, "workforce_likelihoods", scope, financial_year=financial_year)
    return _ints(frame, "indicator", "events", "total")


def board_counts(engine: Engine, scope: Scope, financial_year: str = "") -> pd.DataFrame:
    """Board voting members by WRES group: financial_year, wres_group (White, BME, Not recorded), members."""
    return _ints(run_query(engine, "workforce_board", scope, financial_year=financial_year), "members")


def team_counts(
    engine: Engine, scope: Scope, financial_year: str, borough: str, staff_filter: str = "all"
) -> pd.DataFrame:
    """Staff working in one borough by team and broad group: team_id (None for staff with no team), team,
    service_line, broad_group, staff, champions."""
    frame = run_query(
        engine,
        "workforce_teams",
        scope,
        financial_year=financial_year,
        borough=borough,
        staff_filter=_check_filter(staff_filter),
    )
    frame["team_id"] = pd.to_numeric(frame["team_id"]).astype("Int64")
    return _ints(frame, "staff", "champions")


def champion_teams(engine: Engine, scope: Scope, financial_year: str) -> pd.DataFrame:
    """Every team in scope with staff and health-inequalities champions: team_id, team, service_line,
    borough, staff, champions (0 where none)."""
    return _ints(
        run_query(engine, "workforce_champion_teams", scope, financial_year=financial_year),
        "staff",
        "champions",
    )


def champion_bands(engine: Engine, scope: Scope, financial_year: str) -> pd.DataFrame:
    """Champions by pay band: pay_band, staff, champions."""
    return _ints(
        run_query(engine, "workforce_champion_bands", scope, financial_year=financial_year),
        "staff",
        "champions",
    )


def characteristic_counts(
    engine: Engine, scope: Scope, financial_year: str, staff_filter: str = "all", borough: str = ""
) -> pd.DataFrame:
    """Headcount by pay band and one other characteristic: pay_band, characteristic ('sex', 'disability',
    'age_band'), category, staff."""
    frame = run_query(
        engine,
        "workforce_characteristics",
        scope,
        financial_year=financial_year,
        staff_filter=_check_filter(staff_filter),
        borough=borough,
    )
    return _ints(frame, "staff")


def staff_survey(engine: Engine, scope: Scope) -> pd.DataFrame:
    """NHS Staff Survey results for WRES 5–8 as loaded: year, indicator, ethnic_group, percent, respondents
    (respondents may be missing)."""
    frame = run_query(engine, "workforce_survey", scope)
    frame["year"] = pd.to_numeric(frame["year"]).astype("int64")
    frame["indicator"] = pd.to_numeric(frame["indicator"]).astype("int64")
    frame["percent"] = pd.to_numeric(frame["percent"]).astype("float64")
    frame["respondents"] = pd.to_numeric(frame["respondents"]).astype("Int64")
    return frame


def targets(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Equality targets: id, measure, target_group, baseline, value, start_date, due_date (ISO text),
    description."""
    frame = run_query(engine, "workforce_targets", scope)
    for column in ("baseline", "value"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    for column in ("start_date", "due_date"):
        frame[column] = _iso(frame[column])
    return frame
