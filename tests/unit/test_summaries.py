"""data.summaries: every ``queries/sql/summary_*.sql`` becomes a table of the same name, rebuilt from
the rows in the store (old rows replaced), in build order; ``missing()`` names the absent ones; and the
demo build and the loader both build them.

The summaries here are temporary SQL files in a folder of the test's own (``data.summaries`` is pointed
at it), so these tests hold whatever summary tables the pages use. They run on SQLite, and on
PostgreSQL when ``EQUALITY_TEST_PG_URL`` names a server (else that case skips, saying so).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data import summaries
from data.store import make_engine
from tests.store.test_load import _load, demo_extracts, small_extracts  # noqa: F401 (fixtures)

EVENTS = "CREATE TABLE event (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, grp VARCHAR(8) NOT NULL)"
#: a summary, and one built after it that reads it (build order is alphabetical)
SUMMARIES = {
    "summary_a_events": "SELECT team_id, grp, COUNT(*) AS events FROM event GROUP BY team_id, grp",
    "summary_b_teams": "-- reads the summary before it\nSELECT team_id, SUM(events) AS events FROM summary_a_events GROUP BY team_id",
}  # fmt: skip


def use_summaries(monkeypatch, folder, sql: dict[str, str]) -> None:
    """Point data.summaries at a folder holding only these summary SQL files."""
    for name, body in sql.items():
        (folder / f"{name}.sql").write_text(body + "\n", encoding="utf-8")
    monkeypatch.setattr(summaries, "SQL_DIR", folder)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """An empty store on each backend (PostgreSQL: a fresh database, dropped afterwards)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        yield engine
        engine.dispose()
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name = f"equality_summaries_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def add_events(engine, rows: list[tuple[int, int, str]]) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO event (id, team_id, grp) VALUES (:id, :team_id, :grp)"),
            [{"id": i, "team_id": team, "grp": grp} for i, team, grp in rows],
        )


def table(engine, name: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(f"SELECT * FROM {name} ORDER BY 1, 2"))]


class TestBuild:
    def test_each_summary_becomes_a_table_of_its_rows_and_a_later_one_reads_an_earlier(
        self, store, tmp_path, monkeypatch
    ):
        use_summaries(monkeypatch, tmp_path, SUMMARIES)
        with store.begin() as connection:
            connection.execute(text(EVENTS))
        add_events(store, [(1, 10, "A"), (2, 10, "A"), (3, 10, "B"), (4, 20, "A")])
        with store.begin() as connection:
            rows = summaries.build(connection)
        assert rows == {"summary_a_events": 3, "summary_b_teams": 2}
        assert table(store, "summary_a_events") == [(10, "A", 2), (10, "B", 1), (20, "A", 1)]
        assert [(team, int(events)) for team, events in table(store, "summary_b_teams")] == [(10, 3), (20, 1)]

    def test_a_rebuild_replaces_the_old_rows(self, store, tmp_path, monkeypatch):
        use_summaries(monkeypatch, tmp_path, SUMMARIES)
        with store.begin() as connection:
            connection.execute(text(EVENTS))
        add_events(store, [(1, 10, "A")])
        with store.begin() as connection:
            summaries.build(connection)
        add_events(store, [(2, 10, "A"), (3, 30, "C")])
        with store.begin() as connection:
            rows = summaries.build(connection)
        assert table(store, "summary_a_events") == [(10, "A", 2), (30, "C", 1)]
        assert rows["summary_a_events"] == 2

    def test_a_failing_summary_rolls_back_the_load_it_is_part_of(self, store, tmp_path, monkeypatch):
        """As in data.load: rows written, then the summaries, in one transaction; one summary fails."""
        broken = {**SUMMARIES, "summary_c_broken": "SELECT no_such_column FROM event"}
        use_summaries(monkeypatch, tmp_path, broken)
        with store.begin() as connection:
            connection.execute(text(EVENTS))
        with pytest.raises(Exception), store.begin() as connection:  # noqa: B017 (the driver's own error)
            connection.execute(text("INSERT INTO event (id, team_id, grp) VALUES (1, 10, 'A')"))
            summaries.build(connection)
        assert table(store, "event") == []
        assert summaries.missing(store) == sorted(broken)


class TestMissing:
    def test_names_the_absent_summaries_until_they_are_built(self, store, tmp_path, monkeypatch):
        use_summaries(monkeypatch, tmp_path, SUMMARIES)
        with store.begin() as connection:
            connection.execute(text(EVENTS))
        assert summaries.missing(store) == ["summary_a_events", "summary_b_teams"]
        with store.begin() as connection:
            connection.execute(text(f"CREATE TABLE summary_a_events AS {SUMMARIES['summary_a_events']}"))
        assert summaries.missing(store) == ["summary_b_teams"]
        with store.begin() as connection:
            summaries.build(connection)
        assert summaries.missing(store) == []

    def test_a_badly_named_summary_file_is_refused(self, tmp_path, monkeypatch):
        use_summaries(monkeypatch, tmp_path, {"summary_Bad-name": "SELECT 1"})
        with pytest.raises(ValueError, match="Bad summary name"):
            summaries.summary_names()


class TestSqlServerStatement:
    def test_ctes_stay_in_front_of_select_into(self, tmp_path, monkeypatch):
        use_summaries(monkeypatch, tmp_path, {"summary_x": "WITH a AS (SELECT '(' AS p, 1 AS n), b AS (SELECT n FROM a)\nSELECT n FROM b"})  # fmt: skip
        statement = summaries.create_statement("summary_x", "mssql")
        assert statement == (
            "WITH a AS (SELECT '(' AS p, 1 AS n), b AS (SELECT n FROM a)\n"
            "SELECT * INTO summary_x FROM (SELECT n FROM b) AS summary_rows"
        )
        assert summaries.create_statement("summary_x", "sqlite").startswith(
            "CREATE TABLE summary_x AS WITH a"
        )


REFERRALS_BY_TEAM = {
    "summary_test_referrals": "SELECT team_id, COUNT(*) AS referrals FROM referral GROUP BY team_id"
}


def referrals_match(url: str) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        total = connection.execute(text("SELECT COUNT(*) FROM referral")).scalar_one()
        summed = connection.execute(text("SELECT SUM(referrals) FROM summary_test_referrals")).scalar_one()
    assert summaries.missing(engine) == []
    engine.dispose()
    assert total > 0 and summed == total


class TestTheDemoAndTheLoaderBuildThem:
    def test_the_demo_build_leaves_every_summary_built_from_its_records(self, tmp_path, monkeypatch):
        from data.demo import build_demo

        use_summaries(monkeypatch, tmp_path, REFERRALS_BY_TEAM)
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        engine = make_engine(url)
        build_demo(engine, scale="tiny", seed=7)
        engine.dispose()
        referrals_match(url)

    def test_a_load_builds_every_summary_in_its_transaction(self, tmp_path, monkeypatch, request):
        extracts = request.getfixturevalue("small_extracts")  # tests/store/test_load.py's fixture
        use_summaries(monkeypatch, tmp_path, REFERRALS_BY_TEAM)
        url = f"sqlite:///{tmp_path / 'store.db'}"
        assert _load(url, "--extracts", str(extracts)) == 0
        referrals_match(url)
