"""Queries behind the home page: what the store holds, for whom, and the headline counts."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from queries.runner import run_query
from queries.scope import Scope


def dataset_facts(engine: Engine, scope: Scope) -> dict[str, str]:
    """Key/value facts about the loaded data. Not team data: returned for any scope, even an empty one
    (the sign-in page needs the synthetic label before anyone is signed in)."""
    frame = run_query(engine, "dataset_info", scope)
    return dict(zip(frame["key"], frame["value"], strict=True))


def boroughs(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Boroughs served: code, name, neighbourhoods (MSOA count)."""
    return run_query(engine, "boroughs", scope)


def financial_years(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Financial years in the calendar with first and last days, oldest first."""
    frame = run_query(engine, "financial_years", scope)
    frame["first_day"] = pd.to_datetime(frame["first_day"]).dt.date
    frame["last_day"] = pd.to_datetime(frame["last_day"]).dt.date
    return frame


def headline_counts(engine: Engine, scope: Scope, financial_year: str) -> dict[str, int]:
    """People in contact, referrals, detentions and staff for one financial year, within scope."""
    frame = run_query(engine, "headline_counts", scope, financial_year=financial_year)
    row = frame.iloc[0]
    return {column: int(row[column] or 0) for column in frame.columns}


def ethnicity_recording(engine: Engine, scope: Scope, financial_year: str) -> pd.DataFrame:
    """People referred in the year by broad ethnic group, with whether the code is a known group."""
    return run_query(engine, "ethnicity_recording", scope, financial_year=financial_year)


def population_by_age_sex_present(engine: Engine, scope: Scope) -> bool:
    """True when the store holds a population by age and sex (needed for the sex and age filters and for
    age-standardised rates; Census TS021 alone has neither)."""
    return bool(run_query(engine, "population_by_age_sex_present", scope)["present"].iloc[0])
