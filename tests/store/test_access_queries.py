"""The Service access queries on the tiny store (SQLite and PostgreSQL), checked by independent
recomputation: plain SQL over the record-level tables, written separately from the query files (which
read the summary tables built at each load), then the published formulas (Byar's rate, log rate ratio,
Wilson proportion, median), compared with what the page's code computes."""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest
from sqlalchemy import text

from data.store import make_engine
from measures.access import median_from_histogram, proportion_table
from measures.benchmark import group_rate_table
from measures.disclosure import NO_SUPPRESSION
from queries import access
from queries.scope import Scope

YEAR = "2024-25"
STANDARD = 28
TRUST = Scope.whole_trust()


@pytest.fixture
def engine(any_store_url):
    engine = make_engine(any_store_url)
    yield engine
    engine.dispose()


def scalar(engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


class TestPeopleReferredPer100000IsRecomputedIndependently:
    def test_black_people_referred_rate_and_ratio_to_white(self, engine):
        # plain SQL: distinct people with a referral received in the year, by broad group
        referred = dict(
            rows(
                engine,
                "SELECT e.broad_group, COUNT(DISTINCT r.person_id) FROM referral r "
                "JOIN calendar c ON c.date = r.received_date JOIN person p ON p.id = r.person_id "
                "JOIN ethnic_category e ON e.code = p.ethnic_category "
                "WHERE c.financial_year = :y GROUP BY e.broad_group",
                y=YEAR,
            )
        )
        residents = dict(
            rows(
                engine,
                "SELECT g.nhs_broad_group, SUM(p.count) FROM population p "
                "JOIN census_ethnic_group g ON g.code = p.census_ethnic_group GROUP BY g.nhs_broad_group",
            )
        )
        # the query and the page's formula
        counts = access.people_counts(engine, TRUST, financial_year=YEAR, dims=("broad_group",))
        pop = access.population_counts(engine, TRUST, dims=("broad_group",))
        assert dict(zip(counts["broad_group"], counts["people_referred"], strict=True)) == referred
        frame = counts.merge(pop, on="broad_group").rename(
            columns={"broad_group": "group", "people_referred": "events"}
        )
        table = group_rate_table(
            frame[["group", "events", "population"]], reference="White", policy=NO_SUPPRESSION
        )
        black = table.frame.set_index("group").loc["Black"]
        o, n = referred["Black"], int(residents["Black"])
        # figures are stored at the precision shown: rates to 1 decimal, ratios to 2
        assert black["value"] == pytest.approx(round(o / n * 100_000, 1))
        z = 1.959963984540054
        byars_lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3 / n * 100_000
        assert black["lower"] == pytest.approx(round(byars_lower, 1))
        rr = (o / n) / (referred["White"] / int(residents["White"]))
        se = math.sqrt(1 / o + 1 / referred["White"])
        assert black["ratio_value"] == pytest.approx(round(rr, 2))
        assert black["ratio_upper"] == pytest.approx(round(rr * math.exp(z * se), 2))


class TestPoliceRouteShareIsRecomputedIndependently:
    def test_share_of_referrals_from_police_by_sex(self, engine):
        expected = dict(
            ((sex, (police, total)) for sex, police, total in rows(
                engine,
                "SELECT p.sex, SUM(CASE WHEN r.source = 'Police or criminal justice' THEN 1 ELSE 0 END), COUNT(*) "
                "FROM referral r JOIN calendar c ON c.date = r.received_date JOIN person p ON p.id = r.person_id "
                "WHERE c.financial_year = :y GROUP BY p.sex",
                y=YEAR,
            ))
        )  # fmt: skip
        counts = access.people_counts(engine, TRUST, financial_year=YEAR, dims=("sex",))
        table = proportion_table(
            counts.rename(columns={"sex": "group"})[["group", "source_police", "referrals"]],
            group_column="group", numerator="source_police", denominator="referrals", policy=NO_SUPPRESSION,
        )  # fmt: skip
        for _, row in table.frame.iterrows():
            police, total = expected[row["group"]]
            assert (row["source_police"], row["referrals"]) == (police, total)
            p, z = police / total, 1.959963984540054
            wilson_lower = (2 * police + z**2 - z * math.sqrt(z**2 + 4 * police * (1 - p))) / (
                2 * (total + z**2)
            )
            assert row["value"] == pytest.approx(round(p * 100, 1))  # stored at the precision shown
            assert row["value_lower"] == pytest.approx(round(wilson_lower * 100, 1))


class TestMedianWaitIsRecomputedIndependently:
    def test_median_days_to_first_contact_for_everyone_and_one_group(self, engine):
        waits = rows(
            engine,
            "SELECT e.broad_group, fc.day_number - rc.day_number FROM referral r "
            "JOIN calendar rc ON rc.date = r.received_date JOIN calendar fc ON fc.date = r.first_contact_date "
            "JOIN person p ON p.id = r.person_id JOIN ethnic_category e ON e.code = p.ethnic_category "
            "WHERE rc.financial_year = :y AND r.accepted",
            y=YEAR,
        )
        histogram = access.wait_histogram(engine, TRUST, financial_year=YEAR, dims=("broad_group",))
        histogram = histogram[histogram["wait_days"].notna()]  # accepted referrals not seen yet
        everyone = histogram.groupby("wait_days")["referrals"].sum()
        capped = [min(w, 366) for _, w in waits]
        assert median_from_histogram(everyone.index, everyone.to_numpy()) == statistics.median(capped)
        asian = histogram[histogram["broad_group"] == "Asian"]
        assert median_from_histogram(asian["wait_days"], asian["referrals"]) == statistics.median(
            min(w, 366) for g, w in waits if g == "Asian"
        )

    def test_seen_within_the_standard(self, engine):
        within = scalar(
            engine,
            "SELECT COUNT(*) FROM referral r JOIN calendar rc ON rc.date = r.received_date "
            "JOIN calendar fc ON fc.date = r.first_contact_date "
            "WHERE rc.financial_year = :y AND r.accepted AND fc.day_number - rc.day_number <= :d",
            y=YEAR, d=STANDARD,
        )  # fmt: skip
        waits = access.wait_histogram(engine, TRUST, financial_year=YEAR)
        assert int(waits.loc[waits["wait_days"] <= STANDARD, "referrals"].sum()) == within
        counts = access.people_counts(engine, TRUST, YEAR, STANDARD)
        assert int(counts["seen_within_standard"].iloc[0]) == within


class TestPeopleAreCountedOnce:
    def test_age_bands_add_up_to_everyone(self, engine):
        distinct = scalar(
            engine,
            "SELECT COUNT(DISTINCT r.person_id) FROM referral r JOIN calendar c ON c.date = r.received_date "
            "WHERE c.financial_year = :y",
            y=YEAR,
        )
        by_age = access.people_counts(engine, TRUST, financial_year=YEAR, dims=("age_band",))
        assert int(by_age["people_referred"].sum()) == distinct

    def test_the_population_by_age_and_sex_adds_up_to_all_residents(self, engine):
        total = scalar(engine, "SELECT SUM(count) FROM population")
        cells = access.population_counts(engine, TRUST, dims=("age_band", "sex"))
        assert int(cells["population"].sum()) == int(total)


class TestScopeAndParameters:
    def test_a_champion_scope_sees_only_their_teams_referrals(self, engine):
        team_id = scalar(engine, "SELECT MIN(id) FROM team WHERE service_line = 'Talking Therapies'")
        expected = scalar(
            engine,
            "SELECT COUNT(DISTINCT r.person_id) FROM referral r JOIN calendar c ON c.date = r.received_date "
            "WHERE c.financial_year = :y AND r.team_id = :t",
            y=YEAR, t=team_id,
        )  # fmt: skip
        counts = access.people_counts(engine, Scope.teams({team_id}), financial_year=YEAR)
        assert int(counts["people_referred"].sum()) == expected

    def test_an_unknown_characteristic_is_refused_before_any_sql(self, engine):
        with pytest.raises(ValueError, match="unknown characteristics"):
            access.people_counts(engine, TRUST, financial_year=YEAR, dims=("p.id",))

    def test_every_query_runs_with_five_characteristics(self, engine):
        dims = ("ethnic_category", "sex", "age_band", "imd_quintile", "borough")
        for frame in (
            access.people_counts(engine, TRUST, financial_year=YEAR, dims=dims),
            access.people_counts(
                engine, TRUST, financial_year=YEAR, dims=("broad_group", "borough", "religion")
            ),
            access.wait_histogram(engine, TRUST, financial_year=YEAR, dims=dims),
            access.talking_therapies_outcomes(engine, TRUST, financial_year=YEAR, dims=dims),
            access.monthly_people(engine, TRUST, "ethnic_category"),
            access.team_people(engine, TRUST, financial_year=YEAR, dims=dims[:1]),
        ):
            assert not frame.empty
            assert isinstance(frame, pd.DataFrame)

    def test_a_characteristic_kept_one_at_a_time_cannot_be_crossed_with_sex(self, engine):
        with pytest.raises(ValueError, match="combined only with"):
            access.people_counts(engine, TRUST, financial_year=YEAR, dims=("religion", "sex"))


class TestTheSummariesGiveTheRecordLevelCounts:
    def test_people_by_religion_and_borough_match_the_referrals(self, engine):
        expected = {
            (religion, borough): n
            for religion, borough, n in rows(
                engine,
                "SELECT p.religion, a.name, COUNT(DISTINCT r.person_id) FROM referral r "
                "JOIN calendar c ON c.date = r.received_date JOIN person p ON p.id = r.person_id "
                "JOIN area a ON a.code = p.lad_code WHERE c.financial_year = :y GROUP BY p.religion, a.name",
                y=YEAR,
            )
        }
        counts = access.people_counts(engine, TRUST, financial_year=YEAR, dims=("religion", "borough"))
        got = {(r, b): n for r, b, n in counts[["religion", "borough", "people_referred"]].itertuples(index=False)
               if b != "Not known"}  # fmt: skip
        assert got == expected

    def test_people_referred_each_month_match_the_referrals(self, engine):
        expected = dict(
            rows(
                engine,
                "SELECT c.month_start, COUNT(DISTINCT r.person_id) FROM referral r "
                "JOIN calendar c ON c.date = r.received_date WHERE c.in_period GROUP BY c.month_start",
            )
        )
        monthly = access.monthly_people(engine, TRUST)
        assert dict(zip(monthly["month_start"], monthly["people_referred"], strict=True)) == {
            str(k)[:10]: v for k, v in expected.items()
        }

    def test_a_service_line_counts_each_person_once(self, engine):
        line = "Talking Therapies"
        expected = scalar(
            engine,
            "SELECT COUNT(DISTINCT r.person_id) FROM referral r JOIN calendar c ON c.date = r.received_date "
            "JOIN team t ON t.id = r.team_id WHERE c.financial_year = :y AND t.service_line = :l",
            y=YEAR, l=line,
        )  # fmt: skip
        counts = access.people_counts(engine, TRUST, financial_year=YEAR, dims=("sex",), service_line=line)
        assert int(counts["people_referred"].sum()) == expected
