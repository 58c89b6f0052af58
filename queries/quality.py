"""Queries behind the Data quality page and every figure of recording completeness: people referred and
how many have each protected characteristic recorded, by team, service line, borough and the trust, by
year and by month. Read from the summary built at load (``summary_quality_people``). Counts only."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from queries.runner import run_query
from queries.scope import Scope

#: Characteristic columns of the summary, with their names on screen.
CHARACTERISTICS = {
    "ethnicity": "Ethnicity",
    "sex": "Sex",
    "age": "Age",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "disability": "Disability",
}
QUALITY_LEVELS = ("team", "service_line", "borough", "trust")
PERIOD_KINDS = ("year", "month")


def people_recorded(
    engine: Engine, scope: Scope, period_kind: str = "year", level: str = "", period: str = ""
) -> pd.DataFrame:
    """period_kind, period, level, unit (team id, service line, borough code or 'trust'), team_id, people
    and, per characteristic, the people with it recorded. A champion's scope reads only their teams."""
    if period_kind not in PERIOD_KINDS:
        raise ValueError(f"period_kind must be one of {PERIOD_KINDS}")
    if level and level not in QUALITY_LEVELS:
        raise ValueError(f"level must be one of {QUALITY_LEVELS}")
    frame = run_query(engine, "quality_people", scope, period_kind=period_kind, level=level, period=period)
    for column in ("people", *CHARACTERISTICS):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    frame["unit"] = frame["unit"].astype(str)
    return frame
