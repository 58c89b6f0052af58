"""Service access by priority community, on the tiny store: nothing hidden that need not be, and nothing
shown that gives a small count away.

Found in review: with "Compare by: priority communities" the police-route count of "Black men aged 18 to
34" (18 of 99 referrals in 2025-26) was shown as "*", and so were the trust's own police and A&E counts
and every community's. The cause was the sign of the "community + everyone else = trust" equations
(written with the parts positive, which secondary suppression reads as totals), so Chinese (police 1)
hid the trust's police count, which hid every community's, which hid each one's A&E count. The
adversarial half attacks the communities view together with the views a reader can set it against: the
same groups by ethnic group, detailed ethnic group, sex and age band, and the intersection of ethnic
group, sex and age band for people referred and for the police route. A companion test publishes without
suppression and expects the same attack to fail."""

from __future__ import annotations

import pandas as pd

from measures.disclosure import NO_SUPPRESSION, CellRef, Equation
from queries.scope import Scope
from reports import access
from reports.common import forget_kept
from tests.store.test_access_disclosure import publish_views

TRUST = Scope.whole_trust()
YEAR = "2025-26"  # the page's default year on the tiny store: Black men aged 18 to 34, police 18 of 99
BLACK_MEN = "Black men aged 18 to 34"
ROUTES = ("referrals", *access.SOURCES)
PEOPLE = ("people_referred", "people_accepted", "people_seen", *ROUTES)


def communities_view(engine):
    forget_kept()
    return access.report(engine, TRUST, YEAR, characteristic="communities")


def hidden(table, columns) -> set[tuple[str, str]]:
    frame = table.frame
    return {(str(frame.loc[i, "group"]), c) for c in columns for i in frame.index[table.mask[c]]}


class TestNothingIsHiddenThatNeedNotBe:
    def test_black_men_aged_18_to_34_show_their_police_route(self, tiny_engine):
        figures = communities_view(tiny_engine)
        row = figures.people.frame.set_index("group").loc[BLACK_MEN]
        assert not hidden(figures.people, ROUTES) & {(BLACK_MEN, c) for c in ROUTES}
        assert (row["source_police"], row["referrals"]) == (20, 100)  # 18 of 99, rounded
        assert row["police_pct"] == 20.0  # from the published counts
        assert not pd.isna(row["police_pct_ratio"])

    def test_the_trust_shows_every_route(self, tiny_engine):
        everyone = communities_view(tiny_engine).everyone
        assert not hidden(everyone, ROUTES), "no count of everyone's routes is small"
        assert everyone.frame.loc[0, "source_police"] == 240 and everyone.frame.loc[0, "source_ae"] == 205

    def test_only_communities_with_a_small_route_count_hide_routes(self, tiny_engine):
        figures = communities_view(tiny_engine)
        table = figures.people
        small = {
            str(table.frame.loc[i, "group"]) for c in ROUTES for i in table.frame.index[table.primary[c]]
        }
        assert small == {"Chinese", "Eastern European", "Pakistani"}
        assert {group for group, _ in hidden(table, ROUTES)} == small
        # each of them hides its small counts and at most one more route (so no route can be worked out
        # from the referrals): nothing like the old cascade through everyone's police and A&E counts
        for group in small:
            primary = {c for c in ROUTES if table.primary.loc[table.frame["group"] == group, c].any()}
            assert len({c for g, c in hidden(table, ROUTES) if g == group} - primary) <= 1, group


# --------------------------------------------------------------------------- the attack


VIEWS = {
    "communities": (access.report, {"financial_year": YEAR, "characteristic": "communities"}),
    "broad": (access.report, {"financial_year": YEAR, "characteristic": "broad_group"}),
    "detailed": (access.report, {"financial_year": YEAR, "characteristic": "ethnic_category"}),
    "sex": (access.report, {"financial_year": YEAR, "characteristic": "sex"}),
    "age": (access.report, {"financial_year": YEAR, "characteristic": "age_band"}),
    "cross": (access.intersections, {"financial_year": YEAR, "dims": ("broad_group", "sex", "age_band"),
                                     "measure": "people_referred"}),
    "cross_police": (access.intersections, {"financial_year": YEAR, "dims": ("broad_group", "sex", "age_band"),
                                            "measure": "police"}),
}  # fmt: skip


def _same(community: str, parts: list[tuple[str, dict]], columns) -> list[Equation]:
    """A community's count is the sum of the cells of another view that it is made of."""
    return [
        Equation(((1, CellRef("communities0:communities", {"group": community}, c)),
                  *((-1, CellRef(table, row, c)) for table, row in parts)), label=f"{community} = {parts}")
        for c in columns
    ]  # fmt: skip


def reader_links(views) -> list[Equation]:
    """What a reader knows across the views: each community is a group, or the sum of groups, of another."""
    links = []
    if "broad" in views:
        links += _same("Black", [("broad0:groups", {"key": "Black"})], PEOPLE)
    if "detailed" in views:
        links += _same("Chinese", [("detailed0:detailed", {"broad_group": "Other", "key": "R"})], PEOPLE)
        links += _same("Pakistani", [("detailed0:detailed", {"broad_group": "Asian", "key": "J"})], PEOPLE)
    if "sex" in views:
        links += _same("Men", [("sex0:groups", {"key": "M"})], PEOPLE)
    if "age" in views:
        links += _same("Aged 55 and over", [("age0:groups", {"key": b}) for b in ("55-64", "65+")], PEOPLE)
    cells = [{"broad_group": "Black", "sex": "M", "age_band": b} for b in ("18-24", "25-34")]
    if "cross" in views:
        links += _same(BLACK_MEN, [("cross0:cells", cell) for cell in cells], ["people_referred"])
    if "cross_police" in views:
        links += _same(
            BLACK_MEN, [("cross_police0:cells", cell) for cell in cells], ["source_police", "referrals"]
        )
    return links


def attack(engine, views=VIEWS):
    publication, _ = publish_views(engine, views)
    publication.link(*reader_links(views))
    return publication.attack()


def test_nothing_small_or_unrounded_can_be_worked_out_by_community(tiny_engine):
    report = attack(tiny_engine)
    assert not report.contradictions, report.contradictions
    assert report.ok, report.summary()


def test_the_check_fails_when_suppression_is_off(tiny_engine, monkeypatch):
    monkeypatch.setattr(access, "policy", lambda: NO_SUPPRESSION)
    report = attack(tiny_engine, {"communities": VIEWS["communities"], "cross_police": VIEWS["cross_police"]})
    assert not report.ok
    assert any(f.kind in ("shown", "unrounded") for f in report.disclosures)
