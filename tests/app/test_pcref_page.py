"""AppTest for the PCREF page: it renders for the board and equality leads, its figures match an
independent recomputation from the store, and no count from 1 to 4 appears anywhere."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from streamlit.util import calc_hash

from data.store import make_engine
from measures.stats import crude_rate, rate_ratio
from tests.conftest import sign_in

YEAR = {"a": "2025-04-01", "b": "2026-03-31"}


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


def _black_and_reference(engine):
    """Black people and the reference group (White: config/trust.yaml), recomputed from the store."""
    events = (
        "SELECT COUNT(*) FROM mha_episode m JOIN legal_status l ON l.code = m.legal_status "
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


@pytest.mark.parametrize("username", ["board", "equality"])
def test_renders_for_board_and_equality_leads(app_test, username):
    at = open_pcref(sign_in(app_test(), username))
    assert not at.exception
    assert at.title[0].value == "PCREF core measures"
    assert any("Synthetic data" in w.value for w in at.warning)


def test_the_headline_sentence_matches_an_independent_recomputation(app_test, store):
    at = open_pcref(sign_in(app_test(), "equality"))
    (black_events, black_pop), (white_events, white_pop) = _black_and_reference(store)
    ratio = rate_ratio(black_events, black_pop, white_events, white_pop)
    headline = at.markdown[0].value
    if ratio.lower > 1:
        assert f"{ratio.value:.1f} times as likely to be detained" in headline
        assert f"{ratio.lower:.1f} to {ratio.upper:.1f}" in headline
        assert "as White people" in headline
    else:
        assert "no clear difference" in headline or "Too few" in headline


def test_the_black_rate_in_the_table_matches_an_independent_recomputation(app_test, store):
    at = open_pcref(sign_in(app_test(), "equality"))
    (black_events, black_pop), _ = _black_and_reference(store)
    table = at.dataframe[0].value.set_index("Ethnic group")
    expected = crude_rate(black_events, black_pop)
    if black_events >= 5:
        assert table.loc["Black", "Per 100,000"] == f"{expected.value:,.1f}"
        assert table.loc["Black", "Lower 95% CI"] == f"{expected.lower:,.1f}"
    else:
        assert table.loc["Black", "Per 100,000"] == "*"


def test_the_recovery_rate_matches_an_independent_recomputation(app_test, store):
    at = open_pcref(sign_in(app_test(), "equality"))
    recovered = _scalar(store, "SELECT SUM(CASE WHEN o.caseness_at_start AND o.recovered THEN 1 ELSE 0 END) FROM outcome o "
                        "JOIN person p ON p.id = o.person_id JOIN ethnic_category e ON e.code = p.ethnic_category "
                        "WHERE o.end_date BETWEEN :a AND :b AND e.broad_group = 'White'", **YEAR)  # fmt: skip
    caseness = _scalar(store, "SELECT SUM(CASE WHEN o.caseness_at_start THEN 1 ELSE 0 END) FROM outcome o "
                       "JOIN person p ON p.id = o.person_id JOIN ethnic_category e ON e.code = p.ethnic_category "
                       "WHERE o.end_date BETWEEN :a AND :b AND e.broad_group = 'White'", **YEAR)  # fmt: skip
    recovery = next(d.value for d in at.dataframe if "Recovery" in d.value.columns).set_index("Ethnic group")
    assert recovery.loc["White", "%"] == f"{100 * recovered / caseness:,.1f}"


def test_no_count_from_one_to_four_appears_anywhere(app_test):
    at = open_pcref(sign_in(app_test(), "equality"))
    for measure in ("detentions", "ctos", "s136", "restrictive"):
        at.selectbox(key="pcref_measure").set_value(measure).run()
        assert not at.exception
        for frame in at.dataframe:
            for column in frame.value.columns:
                if any(word in column for word in ("Events", "Positive", "Answers", "Recovery", "Caseness",
                                                   "Finished", "improvement", "deterioration")):  # fmt: skip
                    for cell in frame.value[column].astype(str):
                        number = cell.replace(",", "")
                        assert not re.fullmatch(r"[1-4]", number), (measure, column, cell)
        texts = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
        assert not re.search(r"about [1-4] ", texts)


def test_a_rolling_period_service_line_and_team_breakdown_render(app_test):
    at = open_pcref(sign_in(app_test(), "equality"))
    rolling = [o for o in at.selectbox(key="pcref_period").options if o.startswith("12 months to")]
    assert len(rolling) == 11
    at.selectbox(key="pcref_period").set_value(rolling[0]).run()
    at.selectbox(key="pcref_service_line").set_value("Inpatient (acute)").run()
    assert not at.exception
    labels = {column for frame in at.dataframe for column in frame.value.columns}
    assert {"People", "Standardised per 100,000", "Per 1,000 bed days"} <= labels


def test_the_board_does_not_get_the_team_breakdown(app_test):
    at = open_pcref(sign_in(app_test(), "board"))
    labels = {column for frame in at.dataframe for column in frame.value.columns}
    assert "Per 1,000 bed days" not in labels
