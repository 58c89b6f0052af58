"""My team's disclosure control on the tiny store: a champion of a ward whose service line has only two
wards never sees that service line's ward measures (service line minus their ward would be the other
ward: the Larch Ward leak of issue 13), and what the team page and the Areas drill-down publish survives
the attack engine as exported (CSV values), with the links between levels declared."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data.store import make_engine
from measures.attacks import Publication
from measures.disclosure import Rollup
from queries.scope import Scope
from reports import areas, team
from reports.settings import policy


@pytest.fixture(scope="module")
def engine(tiny_store_url):
    engine = make_engine(tiny_store_url)
    yield engine
    engine.dispose()


def _one(engine, sql: str):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_a_ward_champion_never_sees_a_two_ward_service_line_for_ward_measures(engine):
    ward = _one(
        engine, "SELECT id FROM team WHERE service_line = 'Forensic' AND setting = 'inpatient' ORDER BY id"
    )
    wards = _one(
        engine, "SELECT COUNT(*) FROM team WHERE service_line = 'Forensic' AND setting = 'inpatient'"
    )
    assert wards == 2
    result = team.comparison(engine, Scope.teams([ward]), ward, "2025-26", champion=True)
    ward_measures = [m for m in result.measures if team.per_bed_day(m)]
    assert ward_measures and set(ward_measures) <= set(result.service_line_hidden)
    obd = result.tables["obd"].frame
    assert "service_line" not in set(obd["level"])
    assert set(result.summary.loc[result.summary["Measure"].str.contains("bed days"), "Service line"]) == {
        "not shown"
    }
    # an equality lead (who may see every team) is shown the service line
    lead = team.comparison(engine, Scope.whole_trust(), ward, "2025-26", champion=False)
    assert not lead.service_line_hidden


def test_the_team_page_as_exported_survives_the_attack(engine):
    own = _one(engine, "SELECT team_id FROM app_user_team WHERE username = 'champion'")
    scope = Scope.teams([own])
    overview = team.comparison(engine, scope, own, "2025-26", champion=True)
    measure = overview.measures[0]
    groups = team.breakdown(engine, scope, own, "2025-26", measure, True, overview.hidden_cells(measure))
    assert groups.table is not None
    publication = Publication(policy())
    keys = ["measure_id", "level", "kind", "group"]
    publication.add_published("overview", overview.tables["pct"], keys=keys)
    publication.add_published("groups", groups.table, keys=keys)
    publication.add_published("detailed", groups.detailed, keys=["measure_id", "level", "code"])
    for name in ("overview", "groups"):
        publication.link(
            Rollup(name, name, on=["measure_id", "kind", "group"], total_where={"level": "service_line"},
                   parts_where={"level": "team"}, complete=False),
            Rollup(name, name, on=["measure_id", "kind", "group"], total_where={"level": "trust"},
                   parts_where={"level": "service_line"}, complete=False),
        )  # fmt: skip
    publication.link(
        Rollup("groups", "groups", on=["measure_id", "level"], total_where={"kind": "all"}, parts_where={"kind": "broad"}),
        Rollup("groups", "detailed", on={"measure_id": "measure_id", "level": "level", "broad_group": "group"},
               total_where={"kind": "broad"}),
    )  # fmt: skip
    report = publication.attack()
    assert report.ok, report.summary()
    for table in (overview.tables["pct"], groups.table, groups.detailed):
        for column in ("numerator", "denominator"):
            shown = table.frame[column].dropna().astype(int)
            assert ((shown == 0) | (shown % 5 == 0)).all()


def test_a_boroughs_neighbourhoods_and_the_borough_survive_the_attack_together(engine):
    rates = areas.area_table(engine, Scope.whole_trust(), "cto_crude_rate", "2025-26", level="msoa",
                             borough="E09000022")  # fmt: skip
    assert rates.total is not None
    publication = Publication(policy())
    publication.add_published("msoas", rates.table, keys=["area_code"])
    publication.add_published("borough", rates.total, keys=["area_code"])
    publication.link(Rollup("borough", "msoas"))
    report = publication.attack()
    assert report.ok, report.summary()
    assert rates.table.suppressed_any  # the tiny store has neighbourhoods with 1 to 4 CTOs
