"""AppTest for the Workforce page: board members and equality leads see every tab, the WRES sentences
and the board's suppression, a borough in the URL opens its teams, and no count from 1 to 4 is shown
anywhere the page renders."""

from __future__ import annotations

import re

import pytest
from streamlit.util import calc_hash

from tests.conftest import sign_in

#: Column labels that hold counts of people on this page.
COUNT_WORDS = ("staff", "members", "events", "out of", "respondents", "champions", "white staff", "bme staff")


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


@pytest.mark.parametrize("username", ["board", "equality"])
class TestTheWorkforcePageRenders:
    def test_every_tab_renders_without_error(self, app_test, username):
        at = open_workforce(sign_in(app_test(), username))
        assert not at.exception, at.exception
        assert at.title[0].value == "Workforce"
        assert [t.label for t in at.tabs] == [
            "Bands", "WRES 2–4 and 9", "By borough", "Other characteristics", "Trend and targets", "Champions",
        ]  # fmt: skip
        assert at.get("deck_gl_json_chart"), "no borough map"
        assert len(at.get("vega_lite_chart")) >= 2, "band chart and trend chart"

    def test_the_wres_sentences_and_the_board_figure_are_stated(self, app_test, username):
        at = open_workforce(sign_in(app_test(), username))
        text = " ".join(m.value for m in at.markdown)
        for indicator in ("WRES 2", "WRES 3", "WRES 4"):
            assert indicator in text
        assert "working-age residents" in text
        assert "WRES 9 is suppressed" in text, "the demo board has 2 BME voting members"

    def test_no_count_from_1_to_4_appears_in_any_table(self, app_test, username):
        at = open_workforce(sign_in(app_test(), username))
        values = list(shown_counts(at))
        assert len(values) > 100
        bad = [(c, v) for c, v in values if v not in ("*", "") and 1 <= int(v.replace(",", "")) <= 4]
        assert not bad, bad
        assert any(v == "*" for _, v in values), "the tiny store has small cells"

    def test_no_sentence_states_a_count_from_1_to_4_of_people(self, app_test, username):
        at = open_workforce(sign_in(app_test(), username))
        text = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])
        people = r"(?<!to )(?<!WRES )\b[1-4]\s+(?:of\s+[\d,]+\s+)?(?:staff|people|members|voting|champions?|applicants|BME|White)\b"
        assert not re.findall(people, text)
        assert not re.findall(r"\*\*[1-4]\*\*\s+champions", text)


class TestFilters:
    def test_a_borough_in_the_url_opens_its_teams(self, app_test):
        at = open_workforce(
            sign_in(app_test(), "equality"), borough="E09000022", staff="clinical", year="2024-25"
        )
        assert not at.exception
        assert any(s.value == "Teams working in Lambeth" for s in at.subheader)
        assert at.selectbox(key="workforce_year").value == "2024-25"
        assert at.selectbox(key="workforce_staff").value == "clinical"

    def test_an_injected_map_click_opens_that_borough(self, app_test):
        at = open_workforce(sign_in(app_test(), "board"))
        at.session_state["workforce_borough_map"] = {
            "selection": {
                "indices": {},
                "objects": {"workforce_borough_map-areas": [{"properties": {"code": "E09000023"}}]},
            }
        }
        at.run()
        assert not at.exception
        assert at.query_params["borough"] in ("E09000023", ["E09000023"])
        assert any(s.value == "Teams working in Lewisham" for s in at.subheader)

    def test_an_unknown_staff_filter_in_the_url_falls_back_with_a_warning(self, app_test):
        at = open_workforce(sign_in(app_test(), "equality"), staff="everyone' OR 1=1")
        assert any("unknown staff" in w.value for w in at.warning)
        assert at.selectbox(key="workforce_staff").value == "all"


def test_a_champion_is_refused(app_test):
    at = open_workforce(sign_in(app_test(), "champion"))
    assert [e.value for e in at.error] == ["You do not have access to this page."]
