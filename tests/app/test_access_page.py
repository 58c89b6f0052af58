"""AppTest for the Service access page: board members and equality leads see every section, only
equality leads see teams, no count from 1 to 4 is rendered anywhere, and a priority community added
to the configuration file appears on the page without a code change."""

from __future__ import annotations

import re

import pytest
from streamlit.util import calc_hash

from tests.conftest import sign_in

COUNT_HEADINGS = re.compile(
    r"^(People referred|People accepted|People seen|Referrals|Referrals seen|Accepted referrals|Booked appointments|"
    r"Not attended|Recovered|Finished at caseness|Discharged before treatment|From police or criminal justice|"
    r"Seen within \d+ days|Everyone)$"
)


def open_access(at, **params):
    for key, value in params.items():
        at.query_params[key] = value
    at._page_hash = calc_hash("access")
    return at.run()


def shown_counts(at) -> list[str]:
    """Every value in a count column of every table on the page."""
    values = []
    for frame in at.dataframe:
        table = frame.value
        for column in table.columns:
            if COUNT_HEADINGS.match(str(column)):
                values.extend(str(v) for v in table[column])
    return values


def assert_no_small_counts(at):
    counts = shown_counts(at)
    assert counts, "no count columns rendered"
    for value in counts:
        if value in ("*", ""):
            continue
        number = int(value.replace(",", ""))
        assert number == 0 or number >= 5, f"count {value} would identify people"
        assert number % 5 == 0, f"count {value} is not rounded to 5"
    text = " ".join(e.value for kind in ("markdown", "caption", "warning", "info") for e in getattr(at, kind))
    # a count in prose ("12 people"); the suppression rule's own words ("1 to 4 people") are not counts
    for match in re.finditer(r"(?<!to )(?<!\d)\b(\d[\d,]*)\s+(people|referrals|appointments)\b", text):
        number = int(match.group(1).replace(",", ""))
        assert number == 0 or number >= 5, f"text shows {match.group(0)!r}"


class TestTheBoardAndEqualityLeadsSeeThePage:
    @pytest.mark.parametrize("username", ["board", "equality"])
    def test_every_section_renders_without_error(self, app_test, username):
        at = open_access(sign_in(app_test(), username))
        assert not at.exception, at.exception
        assert at.title[0].value == "Service access"
        labels = [t.label for t in at.tabs]
        assert labels[:6] == ["Access", "Routes in", "Timeliness", "Engagement", "Intersections", "Trend"]
        assert ("Teams" in labels) == (username == "equality")
        assert any("per 100,000" in s.value for s in at.subheader)

    def test_the_board_sees_plain_english_ratios(self, app_test):
        at = open_access(sign_in(app_test(), "board"))
        sentences = " ".join(m.value for m in at.markdown)
        assert "times as likely to be referred" in sentences or "no clear difference" in sentences


class TestEveryCharacteristic:
    @pytest.mark.parametrize(
        "by",
        ["broad_group", "ethnic_category", "age_band", "sex", "religion", "sexual_orientation", "disability",
         "imd_quintile", "communities"],
    )  # fmt: skip
    def test_renders_and_shows_no_count_from_1_to_4(self, app_test, by):
        at = open_access(sign_in(app_test(), "equality"), by=by)
        assert not at.exception, at.exception
        assert_no_small_counts(at)

    def test_characteristics_without_a_population_say_so(self, app_test):
        at = open_access(sign_in(app_test(), "equality"), by="religion")
        text = " ".join(m.value for m in at.markdown)
        assert "No population denominator is loaded" in text


class TestFiltersAndSuppression:
    def test_one_borough_and_one_service_show_no_count_from_1_to_4(self, app_test):
        at = open_access(
            sign_in(app_test(), "equality"),
            borough="E09000022",
            line="Talking Therapies",
            by="ethnic_category",
        )
        assert not at.exception, at.exception
        assert_no_small_counts(at)
        assert any("*" in str(v) for v in shown_counts(at)), "expected suppressed cells in a small slice"

    def test_an_unknown_characteristic_in_the_url_is_ignored_with_a_warning(self, app_test):
        at = open_access(sign_in(app_test(), "board"), by="person_id; DROP TABLE person")
        assert not at.exception
        assert any("unknown by" in w.value for w in at.warning)


class TestPriorityCommunitiesByConfigurationAlone:
    def test_a_new_community_in_the_file_appears_on_the_page(self, app_test, tmp_path, monkeypatch):
        config = tmp_path / "communities.yaml"
        config.write_text(
            "communities:\n"
            "  - name: Young Black men\n"
            "    description: Black men aged 18 to 24.\n"
            "    filters:\n"
            "      broad_group: [Black]\n"
            "      sex: [M]\n"
            "      age_band: [18-24]\n"
            "  - name: Muslim people\n"
            "    description: People whose religion is recorded as Muslim.\n"
            "    filters:\n"
            "      religion: [Muslim]\n",
            encoding="utf-8",
        )
        monkeypatch.setenv("EQUALITY_COMMUNITIES_CONFIG", str(config))
        at = open_access(sign_in(app_test(), "equality"), by="communities")
        assert not at.exception, at.exception
        tables = [frame.value for frame in at.dataframe]
        communities = {str(v) for t in tables if "Community" in t.columns for v in t["Community"]}
        assert {"Young Black men", "Muslim people"} <= communities
        assert_no_small_counts(at)
