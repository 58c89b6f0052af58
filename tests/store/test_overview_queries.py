"""Home-page queries on SQLite and PostgreSQL: results, scope, and an independent recomputation."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data.store import make_engine
from queries import overview
from queries.runner import load_sql, run_query
from queries.scope import Scope


@pytest.fixture
def engine(any_store_url):
    engine = make_engine(any_store_url)
    yield engine
    engine.dispose()


def _latest_year(engine) -> str:
    return overview.financial_years(engine, Scope.whole_trust())["financial_year"].iloc[-1]


LATEST = {"a": "2025-04-01", "b": "2026-03-31"}  # the demo's latest financial year, 2025-26


class TestHeadlineCounts:
    def test_referrals_match_a_plain_count_of_the_year(self, engine):
        year = _latest_year(engine)
        with engine.connect() as connection:
            expected = connection.execute(
                text("SELECT COUNT(*) FROM referral WHERE received_date BETWEEN :a AND :b"),
                LATEST,
            ).scalar()
        assert overview.headline_counts(engine, Scope.whole_trust(), year)["referrals"] == expected

    def test_detentions_count_only_the_detention_category(self, engine):
        year = _latest_year(engine)
        with engine.connect() as connection:
            expected = connection.execute(
                text(
                    "SELECT COUNT(*) FROM mha_episode WHERE legal_status IN (SELECT code FROM legal_status WHERE category = 'detention') "
                    "AND start_date BETWEEN :a AND :b"
                ),
                LATEST,
            ).scalar()
        assert overview.headline_counts(engine, Scope.whole_trust(), year)["detentions"] == expected

    def test_a_team_scope_sees_only_that_team(self, engine):
        year = _latest_year(engine)
        with engine.connect() as connection:
            expected = connection.execute(
                text("SELECT COUNT(*) FROM referral WHERE team_id = 3 AND received_date BETWEEN :a AND :b"),
                LATEST,
            ).scalar()
        counts = overview.headline_counts(engine, Scope.teams([3]), year)
        assert counts["referrals"] == expected
        assert counts["referrals"] < overview.headline_counts(engine, Scope.whole_trust(), year)["referrals"]

    def test_an_empty_scope_sees_nothing(self, engine):
        counts = overview.headline_counts(engine, Scope.nothing(), _latest_year(engine))
        assert counts == {"people_in_contact": 0, "referrals": 0, "detentions": 0, "staff": 0}


class TestReferenceQueries:
    def test_boroughs_are_the_configured_four_with_their_neighbourhoods(self, engine):
        frame = overview.boroughs(engine, Scope.whole_trust())
        assert list(frame["name"]) == ["Croydon", "Lambeth", "Lewisham", "Southwark"]
        assert (frame["neighbourhoods"] > 20).all()

    def test_financial_years_run_april_to_march(self, engine):
        years = overview.financial_years(engine, Scope.whole_trust())
        assert list(years["financial_year"]) == ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
        assert str(years["first_day"].iloc[0]) == "2021-04-01"
        assert str(years["last_day"].iloc[-1]) == "2026-03-31"


class TestRunner:
    def test_a_query_without_a_scope_is_refused(self, engine):
        with pytest.raises(PermissionError):
            run_query(engine, "boroughs", None)

    def test_query_names_cannot_walk_out_of_the_sql_folder(self):
        with pytest.raises(ValueError):
            load_sql("../data/schema")

    def test_parameters_in_comments_are_not_bound(self):
        statement = load_sql("headline_counts")
        assert set(statement.compile().params) == {"financial_year", "scope_all", "scope_team_list"}

    def test_hostile_values_are_bound_not_spliced(self, engine):
        hostile = "2025-26'; DROP TABLE referral; --"
        counts = overview.headline_counts(engine, Scope.whole_trust(), hostile)
        assert counts["referrals"] == 0
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM referral")).scalar() > 0
