"""The attack engine (measures.attacks) finds each class of leak in issue 13, and the disclosure rule's
output (measures.disclosure: figures from published counts, publish_linked) defeats every one of them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from measures.attacks import Publication
from measures.disclosure import (
    DEFAULT_POLICY,
    NO_SUPPRESSION,
    CellRef,
    Difference,
    DisclosurePolicy,
    Equation,
    Percentage,
    Rate,
    Ratio,
    Rollup,
    TableSpec,
    Totals,
    publish_linked,
    publish_table,
)

EXACT_SMALL = DisclosurePolicy(threshold=5, base=1)  # suppress 1–4, publish the rest exactly


def kinds(report) -> list[tuple[str, str, int | None]]:
    return [(f.kind, f.column, f.value) for f in report.disclosures]


def attack_published(tables, links=(), truths=None, keys=None, policy=DEFAULT_POLICY):
    """Attack PublishedTables as exported, with their true counts."""
    publication = Publication(policy)
    for name, table in tables.items():
        truth = None if truths is None else truths[name]
        publication.add_published(name, table, keys=(keys or {}).get(name, ()), truth=truth)
    return publication.link(*links).attack()


# ---------------------------------------------------------------------------------------------------------
# Rate × denominator ÷ multiplier
# ---------------------------------------------------------------------------------------------------------


class TestRates:
    def lambeth(self):
        return pd.DataFrame({"area": ["Lambeth 012"], "events": [7], "residents": [1890]})

    def test_a_rate_from_the_true_count_unrounds_it(self):
        # Issue 13: 5 events at 370.4 per 100,000 of 1,890 residents: the true count is 7.
        shown = pd.DataFrame({"area": ["Lambeth 012"], "events": [5], "residents": [1890], "rate": [370.4]})
        report = (
            Publication()
            .add_table("msoa", shown, keys=["area"], counts=["events"], public=["residents"],
                       figures=[Rate("rate", "events", "residents")], figures_from="true",
                       truth=pd.DataFrame({"events": [7]}))
            .attack()
        )  # fmt: skip
        assert kinds(report) == [("unrounded", "events", 7)]
        assert report.unrounded[0].confirmed is True
        assert report.unrounded[0].via == ("msoa.rate",)

    def test_white_95_and_a_rate_that_gives_93(self):
        shown = pd.DataFrame(
            {"group": ["White"], "events": [95], "residents": [41_000], "rate": [93 / 41_000 * 1e5]}
        )
        report = (
            Publication()
            .add_table("groups", shown, keys=["group"], counts=["events"], public=["residents"],
                       figures=[Rate("rate", "events", "residents", decimals=None)], figures_from="true")
            .attack()
        )  # fmt: skip
        assert kinds(report) == [("unrounded", "events", 93)]

    def test_the_rule_computes_the_rate_from_the_published_count(self):
        table = publish_table(
            self.lambeth(), counts=["events"], public=["residents"],
            figures=[Rate("rate", "events", "residents", lower="lower", upper="upper")],
        )  # fmt: skip
        assert table.frame["events"].tolist() == [5]
        assert table.frame["rate"].tolist() == [round(5 / 1890 * 1e5, 1)]  # 264.6, not 370.4
        assert table.basis == {"rate": "published", "lower": "published", "upper": "published"}
        report = attack_published({"msoa": table}, truths={"msoa": pd.DataFrame({"events": [7]})})
        assert report.ok and not report.notes, report.summary()

    def test_a_published_figure_that_does_not_match_its_counts_is_attacked_as_true(self):
        shown = pd.DataFrame({"area": ["L"], "events": [5], "residents": [1890], "rate": [370.4]})
        report = (
            Publication()
            .add_table("msoa", shown, keys=["area"], counts=["events"], public=["residents"],
                       figures=[Rate("rate", "events", "residents")])  # claims "published"
            .attack()
        )  # fmt: skip
        assert kinds(report) == [("unrounded", "events", 7)]
        assert "do not match the published counts" in report.notes[0]

    def test_rounded_count_over_an_exact_population_reveals_only_the_rounded_count(self):
        # rate = rounded / population × 100,000: a reader gets the rounded count back, nothing more.
        for true in range(5, 60):
            frame = pd.DataFrame({"area": ["a"], "events": [true], "residents": [1890]})
            table = publish_table(frame, counts=["events"], public=["residents"],
                                  figures=[Rate("rate", "events", "residents", decimals=None)])  # fmt: skip
            assert table.frame["rate"].iloc[0] * 1890 / 1e5 == pytest.approx(DEFAULT_POLICY.publish(true))
            report = attack_published({"t": table}, truths={"t": frame[["events"]]})
            assert report.ok, report.summary()


# ---------------------------------------------------------------------------------------------------------
# Percentage × denominator
# ---------------------------------------------------------------------------------------------------------


class TestPercentages:
    def test_23_75_percent_of_80_staff_is_19(self):
        shown = pd.DataFrame({"band": ["8a"], "bme": [20], "staff": [80], "share": [23.75]})
        report = (
            Publication()
            .add_table("bands", shown, keys=["band"], counts=["bme", "staff"],
                       figures=[Percentage("share", "bme", "staff", decimals=2)], figures_from="true",
                       truth=pd.DataFrame({"bme": [19], "staff": [80]}))
            .attack()
        )  # fmt: skip
        assert ("unrounded", "bme", 19) in kinds(report)
        assert all(f.confirmed for f in report.disclosures)

    def test_a_not_stated_share_of_15_people_is_1_person(self):
        shown = pd.DataFrame({"team": ["A"], "not_stated": ["*"], "referred": [15], "share": [6.7]})
        report = (
            Publication()
            .add_table("team", shown, keys=["team"], counts=["not_stated", "referred"],
                       figures=[Percentage("share", "not_stated", "referred")], figures_from="true")
            .attack()
        )  # fmt: skip
        assert ("recovered", "not_stated", 1) in kinds(report)

    def test_the_rule_computes_percentages_from_published_counts(self):
        frame = pd.DataFrame({"band": ["8a", "8b"], "bme": [19, 1], "staff": [80, 15]})
        table = publish_table(frame, counts=["bme", "staff"],
                              figures=[Percentage("share", "bme", "staff", lower="lo", upper="hi")])  # fmt: skip
        assert table.frame["share"].iloc[0] == 25.0  # 20 of 80, not 23.75
        assert table.mask.loc[1, "share"]  # numerator suppressed: share suppressed
        report = attack_published({"bands": table}, truths={"bands": frame[["bme", "staff"]]})
        assert report.ok, report.summary()


# ---------------------------------------------------------------------------------------------------------
# Ratio × reference rate
# ---------------------------------------------------------------------------------------------------------


class TestRatios:
    def test_a_ratio_and_the_reference_count_give_back_a_hidden_count(self):
        rr = (3 / 2000) / (40 / 20_000)
        shown = pd.DataFrame(
            {"black": ["*"], "black_pop": [2000], "white": [40], "white_pop": [20_000], "rr": [rr]}
        )
        report = (
            Publication()
            .add_table("b", shown, counts=["black", "white"], public=["black_pop", "white_pop"],
                       figures=[Ratio("rr", "black", "black_pop", "white", "white_pop")], figures_from="true")
            .attack()
        )  # fmt: skip
        assert ("recovered", "black", 3) in kinds(report)

    def test_the_rule_suppresses_a_ratio_on_a_hidden_count_and_computes_others_from_published_counts(self):
        frame = pd.DataFrame(
            {
                "area": ["a", "b"],
                "black": [3, 27],
                "black_pop": [2000, 3000],
                "white": [40, 41],
                "white_pop": [20_000] * 2,
            }
        )
        table = publish_table(
            frame, counts=["black", "white"], public=["black_pop", "white_pop"],
            figures=[Ratio("rr", "black", "black_pop", "white", "white_pop", lower="lo", upper="hi")],
        )  # fmt: skip
        assert table.mask.loc[0, "rr"]
        assert table.frame.loc[1, "rr"] == round((25 / 3000) / (40 / 20_000), 2)
        report = attack_published({"t": table}, truths={"t": frame[["black", "white"]]})
        assert report.ok, report.summary()


# ---------------------------------------------------------------------------------------------------------
# Broad − Σ detailed, total − Σ parts
# ---------------------------------------------------------------------------------------------------------


def ethnic_tables(broad, detailed):
    return (
        pd.DataFrame({"broad": ["Black"], "n": [broad]}),
        pd.DataFrame(
            {"broad": ["Black"] * 3, "detail": ["Caribbean", "African", "Other Black"], "n": detailed}
        ),
    )


class TestBroadAgainstDetailed:
    link = Rollup("broad", "detailed", on="broad")

    def attack_shown(self, broad, detailed, policy):
        b, d = ethnic_tables(broad, detailed)
        return (
            Publication(policy)
            .add_table("broad", b, keys=["broad"], counts=["n"])
            .add_table("detailed", d, keys=["detail"], counts=["n"])
            .link(self.link)
            .attack()
        )

    def test_black_19_minus_caribbean_9_minus_african_9_is_1(self):
        report = self.attack_shown(19, [9, 9, "*"], EXACT_SMALL)
        assert kinds(report) == [("recovered", "n", 1)]
        assert report.recovered[0].row == {"detail": "Other Black"}

    def test_rounding_alone_does_not_always_protect(self):
        # 17 = 8 + 8 + 1 publishes as 15, 10, 10, *: Black ≤ 17, Caribbean ≥ 8, African ≥ 8, so Other ≤ 1.
        report = self.attack_shown(15, [10, 10, "*"], DEFAULT_POLICY)
        assert kinds(report) == [("recovered", "n", 1)]

    def test_rounding_protects_a_lone_hidden_cell_when_the_intervals_are_wide(self):
        # 23 = 10 + 10 + 3 publishes as 25, 10, 10, *: Other is anything from 0 to 11.
        report = self.attack_shown(25, [10, 10, "*"], DEFAULT_POLICY)
        assert report.ok
        assert [(f.low, f.high) for f in report.narrowed] == [(0, 11)]

    def test_rounded_parts_at_the_edge_of_their_intervals_unround_everything(self):
        # 32 = 8 + 8 + 8 + 8 publishes as 30 = 10 + 10 + 10 + 10: 30 ≤ 32 and each part ≥ 8 pin all five.
        total = pd.DataFrame({"g": ["all"], "n": [30]})
        parts = pd.DataFrame({"g": ["all"] * 4, "q": ["q1", "q2", "q3", "q4"], "n": [10] * 4})
        report = (
            Publication().add_table("total", total, keys=["g"], counts=["n"])
            .add_table("parts", parts, keys=["q"], counts=["n"]).link(Rollup("total", "parts", on="g")).attack()
        )  # fmt: skip
        assert sorted(v for _, _, v in kinds(report)) == [8, 8, 8, 8, 32]

    def test_when_all_other_parts_are_zero_the_hidden_cell_is_the_total(self):
        # Exact publication: the hidden cell is the total, exactly (a small total would itself be hidden).
        report = self.attack_shown(9, [0, 0, "*"], DisclosurePolicy(threshold=5, base=1))
        assert report.ok  # 9 is publishable as it is, so knowing it is no disclosure
        # Rounded publication: the hidden cell is known only as well as the rounded total, 8 to 12.
        report = self.attack_shown(10, [0, 0, "*"], DEFAULT_POLICY)
        assert report.ok
        assert [(f.low, f.high) for f in report.narrowed] == [(8, 12)]
        report = self.attack_shown("*", [0, 0, "*"], DEFAULT_POLICY)
        assert report.ok and not report.narrowed  # both hidden: nothing pins either

    @pytest.mark.parametrize(
        ("broad", "detailed"), [(17, [8, 8, 1]), (19, [9, 9, 1]), (23, [10, 10, 3]), (32, [8, 8, 8, 8])]
    )
    def test_publish_linked_defeats_them(self, broad, detailed):
        labels = ["Caribbean", "African", "Other Black", "Any other"][: len(detailed)]
        b = pd.DataFrame({"broad": ["Black"], "n": [broad]})
        d = pd.DataFrame({"broad": ["Black"] * len(detailed), "detail": labels, "n": detailed})
        tables = {
            "broad": TableSpec(b, ["n"], keys=["broad"]),
            "detailed": TableSpec(d, ["n"], keys=["detail"]),
        }
        published = publish_linked(tables, [self.link])
        report = attack_published(
            published, [self.link], truths={"broad": b[["n"]], "detailed": d[["n"]]},
            keys={"broad": ["broad"], "detailed": ["detail"]},
        )  # fmt: skip
        assert report.ok, report.summary()
        assert not published["detailed"].frame["n"].isin([1, 2, 3, 4]).any()

    def test_a_detailed_table_under_its_broad_totals_in_one_table(self):
        # One table holding both the broad rows and the detailed rows, told apart by a "level" column.
        frame = pd.DataFrame(
            {"level": ["broad", "detail", "detail", "detail"], "broad": ["Black"] * 4,
             "group": ["Black", "Caribbean", "African", "Other Black"], "n": [17, 8, 8, 1]}
        )  # fmt: skip
        link = Rollup("t", "t", on="broad", total_where={"level": "broad"}, parts_where={"level": "detail"})
        published = publish_linked({"t": TableSpec(frame, ["n"], keys=["group"])}, [link])
        assert published["t"].mask["n"].sum() >= 2
        report = attack_published(published, [link], truths={"t": frame[["n"]]}, keys={"t": ["group"]})
        assert report.ok, report.summary()


# ---------------------------------------------------------------------------------------------------------
# Team = service line − other teams
# ---------------------------------------------------------------------------------------------------------


class TestServiceLineMinusOwnWard:
    wards = pd.DataFrame(
        {"service_line": ["Forensic"] * 2, "ward": ["Larch", "Oak"],
         "mech": [2, 9], "seclusions": [14, 32], "bed_days": [5066, 6011]}
    )  # fmt: skip
    line = pd.DataFrame(
        {"service_line": ["Forensic"], "mech": [11], "seclusions": [46], "bed_days": [11_077]}
    )
    counts = ("mech", "seclusions", "bed_days")
    link = Rollup("line", "wards", on="service_line")

    def test_a_champion_sees_the_other_ward_by_subtraction(self):
        # Oak's champion sees Oak and the service line (exact, as before issue 13); Larch is not shown.
        oak = self.wards.copy()
        oak.loc[0, list(self.counts)] = np.nan
        report = (
            Publication(EXACT_SMALL)
            .add_table("wards", oak, keys=["ward"], counts=self.counts, truth=self.wards[list(self.counts)])
            .add_table("line", self.line, keys=["service_line"], counts=self.counts)
            .link(self.link)
            .attack()
        )  # fmt: skip
        assert kinds(report) == [("recovered", "mech", 2)]
        report = (
            Publication()  # rounding to 5 claimed, exact numbers shown: everything un-rounds too
            .add_table("wards", oak, keys=["ward"], counts=self.counts, truth=self.wards[list(self.counts)])
            .add_table("line", self.line, keys=["service_line"], counts=self.counts)
            .link(self.link)
            .attack()
        )  # fmt: skip
        larch = {(f.column, f.value) for f in report.disclosures if f.row == {"ward": "Larch"}}
        assert larch == {("mech", 2), ("seclusions", 14), ("bed_days", 5066)}

    def test_publish_linked_then_showing_one_ward_is_safe(self):
        tables = {
            "wards": TableSpec(self.wards, self.counts, keys=["ward"],
                               figures=[Rate("per_1000", "seclusions", "bed_days", per=1000)]),
            "line": TableSpec(self.line, self.counts, keys=["service_line"],
                              figures=[Rate("per_1000", "seclusions", "bed_days", per=1000)]),
        }  # fmt: skip
        published = publish_linked(tables, [self.link])
        assert published["wards"].frame["bed_days"].tolist() == [5065, 6010]  # bed days are counts: rounded
        champion = published["wards"].filter_rows(published["wards"].frame["ward"] == "Oak")
        # In the champion's view the wards shown no longer cover the line: the link is incomplete.
        seen = Rollup("line", "wards", on="service_line", complete=False)
        for view, link in (({"wards": champion, "line": published["line"]}, seen), (published, self.link)):
            truths = {
                "wards": self.wards[list(self.counts)].loc[view["wards"].frame.index],
                "line": self.line[list(self.counts)],
            }
            report = attack_published(
                view, [link], truths=truths, keys={"wards": ["ward"], "line": ["service_line"]}
            )
            assert report.ok, report.summary()


# ---------------------------------------------------------------------------------------------------------
# Filtered against unfiltered; year on year
# ---------------------------------------------------------------------------------------------------------


class TestDifferencing:
    def test_unfiltered_minus_filtered_gives_the_complement(self):
        everyone = pd.DataFrame({"group": ["Black"], "n": [12]})
        men = pd.DataFrame({"group": ["Black"], "n": [9]})
        report = (
            Publication(EXACT_SMALL)
            .add_table("all", everyone, keys=["group"], counts=["n"])
            .add_table("men", men, keys=["group"], counts=["n"])
            .link(Rollup("all", "men", on="group", complete=False))
            .attack()
        )  # fmt: skip
        assert kinds(report) == [("recovered", "n", 3)]  # women: 3

    def test_year_on_year_change_from_true_counts(self):
        shown = pd.DataFrame({"group": ["Black"], "this_year": [10], "last_year": [5], "change": [7]})
        report = (
            Publication()
            .add_table("t", shown, keys=["group"], counts=["this_year", "last_year"],
                       figures=[Difference("change", "this_year", "last_year")], figures_from="true")
            .attack()
        )  # fmt: skip
        assert sorted(kinds(report)) == [("unrounded", "last_year", 5), ("unrounded", "this_year", 12)]

    def test_year_on_year_change_from_published_counts_reveals_nothing(self):
        frame = pd.DataFrame({"group": ["Black"], "this_year": [12], "last_year": [5]})
        table = publish_table(
            frame, counts=["this_year", "last_year"], figures=[Difference("change", "this_year", "last_year")]
        )
        assert table.frame["change"].tolist() == [5]
        assert attack_published({"t": table}, truths={"t": frame[["this_year", "last_year"]]}).ok

    def test_an_equation_for_quarters_and_their_year(self):
        quarters = pd.DataFrame({"q": ["Q1", "Q2", "Q3", "Q4"], "n": [10, 12, 9, "*"]})
        year = pd.DataFrame({"year": ["2024-25"], "n": [33]})
        terms = [(1, CellRef("year", {"year": "2024-25"}, "n"))] + [
            (-1, CellRef("quarters", {"q": q}, "n")) for q in ["Q1", "Q2", "Q3", "Q4"]
        ]
        report = (
            Publication(EXACT_SMALL)
            .add_table("quarters", quarters, keys=["q"], counts=["n"])
            .add_table("year", year, keys=["year"], counts=["n"])
            .link(Equation(tuple(terms), label="year = Σ quarters"))
            .attack()
        )  # fmt: skip
        assert kinds(report) == [("recovered", "n", 2)]
        assert report.recovered[0].via == ("year = Σ quarters",)


# ---------------------------------------------------------------------------------------------------------
# Turning suppression off is caught; the rule holds on random linked tables
# ---------------------------------------------------------------------------------------------------------


class TestTheCheckHasTeeth:
    def test_publishing_without_suppression_is_caught(self):
        frame = pd.DataFrame({"g": list("abcd"), "n": [2, 40, 17, 0]})
        table = publish_table(frame, counts=["n"], policy=NO_SUPPRESSION, totals=[Totals()])
        report = Publication().add_table("t", table.export_frame(), keys=["g"], counts=["n"]).attack()
        assert [(f.kind, f.value) for f in report.disclosures] == [("shown", 2), ("unrounded", 17)]

    def test_the_default_rule_passes_the_same_check(self):
        frame = pd.DataFrame({"g": list("abcd"), "n": [2, 40, 17, 0]})
        table = publish_table(frame, counts=["n"], totals=[Totals()], check=True)
        report = Publication().add_table("t", table.export_frame(), keys=["g"], counts=["n"], truth=frame[["n"]],
                                         totals=[Totals()]).attack()  # fmt: skip
        assert report.ok, report.summary()

    def test_a_wrong_link_declaration_shows_up_as_inconsistent(self):
        b, d = ethnic_tables(50, [10, 10, 10])  # 50 ≠ 30: the link does not hold
        report = (
            Publication().add_table("broad", b, keys=["broad"], counts=["n"], truth=b[["n"]])
            .add_table("detailed", d, keys=["detail"], counts=["n"], truth=d[["n"]])
            .link(Rollup("broad", "detailed", on="broad")).attack()
        )  # fmt: skip
        assert not report.ok


small = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def hierarchies(draw):
    n_broad = draw(st.integers(1, 3))
    rows = []
    for b in range(n_broad):
        for d in range(draw(st.integers(2, 4))):
            rows.append({"broad": f"B{b}", "detail": f"B{b}-{d}", "n": draw(small), "m": draw(small)})
    return pd.DataFrame(rows)


class TestRuleProperties:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        detailed=hierarchies(), policy=st.sampled_from([DEFAULT_POLICY, EXACT_SMALL, DisclosurePolicy(8, 5)])
    )
    def test_linked_broad_detailed_and_trust_tables_resist_the_attack(self, detailed, policy):
        broad = detailed.groupby("broad", as_index=False)[["n", "m"]].sum()
        trust = broad[["n", "m"]].sum().to_frame().T.assign(trust="T")
        links = [Rollup("broad", "detailed", on="broad"), Rollup("trust", "broad")]
        tables = {
            "detailed": TableSpec(detailed, ["n", "m"], keys=["detail"], totals=[Totals(by=("detail",))]),
            "broad": TableSpec(broad, ["n", "m"], keys=["broad"]),
            "trust": TableSpec(trust, ["n", "m"], keys=["trust"]),
        }
        published = publish_linked(tables, links, policy=policy)
        truths = {"detailed": detailed[["n", "m"]], "broad": broad[["n", "m"]], "trust": trust[["n", "m"]]}
        report = attack_published(
            published, links, truths=truths, keys={"detailed": ["detail"], "broad": ["broad"], "trust": ["trust"]},
            policy=policy,
        )  # fmt: skip
        assert report.ok, report.summary()
        for table in published.values():
            assert not table.frame[["n", "m"]].isin(range(1, policy.threshold)).any().any()
