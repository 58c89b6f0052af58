"""Issue 15, "five questions": each is answered on screen within three interactions after landing on its
page by its URL, signed in as the equality lead (AppTest on the tiny store). An interaction is one select
box, radio, tab or click; opening the page's URL is not one. Each test asserts the answer itself (the row,
the figure with its interval, the sentence), so it fails when the figure is missing or hidden by mistake.

Question 2 ("Which teams have the worst ethnicity recording?") is answered on opening the Data quality page
with no interaction: tests/app/test_data_quality_page.py::test_the_worst_team_for_ethnicity_recording_is_first_on_opening.
tests/browser/test_five_questions.py asks the same questions in Chromium."""

from __future__ import annotations

import re

import pandas as pd
from streamlit.util import calc_hash

from tests.app.test_access_page import open_tab, table_with
from tests.conftest import sign_in

LAMBETH, CROYDON, BLACK_AFRICAN = "E09000022", "E09000008", "N"


def land(app_test, page: str):
    """Sign in as the equality lead and open a page by its URL (no interaction yet)."""
    at = sign_in(app_test(), "equality")
    at._page_hash = calc_hash(page)
    return at.run()


def shown(value) -> bool:
    return str(value) not in ("", "*")


def ordered(lower, value, upper) -> bool:
    return float(lower) <= float(value) <= float(upper)


def test_q1_black_african_people_in_lambeth_age_standardised_and_year_by_year(app_test):
    at = land(app_test, "pcref")
    at.selectbox(key="pcref_borough").set_value(LAMBETH).run()  # 1 (a browser also opens the expander: 2)
    at.selectbox(key="pcref_group").set_value(BLACK_AFRICAN).run()  # 2 (3 in a browser)
    assert not at.exception, at.exception
    assert at.subheader[0].value.endswith("(Lambeth)")
    assert at.query_params["borough"] == LAMBETH and at.query_params["group"] == BLACK_AFRICAN
    # after age standardisation: Black African people against all White people of Lambeth
    broad, detailed = (f.value for f in at.dataframe if "Standardised per 100,000" in f.value.columns)
    assert set(broad["Ethnic group"]) == {"White", "Mixed", "Asian", "Black", "Other"}
    black_african = detailed.set_index("Ethnic group").loc["Black: African"]
    if shown(black_african["Ratio to White (approx.)"]):
        assert ordered(
            *black_african[["Ratio lower 95% CI", "Ratio to White (approx.)", "Ratio upper 95% CI"]]
        )
    else:  # the tiny store: under 10 detentions in Lambeth, so no standardised rate, and the page says why
        assert any("not shown below 10 events" in c.value for c in at.caption)
    # and is it getting better: Black African people's ratio each year, with its interval
    yearly = table_with(at, "Financial year")
    assert list(yearly["Financial year"]) == ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
    ratio, lower, upper = "Ratio to White (people)", "Lower 95% CI ", "Upper 95% CI "
    years = yearly[yearly[ratio].map(shown)]
    assert len(years) >= 2, yearly  # enough published years to see a direction
    assert all(ordered(r[lower], r[ratio], r[upper]) for _, r in years.iterrows())
    assert any("A detailed group is compared with all White people each year" in c.value for c in at.caption)


def test_q3_the_police_route_for_black_men_aged_18_to_34(app_test):
    at = land(app_test, "access")
    at = open_tab(at, "Intersections")  # 1
    at.selectbox(key="access_x_measure").set_value("police").run()  # 2
    assert not at.exception, at.exception
    cells = table_with(at, "Ethnic group (broad)")
    black_men = cells[(cells["Ethnic group (broad)"] == "Black") & (cells["Sex"] == "M")].set_index(
        "Age band"
    )
    for band in ("18-24", "25-34"):
        row = black_men.loc[band]
        assert all(
            shown(row[c]) for c in ("%", "Ratio to everyone", "Ratio lower 95% CI", "Ratio upper 95% CI")
        )
        assert ordered(row["Ratio lower 95% CI"], row["Ratio to everyone"], row["Ratio upper 95% CI"])
        named = f"Black, Male, Aged {band}: higher than everyone"
        clearly_higher = float(row["Ratio lower 95% CI"]) > 1
        assert clearly_higher == any(named in m.value for m in at.markdown), (band, row)


def test_q4_bands_8a_and_above_in_croydon_against_its_residents(app_test):
    at = land(app_test, "workforce")
    at.session_state["workforce_tab"] = "By borough"  # 1
    at = at.run()
    assert not at.exception, at.exception
    assert any(
        s.value.startswith("Bands 8a and above (8a to 9 and VSM) in each borough") for s in at.subheader
    )
    _all_staff, senior = (f.value for f in at.dataframe if "Borough" in f.value.columns)
    croydon = senior.set_index("Borough").loc["Croydon"]
    assert shown(croydon["Residents BME %"]) and shown(croydon["Staff (ethnicity recorded)"])
    if shown(croydon["BME %"]):
        lower, upper, residents = (
            float(croydon[c]) for c in ("Lower 95% CI", "Upper 95% CI", "Residents BME %")
        )
        verdict = "under-represented" if upper < residents else "above the community share" if lower > residents else (
            "reflects the community")  # fmt: skip
        assert croydon["Against the community"] == verdict
    else:  # the tiny store: 1 to 4 BME staff in bands 8a and above in Croydon, so the answer is hidden, and said
        assert croydon["BME staff"] == "*" and croydon["Against the community"] in ("", "*")
        assert any('"*" marks figures based on 1 to 4 people' in c.value for c in at.caption)


def test_q5_talking_therapies_recovery_for_asian_people(app_test):
    at = land(app_test, "pcref")
    at.session_state["pcref_tab"] = "Talking Therapies outcomes"  # 1
    at = at.run()
    assert not at.exception, at.exception
    recovery = table_with(at, "Recovery").set_index("Ethnic group")
    asian = recovery.loc["Asian"]
    ratio, lower, upper = (asian[c] for c in ("Relative to White", "Lower 95% CI ", "Upper 95% CI "))
    assert all(shown(v) for v in (asian["%"], ratio, lower, upper))
    sentence = next(m.value for m in at.markdown if "Asian people who finished a course" in m.value)
    line = next(s for s in sentence.splitlines() if "Asian people" in s)
    words = re.search(r"(\d+\.\d) times as likely|ratio (\d+\.\d)", line)
    assert words and float(words[1] or words[2]) == round(float(ratio), 1), (line, ratio)
    if float(upper) < 1:
        assert "less likely" in line
    elif float(lower) <= 1:
        assert "no clear difference" in line
    assert "Black people who finished a course" in sentence  # every group is named, Black people too
    assert pd.notna(recovery.loc["White", "%"])
