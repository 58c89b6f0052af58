"""The board's verdict and summary sentences on constructed cases: a ratio falling towards parity is an
improvement (on the monthly chart and on last year), a special cause counts only in the selected period,
an off-track target and a gap wider than England's reach the executive summary, and headlines that count
events say "as frequent", not "as likely"."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from measures.disclosure import DisclosurePolicy, publish_table
from measures.narrative import (
    IMPROVING,
    NARROWER,
    NO_CHANGE,
    NO_TARGET,
    NOT_PUBLISHED,
    OFF_TRACK,
    ON_TRACK,
    SIMILAR_TO_ENGLAND,
    WIDER,
    WORSENING,
    SummaryItem,
    Verdict,
    describe_frequency,
    england_verdict,
    executive_summary,
    parity_direction,
    ratio_change,
    ratio_trend_verdict,
    target_verdict,
    year_change_verdict,
)
from measures.spc import xmr
from measures.stats import Estimate
from measures.workforce import target_progress
from reports.headlines import ratio_chart, ratio_series

NOISE = [0.05, -0.04, 0.03, -0.05, 0.02, -0.03, 0.04, -0.02, 0.05, -0.04, 0.03, -0.01]


def estimate(value, lower, upper):
    return Estimate(value, lower, upper, "test", None, None, 0.95)


def monthly_table(black_events: list[int], white_events: list[int], first: str = "2024-04-01"):
    months = pd.date_range(first, periods=len(black_events), freq="MS").date
    frame = pd.DataFrame({"month_start": months, "events": black_events, "reference_events": white_events})
    return publish_table(frame, counts=["events", "reference_events"], policy=DisclosurePolicy())


class TestParity:
    def test_a_ratio_above_one_improves_as_it_falls_and_one_below_one_as_it_rises(self):
        assert parity_direction(3.6) == "decrease"
        assert parity_direction(0.88) == "increase"
        assert parity_direction(1.0) == "neutral"
        assert parity_direction(None) == "neutral"

    def test_a_monthly_ratio_falling_towards_parity_is_an_improvement(self):
        values = [4.0 + n for n in NOISE[:5]] + [3.0 + n for n in NOISE[5:]]
        result = xmr(pd.Series(values), improvement=parity_direction(float(np.mean(values))))
        verdict = ratio_trend_verdict(result, period="2025-26")
        assert verdict.kind == IMPROVING
        assert verdict.label == "Gap narrowing: real change"
        assert "moved towards parity in 2025-26, an improvement" in verdict.sentence

    def test_a_ratio_below_one_rising_towards_parity_is_an_improvement_too(self):
        values = [0.70 + n / 10 for n in NOISE[:5]] + [0.90 + n / 10 for n in NOISE[5:]]
        result = xmr(pd.Series(values), improvement=parity_direction(float(np.mean(values))))
        assert ratio_trend_verdict(result, period="2025-26").kind == IMPROVING

    def test_a_ratio_moving_away_from_parity_is_a_deterioration(self):
        values = [3.0 + n for n in NOISE[:5]] + [4.0 + n for n in NOISE[5:]]
        result = xmr(pd.Series(values), improvement=parity_direction(float(np.mean(values))))
        verdict = ratio_trend_verdict(result, period="2025-26")
        assert verdict.kind == WORSENING and "away from parity" in verdict.sentence

    def test_common_cause_variation_claims_no_change(self):
        result = xmr(pd.Series([3.5 + n for n in NOISE]), improvement="decrease")
        verdict = ratio_trend_verdict(result, period="2025-26")
        assert verdict.kind == NO_CHANGE
        assert "no evidence that the gap changed" in verdict.sentence
        assert "provisional" in verdict.sentence  # 12 points: trial limits, said so
        assert "Earlier special-cause months" not in verdict.sentence

    def test_a_special_cause_month_that_did_not_last_is_named_but_not_called_a_change(self):
        values = [3.5 + n for n in NOISE]
        values[5] = 6.0  # one month above the upper limit, then back
        months = pd.date_range("2025-04-01", periods=12, freq="MS")
        result = xmr(pd.Series(values, index=months), improvement="decrease")
        verdict = ratio_trend_verdict(result, period="2025-26")
        assert verdict.kind == NO_CHANGE
        assert (
            "Earlier special-cause months, not continuing to the latest: September 2025 (away from parity)."
            in (verdict.sentence)
        )


class TestSelectedPeriodOnly:
    """The monthly ratio is charted, and its verdict reached, on the selected year's months only."""

    # Two years of monthly counts: Black residents 10,000, White 40,000 (the ratio is 4 × Black ÷ White).
    STEADY = (40, 45, 40, 45, 40, 45, 40, 45, 40, 45, 40, 45)
    SHIFT = (40, 45, 40, 45, 40, 30, 25, 30, 25, 30, 25, 30)  # the gap narrows in the last 7 months
    WHITE = (40,) * 12

    def verdict(self, black, start, end):
        table = monthly_table(list(black), list(self.WHITE * 2))
        series = ratio_series(table, 10_000, 40_000, start, end, DisclosurePolicy())
        return series, ratio_trend_verdict(ratio_chart(series, None), period="the year")

    def test_a_special_cause_in_the_selected_year_is_reported(self):
        series, verdict = self.verdict(self.STEADY + self.SHIFT, date(2025, 4, 1), date(2026, 3, 31))
        assert len(series) == 12 and str(series.frame["month_start"].iloc[0]) == "2025-04-01"
        assert verdict.kind == IMPROVING

    def test_a_special_cause_in_another_year_does_not_colour_the_selected_one(self):
        _, earlier = self.verdict(self.STEADY + self.SHIFT, date(2024, 4, 1), date(2025, 3, 31))
        assert earlier.kind == NO_CHANGE
        _, later = self.verdict(self.SHIFT + self.STEADY, date(2025, 4, 1), date(2026, 3, 31))
        assert later.kind == NO_CHANGE

    def test_the_monthly_ratio_rests_on_published_counts_and_a_suppressed_month_is_a_gap(self):
        black = [40, 3, 40, 45, 40, 45, 40, 45, 40, 45, 40, 45]  # 3 is suppressed
        table = monthly_table(black, list(self.WHITE))
        series = ratio_series(table, 10_000, 40_000, date(2024, 4, 1), date(2025, 3, 31), DisclosurePolicy())
        assert bool(series.mask["ratio"].iloc[1]) and pd.isna(series.frame["ratio"].iloc[1])
        assert series.basis["ratio"] == "published"
        assert series.frame["ratio"].iloc[0] == pytest.approx(4 * 40 / 40)


class TestThisYearAgainstLast:
    def test_a_fall_towards_parity_beyond_chance_is_better_than_last_year(self):
        now, before = estimate(3.0, 2.6, 3.45), estimate(4.4, 3.9, 4.95)
        change = ratio_change(now, before)
        assert change.upper < 1
        verdict = year_change_verdict(now, before, change, this_year="2025-26", last_year="2024-25")
        assert verdict.kind == IMPROVING and verdict.label == "Better than 2024-25"
        assert verdict.sentence.startswith(
            "The ratio fell from 4.4 in 2024-25 to 3.0 in 2025-26, towards parity"
        )
        assert "a change beyond chance" in verdict.sentence

    def test_a_change_within_chance_says_it_could_be_chance(self):
        now, before = estimate(3.6, 2.8, 4.6), estimate(4.4, 3.4, 5.7)
        verdict = year_change_verdict(
            now, before, ratio_change(now, before), this_year="2025-26", last_year="2024-25"
        )
        assert verdict.kind == NO_CHANGE and "could be chance" in verdict.sentence

    def test_a_rise_away_from_parity_beyond_chance_is_worse(self):
        now, before = estimate(3.2, 2.9, 3.5), estimate(2.3, 2.1, 2.5)
        verdict = year_change_verdict(
            now, before, ratio_change(now, before), this_year="2025-26", last_year="2024-25"
        )
        assert verdict.kind == WORSENING and "away from parity" in verdict.sentence

    def test_without_last_years_ratio_no_change_is_claimed(self):
        verdict = year_change_verdict(
            estimate(3.0, 2.6, 3.4), None, None, this_year="2025-26", last_year="2024-25"
        )
        assert verdict.kind == NO_CHANGE and "cannot be compared" in verdict.sentence


class TestTargetAndEngland:
    def test_behind_the_path_is_off_track(self):
        progress = target_progress(baseline=4.4, target=2.5, start="2025-03-31", due="2028-03-31", latest=4.2,
                                   as_of="2026-03-31")  # fmt: skip
        verdict = target_verdict(progress, description="ratio at or below 2.5", target=2.5, due="2028-03-31",
                                 source="the trust's configuration", as_of="2026-03-31")  # fmt: skip
        assert verdict.kind == OFF_TRACK and verdict.label == "Off track"
        assert "31 March 2028" in verdict.sentence and "31 March 2026" in verdict.sentence

    def test_ahead_of_the_path_is_on_track_and_no_target_says_so(self):
        progress = target_progress(baseline=4.4, target=2.5, start="2025-03-31", due="2028-03-31", latest=3.5,
                                   as_of="2026-03-31")  # fmt: skip
        assert (
            target_verdict(progress, description="d", target=2.5, due="2028-03-31", source="s").kind
            == ON_TRACK
        )
        assert target_verdict(None, description="", target=0, due="2028-03-31", source="").kind == NO_TARGET

    def test_a_trust_ratio_clearly_above_englands_is_a_wider_gap(self):
        verdict = england_verdict(
            estimate(5.0, 4.5, 5.6), 3.99, year="2024-25", source="MHA Statistics 2024-25"
        )
        assert verdict.kind == WIDER and "clearly higher than England's ratio 3.99" in verdict.sentence

    def test_a_trust_ratio_clearly_below_englands_is_a_narrower_gap_and_overlap_is_similar(self):
        assert england_verdict(estimate(2.5, 2.1, 3.0), 3.99, year="2024-25").kind == NARROWER
        assert england_verdict(estimate(3.8, 3.2, 4.5), 3.99, year="2024-25").kind == SIMILAR_TO_ENGLAND

    def test_no_england_figure_says_not_published(self):
        verdict = england_verdict(estimate(3.8, 3.2, 4.5), None, year="2025-26")
        assert verdict.kind == NOT_PUBLISHED and verdict.label == "England: figure not held"


class TestExecutiveSummary:
    def item(self, title, change=NO_CHANGE, trend=NO_CHANGE, target=NO_TARGET, england=NOT_PUBLISHED):
        return SummaryItem(title, Verdict(change, "", ""), Verdict(trend, "", ""), Verdict(target, "", ""),
                           Verdict(england, "", ""))  # fmt: skip

    def test_it_names_what_changed_what_is_off_track_and_where_england_differs(self):
        summary = executive_summary(
            [self.item("Detentions", change=IMPROVING, trend=IMPROVING, england=WIDER),
             self.item("CTOs", target=OFF_TRACK), self.item("Restraint", target=ON_TRACK)],
            this_year="2025-26", last_year="2024-25",
        )  # fmt: skip
        text = " ".join(summary)
        assert "Since 2024-25, the gap moved towards parity beyond chance for Detentions" in text
        assert "the gap is narrowing for Detentions" in text
        assert "Off track against its target: CTOs (1 of 2 headlines whose target can be judged)" in text
        assert "the gap is wider than England's for Detentions" in text
        assert "2 of 3 headlines have no England figure held for 2025-26" in text

    def test_when_nothing_changed_it_says_so(self):
        text = " ".join(
            executive_summary([self.item("Detentions")], this_year="2025-26", last_year="2024-25")
        )
        assert "No headline gap changed beyond chance between 2024-25 and 2025-26" in text
        assert "no monthly ratio shows a real change" in text
        assert "No headline has a target that can be judged" in text


class TestEventsNotPeople:
    def test_a_headline_that_counts_incidents_says_as_frequent(self):
        text = describe_frequency(
            estimate(6.9, 5.9, 8.1), subject="Restrictive intervention incidents involving Black people",
            reference="those involving White people",
        )  # fmt: skip
        assert text == (
            "Restrictive intervention incidents involving Black people were 6.9 times as frequent, per head of "
            "population, as those involving White people (95% CI 5.9 to 8.1)."
        )
        assert "likely" not in text
