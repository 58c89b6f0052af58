"""AppTest: the Areas drill-down continues past the borough: a neighbourhood opens by choosing it or by a
map click, shows its rate against the borough, its breakdown by community and the teams that served its
residents, each linking to its team page (for roles that may open it); the whole drill is in the URL."""

from __future__ import annotations

import re

from tests.app.test_areas_page import follow, map_links, open_areas
from tests.conftest import sign_in

LAMBETH = "E09000022"


def _codes(at) -> list[str]:
    """The neighbourhood codes of the borough, from its published table."""
    return [str(c) for c in at.dataframe[0].value["Code"]]


def _subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_choosing_a_neighbourhood_opens_its_community_and_its_teams(app_test):
    at = open_areas(sign_in(app_test(), "equality"), borough=LAMBETH, measure="referrals_rate")
    code = _codes(at)[0]
    at.selectbox(key="areas_msoa_pick").set_value(code).run()
    assert not at.exception, at.exception
    assert at.query_params["msoa"] in (code, [code])
    heads = _subheaders(at)
    assert "(Lambeth): " in heads[1] and heads[1].endswith("everyone, 2025-26")
    assert any(h.startswith("By community in ") for h in heads)
    assert heads[-1] == "Teams serving its residents"
    assert any("This neighbourhood:" in m.value for m in at.markdown)
    links = " ".join(m.value for m in at.markdown if "Open a team" in m.value)
    assert re.search(r"\]\(/my_team\?team=\d+&year=2025-26\)", links)


def test_a_map_click_on_a_neighbourhood_opens_it_and_the_url_restores_it(app_test):
    at = open_areas(sign_in(app_test(), "equality"), borough=LAMBETH)
    code = _codes(at)[1]
    href = next(href for href in map_links(at).values() if f"msoa={code}" in href)
    follow(at, href)
    assert not at.exception
    assert at.query_params["msoa"] in (code, [code])
    again = open_areas(sign_in(app_test(), "equality"), borough=LAMBETH, msoa=code)
    assert again.selectbox(key="areas_msoa_pick").value == code


def test_the_board_sees_the_teams_without_links_to_team_pages(app_test):
    at = open_areas(sign_in(app_test(), "board"), borough=LAMBETH)
    assert "Teams based here" in _subheaders(at)
    assert not any("Open a team" in m.value for m in at.markdown)


def test_the_trust_view_has_its_own_breakdown_by_community(app_test):
    at = open_areas(sign_in(app_test(), "equality"))
    assert "By community, across the trust" in _subheaders(at)
    assert any("White" in str(v) for frame in at.dataframe for v in frame.value.iloc[:, 0])
