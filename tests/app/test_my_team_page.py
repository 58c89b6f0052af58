"""AppTest: a champion's My team shows their team by ethnic group, with suppression and rounding applied,
against their own service line, with the measures that fit the service; nothing of any other team."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data.store import make_engine
from tests.app.test_access import CHAMPION_TEAM, _all_text, visit
from tests.app.test_routing_urls import store_scalar
from tests.conftest import sign_in


@pytest.fixture(scope="module")
def other_team_names(tiny_store_url):
    engine = make_engine(tiny_store_url)
    with engine.connect() as connection:
        names = [
            r[0]
            for r in connection.execute(text("SELECT name FROM team WHERE name <> :n"), {"n": CHAMPION_TEAM})
        ]
    engine.dispose()
    return names


def _counts_are_published(frame, columns):
    for column in columns:
        for value in frame[column]:
            for part in str(value).split(" of "):
                assert part in ("*", "0") or int(part.replace(",", "")) % 5 == 0, (column, value)


def test_the_champion_sees_their_team_by_ethnic_group_with_suppression(app_test, other_team_names):
    at = sign_in(app_test(), "champion")
    assert not at.exception, at.exception
    assert at.title[0].value == "My team"
    summary = at.dataframe[0].value
    groups = at.dataframe[1].value
    assert list(groups["Ethnic group"])[:5] == ["White", "Mixed", "Asian", "Black", "Other"]
    assert "Reference group" in set(groups["Against White people in this team"])
    _counts_are_published(summary, ["Team counts"])
    _counts_are_published(groups, ["Team counts"])
    assert any("against White people in this team" in s.value for s in at.subheader)
    shown = _all_text(at)
    assert CHAMPION_TEAM in shown
    assert not [name for name in other_team_names if name in shown]


def test_a_talking_therapies_team_is_not_judged_on_the_police_route_or_the_community_standard(app_test):
    at = sign_in(app_test(), "champion")
    measures = set(at.dataframe[0].value["Measure"])
    assert not any("police" in m.lower() for m in measures)
    assert not any("waiting" in m.lower() for m in measures)
    assert any("recovery" in m.lower() for m in measures)
    assert any("not a route into it" in c.value for c in at.caption)


def test_choosing_a_measure_and_a_trend_keeps_the_view_in_the_url(app_test):
    at = sign_in(app_test(), "champion")
    options = at.selectbox(key="my_team_measure").options
    at.selectbox(key="my_team_measure").select_index(len(options) - 1).run()
    at.selectbox(key="my_team_trend").select_index(0).run()
    assert not at.exception
    assert at.query_params["measure"] in ([at.selectbox(key="my_team_measure").value],
                                          at.selectbox(key="my_team_measure").value)  # fmt: skip
    assert "trend" in at.query_params


def test_the_equality_lead_can_open_a_ward(app_test, tiny_store_url):
    ward = store_scalar(tiny_store_url, "SELECT id FROM team WHERE setting = 'inpatient' ORDER BY id")
    at = app_test()
    at.query_params["team"] = str(ward)
    at = visit(sign_in(at, "equality"), "my_team")
    assert not at.exception, at.exception
    measures = set(at.dataframe[0].value["Measure"])
    assert any("bed days" in m for m in measures)
    assert not any("Did not attend" in m for m in measures)
