"""AppTest for the PCREF page: it renders for the board and equality leads, its figures match an
independent recomputation from the store (from the published, rounded counts: issue 13), no count from
1 to 4 appears anywhere, and the whole view is kept in the URL."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import text
from streamlit.util import calc_hash

from data.store import make_engine
from measures.disclosure import DisclosurePolicy
from measures.stats import crude_rate, proportion, rate_ratio
from tests.conftest import sign_in

YEAR = {"a": "2025-04-01", "b": "2026-03-31"}
POLICY = DisclosurePolicy()  # config/trust.yaml: 1-4 hidden, others rounded to 5


def open_pcref(at):
    at._page_hash = calc_hash("pcref")
    return at.run()


@pytest.fixture
def store(tiny_store_url):
    engine = make_engine(tiny_store_url)
    yield engine
    engine.dispose()


def _scalar(engine, sql, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def _black_and_reference(engine, count="COUNT(*)"):
    """Black people and the reference group (White: config/trust.yaml), recomputed from the store."""
    events = (
        f"SELECT {count} FROM mha_episode m JOIN legal_status l ON l.code = m.legal_status "
        "JOIN person p ON p.id = m.person_id JOIN ethnic_category e ON e.code = p.ethnic_category "
        "WHERE l.category = 'detention' AND m.start_date BETWEEN :a AND :b AND {where}"
    )
    population = (
        "SELECT SUM(p.count) FROM population p JOIN census_ethnic_group g ON g.code = p.census_ethnic_group "
        "WHERE {where}"
    )
    black = (_scalar(engine, events.format(where="e.broad_group = 'Black'"), **YEAR),
             _scalar(engine, population.format(where="g.nhs_broad_group = 'Black'")))  # fmt: skip
    white = (_scalar(engine, events.format(where="e.broad_group = 'White'"), **YEAR),
             _scalar(engine, population.format(where="g.nhs_broad_group = 'White'")))  # fmt: skip
    return black, white


def _stored(ratio):
    """A ratio as published: stored at 2 decimals (docs/disclosure.md), then worded at 1."""
    return replace(
        ratio, value=round(ratio.value, 2), lower=round(ratio.lower, 2), upper=round(ratio.upper, 2)
    )


@pytest.mark.parametrize("username", ["board", "equality"])
def test_renders_for_board_and_equality_leads(app_test, username):
    at = open_pcref(sign_in(app_test(), username))
    assert not at.exception
    assert at.title[0].value == "PCREF core measures"
    assert any("Synthetic data" in w.value for w in at.warning)


def test_the_headline_sentence_matches_an_independent_recomputation(app_test, store):
    # The sentence compares people detained (each person once), from the published (rounded) counts.
    at = open_pcref(sign_in(app_test(), "equality"))
    (black, black_pop), (white, white_pop) = _black_and_reference(store, "COUNT(DISTINCT m.person_id)")
    ratio = _stored(rate_ratio(POLICY.publish(black), black_pop, POLICY.publish(white), white_pop))
    headline = at.markdown[0].value
    if ratio.lower > 1:
        assert f"{ratio.value:.1f} times as likely to be detained" in headline
        assert f"{ratio.lower:.1f} to {ratio.upper:.1f}" in headline
        assert "as White people" in headline
    else:
        assert "no clear difference" in headline or "Too few" in headline


def test_the_events_sentence_says_how_frequent_detentions_were(app_test, store):
    at = open_pcref(sign_in(app_test(), "equality"))
    (black, black_pop), (white, white_pop) = _black_and_reference(store)
    ratio = _stored(rate_ratio(POLICY.publish(black), black_pop, POLICY.publish(white), white_pop))
    sentence = at.markdown[1].value
    if ratio.lower > 1:
        assert (
            f"Detentions were {ratio.value:.1f} times as frequent for Black people as for White people"
            in sentence
        )
    assert "likely" not in sentence


def test_the_black_rate_in_the_table_matches_an_independent_recomputation(app_test, store):
    at = open_pcref(sign_in(app_test(), "equality"))
    (black_events, black_pop), _ = _black_and_reference(store)
    table = at.dataframe[0].value.set_index("Ethnic group")
    expected = crude_rate(POLICY.publish(black_events) or 0, black_pop)  # the rate of the count shown
    if black_events >= 5:
        assert table.loc["Black", "Per 100,000"] == f"{expected.value:,.1f}"
        assert table.loc["Black", "Lower 95% CI"] == f"{expected.lower:,.1f}"
    else:
        assert table.loc["Black", "Per 100,000"] == "*"


def test_the_recovery_rate_matches_an_independent_recomputation(app_test, store):
    at = app_test()
    at.query_params["tab"] = "outcomes"  # only the open tab is computed and drawn
    at = open_pcref(sign_in(at, "equality"))
    recovered = _scalar(store, "SELECT SUM(CASE WHEN o.caseness_at_start AND o.recovered THEN 1 ELSE 0 END) FROM outcome o "
                        "JOIN person p ON p.id = o.person_id JOIN ethnic_category e ON e.code = p.ethnic_category "
                        "WHERE o.end_date BETWEEN :a AND :b AND e.broad_group = 'White'", **YEAR)  # fmt: skip
    caseness = _scalar(store, "SELECT SUM(CASE WHEN o.caseness_at_start THEN 1 ELSE 0 END) FROM outcome o "
                       "JOIN person p ON p.id = o.person_id JOIN ethnic_category e ON e.code = p.ethnic_category "
                       "WHERE o.end_date BETWEEN :a AND :b AND e.broad_group = 'White'", **YEAR)  # fmt: skip
    recovery = next(d.value for d in at.dataframe if "Recovery" in d.value.columns).set_index("Ethnic group")
    shown = proportion(POLICY.publish(recovered), POLICY.publish(caseness))  # from the counts shown
    assert recovery.loc["White", "%"] == f"{100 * shown.value:,.1f}"


TEXT_COLUMNS = ("Ethnic group", "Team or ward", "Service line", "Financial year", "Agreed", "Theme", "You said",
                "We did", "Team")  # fmt: skip
FIGURE_WORDS = ("Per ", "CI", "Ratio", "Relative", "%", "Standardised")


def test_no_count_from_one_to_four_appears_anywhere(app_test):
    at = open_pcref(sign_in(app_test(), "equality"))
    for measure in ("detentions", "ctos", "s136", "restrictive"):
        at.selectbox(key="pcref_measure").set_value(measure).run()
        assert not at.exception
        for frame in at.dataframe:
            for column in frame.value.columns:
                if column in TEXT_COLUMNS or any(word in column for word in FIGURE_WORDS):
                    continue
                for cell in frame.value[column].astype(str):
                    number = cell.replace(",", "")
                    assert not re.fullmatch(r"[1-4]", number), (measure, column, cell)
        texts = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
        assert not re.search(r"about [1-4] ", texts)


def test_events_and_people_are_both_shown_for_restrictive_interventions(app_test):
    at = open_pcref(sign_in(app_test(), "equality"))
    at.selectbox(key="pcref_measure").set_value("restrictive").run()
    labels = {column for frame in at.dataframe for column in frame.value.columns}
    assert {"Incidents", "People subject to them"} <= labels
    assert "Ratio to White (incidents)" in labels and "Ratio to White (people)" in labels
    assert any("Events: incidents. People: people subject to them" in c.value for c in at.caption)


def test_the_yearly_trend_shows_each_years_ratio_with_its_interval(app_test):
    at = open_pcref(sign_in(app_test(), "equality"))
    yearly = next(f.value for f in at.dataframe if "Financial year" in f.value.columns)
    assert list(yearly["Financial year"]) == sorted(yearly["Financial year"]) and len(yearly) == 5
    assert {"Ratio to White (detentions)", "Lower 95% CI", "Ratio to White (people)"} <= set(yearly.columns)
    at.selectbox(key="pcref_group").set_value("Asian").run()
    assert not at.exception and at.query_params["group"] == "Asian"


def test_a_detailed_groups_yearly_ratio_matches_an_independent_recomputation(app_test, store):
    # Black African people (NHS code N) against all White people, by people detained, from the published counts
    at = open_pcref(sign_in(app_test(), "equality"))
    at.selectbox(key="pcref_group").set_value("N").run()
    assert not at.exception and at.query_params["group"] == "N"
    assert at.selectbox(key="pcref_group").format_func("N") == "Black: African"
    yearly = next(f.value for f in at.dataframe if "Financial year" in f.value.columns).set_index(
        "Financial year"
    )
    people = "SELECT COUNT(DISTINCT m.person_id) FROM mha_episode m JOIN legal_status l ON l.code = m.legal_status "
    people += "JOIN person p ON p.id = m.person_id JOIN ethnic_category e ON e.code = p.ethnic_category "
    people += "WHERE l.category = 'detention' AND m.start_date BETWEEN :a AND :b AND {where}"
    residents = (
        "SELECT SUM(p.count) FROM population p JOIN census_ethnic_group g ON g.code = p.census_ethnic_group "
    )
    black_african = (_scalar(store, people.format(where="p.ethnic_category = 'N'"), **YEAR),
                     _scalar(store, residents + "WHERE g.nhs_code = 'N'"))  # fmt: skip
    white = (_scalar(store, people.format(where="e.broad_group = 'White'"), **YEAR),
             _scalar(store, residents + "WHERE g.nhs_broad_group = 'White'"))  # fmt: skip
    row = yearly.loc["2025-26"]  # the tiny store has enough Black African people detained to show it
    ratio = _stored(
        rate_ratio(POLICY.publish(black_african[0]), black_african[1], POLICY.publish(white[0]), white[1])
    )
    assert row["People detained"] == f"{POLICY.publish(black_african[0]):,}"
    assert (row["Ratio to White (people)"], row["Lower 95% CI "], row["Upper 95% CI "]) == (
        f"{ratio.value:.2f}", f"{ratio.lower:.2f}", f"{ratio.upper:.2f}")  # fmt: skip


def test_a_shared_url_reopens_the_same_view(app_test):
    at = app_test()
    at.query_params.update({"tab": "coercion", "measure": "s136", "period": "2024-25", "borough": "E09000028",
                            "sex": "F", "age": "18-24", "group": "Mixed"})  # fmt: skip
    at = open_pcref(sign_in(at, "equality"))
    assert not at.exception
    chosen = {
        key: at.selectbox(key=f"pcref_{key}").value
        for key in ("measure", "period", "borough", "sex", "age", "group")
    }
    assert chosen == {"measure": "s136", "period": "2024-25", "borough": "E09000028", "sex": "F", "age": "18-24",
                      "group": "Mixed"}  # fmt: skip
    assert "Section 136 (police place of safety), 2024-25 (Southwark, Female, 18-24)" in at.subheader[0].value
    at.selectbox(key="pcref_measure").set_value("ctos").run()
    assert at.query_params["measure"] == "ctos" and at.query_params["borough"] == "E09000028"


def test_the_team_table_follows_the_borough_filter_and_says_so(app_test):
    at = open_pcref(sign_in(app_test(), "equality"))
    at.selectbox(key="pcref_borough").set_value("E09000022").run()
    assert not at.exception
    teams = next(f.value for f in at.dataframe if "Team or ward" in f.value.columns)
    assert "Per 1,000 bed days" not in teams.columns
    assert any("Every filter applies to the teams' counts" in c.value for c in at.caption)


def test_a_rolling_period_service_line_and_team_breakdown_render(app_test):
    at = open_pcref(sign_in(app_test(), "equality"))
    rolling = [o for o in at.selectbox(key="pcref_period").options if o.startswith("12 months to")]
    assert len(rolling) == 11
    at.selectbox(key="pcref_period").set_value(rolling[0]).run()
    at.selectbox(key="pcref_line").set_value("Inpatient (acute)").run()
    assert not at.exception
    labels = {column for frame in at.dataframe for column in frame.value.columns}
    assert {"People detained", "Standardised per 100,000", "Per 1,000 bed days"} <= labels


def test_the_board_does_not_get_the_team_breakdown(app_test):
    at = open_pcref(sign_in(app_test(), "board"))
    labels = {column for frame in at.dataframe for column in frame.value.columns}
    assert "Per 1,000 bed days" not in labels
