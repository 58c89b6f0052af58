"""measures.workforce: verdicts by interval, target paths, and disclosure control of the WRES tables
(every percentage and ratio computed from the published, rounded counts)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from measures import workforce as wf
from measures.disclosure import DisclosurePolicy

POLICY = DisclosurePolicy(threshold=5, base=5)


def long_counts(rows):
    return pd.DataFrame(rows, columns=["pay_band", "broad_group", "staff"])


class TestRepresentationVerdict:
    def test_an_interval_wholly_below_the_community_share_is_under_represented(self):
        assert wf.representation_verdict(10.0, 20.0, 30.0) == wf.UNDER

    def test_an_interval_including_the_community_share_reflects_it(self):
        assert wf.representation_verdict(10.0, 40.0, 30.0) == wf.REFLECTS

    def test_an_interval_wholly_above_is_above_the_community_share(self):
        assert wf.representation_verdict(35.0, 40.0, 30.0) == wf.OVER

    @pytest.mark.parametrize("missing", [(None, 1.0, 1.0), (float("nan"), 1.0, 1.0), (1.0, 2.0, None)])
    def test_nothing_is_said_when_a_figure_is_missing(self, missing):
        assert wf.representation_verdict(*missing) == ""


class TestGroupWide:
    def test_bme_is_every_known_non_white_group_and_unknowns_are_not_recorded(self):
        wide = wf.group_wide(
            long_counts([("5", "White", 10), ("5", "Black", 4), ("5", "Asian", 3), ("5", "Not stated", 2),
                         ("5", "Not known", 1)]), "pay_band"
        ).iloc[0]  # fmt: skip
        assert (wide["white"], wide["bme"], wide["not_recorded"], wide["staff"]) == (10, 7, 3, 20)

    def test_bands_sort_in_wres_order(self):
        bands = ["VSM", "8a", "10x", "1", "Medical: Consultant", "9", "7"]
        assert sorted(bands, key=wf.band_sort_key) == [
            "1",
            "7",
            "8a",
            "9",
            "VSM",
            "Medical: Consultant",
            "10x",
        ]


class TestRepresentationTable:
    def wide(self):
        return wf.group_wide(
            long_counts([
                ("5", "White", 40), ("5", "Black", 30), ("5", "Asian", 20), ("5", "Mixed", 2), ("5", "Other", 8),
                ("6", "White", 50), ("6", "Black", 20), ("6", "Asian", 10), ("6", "Mixed", 5), ("6", "Other", 5),
                ("9", "White", 9), ("9", "Black", 1),
            ]),
            "pay_band",
        )  # fmt: skip

    def test_shares_are_of_staff_with_a_known_group_with_wilson_limits(self):
        table = wf.representation_table(
            self.wide().iloc[[1]], key="pay_band", workforce_share=0.5, population_share=0.4, policy=POLICY
        )
        band5 = table.frame.iloc[0]
        assert band5["bme_pct"] == pytest.approx(40 / 90 * 100, abs=0.05)
        assert band5["bme_lower"] < band5["bme_pct"] < band5["bme_upper"]
        assert band5["ratio_population"] == pytest.approx(44.4 / 40, abs=0.005), "from the published share"

    def test_a_band_with_one_bme_member_hides_its_share_and_a_second_cell_protects_it(self):
        table = wf.representation_table(
            self.wide(), key="pay_band", workforce_share=0.5, population_share=0.4, policy=POLICY
        )
        band9 = table.display_frame().iloc[2]
        assert band9["bme"] == "*" and band9["bme_pct"] == "*" and band9["vs_population"] == ""
        assert band9["white"] == "*", "White + BME add up to the published known total"
        assert table.display_frame().iloc[0]["mixed"] == "*"
        assert table.display_frame()["bme"].tolist().count("*") >= 2, (
            "the BME column adds up to a published total"
        )
        assert "*" in set(table.display_frame()[["asian", "black", "other"]].iloc[0]), "secondary in the row"

    def test_counts_are_rounded_to_five(self):
        table = wf.representation_table(
            self.wide(), key="pay_band", workforce_share=0.5, population_share=0.4, policy=POLICY
        )
        shown = table.frame[["white", "bme", "known"]].stack().dropna()
        assert (shown % 5 == 0).all()


class TestBoardTable:
    def test_two_bme_board_members_suppress_the_difference(self):
        board = pd.DataFrame({"wres_group": ["White", "BME"], "members": [9, 2]})
        table = wf.board_table(board, workforce_bme=500, workforce_white=500, policy=POLICY)
        shown = table.display_frame().iloc[0]
        assert shown["board_bme"] == "*" and shown["board_pct"] == "*"
        assert shown["difference_pp"] == "", "computed from the published percentages: nothing to show"
        assert shown["board_white"] == "*"

    def test_a_board_with_enough_bme_members_shows_the_difference_in_points(self):
        board = pd.DataFrame({"wres_group": ["White", "BME"], "members": [10, 5]})
        table = wf.board_table(board, workforce_bme=400, workforce_white=600, policy=POLICY)
        assert table.frame["difference_pp"].iloc[0] == "-6.7", "33.3% of the board − 40.0% of the workforce"

    def test_the_board_share_comes_from_the_published_counts(self):
        board = pd.DataFrame({"wres_group": ["White", "BME"], "members": [9, 8]})
        table = wf.board_table(board, workforce_bme=402, workforce_white=598, policy=POLICY)
        shown = table.frame.iloc[0]
        assert (shown["board_bme"], shown["board_known"]) == (10, 15)
        assert shown["board_pct"] == pytest.approx(66.7), "10 of 15 as published, not 8 of 17"
        assert shown["workforce_pct"] == pytest.approx(40.0)
        assert shown["difference_pp"] == "26.7"


class TestLikelihoodTable:
    def test_indicator_2_is_white_over_bme_and_3_is_bme_over_white_from_the_published_counts(self):
        counts = pd.DataFrame(
            [(2, "White", 47, 100), (2, "BME", 15, 100), (3, "BME", 12, 1000), (3, "White", 7, 1000),
             (4, "White", 50, 100), (4, "BME", 40, 100)],
            columns=["indicator", "wres_group", "events", "total"],
        )  # fmt: skip
        table = wf.likelihood_table(counts, POLICY).frame.set_index("indicator")
        assert table.loc[2, "value"] == pytest.approx(45 / 15), "47 is published as 45"
        assert table.loc[3, "value"] == pytest.approx(10 / 5), "BME 12 → 10 over White 7 → 5"
        assert table.loc[4, "value"] == pytest.approx(1.25)
        assert table.loc[2, "white_pct"] == pytest.approx(45.0)
        assert table.loc[3, "lower"] < table.loc[3, "value"] < table.loc[3, "upper"]

    def test_a_ratio_resting_on_a_count_of_1_to_4_is_hidden(self):
        counts = pd.DataFrame(
            [(2, "White", 47, 100), (2, "BME", 15, 100), (3, "BME", 3, 1000), (3, "White", 7, 1000),
             (4, "White", 50, 100), (4, "BME", 40, 100)],
            columns=["indicator", "wres_group", "events", "total"],
        )  # fmt: skip
        table = wf.likelihood_table(counts, POLICY)
        assert table.display_frame().set_index("indicator").loc["3", "value"] == "*"


class TestTargetProgress:
    def test_a_rising_target_at_or_above_the_path_is_on_track(self):
        result = wf.target_progress(
            baseline=0.2, target=0.4, start=date(2022, 3, 31), due=date(2026, 3, 31), latest=0.31,
            as_of=date(2024, 3, 31),
        )  # fmt: skip
        assert result.expected == pytest.approx(0.3, abs=1e-3)
        assert result.verdict == "on track"

    def test_below_the_path_is_behind(self):
        result = wf.target_progress(
            baseline=0.2, target=0.4, start="2022-03-31", due="2026-03-31", latest=0.25, as_of="2024-03-31"
        )
        assert result.verdict == "behind the path"

    def test_a_falling_target_is_on_track_at_or_below_the_path(self):
        result = wf.target_progress(
            baseline=1.56, target=1.25, start="2022-03-31", due="2027-03-31", latest=1.3, as_of="2026-03-31"
        )
        assert result.verdict == "on track"

    def test_a_suppressed_latest_value_cannot_be_judged(self):
        result = wf.target_progress(
            baseline=0.2, target=0.4, start="2022-03-31", due="2026-03-31", latest=None, as_of="2024-03-31"
        )
        assert result.verdict == "cannot be judged"

    def test_after_the_due_date_it_is_met_or_not(self):
        kwargs = dict(baseline=0.2, target=0.4, start="2022-03-31", due="2024-03-31", as_of="2025-03-31")
        assert wf.target_progress(latest=0.41, **kwargs).verdict == "met"
        assert wf.target_progress(latest=0.39, **kwargs).verdict == "not met by the due date"

    def test_share_targets_written_as_fractions_are_compared_as_fractions(self):
        assert wf.target_scale("share_8a_plus", 0.24, 0.35) == 0.01
        assert wf.target_scale("share_8a_plus", 24, 35) == 1.0
        assert wf.target_scale("wres_2", 1.56, 1.25) == 1.0


class TestFiguresFromPublishedCounts:
    def test_23_75_percent_of_80_staff_no_longer_gives_19_back(self):
        wide = wf.group_wide(long_counts([("8a", "White", 61), ("8a", "Black", 19)]), "pay_band")
        table = wf.representation_table(
            wide, key="pay_band", workforce_share=0.5, population_share=0.4, policy=POLICY
        )
        row = table.frame.iloc[0]
        assert (row["bme"], row["known"]) == (20, 80)
        assert row["bme_pct"] == pytest.approx(25.0), "20 of 80 as published, not 19 of 80 (23.75%)"

    def test_a_share_hidden_by_a_further_suppression_blanks_its_verdict_and_ratios(self):
        wide = wf.group_wide(
            long_counts([("5", "White", 50), ("5", "Black", 30), ("6", "White", 40), ("6", "Black", 6),
                         ("9", "White", 6), ("9", "Asian", 2)]), "pay_band",
        )  # fmt: skip
        table = wf.representation_table(
            wide, key="pay_band", workforce_share=0.3, population_share=0.4, policy=POLICY
        )
        frame = table.frame.set_index("pay_band")
        assert table.secondary.set_index(table.frame["pay_band"]).loc["6", "bme"], "band 6 protects band 9"
        for band in ("6", "9"):
            assert pd.isna(frame.loc[band, "ratio_population"]) and pd.isna(
                frame.loc[band, "ratio_workforce"]
            )
            assert frame.loc[band, "vs_population"] == "" and frame.loc[band, "vs_workforce"] == ""
        assert frame.loc["5", "ratio_population"] == pytest.approx(round(frame.loc["5", "bme_pct"] / 40, 2))
        assert frame.loc["5", "vs_population"] == wf.representation_verdict(
            frame.loc["5", "bme_lower"], frame.loc["5", "bme_upper"], 40.0
        )

    def test_the_survey_percentage_is_recomputed_from_rounded_respondent_counts(self):
        survey = pd.DataFrame(
            [(2025, 5, "White", 23.75, 80), (2025, 5, "BME", 31.0, None)],
            columns=["year", "indicator", "ethnic_group", "percent", "respondents"],
        ).astype({"respondents": "Int64"})
        table = wf.survey_table(survey, 2025, POLICY).frame.iloc[0]
        assert (table["white_yes"], table["white_respondents"]) == (20, 80)
        assert table["white_percent"] == pytest.approx(25.0), "19 of 80 is published as 20 of 80"
        assert pd.isna(table["bme_percent"]) and table["bme_as_published"] == pytest.approx(31.0)

    def test_the_trend_computes_every_share_and_ratio_from_published_counts(self):
        bands = pd.DataFrame(
            [("2025-26", "5", "White", 61), ("2025-26", "5", "Black", 19), ("2025-26", "8a", "White", 12),
             ("2025-26", "8a", "Asian", 3)],
            columns=["financial_year", "pay_band", "broad_group", "staff"],
        )  # fmt: skip
        likelihoods = pd.DataFrame(
            [("2025-26", 2, "White", 47, 100), ("2025-26", 2, "BME", 15, 100)],
            columns=["financial_year", "indicator", "wres_group", "events", "total"],
        )
        board = pd.DataFrame([("2025-26", "White", 10), ("2025-26", "BME", 5)],
                             columns=["financial_year", "wres_group", "members"])  # fmt: skip
        row = wf.trend_table(bands, likelihoods, board, POLICY).frame.iloc[0]
        assert row["share_all"] == pytest.approx(round(20 / 95 * 100, 1)), "BME 22 → 20 of known 95"
        assert pd.isna(row["share_8a_plus"]), "3 Asian staff in 8a: the share is hidden"
        assert row["wres_2"] == pytest.approx(3.0)
        assert float(row["wres_9"]) == pytest.approx(round(33.3 - row["share_all"], 1))
