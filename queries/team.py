"""Queries behind the "My team" page: the teams a user may see, and one team against its service
line and the trust for every measure with team-level data."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from queries.runner import run_query
from queries.scope import Scope


def teams_in_scope(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Teams the scope covers: id, name, service_line, setting, lad_code, borough."""
    return run_query(engine, "teams", scope)


def team_comparison(
    engine: Engine, scope: Scope, team_id: int, financial_year: str, standard_days: int
) -> pd.DataFrame:
    """Counts for one team, its service line and the trust: level, measure_id, service_line, teams,
    numerator, denominator. Empty when the team is outside the scope."""
    frame = run_query(
        engine,
        "team_comparison",
        scope,
        team_id=int(team_id),
        financial_year=financial_year,
        standard_days=int(standard_days),
    )
    for column in ("teams", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    return frame


def _counts(
    frame: pd.DataFrame, columns: tuple[str, ...] = ("teams", "numerator", "denominator")
) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame


def team_groups(
    engine: Engine, scope: Scope, team_id: int, financial_year: str, standard_days: int
) -> pd.DataFrame:
    """One team, its service line and the trust by NHS ethnic category for one financial year: level,
    measure_id, ethnic_category ('' for ward measures), numerator, denominator, teams. Read from the
    summaries built at load. Empty when the team is outside the scope."""
    frame = run_query(
        engine,
        "team_groups",
        scope,
        team_id=int(team_id),
        financial_year=financial_year,
        standard_days=int(standard_days),
    )
    frame["ethnic_category"] = frame["ethnic_category"].fillna("").astype(str)
    return _counts(frame)


def team_quarters(engine: Engine, scope: Scope, team_id: int, standard_days: int) -> pd.DataFrame:
    """One team and its service line by quarter, every quarter held: level, measure_id, quarter,
    numerator, denominator, teams. Empty when the team is outside the scope."""
    frame = run_query(engine, "team_quarters", scope, team_id=int(team_id), standard_days=int(standard_days))
    return _counts(frame)


def team_measure_totals(
    engine: Engine, scope: Scope, measure_id: str, financial_year: str, standard_days: int
) -> pd.DataFrame:
    """Every team in scope with a denominator for the measure in the year: team_id, name, service_line,
    numerator, denominator (for the team comparisons)."""
    frame = run_query(engine, "team_measure_totals", scope, measure_id=measure_id,
                      financial_year=financial_year, standard_days=int(standard_days))  # fmt: skip
    return _counts(frame, ("numerator", "denominator"))
