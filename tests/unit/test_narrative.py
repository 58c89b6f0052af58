"""Specification of measures.narrative: sentences that claim only what the numbers support."""

from __future__ import annotations

import pytest

from measures.narrative import describe_ratio, describe_spc, format_ratio
from measures.spc import xmr
from measures.stats import Estimate, rate_ratio, relative_likelihood

BASE = [0.0, 1.0] * 6


def ratio(value, lower, upper, confidence=0.95):
    return Estimate(value, lower, upper, "test", None, None, confidence)


class TestDescribeRatio:
    def test_states_the_ratio_when_the_whole_ci_is_above_1(self):
        assert describe_ratio(ratio(3.8, 3.1, 4.6)) == (
            "Black people were 3.8 times as likely to be detained as White British people (95% CI 3.1 to 4.6)."
        )

    def test_says_less_likely_when_the_whole_ci_is_below_1(self):
        text = describe_ratio(ratio(0.6, 0.45, 0.8), subject="Asian people")
        assert text == (
            "Asian people were less likely to be detained than White British people: 0.6 times as likely "
            "(95% CI 0.5 to 0.8)."
        )

    def test_says_no_clear_difference_when_the_ci_includes_1(self):
        text = describe_ratio(ratio(1.3, 0.9, 1.8))
        assert text.startswith("There is no clear difference between Black people and White British people")
        assert "(ratio 1.3, 95% CI 0.9 to 1.8)" in text

    def test_says_no_clear_difference_when_there_is_no_ci(self):
        text = describe_ratio(rate_ratio(0, 1000, 12, 1000))
        assert text.startswith("There is no clear difference")
        assert "no confidence interval could be calculated" in text

    def test_says_there_are_not_enough_data_without_a_value(self):
        assert "not enough data" in describe_ratio(rate_ratio(5, 1000, 0, 1000))

    def test_never_shows_a_limit_that_excludes_1_as_1_0(self):
        text = describe_ratio(ratio(1.2, 1.04, 1.4))
        assert "95% CI 1.04 to 1.40" in text

    def test_wres_indicator_2_example(self):
        text = describe_ratio(
            relative_likelihood(4699, 10_000, 1465, 10_000),
            subject="White applicants",
            reference="BME applicants",
            outcome="appointed from shortlisting",
        )
        assert text.startswith("White applicants were 3.2 times as likely to be appointed from shortlisting")

    def test_labels_a_998_interval(self):
        assert "(99.8% CI 3.1 to 4.6)" in describe_ratio(ratio(3.8, 3.1, 4.6, 0.998), confidence=0.998)

    def test_refuses_to_mislabel_the_confidence_level(self):
        with pytest.raises(ValueError, match=r"99\.8% CI"):
            describe_ratio(ratio(3.8, 3.1, 4.6, 0.998))

    def test_subject_starts_the_sentence_with_a_capital(self):
        assert describe_ratio(ratio(2, 1.5, 2.5), subject="men").startswith("Men were 2.0 times")


class TestFormatRatio:
    def test_small_ratios_get_more_places(self):
        assert format_ratio(0.04) == "0.04"
        assert format_ratio(3.84) == "3.8"


class TestDescribeSpc:
    def test_claims_no_change_for_common_cause(self):
        text = describe_spc(xmr([*BASE, 0.0]), "neutral")
        assert "no evidence of a change" in text
        assert "real change" not in text

    def test_claims_an_improvement_only_when_the_last_point_is_special_cause(self):
        text = describe_spc(xmr([*BASE, 100.0], fix_after=12), "higher_is_better")
        assert text.startswith("The latest value signals a real change, an improvement")
        assert "above the upper process limit" in text

    def test_a_high_point_is_a_deterioration_when_lower_is_better(self):
        assert "a deterioration" in describe_spc(xmr([*BASE, 100.0], fix_after=12), "lower_is_better")

    def test_an_earlier_signal_is_not_claimed(self):
        text = describe_spc(xmr([*BASE, 100.0, 0.5], fix_after=12), "higher_is_better")
        assert "no evidence of a change" in text

    def test_neutral_measures_say_higher_or_lower(self):
        assert "lower than usual" in describe_spc(xmr([*BASE, -100.0], fix_after=12), "neutral")

    def test_adds_the_assurance_verdict_and_the_short_series_caution(self):
        text = describe_spc(xmr(BASE, improvement="increase", target=10), "higher_is_better")
        assert "target will not be met" in text
        assert "provisional" in text

    def test_rejects_an_unknown_polarity(self):
        with pytest.raises(ValueError, match="polarity"):
            describe_spc(xmr(BASE), "up")


class TestDescribeAreaSpread:
    def test_counts_areas_clearly_above_and_below_the_benchmark(self):
        from measures.narrative import describe_area_spread

        text = describe_area_spread("Lambeth", "150.0", "Croydon", "75.0", benchmark="the trust",
                                    benchmark_rate="110.0", higher=1, lower=1, similar=2, area_word="borough")  # fmt: skip
        assert text == (
            "The highest rate is in Lambeth (150.0) and the lowest in Croydon (75.0). Against the trust (110.0), "
            "1 borough is clearly higher, 1 borough is clearly lower and 2 boroughs show no clear difference."
        )

    def test_says_so_when_no_area_is_clearly_different(self):
        from measures.narrative import describe_area_spread

        text = describe_area_spread("A", "2", "B", "1", benchmark="the borough", benchmark_rate="1.5",
                                    higher=0, lower=0, similar=3)  # fmt: skip
        assert text.endswith("no area is clearly different: 3 areas show no clear difference.")
        assert "clearly higher" not in text
