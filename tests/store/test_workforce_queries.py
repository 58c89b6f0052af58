"""Workforce queries on SQLite and PostgreSQL, and the WRES figures recomputed independently: plain SQL
over the record-level tables plus the published WRES formulas (docs/methods.md), compared with what
``queries.workforce`` + ``measures.workforce`` produce for the page."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data.store import make_engine
from measures import workforce as wf
from measures.disclosure import NO_SUPPRESSION
from queries import workforce as q
from queries.scope import Scope

YEAR = "2025-26"
SNAPSHOT = "2026-03-31"
FY = {"a": "2025-04-01", "b": "2026-03-31"}
TRUST = Scope.whole_trust()
WHITE_CODES = "('A', 'B', 'C')"
BME_CODES = "('D','E','F','G','H','J','K','L','M','N','P','R','S')"
NOT_NED = "NOT (board_member = TRUE AND executive = FALSE)"


@pytest.fixture
def engine(any_store_url):
    engine = make_engine(any_store_url)
    yield engine
    engine.dispose()


def scalar(engine, sql, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def headcount(engine, codes, extra=""):
    return scalar(
        engine,
        f"SELECT COUNT(*) FROM staff WHERE snapshot_date = :s AND ethnic_category IN {codes} AND {NOT_NED} {extra}",
        s=SNAPSHOT,
    )


def staff_with_event(engine, codes, kind):
    return scalar(
        engine,
        "SELECT COUNT(DISTINCT s.staff_id) FROM staff s JOIN staff_event e ON e.staff_id = s.staff_id "
        f"WHERE s.snapshot_date = :s AND s.ethnic_category IN {codes} AND {NOT_NED.replace('board', 's.board').replace('executive', 's.executive')} "
        "AND e.type = :k AND e.date BETWEEN :a AND :b",
        s=SNAPSHOT,
        k=kind,
        **FY,
    )


def applicants(engine, codes, appointed):
    condition = "shortlisted = TRUE" + (" AND appointed = TRUE" if appointed else "")
    return scalar(
        engine,
        f"SELECT COUNT(*) FROM recruitment WHERE ethnic_category IN {codes} AND {condition} "
        "AND date BETWEEN :a AND :b",
        **FY,
    )


class TestWresRecomputedIndependently:
    def test_indicator_1_bme_share_of_each_band(self, engine):
        wide = wf.group_wide(q.band_counts(engine, TRUST, YEAR), "pay_band").set_index("pay_band")
        for band, row in wide.iterrows():
            bme = headcount(engine, BME_CODES, f"AND pay_band = '{band}'")
            white = headcount(engine, WHITE_CODES, f"AND pay_band = '{band}'")
            assert (row["bme"], row["white"]) == (bme, white), band
        total_bme, total_white = headcount(engine, BME_CODES), headcount(engine, WHITE_CODES)
        table = wf.representation_table(
            wide.reset_index(), key="pay_band", workforce_share=total_bme / (total_bme + total_white),
            population_share=0.4, policy=NO_SUPPRESSION,
        ).frame.set_index("pay_band")  # fmt: skip
        for band in table.index:
            bme = headcount(engine, BME_CODES, f"AND pay_band = '{band}'")
            white = headcount(engine, WHITE_CODES, f"AND pay_band = '{band}'")
            if bme + white:  # published at 1 decimal (percentages) and 2 (ratios), without suppression
                assert table.loc[band, "bme_pct"] == pytest.approx(100 * bme / (bme + white), abs=0.05)
                expected_ratio = (bme / (bme + white)) / (total_bme / (total_bme + total_white))
                assert table.loc[band, "ratio_workforce"] == pytest.approx(expected_ratio, abs=0.01)

    def test_non_executive_directors_are_not_in_the_workforce(self, engine):
        bands = q.band_counts(engine, TRUST, YEAR)
        assert "Non-executive director" not in set(bands["pay_band"])

    def test_indicator_2_white_over_bme_appointment_from_shortlisting(self, engine):
        white = applicants(engine, WHITE_CODES, True) / applicants(engine, WHITE_CODES, False)
        bme = applicants(engine, BME_CODES, True) / applicants(engine, BME_CODES, False)
        estimate = wf.likelihood_estimate(q.likelihood_counts(engine, TRUST, YEAR), 2)
        assert estimate.value == pytest.approx(white / bme)

    def test_indicator_3_bme_over_white_entering_formal_disciplinary(self, engine):
        bme = staff_with_event(engine, BME_CODES, "formal_disciplinary") / headcount(engine, BME_CODES)
        white = staff_with_event(engine, WHITE_CODES, "formal_disciplinary") / headcount(engine, WHITE_CODES)
        estimate = wf.likelihood_estimate(q.likelihood_counts(engine, TRUST, YEAR), 3)
        if white == 0:
            assert estimate.value is None
        else:
            assert estimate.value == pytest.approx(bme / white)

    def test_indicator_4_white_over_bme_accessing_non_mandatory_training(self, engine):
        white = staff_with_event(engine, WHITE_CODES, "non_mandatory_training") / headcount(
            engine, WHITE_CODES
        )
        bme = staff_with_event(engine, BME_CODES, "non_mandatory_training") / headcount(engine, BME_CODES)
        estimate = wf.likelihood_estimate(q.likelihood_counts(engine, TRUST, YEAR), 4)
        assert estimate.value == pytest.approx(white / bme)
        assert estimate.lower < estimate.value < estimate.upper

    def test_indicator_9_board_voting_bme_percent_minus_workforce_bme_percent(self, engine):
        voting = "snapshot_date = :s AND board_member = TRUE AND board_voting = TRUE AND ethnic_category IN "
        board_bme = scalar(engine, f"SELECT COUNT(*) FROM staff WHERE {voting}{BME_CODES}", s=SNAPSHOT)
        board_white = scalar(engine, f"SELECT COUNT(*) FROM staff WHERE {voting}{WHITE_CODES}", s=SNAPSHOT)
        bme, white = headcount(engine, BME_CODES), headcount(engine, WHITE_CODES)
        expected = 100 * board_bme / (board_bme + board_white) - 100 * bme / (bme + white)
        table = wf.board_table(q.board_counts(engine, TRUST, YEAR), bme, white, NO_SUPPRESSION)
        assert float(table.frame["difference_pp"].iloc[0]) == pytest.approx(expected, abs=0.1)

    def test_indicator_9_is_suppressed_under_the_default_policy_for_the_demo_board(self, engine):
        from measures.disclosure import DEFAULT_POLICY

        bme, white = headcount(engine, BME_CODES), headcount(engine, WHITE_CODES)
        table = wf.board_table(q.board_counts(engine, TRUST, YEAR), bme, white, DEFAULT_POLICY)
        assert bool(table.mask["board_pct"].iloc[0])
        assert table.frame["difference_pp"].iloc[0] == "", (
            "the difference of a hidden percentage is not shown"
        )


class TestWorkforceQueries:
    def test_the_snapshots_are_the_31_march_dates_with_their_wres_year(self, engine):
        years = q.snapshot_years(engine, TRUST)
        assert list(years["snapshot_date"])[-1] == SNAPSHOT
        assert list(years["financial_year"])[-1] == YEAR
        assert all(d.endswith("-03-31") for d in years["snapshot_date"])

    def test_working_age_population_is_residents_aged_16_to_64(self, engine):
        expected = scalar(
            engine,
            "SELECT SUM(p.count) FROM population_age_sex p JOIN age_band b ON b.band = p.age_band "
            "WHERE b.age_from >= 16 AND b.age_to <= 64",
        )
        assert q.population_counts(engine, TRUST)["population"].sum() == expected

    def test_clinical_and_non_clinical_add_up_to_all_staff(self, engine):
        every = q.band_counts(engine, TRUST, YEAR)["staff"].sum()
        clinical = q.band_counts(engine, TRUST, YEAR, "clinical")["staff"].sum()
        other = q.band_counts(engine, TRUST, YEAR, "non_clinical")["staff"].sum()
        assert clinical + other == every

    def test_boroughs_add_up_to_the_staff_with_a_work_borough(self, engine):
        by_borough = q.borough_counts(engine, TRUST, YEAR)["staff"].sum()
        expected = scalar(
            engine,
            f"SELECT COUNT(*) FROM staff WHERE snapshot_date = :s AND work_lad_code IS NOT NULL AND {NOT_NED}",
            s=SNAPSHOT,
        )
        assert by_borough == expected

    def test_champion_teams_list_every_team_and_champions_match_a_recount(self, engine):
        teams = q.champion_teams(engine, TRUST, YEAR)
        assert len(teams) == scalar(engine, "SELECT COUNT(*) FROM team")
        expected = scalar(
            engine, "SELECT COUNT(*) FROM staff WHERE snapshot_date = :s AND hi_champion = TRUE", s=SNAPSHOT
        )
        assert teams["champions"].sum() == expected
        assert (teams["champions"] == 0).any()

    def test_an_unknown_staff_filter_is_refused(self, engine):
        with pytest.raises(ValueError):
            q.band_counts(engine, TRUST, YEAR, "everyone'; --")


class TestScope:
    def test_a_champion_scope_sees_no_recruitment_board_survey_or_targets(self, engine):
        team_id = scalar(engine, "SELECT MIN(id) FROM team")
        champion = Scope.teams([team_id])
        likelihoods = q.likelihood_counts(engine, champion, YEAR)
        assert likelihoods[likelihoods["indicator"] == 2].empty
        assert q.board_counts(engine, champion, YEAR).empty
        assert q.staff_survey(engine, champion).empty
        assert q.targets(engine, champion).empty

    def test_a_champion_scope_counts_only_their_teams_staff(self, engine):
        team_id = scalar(engine, "SELECT MIN(id) FROM team")
        expected = scalar(
            engine,
            "SELECT COUNT(*) FROM staff WHERE snapshot_date = :s AND team_id = :t",
            s=SNAPSHOT,
            t=team_id,
        )
        assert q.band_counts(engine, Scope.teams([team_id]), YEAR)["staff"].sum() == expected

    def test_the_summary_tables_give_the_record_level_counts(self, engine):
        by_record = scalar(
            engine,
            f"SELECT COUNT(*) FROM staff WHERE snapshot_date = :s AND {NOT_NED} AND clinical = TRUE "
            "AND work_lad_code = 'E09000008'",
            s=SNAPSHOT,
        )
        assert q.band_counts(engine, TRUST, YEAR, "clinical", "E09000008")["staff"].sum() == by_record
        characteristics = q.characteristic_counts(engine, TRUST, YEAR, "clinical", "E09000008")
        assert characteristics.groupby("characteristic")["staff"].sum().eq(by_record).all()
        voting = scalar(
            engine,
            "SELECT COUNT(*) FROM staff WHERE snapshot_date = :s AND board_member = TRUE AND board_voting = TRUE",
            s=SNAPSHOT,
        )
        assert q.board_counts(engine, TRUST, YEAR)["members"].sum() == voting

    def test_no_scope_no_rows(self, engine):
        assert q.band_counts(engine, Scope.nothing(), YEAR).empty
        assert q.population_counts(engine, Scope.nothing()).empty
