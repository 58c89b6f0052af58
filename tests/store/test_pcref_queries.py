"""PCREF queries on SQLite and PostgreSQL: recounts, monthly series adding up, and scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from data.store import make_engine
from queries import pcref
from queries.scope import Scope

START, END = date(2025, 4, 1), date(2026, 3, 31)


@pytest.fixture
def engine(any_store_url):
    engine = make_engine(any_store_url)
    yield engine
    engine.dispose()


def _scalar(engine, sql, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def test_detentions_by_ethnic_category_match_a_plain_recount(engine):
    frame = pcref.coercion_events(engine, Scope.whole_trust(), "detentions", START, END).set_index(
        "ethnic_category"
    )
    expected = _scalar(
        engine,
        "SELECT COUNT(*) FROM mha_episode m JOIN person p ON p.id = m.person_id "
        "WHERE m.legal_status IN (SELECT code FROM legal_status WHERE category = 'detention') AND p.ethnic_category = 'A' AND m.start_date BETWEEN :a AND :b",
        a=START, b=END,
    )  # fmt: skip
    assert frame.loc["A", "events"] == expected
    assert (frame["people"] <= frame["events"]).all()


def test_prone_restraint_is_a_subset_of_physical_restraint(engine):
    physical = pcref.coercion_events(
        engine, Scope.whole_trust(), "restrictive", START, END, ri_type="physical"
    )
    prone = pcref.coercion_events(engine, Scope.whole_trust(), "restrictive", START, END, ri_type="prone")
    assert prone["events"].sum() <= physical["events"].sum()


def test_the_monthly_series_adds_up_to_the_years_events(engine):
    monthly = pcref.monthly_events(engine, Scope.whole_trust(), "s136")
    in_year = monthly[(monthly["month_start"] >= START) & (monthly["month_start"] <= END)]
    events = pcref.coercion_events(engine, Scope.whole_trust(), "s136", START, END)
    assert in_year["events"].sum() == events["events"].sum()
    assert monthly["month_start"].nunique() == 60


def test_population_levels_agree_on_the_total_except_groups_without_an_nhs_code(engine):
    frame = pcref.population(engine, Scope.whole_trust())
    broad = frame[frame["level"] == "broad"]["population"].sum()
    coded = frame[frame["level"] == "code"]["population"].sum()
    total = _scalar(engine, "SELECT SUM(count) FROM population")
    assert broad == total and coded < total


def test_a_champion_sees_only_their_teams_events_and_no_scope_sees_nothing(engine):
    trust = pcref.coercion_events(engine, Scope.whole_trust(), "detentions", START, END)["events"].sum()
    team = pcref.coercion_events(engine, Scope.teams([13]), "detentions", START, END)["events"].sum()
    assert team < trust
    assert pcref.population(engine, Scope.nothing()).empty
    assert pcref.feedback_actions(engine, Scope.nothing()).empty


def test_unknown_measures_are_refused(engine):
    with pytest.raises(ValueError):
        pcref.coercion_events(engine, Scope.whole_trust(), "arrests", START, END)


def test_a_service_line_filter_keeps_only_its_teams_events(engine):
    everyone = pcref.coercion_events(engine, Scope.whole_trust(), "detentions", START, END)["events"].sum()
    forensic = pcref.coercion_events(
        engine, Scope.whole_trust(), "detentions", START, END, service_line="Forensic"
    )
    assert 0 < forensic["events"].sum() < everyone


def test_standardisation_cells_cover_every_esp_band_and_add_up(engine):
    cells = pcref.standardisation_cells(engine, Scope.whole_trust(), "detentions", START, END)
    events = pcref.coercion_events(engine, Scope.whole_trust(), "detentions", START, END)
    known = events[~events["ethnic_category"].isin(["Z", "99"])]["events"].sum()
    broad, codes = cells[cells["level"] == "broad"], cells[cells["level"] == "code"]
    assert broad["events"].sum() == known
    assert broad["esp2013_band"].nunique() == 19
    # every coded event is in its broad group's cell of the same band
    by_code = codes.groupby(["broad_group", "esp2013_band"])["events"].sum()
    by_broad = broad.set_index(["broad_group", "esp2013_band"])["events"]
    assert (by_code <= by_broad.reindex(by_code.index)).all()


def test_the_yearly_counts_match_a_record_level_recount_of_events_and_people(engine):
    # The queries read the per-load summary; the answer must be the records' own.
    yearly = pcref.yearly_events(engine, Scope.whole_trust(), "restrictive", ri_type="prone")
    this_year = yearly[yearly["financial_year"] == "2025-26"]
    sql = (
        "SELECT {what} FROM restrictive_intervention i WHERE i.type = 'physical' AND i.prone "
        "AND i.date BETWEEN :a AND :b"
    )
    assert this_year["events"].sum() == _scalar(engine, sql.format(what="COUNT(*)"), a=START, b=END)
    people = _scalar(engine, sql.format(what="COUNT(DISTINCT i.person_id)"), a=START, b=END)
    assert this_year["people"].sum() == people  # each person has one ethnic category
    monthly = pcref.monthly_events(engine, Scope.whole_trust(), "restrictive", ri_type="prone")
    in_year = monthly[(monthly["month_start"] >= START) & (monthly["month_start"] <= END)]
    assert in_year["events"].sum() == this_year["events"].sum()


def test_events_by_team_add_up_and_wards_have_bed_days(engine):
    teams = pcref.coercion_by_team(engine, Scope.whole_trust(), "restrictive", START, END)
    events = pcref.coercion_events(engine, Scope.whole_trust(), "restrictive", START, END)
    assert teams["events"].sum() == events["events"].sum()
    assert (teams["bed_days"] > 0).all()
