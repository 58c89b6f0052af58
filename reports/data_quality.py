"""Data quality: how completely ethnicity and the other protected characteristics are recorded, by team,
service line and borough, over time, ranked worst first and set in a funnel against the trust; and the
same funnel across teams for the main access and coercion measures.

Ethnicity recording is computed here once, from counts of people or events whose ethnicity is known and
not known, and worded the same on every page and in the pack. Every share is computed from the published
(rounded) counts (docs/disclosure.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from measures.disclosure import (
    DisclosurePolicy,
    Percentage,
    PublishedTable,
    Rate,
    Rollup,
    TableSpec,
    publish_linked,
)
from measures.ethnicity import KNOWN_BROAD_GROUPS
from measures.stats import Estimate, proportion
from queries import overview, quality, team
from queries.scope import Scope
from reports.settings import catalogue, policy, trust

CHARACTERISTICS = quality.CHARACTERISTICS
LEVEL_NAMES = {"team": "Team", "service_line": "Service line", "borough": "Borough"}
#: Funnel limits: about 95% and 99.8% of units of the trust's size would fall inside by chance alone.
FUNNEL_Z = {"95%": 1.959964, "99.8%": 3.090232}
MIN_PEOPLE = 10


@dataclass(frozen=True)
class Recording:
    """Ethnicity not stated or not known among ``total`` people or events, published.

    ``unrecorded`` and ``total`` are published counts (None when suppressed); ``share`` (with its Wilson
    CI, from the published counts) is None when there is nothing to report or a count it rests on is
    suppressed."""

    what: str  # "people referred", "events"
    total: int | None
    unrecorded: int | None
    share: Estimate | None
    threshold: int

    @property
    def fewer_than_threshold(self) -> bool:
        return self.unrecorded is None and self.total not in (None, 0)

    def amount(self) -> str:
        """'4.2% (about 120 of 2,900 people referred)', 'fewer than 5 people referred' or 'none'."""
        if self.total == 0:
            return f"no {self.what}"
        if self.total is None:  # 1 to 4 in all: a few, not none
            return f"some of too few {self.what} to show"
        if self.unrecorded is None:
            return f"fewer than {self.threshold} {self.what}"
        if self.share is None or self.unrecorded == 0:
            return f"none of the {self.what}"
        return f"{self.share.value:.1%} (about {self.unrecorded:,} of {self.total:,} {self.what})"

    def sentence(self, where: str) -> str:
        """'Ethnicity was not stated or not known for 4.2% (about 120 of 2,900 people referred) in 2025-26.'"""
        if self.total == 0:
            return f"No {self.what} {where}."
        if self.total is None:
            return f"Too few {self.what} {where} to show how many had no ethnicity recorded."
        return f"Ethnicity was not stated or not known for {self.amount()} {where}."

    def with_interval(self) -> str:
        """The share with its 95% CI: '4.2% (95% CI 3.5% to 5.0%)'."""
        if self.share is None or self.unrecorded is None:
            return self.amount()
        return f"{self.share.value:.1%} (95% CI {self.share.lower:.1%} to {self.share.upper:.1%})"


def recording_from_counts(unrecorded: int, total: int, what: str, rules: DisclosurePolicy) -> Recording:
    """The one computation: published counts, and the share not recorded computed from them."""
    shown_unrecorded, shown_total = rules.publish(unrecorded), rules.publish(total)
    share = None
    if shown_total and shown_unrecorded is not None:
        share = proportion(min(shown_unrecorded, shown_total), shown_total)
    return Recording(what, shown_total, shown_unrecorded, share, rules.threshold)


def recording_from_groups(frame: pd.DataFrame, group_column: str, count: str, what: str) -> Recording:
    """From counts by NHS broad group (Not stated and Not known are the unrecorded ones)."""
    unknown = ~frame[group_column].isin(KNOWN_BROAD_GROUPS)
    return recording_from_counts(
        int(frame.loc[unknown, count].sum()), int(frame[count].sum()), what, policy()
    )


def ethnicity_recording(engine: Engine, scope: Scope, financial_year: str) -> Recording:
    """People referred in the year whose ethnicity was not stated or not known, within scope: the trust's
    people (each once) for a trust-wide scope; for a champion, their teams' people (once per team, the
    figure "My team" shows for each team)."""
    if scope.trust_wide:
        rows = quality.people_recorded(engine, scope, "year", "trust", financial_year)
        what = "people referred"
    else:
        rows = quality.people_recorded(engine, scope, "year", "team", financial_year)
        what = "people referred to your team" if len(rows) <= 1 else "people referred (once per team)"
    if rows.empty:  # a store whose summaries predate this page: count from the records
        frame = overview.ethnicity_recording(engine, scope, financial_year)
        unknown = int(frame.loc[~frame["known"].astype(bool), "people"].sum())
        return recording_from_counts(unknown, int(frame["people"].sum()), "people referred", policy())
    people = int(rows["people"].sum())
    return recording_from_counts(people - int(rows["ethnicity"].sum()), people, what, policy())


def team_recording(engine: Engine, scope: Scope, team_id: int, financial_year: str) -> Recording:
    """People referred to one team in the year whose ethnicity was not stated or not known (nothing for a
    team outside the scope)."""
    rows = quality.people_recorded(engine, scope, "year", "team", financial_year)
    rows = rows[rows["team_id"].astype("Int64") == int(team_id)]
    people = int(rows["people"].sum())
    return recording_from_counts(
        people - int(rows["ethnicity"].sum()), people, "people referred to the team", policy()
    )


# --------------------------------------------------------------------------------------------- the page


def _unit_names(engine: Engine, scope: Scope, level: str) -> dict[str, str]:
    if level == "team":
        teams = team.teams_in_scope(engine, scope)
        return {str(i): n for i, n in zip(teams["id"], teams["name"], strict=True)}
    if level == "borough":
        boroughs = overview.boroughs(engine, scope)
        return dict(zip(boroughs["code"], boroughs["name"], strict=True))
    return {}


def funnel_limits(target: float, largest: float) -> pd.DataFrame:
    """Control limits around ``target`` (a percentage) for denominators from 1 to ``largest``: a normal
    approximation to the binomial, p ± z·√(p(1−p)/n), on the percentage scale, clipped to 0–100."""
    n = np.unique(np.geomspace(max(1.0, largest / 400), max(2.0, largest * 1.05), 120).round())
    p = target / 100
    out = {"denominator": n}
    for name, z in FUNNEL_Z.items():
        spread = z * np.sqrt(p * (1 - p) / n) * 100
        out[f"lower {name}"] = np.clip(target - spread, 0, 100)
        out[f"upper {name}"] = np.clip(target + spread, 0, 100)
    return pd.DataFrame(out)


def rate_funnel_limits(target: float, largest: float, per: float) -> pd.DataFrame:
    """Control limits around a rate ``target`` per ``per`` for exposures up to ``largest``: a normal
    approximation to the Poisson, r ± z·√(r·per/n)."""
    n = np.unique(np.geomspace(max(1.0, largest / 400), max(2.0, largest * 1.05), 120).round())
    out = {"denominator": n}
    for name, z in FUNNEL_Z.items():
        spread = z * np.sqrt(target * per / n)
        out[f"lower {name}"] = np.clip(target - spread, 0, None)
        out[f"upper {name}"] = target + spread
    return pd.DataFrame(out)


def _position(
    value: float, n: float, target: float, higher_is_worse: bool, per: float | None = None,
    benchmark: str = "the trust",
) -> str:  # fmt: skip
    """Where a unit sits in the funnel: inside, or outside the 99.8% (or 95%) limits, and which way."""
    if value is None or n in (None, 0) or (isinstance(value, float) and math.isnan(value)):
        return "Too few to place"
    spread = math.sqrt(target * per / n) if per else math.sqrt(target / 100 * (1 - target / 100) / n) * 100
    gap = (value - target) / spread if spread else 0.0
    for name, z in sorted(FUNNEL_Z.items(), key=lambda item: -item[1]):
        if abs(gap) > z:
            worse = (gap > 0) == higher_is_worse
            return f"Outside the {name} limit ({'worse' if worse else 'better'} than {benchmark})"
    return "Within the limits"


@dataclass(frozen=True)
class Completeness:
    """One characteristic at one level in one year: units ranked worst first, the trust, the funnel."""

    characteristic: str
    level: str
    table: PublishedTable  # rank, unit_name, people, unrecorded, value/lower/upper (% not recorded), position
    trust: PublishedTable  # one row: people, unrecorded, value/lower/upper
    limits: pd.DataFrame  # funnel limits around the trust's published share
    sentence: str
    target: float | None  # the trust's published share not recorded (%)


def completeness(
    engine: Engine, scope: Scope, financial_year: str, characteristic: str = "ethnicity", level: str = "team"
) -> Completeness:
    """Share of people referred in the year whose ``characteristic`` was not recorded, per unit of
    ``level``, worst first, against the trust (published; the units and the trust in one publication)."""
    if characteristic not in CHARACTERISTICS or level not in LEVEL_NAMES:
        raise ValueError("unknown characteristic or level")
    rows = quality.people_recorded(engine, scope, "year", level, financial_year)
    names = _unit_names(engine, scope, level)
    units = pd.DataFrame({
        "unit": rows["unit"], "unit_name": rows["unit"].map(lambda u: names.get(u, u)),
        "people": rows["people"], "unrecorded": rows["people"] - rows[characteristic],
    })  # fmt: skip
    trust_rows = quality.people_recorded(engine, scope, "year", "trust", financial_year)
    trust_frame = pd.DataFrame({
        "unit": ["trust"], "people": [int(trust_rows["people"].sum())],
        "unrecorded": [int((trust_rows["people"] - trust_rows[characteristic]).sum())],
    })  # fmt: skip
    figure = Percentage(
        "value", "unrecorded", "people", lower="lower", upper="upper", min_denominator=MIN_PEOPLE
    )

    def publish(frame: pd.DataFrame, public: tuple[str, ...] = ()) -> dict[str, PublishedTable]:
        return publish_linked(
            {"units": TableSpec(frame, counts=["people", "unrecorded"], keys=["unit"], figures=[figure], public=public),
             "trust": TableSpec(trust_frame, counts=["people", "unrecorded"], keys=["unit"], figures=[figure])},
            policy=policy(),
        )  # fmt: skip

    first = publish(units.reset_index(drop=True))
    shown_trust = first["trust"]
    target = _shown(shown_trust, "value", 0)
    table = first["units"]
    value = table.frame["value"].astype(float).where(~table.mask["value"].to_numpy())
    people = table.frame["people"].astype("Float64").astype(float)
    order = (pd.DataFrame({"value": value, "people": people})
             .sort_values(["value", "people"], ascending=[False, False], na_position="last").index)  # fmt: skip
    ranked = units.reset_index(drop=True).loc[order].reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    ranked["position"] = [
        _position(_float(v), _float(n), target, higher_is_worse=True)
        for v, n in zip(value.loc[order], people.loc[order], strict=True)
    ]
    # The same counts published again in rank order, with the rank and funnel position (both functions of
    # published figures only); with no links between units, suppression does not depend on row order.
    table = publish(ranked, public=("rank",))["units"]
    largest = float(np.nanmax(people.to_numpy())) if len(people) and people.notna().any() else 100.0
    limits = funnel_limits(target, largest) if target is not None else pd.DataFrame()
    what = CHARACTERISTICS[characteristic].lower()
    level_word = LEVEL_NAMES[level].lower()
    shown = table.display_frame()
    if len(table) and not table.mask["value"].iloc[0] and target is not None:
        sentence = (
            f"In {financial_year}, the {level_word} with the highest share of people referred whose {what} was "
            f"not recorded was **{shown['unit_name'].iloc[0]}**: {shown['value'].iloc[0]}% (about "
            f"{shown['unrecorded'].iloc[0]} of {shown['people'].iloc[0]} people), against {target:.1f}% across "
            f"the trust."
        )
    else:
        sentence = f"No {level_word} has enough people referred in {financial_year} to show a share."
    return Completeness(characteristic, level, table, shown_trust, limits, sentence, target)


def _shown(table: PublishedTable, column: str, row: int) -> float | None:
    """A published figure as a number, or None where it is suppressed or missing."""
    if bool(table.mask[column].iloc[row]):
        return None
    return _float(table.frame[column].iloc[row])


def _float(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def monthly(
    engine: Engine, scope: Scope, characteristic: str = "ethnicity", level: str = "trust", unit: str = "trust"
) -> PublishedTable:
    """Month by month, the share of people referred whose ``characteristic`` was not recorded, for one unit
    (a team id, service line, borough code, or the trust), published: a suppressed month is a gap."""
    if characteristic not in CHARACTERISTICS:
        raise ValueError("unknown characteristic")
    rows = quality.people_recorded(engine, scope, "month", level)
    rows = rows[rows["unit"] == str(unit)].sort_values("period")
    frame = pd.DataFrame({
        "month_start": pd.to_datetime(rows["period"]).dt.date.to_numpy(),
        "people": rows["people"].to_numpy(), "unrecorded": (rows["people"] - rows[characteristic]).to_numpy(),
    })  # fmt: skip
    figure = Percentage(
        "value", "unrecorded", "people", lower="lower", upper="upper", min_denominator=MIN_PEOPLE
    )
    return publish_linked(
        {"months": TableSpec(frame, counts=["people", "unrecorded"], keys=["month_start"], figures=[figure])},
        policy=policy(),
    )["months"]


def units(engine: Engine, scope: Scope, level: str) -> dict[str, str]:
    """The units of a level (id or code → name), for choosing one; the trust is 'trust'."""
    if level == "trust":
        return {"trust": "The trust"}
    if level == "service_line":
        return {name: name for name in sorted(set(team.teams_in_scope(engine, scope)["service_line"]))}
    return _unit_names(engine, scope, level)


#: The team comparisons: main access and coercion measures with team-level data.
COMPARISON_MEASURES = (
    "referral_route_police_pct",
    "seen_within_standard_pct",
    "dna_rate_pct",
    "discharged_before_treatment_pct",
    "restraint_physical_per_obd",
    "restraint_prone_per_obd",
    "seclusion_per_obd",
    "rapid_tranquillisation_per_obd",
)


#: What each comparison measure's denominator counts (the funnel's horizontal axis).
DENOMINATORS = {
    "referral_route_police_pct": "Referrals",
    "seen_within_standard_pct": "Accepted referrals",
    "dna_rate_pct": "Appointments",
    "discharged_before_treatment_pct": "Referrals seen",
}


@dataclass(frozen=True)
class TeamFunnel:
    """Teams of one service line (or all) against all of them together, for one measure and year."""

    measure_id: str
    unit: str
    table: PublishedTable  # name, service_line, numerator, denominator, value/lower/upper, position
    total: PublishedTable  # the teams together: numerator, denominator, value/lower/upper
    limits: pd.DataFrame
    target: float | None
    sentence: str

    @property
    def x_title(self) -> str:
        return DENOMINATORS.get(self.measure_id, "Occupied bed days")


def team_funnel(
    engine: Engine, scope: Scope, financial_year: str, measure_id: str, service_line: str = ""
) -> TeamFunnel:
    """Every team with the measure (of ``service_line``, '' for all) in a funnel around the teams' joint
    figure, published with the teams adding up to it."""
    if measure_id not in COMPARISON_MEASURES:
        raise ValueError(f"no team comparison for {measure_id!r}")
    info = catalogue()[measure_id]
    per = 1000.0 if measure_id.endswith("_per_obd") else None
    teams = team.team_measure_totals(engine, scope, measure_id, financial_year, trust().waiting_standard_days)
    if service_line:
        teams = teams[teams["service_line"] == service_line]
    teams = teams.drop(columns="team_id").reset_index(drop=True)
    total = pd.DataFrame({"unit": ["all"], "numerator": [int(teams["numerator"].sum())],
                          "denominator": [int(teams["denominator"].sum())]})  # fmt: skip
    figure = (Rate("value", "numerator", "denominator", per=per, lower="lower", upper="upper") if per else
              Percentage("value", "numerator", "denominator", lower="lower", upper="upper", min_denominator=MIN_PEOPLE))  # fmt: skip
    worse_high = info.polarity != "higher_is_better"

    def publish(frame: pd.DataFrame) -> dict[str, PublishedTable]:
        return publish_linked(
            {"teams": TableSpec(frame, counts=["numerator", "denominator"], keys=["name"], figures=[figure]),
             "total": TableSpec(total, counts=["numerator", "denominator"], keys=["unit"], figures=[figure])},
            [Rollup("total", "teams")], policy=policy(),
        )  # fmt: skip

    first = publish(teams)
    target = _shown(first["total"], "value", 0) if len(teams) else None
    table = first["teams"]
    value = table.frame["value"].astype(float).where(~table.mask["value"].to_numpy())
    n = table.frame["denominator"].astype("Float64").astype(float)
    teams["position"] = [
        "Too few to place"
        if target is None
        else _position(_float(v), _float(d), target, worse_high, per, "the teams together")
        for v, d in zip(value, n, strict=True)
    ]
    published = publish(teams)
    largest = float(np.nanmax(n.to_numpy())) if len(n) and n.notna().any() else 100.0
    if target is None:
        limits = pd.DataFrame()
    else:
        limits = rate_funnel_limits(target, largest, per) if per else funnel_limits(target, largest)
    outside = [p for p in teams["position"] if p.startswith("Outside the 99.8%")]
    where = f"{service_line} teams" if service_line else "teams"
    sentence = (
        f"{len(outside)} of {len(teams)} {where} lie outside the 99.8% limits around their joint figure"
        + (f" ({target:,.1f}{'' if info.unit == '%' else ' '}{info.unit})." if target is not None else ".")
        + " A team inside the limits differs from the others by no more than chance would explain."
    )
    return TeamFunnel(measure_id, info.unit, published["teams"], published["total"], limits, target, sentence)
