"""Area queries on SQLite and PostgreSQL: counts match plain recounts; scope applies; neighbourhoods
add up to their borough."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from data.store import make_engine
from queries import area
from queries.scope import Scope

YEAR = {"a": "2025-04-01", "b": "2026-03-31"}


@pytest.fixture
def engine(any_store_url):
    engine = make_engine(any_store_url)
    yield engine
    engine.dispose()


def _scalar(engine, sql, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def _frame_of(engine, sql: str) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(text(sql))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


class TestAreaCounts:
    def test_borough_detentions_match_a_plain_recount(self, engine):
        frame = area.area_counts(
            engine, Scope.whole_trust(), "mha_detentions_crude_rate", "2025-26"
        ).set_index("area_code")
        for code, row in frame.iterrows():
            expected = _scalar(
                engine,
                "SELECT COUNT(*) FROM mha_episode m JOIN person p ON p.id = m.person_id "
                "WHERE m.legal_status IN (SELECT code FROM legal_status WHERE category = 'detention') AND p.lad_code = :c AND m.start_date BETWEEN :a AND :b",
                c=code,
                **YEAR,
            )
            assert row["events"] == expected, code

    def test_borough_population_is_the_sum_of_its_neighbourhoods(self, engine):
        boroughs = area.area_counts(engine, Scope.whole_trust(), "referrals_rate", "2025-26")
        for code, population in zip(boroughs["area_code"], boroughs["population"], strict=True):
            msoas = area.area_counts(engine, Scope.whole_trust(), "referrals_rate", "2025-26", "msoa", code)
            assert msoas["population"].sum() == population
            parents = _frame_of(engine, "SELECT code, parent_code FROM area WHERE type = 'msoa'")
            own = set(parents.loc[parents["parent_code"] == code, "code"])
            assert set(msoas["area_code"]) == own and all(c.startswith("E02") for c in own)

    def test_one_ethnic_group_uses_that_groups_events_and_population(self, engine):
        everyone = area.area_counts(engine, Scope.whole_trust(), "referrals_rate", "2025-26")
        black = area.area_counts(
            engine, Scope.whole_trust(), "referrals_rate", "2025-26", broad_group="Black"
        )
        assert (black["events"] < everyone["events"]).all()
        assert (black["population"] < everyone["population"]).all()
        expected = _scalar(
            engine,
            "SELECT SUM(p.count) FROM population p JOIN census_ethnic_group g ON g.code = p.census_ethnic_group "
            "WHERE g.nhs_broad_group = 'Black'",
        )
        assert black["population"].sum() == expected

    def test_a_champion_scope_counts_only_their_teams_events(self, engine):
        trust = area.area_counts(engine, Scope.whole_trust(), "referrals_rate", "2025-26")
        one_team = area.area_counts(engine, Scope.teams([13]), "referrals_rate", "2025-26")
        assert one_team["events"].sum() < trust["events"].sum()
        assert area.area_counts(engine, Scope.nothing(), "referrals_rate", "2025-26").empty

    def test_an_unknown_measure_or_level_is_refused(self, engine):
        with pytest.raises(ValueError):
            area.area_counts(engine, Scope.whole_trust(), "no_such_measure", "2025-26")
        with pytest.raises(ValueError):
            area.area_counts(engine, Scope.whole_trust(), "referrals_rate", "2025-26", level="ward")


class TestGroupCounts:
    def test_groups_add_up_to_the_borough_and_unrecorded_have_no_population(self, engine):
        groups = area.group_counts(engine, Scope.whole_trust(), "referrals_rate", "2025-26", "E09000022")
        boroughs = area.area_counts(engine, Scope.whole_trust(), "referrals_rate", "2025-26").set_index(
            "area_code"
        )
        assert groups["events"].sum() == boroughs.loc["E09000022", "events"]
        unrecorded = groups[groups["broad_group"].isin(["Not stated", "Not known"])]
        assert unrecorded["population"].isna().all()

    def test_black_residents_are_detained_more_often_than_white_residents(self, engine):
        groups = area.group_counts(
            engine, Scope.whole_trust(), "mha_detentions_crude_rate", "2025-26"
        ).set_index("broad_group")
        black = groups.loc["Black", "events"] / groups.loc["Black", "population"]
        white = groups.loc["White", "events"] / groups.loc["White", "population"]
        assert black > 2 * white


class TestBoroughTeams:
    def test_only_teams_based_in_the_borough_and_in_scope(self, engine):
        teams = area.borough_teams(engine, Scope.whole_trust(), "E09000022", "2025-26")
        assert teams["name"].str.contains("Lambeth|Ward", regex=True).all()
        assert list(area.borough_teams(engine, Scope.teams([13]), "E09000022", "2025-26")["id"]) == [13]
