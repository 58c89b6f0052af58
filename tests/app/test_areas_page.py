"""AppTest for the Areas page: board and equality leads see it, an injected map click drills down,
the URL restores the drill state, a keyboard path exists, and suppressed areas are labelled."""

from __future__ import annotations

import pytest
from streamlit.util import calc_hash

from tests.conftest import sign_in


def open_areas(at, **params):
    for key, value in params.items():
        at.query_params[key] = value
    at._page_hash = calc_hash("areas")  # as a browser opening /areas
    return at.run()


@pytest.mark.parametrize("username", ["board", "equality"])
def test_renders_the_borough_map_for_board_and_equality_leads(app_test, username):
    at = open_areas(sign_in(app_test(), username))
    assert not at.exception
    assert at.title[0].value == "Areas"
    assert at.get("deck_gl_json_chart"), "no map drawn"
    assert any("highest rate is in" in m.value for m in at.markdown)


def test_an_injected_map_selection_opens_that_boroughs_drill_down(app_test):
    at = open_areas(sign_in(app_test(), "equality"))
    at.session_state["areas_borough_map"] = {
        "selection": {
            "indices": {},
            "objects": {"areas_borough_map-areas": [{"properties": {"code": "E09000022"}}]},
        }
    }
    at.run()
    assert not at.exception
    assert at.query_params["borough"] in ("E09000022", ["E09000022"])
    assert at.subheader[0].value.startswith("Lambeth:")
    assert [s.value for s in at.subheader][1:] == ["By community", "Teams based here"]


def test_the_url_restores_the_drill_state(app_test):
    at = open_areas(
        sign_in(app_test(), "board"), borough="E09000023", measure="referrals_rate", year="2024-25"
    )
    assert not at.exception
    assert at.subheader[0].value.startswith("Lewisham: Referrals")
    assert "2024-25" in at.subheader[0].value


def test_the_keyboard_path_is_a_select_box(app_test):
    at = open_areas(sign_in(app_test(), "equality"))
    at.selectbox(key="areas_borough_pick").set_value("E09000028").run()
    assert at.subheader[0].value.startswith("Southwark:")
    at.button(key="areas_back").click().run()
    assert "borough" not in at.query_params


def test_suppressed_neighbourhoods_are_labelled_and_show_no_count(app_test):
    at = open_areas(sign_in(app_test(), "equality"), borough="E09000022", measure="cto_crude_rate")
    assert not at.exception
    legend = " ".join(m.value for m in at.markdown)
    assert "Suppressed" in legend
    table = at.dataframe[0].value
    events = table["Events"].astype(str)
    assert "*" in set(events)
    shown = [int(v.replace(",", "")) for v in events if v not in ("*", "")]
    assert all(v == 0 or v >= 5 for v in shown)


def test_an_unknown_borough_in_the_url_is_ignored_with_a_warning(app_test):
    at = open_areas(sign_in(app_test(), "equality"), borough="E09999999' OR 1=1")
    assert any("unknown borough" in w.value for w in at.warning)
    assert at.subheader[0].value.startswith("Mental Health Act")
