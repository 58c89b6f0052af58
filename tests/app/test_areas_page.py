"""AppTest for the Areas page: board and equality leads see it, each area on the map is a link that
drills down, the URL restores the drill state, a keyboard path exists, and suppressed areas are
labelled."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

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
    assert map_links(at), "no map drawn, or its areas are not links"
    assert any("highest rate is in" in m.value for m in at.markdown)


def map_links(at) -> dict[str, str]:
    """Each linked area of the SVG map on the page: its tooltip (name and figure) → the link's URL."""
    found = {}
    for markdown in at.markdown:
        if 'class="area-map"' in markdown.value:
            for href, tooltip in re.findall(
                r'<a href="([^"]+)" target="_self" aria-label="Open ([^"]+)">', markdown.value
            ):
                found[tooltip.replace("&amp;", "&")] = href.replace("&amp;", "&")
    return found


def follow(at, href: str):
    """Open a map link as the browser does: the page again, with the link's query string only."""
    for key in list(at.query_params):
        del at.query_params[key]
    return open_areas(at, **dict(parse_qsl(urlsplit(href).query)))


def test_clicking_a_borough_opens_its_drill_down_and_a_neighbourhood_its_own(app_test):
    at = open_areas(sign_in(app_test(), "equality"), measure="referrals_rate", year="2024-25")
    links = map_links(at)
    lambeth = next(href for tooltip, href in links.items() if tooltip.startswith("Lambeth: "))
    assert dict(parse_qsl(urlsplit(lambeth).query)) == {"measure": "referrals_rate", "year": "2024-25", "group": "All",
                                                        "borough": "E09000022"}  # fmt: skip
    follow(at, lambeth)
    assert not at.exception
    assert at.subheader[0].value.startswith("Lambeth: Referrals")
    assert [s.value for s in at.subheader][1:] == ["By community", "Teams based here"]

    neighbourhoods = map_links(at)
    assert len(neighbourhoods) > 10, "every drawn neighbourhood of Lambeth is a link"
    tooltip, href = next(iter(neighbourhoods.items()))
    follow(at, href)
    assert not at.exception
    name = tooltip.split(": ")[0]
    assert at.subheader[1].value.startswith(f"{name} (Lambeth): Referrals"), at.subheader[1].value


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
