"""Specifications for measures.access (medians from histograms, percentages and ratios to a reference
from published counts, the groups that differ clearly) and measures.communities (the validated loader
and membership on aggregated cells)."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.reference import AGE_BANDS
from measures.access import (
    clear_differences,
    group_median_waits,
    median_from_histogram,
    percentage_figures,
    proportion_table,
    with_reference,
)
from measures.communities import (
    DISPLAY_BANDS,
    Community,
    CommunityError,
    community_totals,
    load_communities,
    parse_communities,
)
from measures.disclosure import DEFAULT_POLICY, publish_table


class TestMedianFromHistogram:
    def test_odd_total_gives_the_middle_value(self):
        assert median_from_histogram([1, 2, 3], [1, 1, 1]) == 2

    def test_even_total_gives_the_mean_of_the_two_middle_values(self):
        assert median_from_histogram([1, 2, 3, 4], [1, 1, 1, 1]) == 2.5

    def test_unsorted_values_are_sorted_first(self):
        assert median_from_histogram([10, 1], [1, 2]) == 1

    def test_an_empty_histogram_has_no_median(self):
        assert median_from_histogram([5], [0]) != median_from_histogram([5], [0])  # NaN

    def test_negative_or_fractional_counts_are_refused(self):
        with pytest.raises(ValueError):
            median_from_histogram([1], [-1])
        with pytest.raises(ValueError):
            median_from_histogram([1], [0.5])

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.integers(0, 400), min_size=1, max_size=60))
    def test_equals_the_median_of_the_expanded_data(self, waits):
        series = pd.Series(waits).value_counts()
        assert median_from_histogram(series.index, series.to_numpy()) == statistics.median(waits)


class TestMediansRestOnEnoughReferrals:
    def test_a_group_with_fewer_than_the_threshold_gets_no_median(self):
        histogram = pd.DataFrame({"g": ["A", "A", "B"], "wait": [3, 9, 4], "n": [2, 2, 10]})
        medians = group_median_waits(histogram, by=["g"], value="wait", count="n", min_count=5).set_index("g")
        assert pd.isna(medians.loc["A", "median"]) and medians.loc["A", "waited"] == 4
        assert medians.loc["B", "median"] == 4


class TestProportionTable:
    def test_percentages_are_computed_from_the_published_counts(self):
        frame = pd.DataFrame({"group": ["A", "B"], "n": [23, 61], "d": [98, 142]})
        table = proportion_table(
            frame, group_column="group", numerator="n", denominator="d", policy=DEFAULT_POLICY
        )
        # 25 of 100 and 60 of 140 as published, not 23 of 98 and 61 of 142
        assert table.frame["value"].tolist() == pytest.approx([25.0, 42.9])
        assert table.basis["value"] == "published"

    def test_a_suppressed_numerator_blanks_the_percentage_and_a_second_cell_is_hidden(self):
        frame = pd.DataFrame({"group": ["A", "B", "C"], "n": [3, 50, 60], "d": [100, 100, 100]})
        table = proportion_table(
            frame, group_column="group", numerator="n", denominator="d", policy=DEFAULT_POLICY
        )
        assert table.mask.loc[0, "value"] and table.mask.loc[0, "value_lower"]
        # secondary suppression: the next smallest numerator is hidden too, so A cannot be recovered
        assert table.mask.loc[1, "n"]


class TestComparisonWithAReference:
    def published(self, counts):
        frame = pd.DataFrame({"group": ["White", "Black", "Asian"], "n": counts[0], "d": counts[1]})
        frame = with_reference(frame, ["n", "d"], group_column="group", reference="White")
        return publish_table(frame, counts=["n", "d", "ref_n", "ref_d"], policy=DEFAULT_POLICY,
                             figures=percentage_figures("pct", "n", "d"))  # fmt: skip

    def test_the_reference_row_gets_no_ratio_to_itself(self):
        table = self.published(([100, 300, 100], [1000, 1000, 1000]))
        assert pd.isna(table.frame.loc[0, "pct_ratio"])
        assert table.frame.loc[1, "pct_ratio"] == pytest.approx(3.0)

    def test_every_group_whose_interval_excludes_one_is_named_highest_first(self):
        table = self.published(([100, 300, 50], [1000, 1000, 1000]))
        assert [g for g, _ in clear_differences(table, "pct_ratio")] == ["Black", "Asian"]

    def test_a_group_whose_interval_includes_one_is_not_named(self):
        table = self.published(([100, 105, 100], [1000, 1000, 1000]))
        assert clear_differences(table, "pct_ratio") == []


class TestCommunitiesFile:
    def test_the_shipped_file_loads_with_the_issues_examples(self):
        names = [c.name for c in load_communities()]
        for expected in ("Men", "Chinese", "Black", "Eastern European", "Pakistani", "Aged 55 and over",
                         "Black men aged 18 to 34"):  # fmt: skip
            assert expected in names

    def test_display_bands_match_the_reference_table(self):
        assert set(DISPLAY_BANDS) == {row[5] for row in AGE_BANDS}

    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            ({"name": "X", "filters": {"height": ["tall"]}}, "unknown attribute"),
            ({"name": "X", "filters": {"ethnic_category": ["Q"]}}, "unknown values"),
            ({"name": "X", "filters": {"age_band": ["55+"]}}, "unknown values"),
            ({"name": "X", "filters": {}}, "at least one attribute"),
            ({"filters": {"sex": "M"}}, "'name' is required"),
        ],
    )
    def test_mistakes_are_named(self, entry, message):
        with pytest.raises(CommunityError, match=message):
            parse_communities({"communities": [entry]})

    def test_a_name_used_twice_is_refused(self):
        entry = {"name": "Men", "filters": {"sex": "M"}}
        with pytest.raises(CommunityError, match="used twice"):
            parse_communities({"communities": [entry, entry]})

    def test_language_or_religion_combine_only_with_ethnic_group_and_borough(self):
        entry = {"name": "X", "filters": {"religion": ["Muslim"], "sex": ["M"]}}
        with pytest.raises(CommunityError, match="combined only with"):
            parse_communities({"communities": [entry]})
        entry = {
            "name": "X",
            "filters": {"religion": ["Muslim"], "broad_group": ["Asian"], "borough": ["Lambeth"]},
        }
        assert parse_communities({"communities": [entry]})[0].filters["borough"] == ("Lambeth",)

    def test_a_single_value_is_a_list_of_one(self):
        (community,) = parse_communities({"communities": [{"name": "Men", "filters": {"sex": "M"}}]})
        assert community.filters == {"sex": ("M",)}


class TestMembershipOnAggregatedCells:
    CELLS = pd.DataFrame(
        {
            "ethnic_category": ["C", "C", "A", None],
            "first_language": ["Polish", "English", "Polish", "Polish"],
            "people": [10, 20, 30, 40],
        }
    )

    def test_filters_combine_with_and_and_values_with_or(self):
        eastern = Community("EE", "", {"ethnic_category": ("C",), "first_language": ("Polish", "Romanian")})
        assert eastern.members(self.CELLS).tolist() == [True, False, False, False]
        assert not eastern.has_population

    def test_totals_give_the_community_and_everyone_else(self):
        eastern = Community("EE", "", {"ethnic_category": ("C",), "first_language": ("Polish",)})
        totals = community_totals(self.CELLS, [eastern], ["people"])
        assert totals.loc[0, ["people", "rest_people"]].tolist() == [10, 90]
