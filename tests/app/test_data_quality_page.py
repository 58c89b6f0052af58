"""AppTest: the Data quality page answers "Which teams have the worst ethnicity recording?" on opening
(one interaction after sign-in), ranked worst first with published counts; its views and filters live in
the URL; the board may open it and a champion may not."""

from __future__ import annotations

import pytest

from components.guard import REFUSAL
from tests.app.test_access import visit
from tests.conftest import sign_in


def _share(text: str) -> float:
    return float("inf") if text in ("*", "") else float(text)


@pytest.fixture
def quality(app_test):
    at = sign_in(app_test(), "equality")
    return visit(at, "data_quality")


def test_the_worst_team_for_ethnicity_recording_is_first_on_opening(quality):
    at = quality
    assert not at.exception, at.exception
    assert at.title[0].value == "Data quality"
    ranked = at.dataframe[0].value
    assert list(ranked["Rank"].astype(int))[:3] == [1, 2, 3]
    shares = [float(v) for v in ranked["% not recorded"] if v not in ("*", "")]
    assert shares and shares == sorted(shares, reverse=True)
    first = ranked["Team"].iloc[0]
    assert any(first in m.value and "highest share" in m.value for m in at.markdown)
    for column in ("People referred", "Ethnicity not recorded"):
        for value in ranked[column]:
            assert value == "*" or int(str(value).replace(",", "")) % 5 == 0


def test_other_characteristics_and_levels_rank_too_and_stay_in_the_url(quality):
    at = quality
    at.selectbox(key="dq_characteristic").select("religion").run()
    at.selectbox(key="dq_level").select("borough").run()
    assert not at.exception
    ranked = at.dataframe[0].value
    assert "Borough" in ranked.columns and len(ranked) >= 2
    assert at.query_params["characteristic"] in (["religion"], "religion")
    assert at.query_params["level"] in (["borough"], "borough")


def test_over_time_and_team_comparisons_render(quality):
    at = quality
    at.radio(key="dq_view").set_value("Over time").run()
    assert not at.exception
    assert any("month by month" in s.value for s in at.subheader)
    at.radio(key="dq_view").set_value("Team comparisons").run()
    assert not at.exception
    at.selectbox(key="dq_line").select("Inpatient (acute)").run()
    assert not at.exception
    teams = at.dataframe[0].value
    assert set(teams["Service line"]) == {"Inpatient (acute)"}
    assert any("limits" in m.value for m in at.markdown)


def test_a_shared_link_opens_the_same_view(app_test):
    at = app_test()
    at.query_params["view"] = "Team comparisons"
    at.query_params["measure"] = "seclusion_per_obd"
    at = sign_in(at, "equality")
    at = visit(at, "data_quality")
    assert not at.exception
    assert at.radio(key="dq_view").value == "Team comparisons"
    assert at.selectbox(key="dq_measure").value == "seclusion_per_obd"


def test_a_champion_is_refused(app_test):
    at = visit(sign_in(app_test(), "champion"), "data_quality")
    assert [e.value for e in at.error] == [REFUSAL]
    assert not at.dataframe
