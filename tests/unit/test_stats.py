"""Specification of measures.stats against docs/methods.md, with limits worked out independently.

The expected values are computed here without scipy: the normal quantile comes from the standard
library, Byar's limits from the formula, and exact Poisson limits by solving the Poisson tail equations
by bisection, so a slip in the module's formulas cannot be copied into its tests.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from measures.stats import (
    ESP2013,
    ESP2013_BANDS,
    MHA_AGE_BANDS,
    Estimate,
    crude_rate,
    crude_rates,
    dsr,
    dsr_by_group,
    dsr_ratio,
    esp2013,
    esp2013_band,
    isr_rate,
    isr_ratio,
    mha_standardised_rate,
    mha_standardised_rates,
    normalise_confidence,
    proportion,
    proportions,
    rate_ratio,
    rate_ratios,
    relative_likelihood,
    relative_likelihoods,
    z_value,
)

Z95 = NormalDist().inv_cdf(0.975)
Z998 = NormalDist().inv_cdf(0.999)


# ---------------------------------------------------------------------------------------------------------
# Independent reference calculations
# ---------------------------------------------------------------------------------------------------------


def byars(o: float, z: float = Z95) -> tuple[float, float]:
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return lower, upper


def poisson_cdf(k: int, mean: float) -> float:
    """P(X ≤ k) for X ~ Poisson(mean)."""
    term, total = math.exp(-mean), 0.0
    for i in range(k + 1):
        if i:
            term *= mean / i
        total += term
    return total


def bisect(f, lo: float, hi: float) -> float:
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(lo) * f(mid) <= 0:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def exact_poisson(o: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact limits: P(X ≥ O | L) = α/2 and P(X ≤ O | U) = α/2."""
    alpha = 1 - confidence
    lower = 0.0 if o == 0 else bisect(lambda m: (1 - poisson_cdf(o - 1, m)) - alpha / 2, 1e-12, 100)
    upper = bisect(lambda m: poisson_cdf(o, m) - alpha / 2, 1e-12, 200)
    return lower, upper


def wilson(o: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson interval in its centre ± half-width form (algebraically equal to docs/methods.md)."""
    p = o / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def same(scalar: Estimate, row: pd.Series) -> bool:
    """Scalar and vectorised results agree exactly (None ↔ NaN)."""
    for name in ("value", "lower", "upper", "numerator", "denominator"):
        a, b = getattr(scalar, name), row[name]
        if a is None:
            if not (isinstance(b, float) and math.isnan(b)):
                return False
        elif a != b:
            return False
    return scalar.method == row["method"]


# ---------------------------------------------------------------------------------------------------------


class TestNormaliseConfidence:
    def test_accepts_fractions_and_percentages(self):
        assert normalise_confidence(0.95) == 0.95
        assert normalise_confidence(95) == 0.95
        assert normalise_confidence(0.998) == 0.998
        assert normalise_confidence(99.8) == 0.998

    @pytest.mark.parametrize("bad", [0.5, 1, 1.5, 100, 120, -0.95])
    def test_rejects_levels_outside_90_to_100_percent(self, bad):
        with pytest.raises(ValueError, match="confidence"):
            normalise_confidence(bad)

    def test_rejects_non_numbers(self):
        with pytest.raises(TypeError):
            normalise_confidence("95%")

    def test_z_values_match_domain_md(self):
        assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
        assert z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


class TestEsp2013:
    def test_has_19_bands_summing_to_100000(self):
        assert len(ESP2013) == len(ESP2013_BANDS) == 19
        assert sum(ESP2013) == 100_000

    def test_band_labels_run_from_0_4_to_90_plus(self):
        assert ESP2013_BANDS[0] == "0-4"
        assert ESP2013_BANDS[-2] == "85-89"
        assert ESP2013_BANDS[-1] == "90+"
        assert esp2013()["90+"] == 1000

    @pytest.mark.parametrize(
        ("age", "band"), [(0, "0-4"), (4, "0-4"), (37, "35-39"), (89, "85-89"), (104, "90+")]
    )
    def test_esp2013_band_puts_an_age_in_its_band(self, age, band):
        assert esp2013_band(age) == band

    def test_esp2013_band_rejects_negative_ages(self):
        with pytest.raises(ValueError):
            esp2013_band(-1)


class TestCrudeRate:
    def test_rate_is_count_over_population_times_multiplier(self):
        est = crude_rate(228, 100_000)
        assert est.value == pytest.approx(228.0)
        assert (est.numerator, est.denominator) == (228, 100_000)

    def test_zero_count_has_lower_limit_0_and_upper_limit_3_6889_events(self):
        est = crude_rate(0, 1000, per=1000)
        assert est.value == 0
        assert est.lower == 0
        assert est.upper == pytest.approx(3.6889, abs=5e-5)
        assert est.upper == pytest.approx(-math.log(0.025), rel=1e-12)  # χ²(2)/2 has a closed form
        assert est.method == "Exact"

    @pytest.mark.parametrize("count", [1, 2, 5, 9])
    def test_below_10_uses_exact_limits(self, count):
        est = crude_rate(count, 50_000)
        lower, upper = exact_poisson(count)
        assert est.method == "Exact"
        assert est.lower == pytest.approx(lower / 50_000 * 100_000, rel=1e-9)
        assert est.upper == pytest.approx(upper / 50_000 * 100_000, rel=1e-9)

    def test_exact_limits_for_5_events_match_published_tables(self):
        est = crude_rate(5, 1, per=1)
        assert est.lower == pytest.approx(1.6235, abs=1e-4)
        assert est.upper == pytest.approx(11.6683, abs=1e-4)

    @pytest.mark.parametrize("count", [10, 11, 57, 1000, 123_456])
    def test_from_10_uses_byars_limits(self, count):
        est = crude_rate(count, 2_000_000)
        lower, upper = byars(count)
        assert est.method == "Byars"
        assert est.lower == pytest.approx(lower / 2_000_000 * 100_000, rel=1e-12)
        assert est.upper == pytest.approx(upper / 2_000_000 * 100_000, rel=1e-12)

    def test_switch_is_a_strict_below_10_test(self):
        assert crude_rate(9.99, 100).method == "Exact"
        assert crude_rate(10, 100).method == "Byars"

    def test_count_above_population_is_allowed(self):
        est = crude_rate(250, 220, per=100)
        assert est.value == pytest.approx(250 / 220 * 100)
        lower, upper = byars(250)
        assert est.lower == pytest.approx(lower / 220 * 100)
        assert est.upper == pytest.approx(upper / 220 * 100)

    def test_998_confidence_uses_z_3_090232(self):
        est = crude_rate(40, 10_000, confidence=0.998)
        lower, upper = byars(40, Z998)
        assert est.lower == pytest.approx(lower * 10, rel=1e-9)
        assert est.upper == pytest.approx(upper * 10, rel=1e-9)
        assert est.confidence == 0.998

    def test_998_exact_limits_are_wider_than_95(self):
        narrow, wide = crude_rate(3, 1000), crude_rate(3, 1000, confidence=99.8)
        lower, upper = exact_poisson(3, 0.998)
        assert wide.lower == pytest.approx(lower * 100, rel=1e-9)
        assert wide.upper == pytest.approx(upper * 100, rel=1e-9)
        assert wide.lower < narrow.lower < narrow.upper < wide.upper

    def test_confidence_as_percentage_gives_the_same_result(self):
        assert crude_rate(17, 3000, confidence=95) == crude_rate(17, 3000, confidence=0.95)

    def test_national_black_detention_rate_2024_25(self):
        # Given 2024-25 published rates of 262.4 and 65.8 per 100,000 (docs/methods.md)
        assert crude_rate(2624, 1_000_000).value == pytest.approx(262.4)
        assert crude_rate(658, 1_000_000).value == pytest.approx(65.8)

    def test_england_and_wales_population_as_denominator(self):
        est = crude_rate(2_409_278, 59_597_542, per=100)  # Black share of E&W residents, Census 2021
        assert est.value == pytest.approx(4.0426, abs=1e-4)

    @pytest.mark.parametrize("population", [0, -5])
    def test_population_of_zero_or_less_raises_a_clear_error(self, population):
        with pytest.raises(ValueError, match="population must be greater than 0"):
            crude_rate(1, population)

    def test_negative_count_raises_a_clear_error(self):
        with pytest.raises(ValueError, match="count must be a finite number ≥ 0"):
            crude_rate(-1, 100)

    def test_missing_count_raises(self):
        with pytest.raises(ValueError, match="must not be missing"):
            crude_rate(float("nan"), 100)


class TestCrudeRates:
    def test_equals_the_scalar_function_exactly(self):
        rng = np.random.default_rng(7)
        counts = np.concatenate([[0, 1, 9, 10, 250], rng.integers(0, 500, 200)])
        pops = np.concatenate([[1, 1000, 50, 3000, 220], rng.integers(1, 100_000, 200)])
        for confidence in (0.95, 0.998):
            frame = crude_rates(counts, pops, confidence=confidence)
            for i in range(len(counts)):
                assert same(crude_rate(counts[i], pops[i], confidence=confidence), frame.iloc[i]), i

    def test_returns_the_documented_columns_and_keeps_a_series_index(self):
        counts = pd.Series([5, 50], index=["Black", "White"])
        frame = crude_rates(counts, pd.Series([1000, 20000], index=["Black", "White"]))
        assert list(frame.columns) == ["value", "lower", "upper", "method", "numerator", "denominator"]
        assert list(frame.index) == ["Black", "White"]
        assert list(frame["method"]) == ["Exact", "Byars"]

    def test_names_the_bad_row_when_a_population_is_zero(self):
        with pytest.raises(ValueError, match="position 1"):
            crude_rates([1, 2], [10, 0])

    def test_rejects_columns_of_different_lengths(self):
        with pytest.raises(ValueError, match="same length"):
            crude_rates([1, 2], [10])


class TestProportion:
    def test_matches_wilson_worked_independently(self):
        est = proportion(4699, 10_000)
        lower, upper = wilson(4699, 10_000)
        assert est.value == 0.4699
        assert est.lower == pytest.approx(lower, rel=1e-12)
        assert est.upper == pytest.approx(upper, rel=1e-12)
        assert est.method == "Wilson"

    def test_zero_count_has_lower_limit_0(self):
        est = proportion(0, 10)
        assert est.lower == 0
        assert est.upper == pytest.approx(Z95**2 / (10 + Z95**2), rel=1e-12)

    def test_count_equal_to_denominator_has_upper_limit_1(self):
        est = proportion(10, 10)
        assert est.upper == 1
        assert est.lower == pytest.approx(10 / (10 + Z95**2), rel=1e-12)

    def test_non_integer_count_is_accepted(self):
        est = proportion(0.445, 1)
        lower, upper = wilson(0.445, 1)
        assert est.lower == pytest.approx(lower, rel=1e-12)
        assert est.upper == pytest.approx(upper, rel=1e-12)

    def test_998_confidence(self):
        est = proportion(30, 200, confidence=0.998)
        lower, upper = wilson(30, 200, Z998)
        assert est.lower == pytest.approx(lower, rel=1e-9)
        assert est.upper == pytest.approx(upper, rel=1e-9)

    def test_black_share_of_england_and_wales(self):
        est = proportion(2_409_278, 59_597_542)
        lower, upper = wilson(2_409_278, 59_597_542)
        assert est.value == pytest.approx(0.040426, abs=1e-6)
        assert est.lower == pytest.approx(lower, rel=1e-10)
        assert est.upper == pytest.approx(upper, rel=1e-10)

    def test_count_above_denominator_raises(self):
        with pytest.raises(ValueError, match="must not exceed the denominator"):
            proportion(11, 10)

    def test_zero_denominator_raises(self):
        with pytest.raises(ValueError, match="greater than 0"):
            proportion(0, 0)


class TestProportions:
    def test_equals_the_scalar_function_exactly(self):
        rng = np.random.default_rng(11)
        n = rng.integers(1, 5000, 300)
        counts = np.minimum(rng.integers(0, 5000, 300), n)
        counts[:3] = [0, n[1], 1]
        frame = proportions(counts, n)
        for i in range(len(n)):
            assert same(proportion(counts[i], n[i]), frame.iloc[i]), i


def _ages(pops, counts):
    return pd.DataFrame({"age": ESP2013_BANDS, "count": counts, "pop": pops})


class TestDsr:
    def test_small_standard_worked_by_hand(self):
        # Given three bands with standard weights 1, 2, 1
        counts, pops, std = [10, 20, 30], [1000, 4000, 2000], [1, 2, 1]
        est = dsr(counts, pops, standard=std, per=1000)
        # DSR = (1·0.01 + 2·0.005 + 1·0.015)/4 × 1000 = 8.75
        assert est.value == pytest.approx(8.75)
        variance = (1 * 10 / 1000**2 + 4 * 20 / 4000**2 + 1 * 30 / 2000**2) / 16
        lower_o, upper_o = byars(60)
        assert est.lower == pytest.approx(8.75 + math.sqrt(variance / 60) * (lower_o - 60) * 1000, rel=1e-12)
        assert est.upper == pytest.approx(8.75 + math.sqrt(variance / 60) * (upper_o - 60) * 1000, rel=1e-12)
        assert est.method == "Dobson"
        assert (est.numerator, est.denominator) == (60, 7000)

    def test_equals_the_crude_rate_and_its_byars_ci_when_the_age_structure_is_the_standards(self):
        # Given populations proportional to ESP2013, the DSR is the crude rate and Dobson's CI is Byar's
        pops = [w * 3 for w in ESP2013]
        counts = [3, 0, 1, 2, 5, 4, 6, 8, 9, 12, 10, 11, 15, 14, 20, 22, 18, 12, 9]
        est = dsr(counts, pops)
        crude = crude_rate(sum(counts), sum(pops))
        assert est.value == pytest.approx(crude.value, rel=1e-12)
        assert est.lower == pytest.approx(crude.lower, rel=1e-9)
        assert est.upper == pytest.approx(crude.upper, rel=1e-9)

    def test_total_below_10_gives_no_value_and_says_why(self):
        est = dsr([1] * 9 + [0] * 10, [1000] * 19)
        assert (est.value, est.lower, est.upper) == (None, None, None)
        assert est.method == "dsr NA for total count < 10"
        assert est.numerator == 9

    def test_total_of_exactly_10_is_produced(self):
        est = dsr([1] * 10 + [0] * 9, [1000] * 19)
        assert est.value is not None
        assert est.lower < est.value < est.upper

    def test_default_standard_is_esp2013(self):
        counts, pops = list(range(19)), [1000 + 10 * i for i in range(19)]
        assert dsr(counts, pops) == dsr(counts, pops, standard=ESP2013)

    def test_missing_counts_count_as_zero(self):
        counts = [None, 5, 5, 5] + [0] * 15
        assert dsr(counts, [1000] * 19) == dsr([0, 5, 5, 5] + [0] * 15, [1000] * 19)

    def test_a_standard_weight_may_be_zero(self):
        est = dsr([5, 5, 5], [100, 100, 100], standard=[1, 1, 0])
        assert est.value == pytest.approx(5000)

    def test_population_of_zero_raises(self):
        with pytest.raises(ValueError, match="greater than 0"):
            dsr([5] * 19, [0] + [100] * 18)

    def test_lengths_must_match_the_standard(self):
        with pytest.raises(ValueError, match="same length"):
            dsr([5] * 18, [100] * 18)

    def test_998_confidence_is_wider(self):
        counts, pops = [3] * 19, [1000] * 19
        narrow, wide = dsr(counts, pops), dsr(counts, pops, confidence=0.998)
        assert wide.lower < narrow.lower < narrow.value < narrow.upper < wide.upper


class TestDsrByGroup:
    def test_equals_the_scalar_function_exactly(self):
        rng = np.random.default_rng(3)
        frames = []
        for group in range(40):
            counts = rng.integers(0, 30, 19).astype(float)
            if group % 4 == 0:
                counts = (rng.random(19) < 0.3).astype(float)  # fewer than 10 events in all
            frames.append(_ages(rng.integers(100, 20_000, 19), counts).assign(group=f"g{group}"))
        long = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=1)  # shuffled rows
        result = dsr_by_group(long, ["group"], "age", "count", "pop")
        assert result["method"].eq("dsr NA for total count < 10").any()
        for row in result.itertuples(index=False):
            part = long[long["group"] == row.group].set_index("age").loc[list(ESP2013_BANDS)]
            scalar = dsr(part["count"].to_numpy(), part["pop"].to_numpy())
            assert same(scalar, pd.Series(row._asdict())), row.group

    def test_rows_repeated_for_a_band_are_summed(self):
        base = _ages([1000] * 19, [2] * 19)
        split = pd.concat([base.assign(count=1, pop=400), base.assign(count=1, pop=600)])
        a = dsr_by_group(base.assign(g=1), ["g"], "age", "count", "pop")
        b = dsr_by_group(split.assign(g=1), ["g"], "age", "count", "pop")
        pd.testing.assert_frame_equal(a, b)

    def test_several_group_columns(self):
        frame = pd.concat(
            [
                _ages([1000] * 19, [1] * 19).assign(eth=e, sex=s)
                for e in ("Black", "White")
                for s in ("M", "F")
            ]
        )
        result = dsr_by_group(frame, ["eth", "sex"], "age", "count", "pop")
        assert list(result[["eth", "sex"]].itertuples(index=False, name=None)) == [
            ("Black", "M"),
            ("Black", "F"),
            ("White", "M"),
            ("White", "F"),
        ]

    def test_a_group_missing_a_band_raises(self):
        frame = _ages([1000] * 19, [1] * 19).iloc[:-1].assign(g=1)
        with pytest.raises(ValueError, match="missing an age band"):
            dsr_by_group(frame, ["g"], "age", "count", "pop")

    def test_an_age_band_not_in_the_standard_raises(self):
        frame = _ages([1000] * 19, [1] * 19).assign(g=1)
        frame.loc[0, "age"] = "0 to 4"
        with pytest.raises(ValueError, match="not in the standard population"):
            dsr_by_group(frame, ["g"], "age", "count", "pop")

    def test_custom_labelled_standard(self):
        frame = pd.DataFrame({"g": 1, "age": ["young", "old"], "count": [10, 30], "pop": [1000, 2000]})
        result = dsr_by_group(frame, ["g"], "age", "count", "pop", standard={"young": 1, "old": 1})
        assert result.loc[0, "value"] == pytest.approx(dsr([10, 30], [1000, 2000], standard=[1, 1]).value)


class TestDsrRatio:
    def test_ratio_of_two_dsrs_with_the_approximate_log_ci(self):
        a_counts, a_pops = [10, 20, 30], [1000, 4000, 2000]
        b_counts, b_pops = [5, 10, 10], [1000, 4000, 2000]
        est = dsr_ratio(a_counts, a_pops, b_counts, b_pops, standard=[1, 2, 1])
        dsr_a = (10 / 1000 + 2 * 20 / 4000 + 30 / 2000) / 4
        dsr_b = (5 / 1000 + 2 * 10 / 4000 + 10 / 2000) / 4
        var_a = (10 / 1000**2 + 4 * 20 / 4000**2 + 30 / 2000**2) / 16
        var_b = (5 / 1000**2 + 4 * 10 / 4000**2 + 10 / 2000**2) / 16
        se = math.sqrt(var_a / dsr_a**2 + var_b / dsr_b**2)
        assert est.value == pytest.approx(dsr_a / dsr_b, rel=1e-12)
        assert est.lower == pytest.approx(dsr_a / dsr_b * math.exp(-Z95 * se), rel=1e-9)
        assert est.upper == pytest.approx(dsr_a / dsr_b * math.exp(Z95 * se), rel=1e-9)
        assert "approximate" in est.method and "not an OHID-endorsed" in est.method

    def test_nothing_when_either_dsr_is_not_produced(self):
        est = dsr_ratio([5, 0, 0], [100, 100, 100], [50, 50, 50], [100, 100, 100], standard=[1, 1, 1])
        assert est.value is None
        assert "< 10" in est.method


class TestIsrRatio:
    def test_observed_over_expected_with_byars_limits(self):
        # Reference rates 0.01 and 0.02; group populations 1000 and 500 → E = 10 + 10 = 20
        est = isr_ratio(30, [1000, 500], [100, 400], [10_000, 20_000])
        assert est.value == pytest.approx(1.5)
        lower, upper = byars(30)
        assert est.lower == pytest.approx(lower / 20)
        assert est.upper == pytest.approx(upper / 20)
        assert (est.method, est.numerator, est.denominator) == ("Byars", 30, 20)

    def test_small_observed_uses_exact_limits_and_counts_by_band_are_summed(self):
        est = isr_ratio([2, 1], [1000, 500], [100, 400], [10_000, 20_000], multiplier=100)
        lower, upper = exact_poisson(3)
        assert est.value == pytest.approx(15)
        assert est.lower == pytest.approx(lower / 20 * 100, rel=1e-9)
        assert est.upper == pytest.approx(upper / 20 * 100, rel=1e-9)
        assert est.method == "Exact"


class TestIsrRate:
    def test_ratio_times_the_reference_crude_rate(self):
        est = isr_rate(30, [1000, 500], [100, 400], [10_000, 20_000], per=1000)
        reference_rate = 500 / 30_000
        assert est.value == pytest.approx(1.5 * reference_rate * 1000)
        lower, upper = byars(30)
        assert est.lower == pytest.approx(lower / 20 * reference_rate * 1000)
        assert est.upper == pytest.approx(upper / 20 * reference_rate * 1000)


class TestRateRatio:
    @pytest.mark.parametrize(
        ("black", "white", "low", "high"),
        [
            (2280, 640, 3.5, 3.6),  # 2022-23: 228 vs 64 per 100,000, "3.5 times"
            (2624, 658, 3.9, 4.0),  # 2024-25: 262.4 vs 65.8, "nearly four times"
            (3417, 724, 4.5, 5.0),  # 2021-22: 341.7 vs 72.4, "over 4 and a half times"
        ],
    )
    def test_reproduces_published_mha_ratios_of_crude_rates(self, black, white, low, high):
        est = rate_ratio(black, 1_000_000, white, 1_000_000)
        assert est.value == pytest.approx(black / white)
        assert low <= est.value < high
        assert est.lower > 1

    def test_cto_2020_21_over_ten_times(self):
        assert rate_ratio(789, 1_000_000, 78, 1_000_000).value > 10

    def test_log_method_ci_worked_by_hand(self):
        est = rate_ratio(120, 30_000, 300, 250_000)
        ratio = (120 / 30_000) / (300 / 250_000)
        se = math.sqrt(1 / 120 + 1 / 300)
        assert est.value == pytest.approx(ratio)
        assert est.lower == pytest.approx(ratio * math.exp(-Z95 * se), rel=1e-12)
        assert est.upper == pytest.approx(ratio * math.exp(Z95 * se), rel=1e-12)
        assert (est.numerator, est.denominator) == (120 / 30_000, 300 / 250_000)
        assert est.value == pytest.approx(est.numerator / est.denominator)

    def test_no_ci_when_the_group_count_is_zero(self):
        est = rate_ratio(0, 1000, 10, 1000)
        assert est.value == 0
        assert (est.lower, est.upper) == (None, None)
        assert "no CI" in est.method

    def test_no_value_when_the_reference_count_is_zero(self):
        est = rate_ratio(5, 1000, 0, 1000)
        assert (est.value, est.lower, est.upper) == (None, None, None)
        assert "Not calculated" in est.method

    def test_998_confidence(self):
        est = rate_ratio(50, 1000, 40, 1000, confidence=0.998)
        se = math.sqrt(1 / 50 + 1 / 40)
        assert est.lower == pytest.approx(1.25 * math.exp(-Z998 * se), rel=1e-9)


class TestRateRatios:
    def test_equals_the_scalar_function_exactly(self):
        rng = np.random.default_rng(5)
        a, b = rng.integers(0, 300, 200), rng.integers(0, 300, 200)
        na, nb = rng.integers(1, 50_000, 200), rng.integers(1, 50_000, 200)
        frame = rate_ratios(a, na, b, nb)
        for i in range(200):
            assert same(rate_ratio(a[i], na[i], b[i], nb[i]), frame.iloc[i]), i


class TestRelativeLikelihood:
    def test_wres_indicator_2_worked_example_46_99_vs_14_65_is_3_2(self):
        est = relative_likelihood(4699, 10_000, 1465, 10_000)
        assert est.value == pytest.approx(0.4699 / 0.1465)
        assert round(est.value, 1) == 3.2

    def test_wres_indicator_3_worked_example_1_2_vs_0_7_is_1_7(self):
        est = relative_likelihood(12, 1000, 7, 1000)
        assert round(est.value, 1) == 1.7

    def test_log_ci_for_a_ratio_of_proportions(self):
        est = relative_likelihood(60, 400, 30, 500)
        se = math.sqrt(1 / 60 - 1 / 400 + 1 / 30 - 1 / 500)
        ratio = (60 / 400) / (30 / 500)
        assert est.lower == pytest.approx(ratio * math.exp(-Z95 * se), rel=1e-12)
        assert est.upper == pytest.approx(ratio * math.exp(Z95 * se), rel=1e-12)
        assert "our addition" in est.method

    def test_no_ci_when_a_count_is_zero_and_no_value_when_the_reference_count_is_zero(self):
        assert relative_likelihood(0, 10, 5, 10).lower is None
        assert relative_likelihood(5, 10, 0, 10).value is None

    def test_events_above_total_raise(self):
        with pytest.raises(ValueError, match="must not exceed"):
            relative_likelihood(11, 10, 5, 10)


class TestRelativeLikelihoods:
    def test_equals_the_scalar_function_exactly(self):
        rng = np.random.default_rng(9)
        na, nb = rng.integers(1, 2000, 200), rng.integers(1, 2000, 200)
        a, b = rng.integers(0, 2000, 200) % (na + 1), rng.integers(0, 2000, 200) % (nb + 1)
        frame = relative_likelihoods(a, na, b, nb)
        for i in range(200):
            assert same(relative_likelihood(a[i], na[i], b[i], nb[i]), frame.iloc[i]), i


def _mha_inputs(seed: int = 0):
    rng = np.random.default_rng(seed)
    strata = [(sex, band) for sex in ("Male", "Female") for band in MHA_AGE_BANDS]
    standard = {s: float(rng.integers(500_000, 5_000_000)) for s in strata}
    pops = {s: float(rng.integers(1_000, 50_000)) for s in strata}
    counts = {s: float(rng.integers(0, 200)) for s in strata}
    return strata, standard, pops, counts


class TestMhaStandardisedRate:
    def test_rate_and_half_width_worked_by_hand(self):
        strata, standard, pops, counts = _mha_inputs()
        total = sum(standard.values())
        rate = sum(counts[s] / pops[s] * standard[s] / total for s in strata) * 100_000
        variance = sum(
            (standard[s] / total) ** 2 * (counts[s] / pops[s]) * (1 - counts[s] / pops[s]) / pops[s]
            for s in strata
        )
        half = 1.96 * math.sqrt(variance) * 100_000
        est = mha_standardised_rate(counts, pops, standard)
        assert est.value == pytest.approx(rate, rel=1e-12)
        assert est.lower == pytest.approx(rate - half, rel=1e-12)
        assert est.upper == pytest.approx(rate + half, rel=1e-12)
        assert "normal-approximation" in est.method

    def test_16_17_quirk_drops_those_strata_from_the_ci_only(self):
        strata, standard, pops, counts = _mha_inputs(1)
        total = sum(standard.values())
        variance = sum(
            (standard[s] / total) ** 2 * (counts[s] / pops[s]) * (1 - counts[s] / pops[s]) / pops[s]
            for s in strata
            if s[1] != "16-17"
        )
        plain = mha_standardised_rate(counts, pops, standard)
        quirk = mha_standardised_rate(counts, pops, standard, reproduce_16_17_ci_quirk=True)
        assert quirk.value == plain.value
        assert quirk.upper - quirk.value == pytest.approx(1.96 * math.sqrt(variance) * 100_000, rel=1e-12)
        assert quirk.upper < plain.upper
        assert "16-17" in quirk.method

    def test_missing_counts_are_zero_and_missing_populations_raise(self):
        strata, standard, pops, counts = _mha_inputs(2)
        fewer = {s: c for s, c in counts.items() if s != strata[0]}
        assert mha_standardised_rate(fewer, pops, standard) == mha_standardised_rate(
            {**counts, strata[0]: 0}, pops, standard
        )
        with pytest.raises(ValueError, match="missing stratum"):
            mha_standardised_rate(counts, {s: p for s, p in pops.items() if s != strata[0]}, standard)

    def test_a_stratum_not_in_the_standard_raises(self):
        _, standard, pops, counts = _mha_inputs(3)
        with pytest.raises(ValueError, match="not in the standard"):
            mha_standardised_rate({**counts, ("Other", "0-15"): 1}, pops, standard)

    def test_lower_limit_is_not_floored_at_zero(self):
        strata, standard, pops, _ = _mha_inputs(4)
        counts = dict.fromkeys(strata, 0.0)
        counts[("Male", "65+")] = 1.0
        assert mha_standardised_rate(counts, pops, standard).lower < 0


class TestMhaStandardisedRates:
    def test_equals_the_scalar_function_exactly(self):
        rows = []
        scalars = {}
        standard = _mha_inputs(0)[1]
        for seed, group in enumerate(("Asian", "Black", "Mixed", "Other", "White")):
            strata, _, pops, counts = _mha_inputs(seed + 10)
            scalars[group] = mha_standardised_rate(counts, pops, standard, reproduce_16_17_ci_quirk=True)
            rows += [
                {"eth": group, "sex": s[0], "age": s[1], "n": counts[s], "pop": pops[s]}
                for s in reversed(strata)
            ]
        result = mha_standardised_rates(
            pd.DataFrame(rows), ["eth"], ["sex", "age"], "n", "pop", standard, reproduce_16_17_ci_quirk=True
        )
        for row in result.itertuples(index=False):
            assert same(scalars[row.eth], pd.Series(row._asdict()))
