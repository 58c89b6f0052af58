"""The home page's headline activity: people in contact, referrals, detentions and staff for a year,
published, with the change on the year before."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from measures.disclosure import DisclosurePolicy
from queries import overview
from queries.scope import Scope
from reports.common import kept_per_load
from reports.settings import policy

HEADLINES = (
    ("people_in_contact", "People in contact"),
    ("referrals", "Referrals received"),
    ("detentions", "Mental Health Act detentions"),
    ("staff", "Staff on 31 March"),
)


@dataclass(frozen=True)
class Activity:
    label: str
    value: str  # published: "1,234" or "*"
    change: str | None  # "+15 on 2024-25" when both years are published


def activity(
    engine: Engine, scope: Scope, financial_year: str, previous_year: str = ""
) -> tuple[Activity, ...]:
    """The year's headline counts, published, with the change on ``previous_year``: kept once per store
    load, since counting the people in contact reads every referral (a second at a large trust)."""
    return kept_per_load(_activity, engine, scope, financial_year, previous_year, policy())


def _activity(
    engine: Engine, scope: Scope, financial_year: str, previous_year: str, rules: DisclosurePolicy
) -> tuple[Activity, ...]:
    counts = overview.headline_counts(engine, scope, financial_year)
    before = overview.headline_counts(engine, scope, previous_year) if previous_year else None
    out = []
    for key, label in HEADLINES:
        shown = rules.publish(counts[key])
        earlier = None if before is None else rules.publish(before[key])
        change = None if shown is None or earlier is None else f"{shown - earlier:+,} on {previous_year}"
        out.append(Activity(label, "*" if shown is None else f"{shown:,}", change))
    return tuple(out)
