"""Specification of measures.spc: NHS Making Data Count XmR charts as NHSRplotthedots computes them
(docs/methods.md), one class per rule or behaviour.

Most series start with a baseline of twelve points alternating 0 and 1, and fix the limits on it
(``fix_after=12``): mean 0.5, mR̄ 1, process limits 0.5 ± 2.66 = −2.16 and 3.16, near band beyond
0.5 ± 1.7733. The points after the baseline then test one rule at a time.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from measures.spc import COLOURS, POINT_TYPES, VARIATION_ICONS, xmr, xmr_by_group

BASE = [0.0, 1.0] * 6
UPPER = 0.5 + 2.66
LOWER = 0.5 - 2.66


def chart(tail, **options):
    options.setdefault("fix_after", 12)
    return xmr(BASE + list(tail), **options)


def rules_after_baseline(result):
    return list(result.rule[12:])


class TestXmrLimits:
    def test_mean_moving_range_and_limits_worked_by_hand(self):
        result = xmr([10, 12, 11, 13, 12])
        mean, mr_bar = 11.6, 1.5  # moving ranges 2, 1, 2, 1
        assert result.mean[0] == pytest.approx(mean)
        assert result.mr_bar[0] == pytest.approx(mr_bar)
        assert result.upper[0] == pytest.approx(mean + 2.66 * mr_bar)
        assert result.lower[0] == pytest.approx(mean - 2.66 * mr_bar)
        assert result.near_upper[0] == pytest.approx(mean + 2 / 3 * 2.66 * mr_bar)
        assert result.near_lower[0] == pytest.approx(mean - 2 / 3 * 2.66 * mr_bar)
        assert result.moving_range[0] != result.moving_range[0]  # NaN for the first point
        assert result.moving_range[1:] == (2.0, 1.0, 2.0, 1.0)

    def test_limits_are_not_floored_at_zero(self):
        result = xmr(BASE)
        assert result.lower[0] == pytest.approx(LOWER)
        assert result.lower[0] < 0

    def test_a_constant_series_has_limits_on_the_mean_and_no_signals(self):
        result = xmr([5.0] * 15)
        assert result.upper[0] == result.lower[0] == 5.0
        assert set(result.point_type) == {"common_cause"}

    def test_rejects_an_unknown_improvement_direction(self):
        with pytest.raises(ValueError, match="improvement"):
            xmr(BASE, improvement="up")


class TestOutsideLimitsRule:
    def test_a_point_above_the_upper_limit_is_flagged(self):
        assert rules_after_baseline(chart([3.2])) == ["Above UCL"]

    def test_a_point_below_the_lower_limit_is_flagged(self):
        assert rules_after_baseline(chart([-2.2])) == ["Below LCL"]

    def test_a_point_exactly_on_a_limit_is_not_outside(self):
        result = chart([UPPER])
        assert result.upper[-1] == UPPER
        assert rules_after_baseline(result) == [None]


class TestTrendRule:
    RISING = (-1.0, -0.6, -0.2, 0.2, 0.6, 1.0, 1.4)

    def test_seven_rising_points_are_all_flagged_even_across_the_mean(self):
        assert rules_after_baseline(chart(self.RISING)) == ["7 Point Trend (Increasing)"] * 7

    def test_seven_falling_points_are_flagged_as_decreasing(self):
        result = chart([1.4, 1.0, 0.6, 0.2, -0.2, -0.6, -1.0])
        # the baseline's last point (1.0) is below 1.4, so the fall starts at the first new point
        assert rules_after_baseline(result) == ["7 Point Trend (Decreasing)"] * 7

    def test_six_rising_points_are_not_a_trend(self):
        assert rules_after_baseline(chart(self.RISING[:6])) == [None] * 6

    def test_a_tie_breaks_a_trend(self):
        tied = [-1.0, -0.6, -0.2, -0.2, 0.2, 0.6, 1.0]
        assert rules_after_baseline(chart(tied)) == [None] * 7

    def test_an_eight_point_trend_flags_all_eight(self):
        assert rules_after_baseline(chart([*self.RISING, 1.8])) == ["7 Point Trend (Increasing)"] * 8

    def test_fewer_than_seven_points_can_never_form_a_trend(self):
        assert set(xmr([1, 2, 3, 4, 5, 6]).rule) == {None}


class TestTwoInThreeRule:
    def test_two_of_three_near_the_upper_limit_on_one_side_flags_only_the_near_points(self):
        assert rules_after_baseline(chart([2.5, 1.0, 2.5])) == ["2 in 3 Above CL", None, "2 in 3 Above CL"]

    def test_two_consecutive_near_points_are_flagged(self):
        assert rules_after_baseline(chart([2.5, 2.5])) == ["2 in 3 Above CL"] * 2

    def test_not_flagged_when_the_third_point_is_on_the_other_side_of_the_mean(self):
        assert rules_after_baseline(chart([2.5, 0.0, 2.5])) == [None] * 3

    def test_two_of_three_near_the_lower_limit(self):
        assert rules_after_baseline(chart([0.0, -1.5, -1.5])) == [None, "2 in 3 Below CL", "2 in 3 Below CL"]

    def test_a_point_outside_the_limits_does_not_count_as_near(self):
        assert rules_after_baseline(chart([2.5, 5.0])) == [None, "Above UCL"]


class TestShiftRule:
    def test_seven_or_more_points_above_the_mean_are_all_flagged(self):
        result = chart([1.0] * 7)
        # the baseline's last point (1.0) is above the mean too: an 8-point run flags all 8
        assert list(result.rule[11:]) == ["7 Points Above CL"] * 8
        assert result.rule[10] is None

    def test_six_points_on_one_side_are_not_a_shift(self):
        assert rules_after_baseline(chart([1.0] * 5)) == [None] * 5

    def test_a_point_on_the_mean_breaks_the_run(self):
        assert rules_after_baseline(chart([1, 1, 1, 0.5, 1, 1, 1])) == [None] * 7

    def test_seven_points_below_the_mean(self):
        result = chart([0.0] * 7)
        assert rules_after_baseline(result) == ["7 Points Below CL"] * 7

    def test_a_missing_value_breaks_the_run(self):
        assert rules_after_baseline(chart([1, 1, 1, None, 1, 1, 1])) == [None] * 7


class TestRulePrecedence:
    def test_outside_the_limits_beats_a_shift(self):
        result = chart([1, 1, 1, 5, 1, 1, 1])
        assert result.rule[15] == "Above UCL"
        assert [r for i, r in enumerate(result.rule[11:], 11) if i != 15] == ["7 Points Above CL"] * 7

    def test_a_trend_beats_two_in_three(self):
        result = chart([-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.3, 2.5])
        assert rules_after_baseline(result) == ["7 Point Trend (Increasing)"] * 8

    def test_two_in_three_beats_a_shift(self):
        result = chart([1, 1, 1, 1, 2.5, 1, 2.5])
        assert result.rule[16] == result.rule[18] == "2 in 3 Above CL"
        assert result.rule[17] == "7 Points Above CL"


class TestPointType:
    def test_high_points_are_improvement_when_higher_is_better(self):
        assert chart([3.2], improvement="increase").point_type[-1] == "special_cause_improvement"
        assert chart([-2.2], improvement="increase").point_type[-1] == "special_cause_concern"

    def test_high_points_are_concern_when_lower_is_better(self):
        assert chart([3.2], improvement="decrease").point_type[-1] == "special_cause_concern"
        assert chart([-2.2], improvement="decrease").point_type[-1] == "special_cause_improvement"

    def test_neutral_direction_gives_neutral_high_and_low(self):
        assert chart([3.2]).point_type[-1] == "special_cause_neutral_high"
        assert chart([-2.2]).point_type[-1] == "special_cause_neutral_low"

    def test_a_rising_trend_below_the_mean_follows_the_trend_direction(self):
        result = chart([-2.0, -1.8, -1.6, -1.4, -1.2, -1.0, -0.8], improvement="increase")
        assert set(result.point_type[12:]) == {"special_cause_improvement"}

    def test_unflagged_points_are_common_cause_and_missing_points_have_no_type(self):
        result = chart([None, 0.7])
        assert result.point_type[12] is None
        assert result.point_type[13] == "common_cause"

    def test_every_type_is_one_of_the_five(self):
        rng = np.random.default_rng(0)
        for direction in ("increase", "decrease", "neutral"):
            result = xmr(np.cumsum(rng.normal(size=60)), improvement=direction)
            assert set(result.point_type) <= set(POINT_TYPES)


class TestVariationIcon:
    @pytest.mark.parametrize(
        ("tail", "direction", "icon"),
        [
            ([0.7], "increase", "common_cause"),
            ([3.2], "increase", "improvement_high"),
            ([-2.2], "increase", "concern_low"),
            ([3.2], "decrease", "concern_high"),
            ([-2.2], "decrease", "improvement_low"),
            ([3.2], "neutral", "neutral_high"),
            ([-2.2], "neutral", "neutral_low"),
        ],
    )
    def test_icon_comes_from_the_last_point(self, tail, direction, icon):
        result = chart(tail, improvement=direction)
        assert result.variation == icon
        assert icon in VARIATION_ICONS

    def test_an_earlier_signal_does_not_set_the_icon(self):
        assert chart([3.2, 0.7], improvement="increase").variation == "common_cause"

    def test_a_missing_last_value_uses_the_last_observed_point(self):
        assert chart([3.2, None], improvement="increase").variation == "improvement_high"


class TestAssurance:
    @pytest.mark.parametrize(
        ("target", "direction", "assurance"),
        [
            (4.0, "increase", "fail"),
            (4.0, "decrease", "pass"),
            (-3.0, "increase", "pass"),
            (-3.0, "decrease", "fail"),
            (1.0, "increase", "hit_and_miss"),
            (UPPER, "increase", "hit_and_miss"),
        ],
    )
    def test_target_compared_with_the_last_points_limits(self, target, direction, assurance):
        assert xmr(BASE, improvement=direction, target=target).assurance == assurance

    def test_no_assurance_without_a_target_or_with_a_neutral_direction(self):
        assert xmr(BASE, improvement="increase").assurance is None
        assert xmr(BASE, improvement="neutral", target=4.0).assurance is None


class TestRebasing:
    STEP = (*BASE, *[10.0, 11.0] * 6)

    def test_without_rebasing_a_step_change_is_a_signal(self):
        assert "common_cause" not in set(xmr(self.STEP).point_type)

    def test_each_segment_gets_its_own_mean_and_limits(self):
        result = xmr(self.STEP, rebase_at=[12])
        assert result.mean[0] == pytest.approx(0.5)
        assert result.mean[12] == pytest.approx(10.5)
        assert result.segment[11] == 0 and result.segment[12] == 1
        assert set(result.point_type) == {"common_cause"}
        assert math.isnan(result.moving_range[12])

    def test_rebase_points_can_be_index_labels(self):
        months = pd.period_range("2022-04", periods=24, freq="M")
        series = pd.Series(self.STEP, index=months)
        result = xmr(series, rebase_at=[pd.Period("2023-04", freq="M")])
        assert result.segment[12] == 1
        assert result.x[0] == months[0]

    def test_rules_do_not_run_across_a_rebase(self):
        # Given five 1s ending the first segment and three 1s starting the second (8 in a row)
        values = [0.0, 1.0] * 4 + [1.0] * 4 + [1.0] * 3 + [0.0, 1.0] * 5
        assert xmr(values).rule[7:15] == ("7 Points Above CL",) * 8
        # When the chart is rebased between them, neither run reaches 7
        assert set(xmr(values, rebase_at=[12]).rule) == {None}

    def test_a_rebase_point_outside_the_series_raises(self):
        with pytest.raises(ValueError, match="outside the series"):
            xmr(BASE, rebase_at=[40])


class TestFixAfter:
    def test_limits_come_from_the_first_n_points(self):
        result = xmr([*BASE, 100.0], fix_after=12)
        assert result.mean[-1] == pytest.approx(0.5)
        assert result.rule[-1] == "Above UCL"
        assert xmr([*BASE, 100.0]).mean[0] == pytest.approx((sum(BASE) + 100) / 13)

    @pytest.mark.parametrize("bad", [0, -1, 2.5, True])
    def test_fix_after_must_be_a_positive_whole_number(self, bad):
        with pytest.raises(ValueError, match="fix_after"):
            xmr(BASE, fix_after=bad)


class TestScreenOutliers:
    VALUES = (*[0.0, 1.0] * 6, 11.0, 1.0)  # moving ranges: eleven 1s and two 10s

    def test_off_by_default_as_in_the_mdc_excel_tool(self):
        assert xmr(self.VALUES).mr_bar[0] == pytest.approx(31 / 13)

    def test_drops_moving_ranges_of_3_267_mr_bar_or_more_and_recomputes_once(self):
        assert xmr(self.VALUES, screen_outliers=True).mr_bar[0] == pytest.approx(1.0)


class TestMissingValues:
    def test_missing_values_are_ignored_in_the_mean_and_break_the_moving_range(self):
        result = xmr([1.0, None, 3.0, 4.0])
        assert result.mean[0] == pytest.approx(8 / 3)
        assert result.mr_bar[0] == pytest.approx(1.0)  # only |4 − 3|; no range across the gap

    def test_a_series_with_nan_is_accepted(self):
        result = xmr(pd.Series([1.0, np.nan, 2.0, 3.0]))
        assert result.point_type[1] is None

    def test_an_all_missing_series_gives_no_icon(self):
        result = xmr([None, None])
        assert result.variation is None
        assert result.point_type == (None, None)


class TestShortSeriesWarning:
    def test_twelve_points_warn_that_limits_are_trial_limits(self):
        assert "trial limits" in xmr(BASE).warning

    def test_thirteen_points_do_not_warn(self):
        assert xmr([*BASE, 0.0]).warning is None

    def test_missing_values_do_not_count_towards_thirteen(self):
        assert xmr([*BASE, None]).warning is not None

    def test_a_short_rebased_segment_is_named(self):
        result = xmr([*BASE, 0.0, 5, 6, 5, 6, 5], rebase_at=[13])
        assert "segment 2 has 5" in result.warning


class TestToFrame:
    def test_one_row_per_point_with_chart_columns(self):
        result = xmr([*BASE, 3.5], improvement="increase", target=2.0)
        frame = result.to_frame()
        assert len(frame) == 13
        assert {"x", "value", "mean", "lower", "upper", "point_type", "rule", "colour", "target"} <= set(
            frame.columns
        )
        assert frame["colour"].iloc[-1] == COLOURS[frame["point_type"].iloc[-1]]
        assert (frame["target"] == 2.0).all()


class TestXmrByGroup:
    def test_each_group_gets_an_independent_chart(self):
        frame = pd.DataFrame(
            {
                "month": list(range(14)) * 2,
                "group": ["Black"] * 14 + ["White"] * 14,
                "rate": BASE + [0.0, 9.0] + [10.0, 11.0] * 7,
            }
        )
        results = xmr_by_group(frame, "rate", ["group"], x_col="month", improvement="decrease")
        assert set(results) == {"Black", "White"}
        assert results["Black"].rule[-1] == "Above UCL"
        assert results["White"].mean[0] == pytest.approx(10.5)
        assert results["White"].x == tuple(range(14))
