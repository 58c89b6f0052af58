"""Choices for the pages' filters (years, boroughs, service lines, teams), so pages need nothing below
``reports``. Names only: no figures."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS
from queries import overview, team
from queries.scope import Scope

BROAD_GROUPS = KNOWN_BROAD_GROUPS
BLACK_GROUP = BLACK


def financial_years(engine: Engine, scope: Scope) -> pd.DataFrame:
    """financial_year, first_day, last_day, oldest first."""
    return overview.financial_years(engine, scope)


def boroughs(engine: Engine, scope: Scope) -> pd.DataFrame:
    """code, name, neighbourhoods."""
    return overview.boroughs(engine, scope)


def age_sex_available(engine: Engine, scope: Scope) -> bool:
    """Whether the sex and age filters can work: they need the optional population by age and sex."""
    return overview.population_by_age_sex_present(engine, scope)


def teams(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The teams in scope: id, name, service_line, setting, lad_code, borough."""
    return team.teams_in_scope(engine, scope)


def service_lines(engine: Engine, scope: Scope) -> list[str]:
    return sorted(set(team.teams_in_scope(engine, scope)["service_line"]))
