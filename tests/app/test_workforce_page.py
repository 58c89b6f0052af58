"""AppTest for the Workforce page: board members and equality leads see every tab (each opened from its
URL), the WRES sentences and the board's suppression, a borough in the URL opens its teams, every filter
applies to a figure or the figure says it does not, the equality lead's question 4 ("does our band 8a+
workforce reflect Croydon's population?") is answered within three interactions, and no count from 1 to 4
is shown anywhere the page renders."""

from __future__ import annotations

import re

import pytest
from streamlit.util import calc_hash

from tests.conftest import sign_in

#: Column labels that hold counts of people on this page.
COUNT_WORDS = ("staff", "members", "events", "out of", "respondents", "champions", "white staff", "bme staff")
TABS = ["Bands", "WRES 2–4 and 9", "By borough", "Other characteristics", "Trend and targets", "Champions"]
SLUGS = ["bands", "wres", "boroughs", "characteristics", "trend", "champions"]
CROYDON = "E09000008"


def open_workforce(at, **params):
    for key, value in params.items():
        at.query_params[key] = value
    at._page_hash = calc_hash("workforce")
    return at.run()


def count_columns(frame):
    return [
        c for c in frame.columns if any(word in str(c).lower() for word in COUNT_WORDS) and "%" not in str(c)
    ]


def shown_counts(at):
    """Every value in a count column of every table the page renders."""
    for element in at.dataframe:
        frame = element.value
        for column in count_columns(frame):
            for value in frame[column].astype(str):
                yield column, value


def texts(at) -> str:
    return " ".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    )


def param(at, name):
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("username", ["board", "equality"])
class TestTheWorkforcePageRenders:
    def test_the_default_tab_renders_its_chart_and_sentences(self, app_test, username):
        at = open_workforce(sign_in(app_test(), username))
        assert not at.exception, at.exception
        assert at.title[0].value == "Workforce"
        assert [t.label for t in at.tabs] == TABS
        assert at.get("vega_lite_chart"), "band chart"
        assert "working-age residents" in texts(at)
        assert param(at, "tab") == "bands", "the open tab is in the URL"

    def test_the_wres_sentences_and_the_board_figure_are_stated(self, app_test, username):
        at = open_workforce(sign_in(app_test(), username), tab="wres")
        assert not at.exception, at.exception
        text = texts(at)
        for indicator in ("WRES 2", "WRES 3", "WRES 4"):
            assert indicator in text
        assert "WRES 9 is suppressed" in text, "the demo board has 2 BME voting members"


class TestEveryTab:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_each_tab_opens_from_its_url_and_shows_no_count_from_1_to_4(self, app_test, slug):
        at = open_workforce(sign_in(app_test(), "equality"), tab=slug)
        assert not at.exception, at.exception
        assert param(at, "tab") == slug
        values = list(shown_counts(at))
        bad = [(c, v) for c, v in values if v not in ("*", "") and 1 <= int(v.replace(",", "")) <= 4]
        assert not bad, bad
        if slug == "boroughs":
            assert at.get("deck_gl_json_chart"), "no borough map"
        if slug == "trend":
            assert at.get("vega_lite_chart"), "no trend chart"
        text = texts(at)
        people = r"(?<!to )(?<!WRES )\b[1-4]\s+(?:of\s+[\d,]+\s+)?(?:staff|people|members|voting|champions?|applicants|BME|White)\b"
        assert not re.findall(people, text)
        assert not re.findall(r"\*\*[1-4]\*\*\s+champions", text)

    def test_each_broad_group_by_band_opens_on_request(self, app_test):
        at = open_workforce(sign_in(app_test(), "equality"))
        assert not any("Mixed staff" in d.value.columns for d in at.dataframe)
        at.toggle(key="workforce_show_groups").set_value(True).run()
        assert not at.exception, at.exception
        groups = next(d.value for d in at.dataframe if "Mixed staff" in d.value.columns)
        assert {"White %", "Black %", "Asian %"} <= set(groups.columns)
        values = [v for c in count_columns(groups) for v in groups[c].astype(str)]
        assert not [v for v in values if v not in ("*", "") and 1 <= int(v.replace(",", "")) <= 4]

    def test_the_tiny_store_has_hidden_cells(self, app_test):
        at = open_workforce(sign_in(app_test(), "equality"), tab="characteristics")
        assert any(v == "*" for _, v in shown_counts(at)), "the tiny store has small cells"


class TestFilters:
    def test_a_borough_in_the_url_opens_its_teams(self, app_test):
        at = open_workforce(
            sign_in(app_test(), "equality"),
            borough="E09000022",
            staff="clinical",
            year="2024-25",
            tab="boroughs",
        )
        assert not at.exception
        assert any(s.value.startswith("Teams working in Lambeth") for s in at.subheader)
        assert at.selectbox(key="workforce_year").value == "2024-25"
        assert at.selectbox(key="workforce_staff").value == "clinical"

    def test_an_injected_map_click_opens_that_borough(self, app_test):
        at = open_workforce(sign_in(app_test(), "board"), tab="boroughs")
        at.session_state["workforce_borough_map"] = {
            "selection": {
                "indices": {},
                "objects": {"workforce_borough_map-areas": [{"properties": {"code": "E09000023"}}]},
            }
        }
        at.run()
        assert not at.exception
        assert param(at, "borough") == "E09000023"
        assert any(s.value.startswith("Teams working in Lewisham") for s in at.subheader)

    def test_an_unknown_staff_filter_in_the_url_falls_back_with_a_warning(self, app_test):
        at = open_workforce(sign_in(app_test(), "equality"), staff="everyone' OR 1=1")
        assert any("unknown staff" in w.value for w in at.warning)
        assert at.selectbox(key="workforce_staff").value == "all"

    @pytest.mark.parametrize("slug", ["wres", "champions"])
    def test_trust_wide_tabs_say_the_filters_do_not_apply(self, app_test, slug):
        at = open_workforce(sign_in(app_test(), "equality"), tab=slug, borough=CROYDON, staff="clinical")
        assert "filters do not apply" in " ".join(c.value for c in at.caption)

    def test_the_trend_applies_the_borough_and_staff_filters_and_says_so(self, app_test):
        at = open_workforce(sign_in(app_test(), "equality"), tab="trend", borough=CROYDON, staff="clinical")
        assert not at.exception, at.exception
        headings = [s.value for s in at.subheader]
        assert "BME share of clinical staff working in Croydon, each 31 March" in headings
        captions = " ".join(c.value for c in at.caption)
        assert "filters apply to these shares" in captions
        assert "WRES 2, 3, 4 and 9 each year (whole trust)" in headings
        filtered = at.dataframe[0].value
        at = open_workforce(sign_in(app_test(), "equality"), tab="trend")
        whole = at.dataframe[0].value
        assert list(filtered["Staff (ethnicity recorded)"]) != list(whole["Staff (ethnicity recorded)"]), (
            "the trend must not silently show the trust's figures"
        )


class TestQuestion4:
    """Does our band 8a+ workforce reflect Croydon's population? Answered within three interactions."""

    def test_choosing_croydon_states_its_bands_8a_and_above_against_its_residents(self, app_test):
        at = open_workforce(sign_in(app_test(), "equality"))  # 1: open the page
        at.selectbox(key="workforce_borough").set_value(CROYDON).run()  # 2: choose Croydon
        assert not at.exception, at.exception
        sentence = next(m.value for m in at.markdown if m.value.startswith("Bands 8a and above"))
        assert "working in Croydon" in sentence and "residents of Croydon" in sentence
        shown = re.search(r"\*\*([\d.]+)% BME\*\* \(95% CI ([\d.]+)% to ([\d.]+)%", sentence)
        too_few = "too few staff" in sentence
        assert shown or too_few, sentence
        if shown:
            assert float(shown[2]) <= float(shown[1]) <= float(shown[3])
            assert re.search(
                r"(under-represented|reflects the community|above the community share)\.$", sentence
            )
        assert param(at, "borough") == CROYDON, "the view is in the URL"

    def test_the_borough_tab_lists_bands_8a_and_above_for_every_borough_with_intervals(self, app_test):
        at = open_workforce(sign_in(app_test(), "equality"), tab="boroughs")  # 1 and 2: open, choose the tab
        assert not at.exception, at.exception
        assert any(
            s.value.startswith("Bands 8a and above (8a to 9 and VSM) in each borough") for s in at.subheader
        )
        by_borough = [
            d.value
            for d in at.dataframe
            if "Croydon" in set(d.value.get("Borough", [])) and len(d.value) == 4
        ]
        assert len(by_borough) == 2, "the all-staff table, then the bands 8a and above table"
        all_staff, senior = by_borough  # in the order the tab draws them
        staff = "Staff (ethnicity recorded)"
        assert (senior[staff] != all_staff[staff]).any(), "the 8a+ table repeats the all-staff table"
        for column in (
            "Staff (ethnicity recorded)",
            "BME %",
            "Lower 95% CI",
            "Upper 95% CI",
            "Residents BME %",
        ):
            assert column in senior.columns
        row = senior.set_index("Borough").loc["Croydon"]
        assert row["Residents BME %"] not in ("", "*")


def test_a_champion_is_refused(app_test):
    at = open_workforce(sign_in(app_test(), "champion"))
    assert [e.value for e in at.error] == ["You do not have access to this page."]
