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
