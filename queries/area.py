"""Queries behind the area maps: events and population by borough or neighbourhood, the breakdown by
community within a borough, and a borough's teams. Counts only; rates come from ``measures``."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from queries.runner import run_query
from queries.scope import Scope

#: Catalogue ids of the measures the area maps can show (each has an area query).
AREA_MEASURES = ("referrals_rate", "mha_detentions_crude_rate", "cto_crude_rate", "s136_crude_rate")
LEVELS = ("lad", "msoa")


def _check(level: str, measure_id: str | None = None) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    if measure_id is not None and measure_id not in AREA_MEASURES:
        raise ValueError(f"no area query for measure {measure_id!r}")


def area_counts(
    engine: Engine,
    scope: Scope,
    measure_id: str,
    financial_year: str,
    level: str = "lad",
    borough: str = "",
    broad_group: str = "",
) -> pd.DataFrame:
    """One row per area: area_code, events (of the measure), population. Areas with no events have 0;
    ``borough`` limits neighbourhoods to one borough; ``broad_group`` limits both to one ethnic group."""
    _check(level, measure_id)
    params = {"level": level, "borough": borough, "broad_group": broad_group}
    population = run_query(engine, "area_population", scope, **params)
    events = run_query(engine, "area_events", scope, financial_year=financial_year, **params)
    events = events[events["measure_id"] == measure_id][["area_code", "events"]]
    frame = population.merge(events, on="area_code", how="left")
    frame["events"] = pd.to_numeric(frame["events"]).fillna(0).astype("int64")
    frame["population"] = pd.to_numeric(frame["population"]).astype("int64")
    return frame[["area_code", "events", "population"]].sort_values("area_code").reset_index(drop=True)


def group_counts(
    engine: Engine, scope: Scope, measure_id: str, financial_year: str, borough: str = "", msoa: str = ""
) -> pd.DataFrame:
    """Events and population by NHS broad ethnic group in one borough ('' for the trust) or one of its
    neighbourhoods (``msoa``): broad_group, events, population (none for Not stated / Not known)."""
    _check("lad", measure_id)
    frame = run_query(engine, "borough_groups", scope, measure_id=measure_id, financial_year=financial_year,
                      borough=borough, msoa=msoa)  # fmt: skip
    frame["events"] = pd.to_numeric(frame["events"]).astype("int64")
    frame["population"] = pd.to_numeric(frame["population"]).astype("Int64")
    return frame[["broad_group", "events", "population"]]


def area_teams(
    engine: Engine, scope: Scope, borough: str, financial_year: str, msoa: str = ""
) -> pd.DataFrame:
    """The teams that served residents of a neighbourhood (``msoa``) or of the borough, within scope: id,
    name, service_line, referrals and detentions of people living there."""
    frame = run_query(engine, "area_teams", scope, borough=borough, financial_year=financial_year, msoa=msoa)
    for column in ("referrals", "detentions"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame


def borough_teams(engine: Engine, scope: Scope, borough: str, financial_year: str) -> pd.DataFrame:
    """Teams based in the borough, within scope: id, name, service_line, referrals, detentions."""
    frame = run_query(engine, "borough_teams", scope, borough=borough, financial_year=financial_year)
    for column in ("referrals", "detentions"):
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    return frame
