"""Specification of measures.disclosure: the suppression and rounding rule (docs/disclosure.md), figures
computed from published counts, CSV metadata, and the PublishedTable stage."""

from __future__ import annotations

import dataclasses
import io
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.disclosure import (
    DEFAULT_POLICY,
    NO_SUPPRESSION,
    CsvMetadata,
    DisclosurePolicy,
    Percentage,
    PublishedTable,
    Rate,
    RowTotals,
    Totals,
    publish_count,
    publish_counts,
    publish_estimates,
    publish_table,
)
from measures.stats import crude_rates, proportions


class TestPublishCount:
    def test_zero_stays_zero(self):
        assert publish_count(0) == 0

    @pytest.mark.parametrize("n", [1, 2, 3, 4])
    def test_one_to_four_are_suppressed(self, n):
        assert publish_count(n) is None

    @pytest.mark.parametrize(("n", "published"), [(5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (254, 255)])
    def test_others_are_rounded_to_the_nearest_five(self, n, published):
        assert publish_count(n) == published

    def test_hes_rule_suppresses_one_to_seven(self):
        assert publish_count(7, threshold=8) is None
        assert publish_count(8, threshold=8) == 10

    def test_halves_round_up_with_an_even_base(self):
        assert publish_count(15, base=10) == 20
        assert publish_count(25, base=10) == 30

    def test_missing_gives_none_and_negative_raises(self):
        assert publish_count(None) is None
        assert publish_count(float("nan")) is None
        with pytest.raises(ValueError, match="≥ 0"):
            publish_count(-1)

    def test_invalid_settings_raise(self):
        with pytest.raises(ValueError, match="threshold"):
            publish_count(5, threshold=0)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        n=st.one_of(st.integers(0, 10**7), st.floats(0, 10**6, allow_nan=False)),
        threshold=st.integers(1, 12),
        base=st.integers(1, 10),
    )
    def test_never_reveals_a_count_between_1_and_threshold_minus_1(self, n, threshold, base):
        published = publish_count(n, threshold=threshold, base=base)
        if 0 < n < threshold:
            assert published is None
        elif n == 0:
            assert published == 0
        else:
            assert published is not None and published % base == 0
            assert abs(published - n) <= base / 2

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(n=st.integers(0, 10**6))
    def test_the_default_never_shows_1_to_4(self, n):
        assert publish_count(n) not in {1, 2, 3, 4}


class TestPublishCounts:
    def test_vectorised_form_matches_the_scalar_one(self):
        values = pd.Series([0, 1, 4, 5, 7, 8, 254, None], index=list("abcdefgh"), dtype="Float64")
        published = publish_counts(values)
        assert published.dtype == "Int64"
        assert list(published.index) == list("abcdefgh")
        expected = [publish_count(v) for v in [0, 1, 4, 5, 7, 8, 254, None]]
        assert [None if pd.isna(v) else int(v) for v in published] == expected


class TestDisclosurePolicy:
    def test_default_is_the_mha_and_mhsds_rule(self):
        assert (DEFAULT_POLICY.threshold, DEFAULT_POLICY.base) == (5, 5)
        assert "1 to 4" in DEFAULT_POLICY.describe()

    def test_is_frozen(self):
        with pytest.raises(dataclasses.FrozenInstanceError):
            DEFAULT_POLICY.threshold = 3  # type: ignore[misc]

    def test_built_from_configuration(self):
        assert DisclosurePolicy.from_mapping({"threshold": "8"}) == DisclosurePolicy(threshold=8, base=5)
        with pytest.raises(ValueError, match="unknown disclosure settings"):
            DisclosurePolicy.from_mapping({"treshold": 8})

    def test_no_suppression_policy_leaves_counts_alone(self):
        assert NO_SUPPRESSION.publish(3) == 3
        assert "nothing is suppressed" in NO_SUPPRESSION.describe()

    @pytest.mark.parametrize("bad", [0, -5, 2.5, True])
    def test_rejects_non_positive_or_non_integer_settings(self, bad):
        with pytest.raises(ValueError):
            DisclosurePolicy(threshold=bad)


def rates_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "borough": ["A", "A", "A", "B", "B", "B"],
            "group": ["White", "Black", "Asian"] * 2,
            "detentions": [100, 3, 40, 60, 20, 0],
            "population": [10_000, 2000, 3000, 9000, 1000, 500],
        }
    )
    rates = crude_rates(frame["detentions"], frame["population"])
    return pd.concat([frame, rates[["value", "lower", "upper"]]], axis=1)


def publish_rates(frame, **options):
    return publish_table(
        frame,
        counts=["detentions"],
        derived={("value", "lower", "upper"): "detentions"},
        public=["population"],
        **options,
    )


class TestPublishTable:
    def test_primary_suppression_and_rounding_of_counts(self):
        table = publish_rates(rates_frame())
        assert table.frame["detentions"].tolist() == [100, pd.NA, 40, 60, 20, 0]
        assert table.primary["detentions"].tolist() == [False, True, False, False, False, False]
        assert table.frame["detentions"].dtype == "Int64"

    def test_rates_and_cis_on_a_suppressed_count_are_blanked(self):
        table = publish_rates(rates_frame())
        assert table.frame.loc[1, ["value", "lower", "upper"]].isna().all()
        assert table.mask.loc[1, ["detentions", "value", "lower", "upper"]].all()
        assert table.frame.loc[0, "value"] == pytest.approx(1000.0)

    def test_unsuppressed_rates_are_published_unrounded(self):
        source = rates_frame()
        table = publish_rates(source)
        assert table.frame.loc[3, "lower"] == source.loc[3, "lower"]

    def test_secondary_suppression_across_both_dimensions(self):
        table = publish_rates(rates_frame(), totals=[Totals(by=("borough",)), Totals(by=("group",))])
        # A/Black (3) is primary; A's next smallest is A/Asian (40); Black's is B/Black (20); Asian
        # then has one hidden cell, so B/Asian (0, the only candidate) goes too.
        assert table.secondary["detentions"].tolist() == [False, False, True, False, True, True]
        assert table.frame["detentions"].isna().tolist() == [False, True, True, False, True, True]
        assert table.n_primary == 1 and table.n_secondary == 3
        assert table.frame.loc[2, "value"] != table.frame.loc[2, "value"]  # rate blanked with its count

    def test_prefers_a_non_zero_complement(self):
        frame = pd.DataFrame({"g": ["a", "b", "c", "d"], "n": [2, 0, 30, 9]})
        table = publish_table(frame, counts=["n"], totals=[Totals()])
        assert table.secondary["n"].tolist() == [False, False, False, True]

    def test_wide_table_with_row_totals_and_column_totals(self):
        frame = pd.DataFrame(
            {"group": ["White", "Black", "Asian"], "male": [50, 2, 30], "female": [45, 25, 28]}
        )
        table = publish_table(
            frame, counts=["male", "female"], totals=[RowTotals(("male", "female")), Totals()]
        )
        hidden = table.mask[["male", "female"]].to_numpy()
        assert hidden.sum(axis=0).tolist() == [2, 2]
        assert hidden.sum(axis=1).tolist() == [0, 2, 2]

    def test_a_tuple_is_shorthand_for_totals_by(self):
        a = publish_rates(rates_frame(), totals=[("borough",), "group"])
        b = publish_rates(rates_frame(), totals=[Totals(by=("borough",)), Totals(by=("group",))])
        pd.testing.assert_frame_equal(a.mask, b.mask)

    def test_a_group_of_one_suppressed_cell_is_reported(self):
        frame = pd.DataFrame({"g": ["a", "b"], "n": [2, 50]})
        table = publish_table(frame, counts=["n"], totals=[Totals(by=("g",))])
        assert len(table.notes) == 1 and "suppress that total" in table.notes[0]

    def test_undeclared_numeric_columns_are_refused(self):
        with pytest.raises(ValueError, match=r"\['population'\] are not declared"):
            publish_table(
                rates_frame(), counts=["detentions"], derived={("value", "lower", "upper"): "detentions"}
            )

    def test_derived_figures_must_rest_on_count_columns(self):
        with pytest.raises(ValueError, match="not declared as counts"):
            publish_table(rates_frame(), counts=["detentions"], derived={"value": "population"})

    def test_missing_counts_stay_missing_without_a_star(self):
        frame = pd.DataFrame({"g": ["a", "b"], "n": [None, 12.0]})
        table = publish_table(frame, counts=["n"])
        assert not table.suppressed_any
        assert table.display_frame()["n"].tolist() == ["", "10"]

    def test_nothing_suppressed_gives_a_false_flag(self):
        table = publish_table(pd.DataFrame({"n": [0, 10, 20]}), counts=["n"])
        assert table.suppressed_any is False


class TestPublishedTable:
    def test_cannot_be_constructed_except_by_publishing(self):
        frame = pd.DataFrame({"n": [1]})
        with pytest.raises(TypeError, match="publish_table"):
            PublishedTable(
                frame=frame,
                policy=DEFAULT_POLICY,
                count_columns=("n",),
                derived_columns={},
                public_columns=(),
                primary=frame,
                secondary=frame,
                mask=frame,
                suppressed_any=False,
            )

    def test_display_frame_shows_stars_and_formatted_numbers(self):
        table = publish_rates(rates_frame())
        shown = table.display_frame(decimals={"value": 1, "lower": 1, "upper": 1})
        assert shown.loc[1].tolist() == ["A", "Black", "*", "2,000", "*", "*", "*"]
        assert shown.loc[0, "value"] == "1,000.0"
        assert shown.loc[0, "population"] == "10,000"

    def test_to_csv_writes_exactly_the_published_values(self):
        source = rates_frame()
        table = publish_rates(source)
        text = table.to_csv()
        back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        assert back.loc[1, "detentions"] == "*" and back.loc[1, "value"] == "*"
        assert back.loc[0, "detentions"] == "100"
        assert float(back.loc[3, "upper"]) == source.loc[3, "upper"]
        assert back.loc[5, "detentions"] == "0"
        assert "3" not in back["detentions"].tolist()

    def test_to_csv_writes_a_file(self, tmp_path):
        path = tmp_path / "out.csv"
        publish_rates(rates_frame()).to_csv(path)
        assert path.read_text().startswith("borough,group,detentions")

    def test_filter_rows_and_select_keep_the_metadata(self):
        table = publish_rates(rates_frame())
        part = table.filter_rows(table.frame["borough"] == "A").select(["group", "detentions", "value"])
        assert isinstance(part, PublishedTable)
        assert part.count_columns == ("detentions",)
        assert list(part.derived_columns) == ["value"]
        assert part.display_frame()["detentions"].tolist() == ["100", "*", "40"]
        assert part.policy is table.policy

    def test_relabel_names_a_label_column_and_refuses_a_count_or_figure(self):
        table = publish_rates(rates_frame())
        named = table.relabel("borough", {"A": "Lambeth"})
        assert set(named.frame["borough"]) == {"Lambeth", "B"}
        pd.testing.assert_frame_equal(named.display_frame().drop(columns="borough"),
                                      table.display_frame().drop(columns="borough"))  # fmt: skip
        for column in ("detentions", "value"):
            with pytest.raises(ValueError, match="not a label"):
                table.relabel(column, {})

    def test_survives_pickling_as_streamlit_caching_does(self):
        table = publish_rates(rates_frame())
        copy = pickle.loads(pickle.dumps(table))
        pd.testing.assert_frame_equal(copy.frame, table.frame)
        assert dataclasses.replace(copy, notes=("checked",)).notes == ("checked",)

    def test_is_immutable(self):
        table = publish_rates(rates_frame())
        with pytest.raises(dataclasses.FrozenInstanceError):
            table.frame = rates_frame()  # type: ignore[misc]


class TestPublishEstimates:
    def test_proportions_suppress_small_numerators_and_denominators(self):
        frame = pd.concat(
            [pd.DataFrame({"group": ["White", "Black", "Asian"]}), proportions([40, 2, 1], [100, 30, 3])],
            axis=1,
        )
        table = publish_estimates(frame)
        assert table.frame["numerator"].isna().tolist() == [False, True, True]
        assert table.frame["denominator"].tolist()[0] == 100
        assert table.frame["value"].isna().tolist() == [False, True, True]

    def test_rates_on_census_populations_publish_the_population_as_it_is(self):
        frame = crude_rates([12, 3], [123_457, 20_001])
        table = publish_estimates(frame, denominator_is_count=False)
        assert table.frame["denominator"].tolist() == [123_457, 20_001]
        assert table.frame["numerator"].tolist() == [10, pd.NA]


# ---------------------------------------------------------------------------------------------------------
# Property: after secondary suppression no hidden cell can be recovered from its margins
# ---------------------------------------------------------------------------------------------------------

cell = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def two_way_tables(draw):
    n_rows = draw(st.integers(2, 6))
    n_cols = draw(st.integers(2, 6))
    values = draw(st.lists(cell, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    return np.array(values).reshape(n_rows, n_cols)


def exactly_one_hidden(hidden: np.ndarray) -> bool:
    return bool((hidden.sum(axis=0) == 1).any() or (hidden.sum(axis=1) == 1).any())


class TestSecondarySuppressionProperties:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(table=two_way_tables(), threshold=st.sampled_from([5, 8]))
    def test_long_two_way_table_has_no_row_or_column_with_exactly_one_hidden_cell(self, table, threshold):
        n_rows, n_cols = table.shape
        long = pd.DataFrame(
            {
                "row": np.repeat(np.arange(n_rows), n_cols).astype(str),
                "col": np.tile(np.arange(n_cols), n_rows).astype(str),
                "n": table.ravel(),
            }
        )
        published = publish_table(
            long, counts=["n"], totals=[("row",), ("col",)], policy=DisclosurePolicy(threshold=threshold)
        )
        hidden = published.mask["n"].to_numpy().reshape(n_rows, n_cols)
        assert not exactly_one_hidden(hidden)
        primary = (table > 0) & (table < threshold)
        assert (hidden >= primary).all()  # every primary cell stays hidden
        assert not published.frame["n"].isin(range(1, threshold)).any()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(table=two_way_tables())
    def test_wide_table_has_no_row_or_column_with_exactly_one_hidden_cell(self, table):
        columns = [f"c{j}" for j in range(table.shape[1])]
        wide = pd.DataFrame(table, columns=columns)
        published = publish_table(wide, counts=columns, totals=[RowTotals(tuple(columns)), Totals()])
        assert not exactly_one_hidden(published.mask[columns].to_numpy())


# ---------------------------------------------------------------------------------------------------------
# The rule on edge cases: figures computed from the published counts
# ---------------------------------------------------------------------------------------------------------


def rate_table(events, population=1890, **figure):
    frame = pd.DataFrame(
        {"area": [f"a{i}" for i in range(len(events))], "events": events, "residents": population}
    )
    return publish_table(
        frame, counts=["events"], public=["residents"],
        figures=[Rate("rate", "events", "residents", lower="lower", upper="upper", **figure)],
    )  # fmt: skip


class TestRuleEdgeCases:
    def test_zero_is_published_with_a_rate_of_zero_and_an_upper_limit(self):
        table = rate_table([0])
        assert table.frame.loc[0, "events"] == 0 and table.frame.loc[0, "rate"] == 0.0
        assert table.frame.loc[0, "lower"] == 0.0
        assert table.frame.loc[0, "upper"] == round(3.6888794541139354 / 1890 * 1e5, 1)
        assert not table.suppressed_any

    @pytest.mark.parametrize("n", [1, 2, 3, 4])
    def test_one_to_four_suppress_the_count_and_every_figure_on_it(self, n):
        table = rate_table([n])
        assert table.mask.loc[0, ["events", "rate", "lower", "upper"]].all()
        assert table.frame.loc[0, ["rate", "lower", "upper"]].isna().all()
        assert table.display_frame().loc[0, "rate"] == "*"

    @pytest.mark.parametrize(("n", "shown"), [(5, 5), (6, 5), (7, 5), (8, 10)])
    def test_five_and_over_give_a_rate_from_the_rounded_count(self, n, shown):
        table = rate_table([n])
        assert table.frame.loc[0, "events"] == shown
        assert table.frame.loc[0, "rate"] == round(shown / 1890 * 1e5, 1)

    def test_the_interval_comes_from_the_rounded_count(self):
        table = rate_table([7], decimals=None)
        expected = crude_rates([5], [1890])
        assert table.frame.loc[0, "lower"] == pytest.approx(expected["lower"].iloc[0])
        assert table.frame.loc[0, "upper"] == pytest.approx(expected["upper"].iloc[0])

    def test_figures_are_stored_at_their_precision_so_the_csv_matches_the_screen(self):
        table = rate_table([12])
        text = table.to_csv()
        assert f",{round(10 / 1890 * 1e5, 1)}," in text
        assert table.display_frame().loc[0, "rate"] == f"{round(10 / 1890 * 1e5, 1):,.1f}"

    def test_a_denominator_under_10(self):
        frame = pd.DataFrame({"team": ["a", "b", "c"], "stated": [6, 5, 0], "referred": [7, 9, 3]})
        plain = publish_table(
            frame, counts=["stated", "referred"], figures=[Percentage("pct", "stated", "referred")]
        )
        # 6 of 7 → 5 of 5 = 100%; 5 of 9 → 5 of 10 = 50%; a denominator of 3 is suppressed, and its share.
        assert plain.frame["pct"].tolist()[:2] == [100.0, 50.0]
        assert plain.mask.loc[2, ["referred", "pct"]].all()
        guarded = publish_table(
            frame,
            counts=["stated", "referred"],
            figures=[Percentage("pct", "stated", "referred", min_denominator=10)],
        )
        assert guarded.mask["pct"].tolist() == [True, False, True]  # decided on the published 5, 10 and *
        assert guarded.frame["stated"].tolist()[:2] == [5, 5]  # the counts themselves are still shown

    def test_a_single_shown_cell_in_a_row_of_suppressed_cells(self):
        frame = pd.DataFrame({"team": ["a"], "x": [2], "y": [3], "z": [40]})
        table = publish_table(frame, counts=["x", "y", "z"], totals=[RowTotals(("x", "y", "z"))], check=True)
        # two hidden cells protect each other; 45 − 40 leaves x + y anywhere from 1 to 9
        assert table.mask.loc[0, ["x", "y", "z"]].tolist() == [True, True, False]

    def test_a_row_of_only_suppressed_cells(self):
        frame = pd.DataFrame({"team": ["a"], "x": [1], "y": [2], "z": [3]})
        table = publish_table(frame, counts=["x", "y", "z"], totals=[RowTotals(("x", "y", "z"))], check=True)
        assert table.mask.loc[0, ["x", "y", "z"]].all()
        assert table.display_frame().loc[0, ["x", "y", "z"]].tolist() == ["*", "*", "*"]

    @pytest.mark.parametrize("bad", [-1, float("inf")])
    def test_negative_or_infinite_counts_are_refused(self, bad):
        with pytest.raises(ValueError, match="≥ 0"):
            rate_table([bad])

    def test_negative_populations_are_refused(self):
        with pytest.raises(ValueError, match="negative"):
            rate_table([10], population=-5)

    def test_missing_counts_and_populations_give_no_figure_and_no_star(self):
        table = rate_table([float("nan"), 12.0], population=[1890, float("nan")])
        assert table.frame["rate"].isna().all()
        assert not table.mask["rate"].any()

    def test_figure_inputs_must_be_declared(self):
        frame = pd.DataFrame({"n": [10], "pop": [100]})
        with pytest.raises(ValueError, match="must be a count column"):
            publish_table(frame, counts=[], public=["n", "pop"], figures=[Rate("r", "n", "pop")])

    def test_legacy_derived_columns_are_marked_as_resting_on_true_counts(self):
        assert publish_rates(rates_frame()).basis == {"value": "true", "lower": "true", "upper": "true"}


class TestPolicyInterval:
    @pytest.mark.parametrize(
        ("shown", "interval"),
        [(0, (0, 0)), (5, (5, 7)), (10, (8, 12)), (255, (253, 257)), (3, (3, 3)), (12, (12, 12))],
    )
    def test_what_a_shown_count_stands_for(self, shown, interval):
        assert DEFAULT_POLICY.interval(shown) == interval

    def test_other_policies(self):
        assert DisclosurePolicy(threshold=8).interval(10) == (8, 12)
        assert DisclosurePolicy(threshold=8).interval(5) == (5, 5)  # cannot come from rounding: exact
        assert DisclosurePolicy(base=10).interval(10) == (5, 14)
        assert NO_SUPPRESSION.interval(3) == (3, 3)


class TestCsvMetadata:
    meta = CsvMetadata(
        measure="Detentions under the Mental Health Act",
        definition="People detained at least once, per 100,000 residents (Census 2021)",
        period="2024-25",
        filters={"sex": "Male", "age": "18–24"},
        extracted="2025-04-30",
        synthetic=True,
        counts_of="people",
    )

    def test_header_block_says_everything_and_pandas_skips_it(self):
        header = self.meta.header()
        for text in ("Measure: Detentions", "Counts: people", "Period: 2024-25", "sex = Male; age = 18–24",
                     "Counts from 1 to 4", "computed from the published (rounded) counts",
                     "Extract date: 2025-04-30", "SYNTHETIC"):  # fmt: skip
            assert text in header
        table = publish_rates(rates_frame())
        back = pd.read_csv(io.StringIO(table.to_csv(header_block=header)), comment="#")
        assert list(back.columns)[:3] == ["borough", "group", "detentions"] and len(back) == 6

    def test_file_name_is_safe_and_labelled(self):
        name = self.meta.file_name("by group")
        assert (
            name == "synthetic-detentions-under-the-mental-health-act-2024-25-sex-male-age-18-24-by-group.csv"
        )
        real = CsvMetadata("A/B: ../etc", "d", "Q1\n2025", synthetic=False).file_name()
        assert real == "a-b-etc-q1-2025.csv"
        assert len(CsvMetadata("x" * 300, "d", "p").file_name()) <= 124

    def test_header_values_stay_on_one_line(self):
        header = CsvMetadata("m", "line one\nline two", "p").header()
        assert "# Definition: line one line two\n" in header
        assert all(line.startswith("# ") for line in header.splitlines())


def test_a_caller_may_state_that_its_derived_figures_rest_on_the_published_counts():
    from measures.disclosure import publish_table

    frame = pd.DataFrame({"events": [3, 40], "dsr": [10.5, 80.25]})
    legacy = publish_table(frame, counts=["events"], derived={"dsr": ("events",)})
    stated = publish_table(
        frame, counts=["events"], derived={"dsr": ("events",)}, derived_from_published=True
    )
    assert legacy.basis == {"dsr": "true"}
    assert stated.basis == {"dsr": "published by caller"}
    assert stated.mask["dsr"].tolist() == [True, False]  # still blanked with its count
