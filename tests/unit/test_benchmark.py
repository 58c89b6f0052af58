"""Specifications for measures.benchmark: comparisons with a benchmark, group rate and proportion
tables, and standardised rate tables (all through disclosure control)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from measures.benchmark import (
    HIGHER,
    LOWER,
    NOT_COMPARED,
    SIMILAR,
    compare_with_benchmark,
    group_proportion_table,
    group_rate_table,
    reading,
    standardised_rate_table,
)
from measures.disclosure import DisclosurePolicy
from measures.stats import dsr, esp2013, rate_ratio, relative_likelihood

POLICY = DisclosurePolicy()


class TestCompareWithBenchmark:
    @pytest.mark.parametrize(
        ("lower", "upper", "benchmark", "expected"),
        [(2.0, 3.0, 1.0, HIGHER), (0.2, 0.5, 1.0, LOWER), (0.5, 1.5, 1.0, SIMILAR), (None, 1.0, 1.0, NOT_COMPARED),
         (1.0, 2.0, 1.0, SIMILAR)],
    )  # fmt: skip
    def test_higher_or_lower_only_when_the_interval_excludes_the_benchmark(
        self, lower, upper, benchmark, expected
    ):
        assert compare_with_benchmark(lower, upper, benchmark) == expected

    def test_readings_use_polarity_for_better_and_worse(self):
        assert reading(HIGHER, "lower_is_better", "the trust") == "Higher than the trust (worse)"
        assert reading(LOWER, "lower_is_better", "the trust") == "Lower than the trust (better)"
        assert reading(HIGHER, "neutral", "the trust") == "Higher than the trust"
        assert reading(SIMILAR, "higher_is_better", "the trust") == "No clear difference from the trust"


class TestGroupRateTable:
    def test_rates_and_ratios_match_the_scalar_functions_and_the_reference_has_no_ratio(self):
        groups = pd.DataFrame(
            {"group": ["White", "Black"], "events": [100, 60], "population": [200_000, 30_000]}
        )
        table = group_rate_table(groups, reference="White", policy=POLICY)
        black = table.frame.set_index("group").loc["Black"]
        expected = rate_ratio(60, 30_000, 100, 200_000)
        assert black["ratio_value"] == round(expected.value, 2)
        assert black["ratio_lower"] == round(expected.lower, 2)
        assert math.isnan(table.frame.set_index("group").loc["White", "ratio_value"])

    def test_rates_ratios_and_intervals_rest_on_the_published_counts(self):
        # 62 and 98 are published as 60 and 100: the figures beside them must not give back 62 or 98.
        groups = pd.DataFrame(
            {"group": ["White", "Black"], "events": [98, 62], "population": [200_000, 30_000]}
        )
        table = group_rate_table(groups, reference="White", policy=POLICY)
        black = table.frame.set_index("group").loc["Black"]
        assert black["events"] == 60 and black["value"] == 200.0
        expected = rate_ratio(60, 30_000, 100, 200_000)
        assert (black["ratio_value"], black["ratio_upper"]) == (
            round(expected.value, 2),
            round(expected.upper, 2),
        )
        assert set(table.basis.values()) == {"published"}

    def test_an_outside_reference_compares_every_row(self):
        groups = pd.DataFrame(
            {"group": ["Caribbean", "African"], "events": [40, 20], "population": [9_000, 8_000]}
        )
        table = group_rate_table(groups, reference="White", policy=POLICY, reference_counts=(100, 200_000))
        assert table.frame["ratio_value"].notna().all()

    def test_a_small_group_is_suppressed_with_its_ratio(self):
        groups = pd.DataFrame({"group": ["White", "Other", "Black"], "events": [100, 3, 60],
                               "population": [200_000, 5_000, 30_000]})  # fmt: skip
        table = group_rate_table(groups, reference="White", policy=POLICY)
        shown = table.display_frame().set_index("group")
        assert shown.loc["Other", "events"] == "*" and shown.loc["Other", "ratio_value"] == "*"


class TestGroupProportionTable:
    def test_percentages_and_relative_likelihoods(self):
        groups = pd.DataFrame({"group": ["White", "Black"], "n": [500, 80], "d": [1000, 200]})
        table = group_proportion_table(
            groups, numerator="n", denominator="d", reference="White", policy=POLICY
        )
        black = table.frame.set_index("group").loc["Black"]
        assert math.isclose(black["value"], 40.0)
        assert black["ratio_value"] == round(relative_likelihood(80, 200, 500, 1000).value, 2)
        assert math.isnan(table.frame.set_index("group").loc["White", "ratio_value"])

    def test_percentages_rest_on_the_published_counts_and_small_denominators_are_hidden(self):
        # 6 of 7 publishes as 5 of 5: the percentage is from those, and hidden below 10 when asked.
        groups = pd.DataFrame({"group": ["White", "Black"], "n": [502, 6], "d": [1001, 7]})
        table = group_proportion_table(
            groups, numerator="n", denominator="d", reference="White", policy=POLICY
        )
        frame = table.frame.set_index("group")
        assert frame.loc["White", "value"] == 50.0 and frame.loc["Black", "value"] == 100.0
        hidden = group_proportion_table(
            groups, numerator="n", denominator="d", reference="White", policy=POLICY, min_denominator=10
        )
        assert hidden.display_frame().set_index("group").loc["Black", "value"] == "*"


class TestStandardisedRateTable:
    def test_matches_dsr_with_the_merged_85_plus_band(self):
        bands = list(esp2013())
        cells = pd.DataFrame(
            [{"broad_group": g, "esp2013_band": b, "events": 3 if g == "White" else 6, "population": 10_000}
             for g in ("White", "Black") for b in bands]
        )  # fmt: skip
        table = standardised_rate_table(cells, reference="White", policy=POLICY)
        weights = {b: w for b, w in esp2013().items() if b not in ("85-89", "90+")}
        weights["85+"] = esp2013()["85-89"] + esp2013()["90+"]
        # 114 Black events publish as 115, 57 White as 55: each group's bands are scaled to its published total.
        counts = [6.0 * 115 / 114] * (len(weights) - 1) + [12.0 * 115 / 114]
        populations = [10_000.0] * (len(weights) - 1) + [20_000.0]
        expected = dsr(counts, populations, standard=weights)
        black = table.frame.set_index("broad_group").loc["Black"]
        assert black["events"] == 115
        assert black["value"] == round(expected.value, 1)
        assert black["ratio_value"] == round(115 / 55, 2)

    def test_a_hidden_count_hides_its_standardised_rate(self):
        cells = pd.DataFrame(
            [{"broad_group": g, "esp2013_band": b, "events": (1 if b == "0-4" else 0) if g == "Mixed" else 10,
              "population": 1000} for g in ("White", "Black", "Mixed") for b in esp2013()]
        )  # fmt: skip
        table = standardised_rate_table(cells, reference="White", policy=POLICY)
        shown = table.display_frame().set_index("broad_group")
        assert shown.loc["Mixed", "events"] == "*" and shown.loc["Mixed", "value"] == "*"

    def test_an_empty_age_band_gives_no_rate_rather_than_an_error(self):
        cells = pd.DataFrame(
            [{"broad_group": g, "esp2013_band": b, "events": 50, "population": 0 if (g == "Black" and b == "0-4") else 1000}
             for g in ("White", "Black") for b in esp2013()]
        )  # fmt: skip
        table = standardised_rate_table(cells, reference="White", policy=POLICY)
        assert math.isnan(table.frame.set_index("broad_group").loc["Black", "value"])


class TestTeamBenchmarkTable:
    def test_team_figures_rest_on_the_published_counts_and_small_percentages_are_hidden(self):
        from measures.benchmark import team_benchmark_table
        from measures.catalogue import load_catalogue

        catalogue = load_catalogue()
        counts = pd.DataFrame(
            [("team", "dna_rate_pct", 12, 48), ("service_line", "dna_rate_pct", 40, 400),
             ("trust", "dna_rate_pct", 101, 1002), ("team", "seen_within_standard_pct", 6, 7),
             ("service_line", "seen_within_standard_pct", 50, 100), ("trust", "seen_within_standard_pct", 500, 1000)],
            columns=["level", "measure_id", "numerator", "denominator"],
        )  # fmt: skip
        table = team_benchmark_table(counts, catalogue, policy=POLICY).frame.set_index("measure_id")
        # 12 of 48 publishes as 10 of 50: 20.0%, not 25.0%; 101 of 1002 as 100 of 1000
        assert table.loc["dna_rate_pct", "team_value"] == 20.0
        assert table.loc["dna_rate_pct", "trust_value"] == 10.0
        # 6 of 7 publishes as 5 of 5: a percentage on fewer than 10 is not shown
        assert math.isnan(table.loc["seen_within_standard_pct", "team_value"])
