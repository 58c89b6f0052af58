"""The query layer enforces scope, on SQLite and PostgreSQL: no scope, no query; a champion's scope
returns only their team's rows; the shared cache keys on the scope."""

from __future__ import annotations

import inspect

import pytest
from sqlalchemy import text

from data.store import make_engine
from queries import overview, quality, team
from queries.scope import Scope

QUERY_MODULES = (overview, team, quality)
EXAMPLE_PARAMS = {
    "financial_year": "2025-26",
    "team_id": 1,
    "standard_days": 28,
    "measure_id": "dna_rate_pct",
}


def _query_functions():
    for module in QUERY_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield function


@pytest.fixture
def engine(any_store_url):
    engine = make_engine(any_store_url)
    yield engine
    engine.dispose()


def _team_ids(engine) -> list[int]:
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT id FROM team ORDER BY id"))]


def _call(function, engine, scope):
    wanted = inspect.signature(function).parameters
    return function(engine, scope, **{k: v for k, v in EXAMPLE_PARAMS.items() if k in wanted})


class TestEveryQueryNeedsAScope:
    @pytest.mark.parametrize(
        "function", list(_query_functions()), ids=lambda f: f"{f.__module__}.{f.__name__}"
    )
    @pytest.mark.parametrize("bad_scope", [None, "trust", {"trust_wide": True}], ids=["none", "text", "dict"])
    def test_refuses_to_run_without_a_real_scope(self, engine, function, bad_scope):
        with pytest.raises(PermissionError):
            _call(function, engine, bad_scope)

    def test_the_scope_is_a_required_argument_of_every_query_function(self):
        for function in _query_functions():
            parameters = list(inspect.signature(function).parameters.values())
            assert parameters[1].name == "scope" and parameters[1].default is inspect.Parameter.empty, (
                function
            )


class TestChampionScope:
    def test_teams_in_scope_are_only_the_champions_teams(self, engine):
        first, second = _team_ids(engine)[:2]
        assert list(team.teams_in_scope(engine, Scope.teams([first]))["id"]) == [first]
        assert set(team.teams_in_scope(engine, Scope.teams([first, second]))["id"]) == {first, second}
        assert team.teams_in_scope(engine, Scope.nothing()).empty

    def test_team_comparison_of_another_team_returns_nothing(self, engine):
        mine, other = _team_ids(engine)[:2]
        assert not team.team_comparison(engine, Scope.teams([mine]), mine, "2025-26", 28).empty
        assert team.team_comparison(engine, Scope.teams([mine]), other, "2025-26", 28).empty
        assert team.team_comparison(engine, Scope.nothing(), mine, "2025-26", 28).empty

    def test_team_comparison_returns_one_team_row_per_measure_and_only_that_team(self, engine):
        mine = _team_ids(engine)[4]  # a Talking Therapies team in the demo
        frame = team.team_comparison(engine, Scope.teams([mine]), mine, "2025-26", 28)
        team_rows = frame[frame["level"] == "team"]
        assert team_rows["measure_id"].is_unique
        assert set(frame["level"]) == {"team", "service_line", "trust"}

    def test_dna_rate_counts_match_a_plain_recount(self, engine):
        mine = _team_ids(engine)[4]
        frame = team.team_comparison(engine, Scope.teams([mine]), mine, "2025-26", 28)
        row = frame[(frame["level"] == "team") & (frame["measure_id"] == "dna_rate_pct")].iloc[0]
        with engine.connect() as connection:
            dna, booked = connection.execute(
                text(
                    "SELECT SUM(dna_count), SUM(dna_count + attended_count) FROM referral "
                    "WHERE team_id = :t AND received_date BETWEEN :a AND :b"
                ),
                {"t": mine, "a": "2025-04-01", "b": "2026-03-31"},
            ).one()
        assert (row["numerator"], row["denominator"]) == (dna, booked)

    def test_team_groups_and_quarters_of_another_team_return_nothing(self, engine):
        mine, other = _team_ids(engine)[:2]
        for function, params in ((team.team_groups, ("2025-26", 28)), (team.team_quarters, (28,))):
            assert not function(engine, Scope.teams([mine]), mine, *params).empty
            assert function(engine, Scope.teams([mine]), other, *params).empty
            assert function(engine, Scope.nothing(), mine, *params).empty

    def test_team_groups_add_up_to_the_team_comparison(self, engine):
        mine = _team_ids(engine)[4]
        groups = team.team_groups(engine, Scope.teams([mine]), mine, "2025-26", 28)
        totals = team.team_comparison(engine, Scope.teams([mine]), mine, "2025-26", 28)
        summed = groups.groupby(["level", "measure_id"])[["numerator", "denominator"]].sum()
        for _, row in totals[totals["measure_id"] != "ethnicity_recorded_pct"].iterrows():
            assert tuple(summed.loc[(row["level"], row["measure_id"])]) == (
                row["numerator"],
                row["denominator"],
            )

    def test_a_champion_reads_only_their_teams_recording_and_no_trust_or_borough_rows(self, engine):
        mine = _team_ids(engine)[4]
        rows = quality.people_recorded(engine, Scope.teams([mine]), "year")
        assert set(rows["level"]) == {"team"} and set(rows["team_id"].astype(int)) == {mine}
        everyone = quality.people_recorded(engine, Scope.whole_trust(), "year")
        assert set(everyone["level"]) == {"team", "service_line", "borough", "trust"}
        team_funnel = team.team_measure_totals(engine, Scope.teams([mine]), "dna_rate_pct", "2025-26", 28)
        assert list(team_funnel["team_id"]) == [mine]


class TestSharedCache:
    def test_the_same_cached_query_with_two_scopes_gives_two_answers(self, app_env, tiny_engine):
        from components.store import fetch

        first, second = _team_ids(tiny_engine)[:2]
        one = fetch(team.teams_in_scope, Scope.teams([first]))
        two = fetch(team.teams_in_scope, Scope.teams([second]))
        everyone = fetch(team.teams_in_scope, Scope.whole_trust())
        assert list(one["id"]) == [first]
        assert list(two["id"]) == [second]
        assert len(everyone) > 2
