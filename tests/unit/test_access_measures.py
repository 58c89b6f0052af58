"""Specifications for measures.access (medians from histograms, proportions against everyone, two-way
tables) and measures.communities (the validated loader and membership on aggregated cells)."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.reference import AGE_BANDS
from measures.access import median_from_histogram, proportion_table, two_way_table
from measures.communities import (
    DISPLAY_BANDS,
    Community,
    CommunityError,
    community_totals,
    load_communities,
    parse_communities,
)
from measures.disclosure import DEFAULT_POLICY


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


class TestProportionTable:
    def test_a_group_is_higher_only_when_its_interval_excludes_everyone(self):
        frame = pd.DataFrame({"group": ["A", "B"], "n": [200, 100], "d": [1000, 1000]})
        table = proportion_table(
            frame, group_column="group", numerator="n", denominator="d", policy=DEFAULT_POLICY
        )
        assert list(table.frame["comparison"]) == ["Higher than everyone", "Lower than everyone"]

    def test_a_suppressed_numerator_blanks_the_percentage_and_the_comparison(self):
        frame = pd.DataFrame({"group": ["A", "B", "C"], "n": [3, 50, 60], "d": [100, 100, 100]})
        table = proportion_table(
            frame, group_column="group", numerator="n", denominator="d", policy=DEFAULT_POLICY
        )
        assert table.mask.loc[0, "value"] and table.mask.loc[0, "comparison"]
        # secondary suppression: the next smallest numerator is hidden too, so A cannot be recovered
        assert table.mask.loc[1, "n"]


class TestTwoWayTable:
    def test_a_lone_small_cell_is_protected_in_its_row_and_column(self):
        frame = pd.DataFrame(
            {"eth": ["X", "X", "Y", "Y"], "age": ["a", "b", "a", "b"], "n": [2, 40, 30, 50], "pop": [100] * 4}
        )
        table = two_way_table(
            frame, row="eth", column="age", events="n", population="pop", policy=DEFAULT_POLICY
        )
        hidden = table.mask["n"].tolist()
        assert hidden[0] and sum(hidden) >= 3  # the cell, one in its row and one in its column

    def test_without_a_population_cells_are_shares_of_the_row(self):
        frame = pd.DataFrame({"r": ["X", "X"], "c": ["a", "b"], "n": [50, 150]})
        table = two_way_table(frame, row="r", column="c", events="n", policy=DEFAULT_POLICY)
        assert table.frame["value"].tolist() == pytest.approx([25.0, 75.0])


class TestCommunitiesFile:
    def test_the_shipped_file_loads_with_the_issues_examples(self):
        names = [c.name for c in load_communities()]
        for expected in ("Men", "Chinese", "Black", "Eastern European", "Pakistani", "Aged 55 and over"):
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
