"""Queries behind the Service access page: people referred, accepted and seen, routes in, waits,
engagement and Talking Therapies outcomes, grouped by person characteristics; and the resident
population by the characteristics the population table holds. Counts only: rates, shares, CIs,
ratios and suppression come from ``measures``.

Every query reads the summary tables built once per load (``queries/sql/summary_access_*.sql``,
``data.summaries``), never the referrals: a view reads a few thousand rows. The summaries keep
``team_id``, so a reader limited to some teams reads those teams' rows only.

Grouping is by up to five characteristics at once (``dims``), of which at most one outside the
population table (:data:`OTHER`). A characteristic's name reaches SQL as a bound value matched by
CASE, never as SQL text, and is checked against :data:`CHARACTERISTICS` first. Priority communities
(``config/communities.yaml``) are evaluated on these aggregated cells by ``measures.communities``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from queries.runner import DIMENSIONS, run_query
from queries.scope import Scope

#: Person characteristics the access queries can group by.
CHARACTERISTICS = (
    "ethnic_category",
    "broad_group",
    "sex",
    "age_band",
    "religion",
    "sexual_orientation",
    "disability",
    "first_language",
    "imd_quintile",
    "borough",
)
#: Characteristics held one at a time, with ethnic group and borough only (summary_access_people_other).
OTHER = ("religion", "sexual_orientation", "disability", "first_language")
#: Characteristics a wait (summary_access_waits) or a monthly count can be grouped by.
WAIT_CHARACTERISTICS = ("ethnic_category", "broad_group", "sex", "age_band", "imd_quintile", "borough")
MONTHLY_CHARACTERISTICS = ("ethnic_category", "broad_group", "sex", "age_band", "imd_quintile")
#: Characteristics the population table can give a denominator for.
POPULATION_CHARACTERISTICS = ("ethnic_category", "broad_group", "sex", "age_band", "borough")
MAX_DIMS = DIMENSIONS

PEOPLE_COUNTS = (
    "people_referred",
    "people_accepted",
    "people_seen",
    "referrals",
    "source_gp",
    "source_self",
    "source_police",
    "source_ae",
    "source_other",
    "accepted_referrals",
    "attended",
    "dna",
    "seen_referrals",
    "discharged_before_treatment",
)


def _dim_params(dims: Sequence[str], allowed: Sequence[str] = CHARACTERISTICS) -> dict[str, str]:
    dims = tuple(dims)
    if len(dims) > MAX_DIMS:
        raise ValueError(f"at most {MAX_DIMS} characteristics at once")
    if len(set(dims)) != len(dims):
        raise ValueError(f"a characteristic is named twice: {dims}")
    unknown = [d for d in dims if d not in allowed]
    if unknown:
        raise ValueError(f"unknown characteristics {unknown}; expected some of {list(allowed)}")
    other = [d for d in dims if d in OTHER]
    if len(other) > 1:
        raise ValueError(f"at most one of {list(OTHER)} at once")
    if other and set(dims) - {*other, "ethnic_category", "broad_group", "borough"}:
        raise ValueError(f"{other[0]} can be combined only with ethnic group and borough")
    params = {f"dim_{i}": (dims[i - 1] if i <= len(dims) else "none") for i in range(1, MAX_DIMS + 1)}
    return {**params, "other": other[0] if other else ""}


def _tidy(frame: pd.DataFrame, dims: Sequence[str], counts: Sequence[str]) -> pd.DataFrame:
    """Name the dim columns after their characteristics, drop unused ones, make counts int64."""
    renamed = {f"dim_{i}": name for i, name in enumerate(dims, start=1)}
    unused = [f"dim_{i}" for i in range(len(dims) + 1, MAX_DIMS + 1) if f"dim_{i}" in frame.columns]
    frame = frame.drop(columns=unused).rename(columns=renamed)
    for column in counts:
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
    return frame.reset_index(drop=True)


def people_counts(
    engine: Engine,
    scope: Scope,
    financial_year: str,
    standard_days: int | None = None,
    dims: tuple[str, ...] = (),
    borough: str = "",
    service_line: str = "",
) -> pd.DataFrame:
    """One row per combination of the ``dims`` characteristics (none: one row for everyone), with the
    counts in :data:`PEOPLE_COUNTS`. People are counted once, in the age band of their first referral.
    With ``standard_days``, also ``seen_within_standard``: accepted referrals seen within that many days
    (from the waits summary, so only for :data:`WAIT_CHARACTERISTICS`)."""
    frame = run_query(
        engine,
        "access_people",
        scope,
        financial_year=financial_year,
        borough=borough,
        service_line=service_line,
        **_dim_params(dims),
    )
    frame = _tidy(frame, dims, PEOPLE_COUNTS)
    if standard_days is None:
        return frame
    waits = wait_histogram(engine, scope, financial_year, dims, borough, service_line)
    waits["seen_within_standard"] = waits["referrals"].where(waits["wait_days"] <= int(standard_days), 0)
    if dims:
        within = waits.groupby(list(dims), as_index=False, dropna=False)["seen_within_standard"].sum()
        frame = frame.merge(within, on=list(dims), how="left")
    else:
        frame["seen_within_standard"] = int(waits["seen_within_standard"].sum())
    frame["seen_within_standard"] = frame["seen_within_standard"].fillna(0).astype("int64")
    return frame


def population_counts(
    engine: Engine, scope: Scope, dims: tuple[str, ...] = (), borough: str = ""
) -> pd.DataFrame:
    """Residents by the ``dims`` characteristics (only those in :data:`POPULATION_CHARACTERISTICS`).
    Census groups without an NHS code have ethnic_category NULL."""
    params = _dim_params(dims, POPULATION_CHARACTERISTICS)
    del params["other"]
    frame = run_query(engine, "access_population", scope, borough=borough, **params)
    return _tidy(frame, dims, ("population",))


def wait_histogram(
    engine: Engine,
    scope: Scope,
    financial_year: str,
    dims: tuple[str, ...] = (),
    borough: str = "",
    service_line: str = "",
) -> pd.DataFrame:
    """Accepted referrals by ``dims`` and wait in days to first contact (366 = over a year; NaN = not seen
    yet), each in the age band of the referral itself."""
    params = _dim_params(dims, WAIT_CHARACTERISTICS)
    del params["other"]
    frame = run_query(
        engine, "access_waits", scope, financial_year=financial_year, borough=borough,
        service_line=service_line, **params,
    )  # fmt: skip
    frame["wait_days"] = pd.to_numeric(frame["wait_days"]).astype("float64")
    return _tidy(frame, dims, ("referrals",))


def talking_therapies_outcomes(
    engine: Engine, scope: Scope, financial_year: str, dims: tuple[str, ...] = (), borough: str = ""
) -> pd.DataFrame:
    """Finished Talking Therapies courses by ``dims``: finished, at_caseness, recovered, reliably_improved."""
    frame = run_query(
        engine, "access_talking_therapies", scope, financial_year=financial_year, borough=borough,
        **_dim_params(dims),
    )  # fmt: skip
    return _tidy(frame, dims, ("finished", "at_caseness", "recovered", "reliably_improved"))


def monthly_people(
    engine: Engine, scope: Scope, characteristic: str = "", borough: str = "", service_line: str = ""
) -> pd.DataFrame:
    """People referred each month by one characteristic (:data:`MONTHLY_CHARACTERISTICS`; '' for
    everyone): month_start (text, YYYY-MM-DD), the characteristic's column (or none), people_referred."""
    if characteristic and characteristic not in MONTHLY_CHARACTERISTICS:
        raise ValueError(f"monthly counts are kept by {list(MONTHLY_CHARACTERISTICS)} only")
    frame = run_query(
        engine, "access_monthly", scope, characteristic=characteristic or "sex", borough=borough,
        service_line=service_line,
    )  # fmt: skip
    frame["month_start"] = frame["month_start"].astype(str).str[:10]
    frame["people_referred"] = pd.to_numeric(frame["people_referred"]).fillna(0).astype("int64")
    if not characteristic:
        frame = frame.groupby("month_start", as_index=False)["people_referred"].sum()
    else:
        frame = frame.rename(columns={"value": characteristic})
    return frame.sort_values("month_start").reset_index(drop=True)


def team_people(
    engine: Engine,
    scope: Scope,
    financial_year: str,
    dims: tuple[str, ...] = (),
    borough: str = "",
    service_line: str = "",
) -> pd.DataFrame:
    """People referred, accepted and seen by team (within scope) and ``dims``."""
    frame = run_query(
        engine, "access_teams", scope, financial_year=financial_year, borough=borough,
        service_line=service_line, **_dim_params(dims),
    )  # fmt: skip
    frame["team_id"] = pd.to_numeric(frame["team_id"]).astype("int64")
    return _tidy(frame, dims, ("people_referred", "people_accepted", "people_seen"))
