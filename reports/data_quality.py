"""Data quality: how completely ethnicity is recorded. Computed here once, from counts of people or
events whose ethnicity is known and not known, and worded the same on every page and in the pack."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures.disclosure import DisclosurePolicy
from measures.ethnicity import KNOWN_BROAD_GROUPS
from measures.stats import Estimate, proportion
from queries import overview
from queries.scope import Scope
from reports.settings import policy


@dataclass(frozen=True)
class Recording:
    """Ethnicity not stated or not known among ``total`` people or events, published.

    ``unrecorded`` and ``total`` are published counts (None when suppressed); ``share`` (with its Wilson
    CI) is None when there is nothing to report or the count it rests on is suppressed."""

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
        if self.total in (None, 0):
            return f"no {self.what}"
        if self.unrecorded is None:
            return f"fewer than {self.threshold} {self.what}"
        if self.share is None or self.unrecorded == 0:
            return f"none of the {self.what}"
        return f"{self.share.value:.1%} (about {self.unrecorded:,} of {self.total:,} {self.what})"

    def sentence(self, where: str) -> str:
        """'Ethnicity was not stated or not known for 4.2% (about 120 of 2,900 people referred) in 2025-26.'"""
        if self.total in (None, 0):
            return f"No {self.what} {where}."
        return f"Ethnicity was not stated or not known for {self.amount()} {where}."

    def with_interval(self) -> str:
        """The share with its 95% CI, for the home page: '4.2% (95% CI 3.5% to 5.0%)'."""
        if self.share is None or self.unrecorded is None:
            return self.amount()
        return f"{self.share.value:.1%} (95% CI {self.share.lower:.1%} to {self.share.upper:.1%})"


def recording_from_counts(unrecorded: int, total: int, what: str, rules: DisclosurePolicy) -> Recording:
    """The one computation: published counts and the share not recorded."""
    shown_unrecorded = rules.publish(unrecorded)
    share = proportion(int(unrecorded), int(total)) if total and shown_unrecorded is not None else None
    return Recording(what, rules.publish(total), shown_unrecorded, share, rules.threshold)


def recording_from_groups(frame: pd.DataFrame, group_column: str, count: str, what: str) -> Recording:
    """From counts by NHS broad group (Not stated and Not known are the unrecorded ones)."""
    unknown = ~frame[group_column].isin(KNOWN_BROAD_GROUPS)
    return recording_from_counts(
        int(frame.loc[unknown, count].sum()), int(frame[count].sum()), what, policy()
    )


def ethnicity_recording(engine: Engine, scope: Scope, financial_year: str) -> Recording:
    """People referred in the year whose ethnicity was not stated or not known, within scope."""
    frame = overview.ethnicity_recording(engine, scope, financial_year)
    unknown = int(frame.loc[~frame["known"].astype(bool), "people"].sum())
    return recording_from_counts(unknown, int(frame["people"].sum()), "people referred", policy())
