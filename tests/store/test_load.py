"""python -m data.load: checks before writing, all or nothing, on SQLite and PostgreSQL.

The base extracts are the tiny demo store's record-level tables written out as CSV, so a round trip
must give identical row counts; each bad-data case changes one file and must leave the store exactly as
it was (a checksum of every table before and after).
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data import load as loader
from data import schema
from data.config import load_trust_config
from data.extracts import CTO_COLUMNS, EXTRACT_TABLES
from data.store import make_engine
from tests.conftest import copy_store

OPTIONAL = ("area", "population", "population_age_sex")


@pytest.fixture(scope="session")
def demo_extracts(tmp_path_factory, tiny_engine) -> Path:
    """The tiny demo's record-level tables as extract files (CTOs in their own file)."""
    folder = tmp_path_factory.mktemp("extracts")
    with tiny_engine.connect() as connection:
        for table in EXTRACT_TABLES + OPTIONAL:
            if table == "cto":
                sql = (
                    f"SELECT {', '.join(CTO_COLUMNS)} FROM mha_episode WHERE legal_status = 'CTO' ORDER BY id"
                )
            elif table == "mha_episode":
                sql = "SELECT * FROM mha_episode WHERE legal_status <> 'CTO' ORDER BY id"
            else:
                sql = f"SELECT * FROM {table}"
            frame = pd.read_sql(text(sql), connection)
            for column in frame.columns:  # whole numbers, as a warehouse writes them
                if frame[column].dtype == float and frame[column].dropna().mod(1).eq(0).all():
                    frame[column] = frame[column].astype("Int64")
            frame.to_csv(folder / f"{table}.csv", index=False)
    return folder


@pytest.fixture(scope="session")
def small_extracts(tmp_path_factory, demo_extracts) -> Path:
    """The same extracts cut to 300 people (and what refers to them), so that each case runs quickly."""
    folder = tmp_path_factory.mktemp("small")
    shutil.copytree(demo_extracts, folder, dirs_exist_ok=True)
    (folder / "population_age_sex.csv").unlink()
    people = pd.read_csv(folder / "person.csv")
    kept = set(people["id"].head(300))
    people[people["id"].isin(kept)].to_csv(folder / "person.csv", index=False)
    for table in ("referral", "mha_episode", "cto", "restrictive_intervention", "outcome"):
        frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
        frame[pd.to_numeric(frame["person_id"]).isin(kept)].to_csv(folder / f"{table}.csv", index=False)
    referrals = set(pd.read_csv(folder / "referral.csv")["id"])
    outcomes = pd.read_csv(folder / "outcome.csv", dtype=str, keep_default_na=False)
    outcomes[pd.to_numeric(outcomes["referral_id"]).isin(referrals)].to_csv(
        folder / "outcome.csv", index=False
    )
    return folder


@pytest.fixture
def extracts(tmp_path, small_extracts) -> Path:
    """A private copy of the (small) extracts that a test may damage."""
    folder = tmp_path / "extracts"
    shutil.copytree(small_extracts, folder)
    return folder


@pytest.fixture
def full_extracts(tmp_path, demo_extracts) -> Path:
    folder = tmp_path / "full"
    shutil.copytree(demo_extracts, folder)
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    name = f"equality_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {
            t.name: connection.execute(text(f"SELECT COUNT(*) FROM {t.name}")).scalar_one()
            for t in schema.TABLES
        }
    engine.dispose()
    return counts


def _checksum(url: str) -> str:
    """A digest of every row of every table (order-independent)."""
    engine = make_engine(url)
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in schema.TABLES:
            rows = sorted(repr(tuple(row)) for row in connection.execute(text(f"SELECT * FROM {table.name}")))
            digest.update(table.name.encode())
            for row in rows:
                digest.update(row.encode())
    engine.dispose()
    return digest.hexdigest()


def _load(url: str, *args: str) -> int:
    return loader.main(["--url", url, "--report", str(Path(url.split("///")[-1]).parent / "report.csv")
                        if url.startswith("sqlite") else "/tmp/equality-load-report.csv", *args])  # fmt: skip


class TestRoundTrip:
    def test_the_demo_exported_as_extracts_loads_back_with_identical_row_counts(
        self, empty_url, full_extracts, tiny_store_url
    ):
        assert _load(empty_url, "--extracts", str(full_extracts)) == 0
        loaded, original = _row_counts(empty_url), _row_counts(tiny_store_url)
        for table in (*[t for t in EXTRACT_TABLES if t != "cto"], *OPTIONAL):
            assert loaded[table] == original[table], table

    def test_the_load_is_recorded_with_its_files_and_period(self, empty_url, extracts):
        assert _load(empty_url, "--extracts", str(extracts)) == 0
        engine = make_engine(empty_url)
        with engine.connect() as connection:
            log = connection.execute(text("SELECT kind, files, data_start, data_end FROM load_log")).all()
        engine.dispose()
        assert len(log) == 1 and log[0][0] == "extracts" and "person.csv" in log[0][1]
        assert str(log[0][2]) == "2021-04-01" and str(log[0][3]) == "2026-03-31"

    def test_a_dry_run_writes_nothing(self, empty_url, extracts):
        assert _load(empty_url, "--extracts", str(extracts), "--dry-run") == 0
        assert _row_counts(empty_url)["person"] == 0

    def test_a_second_load_replaces_the_tables_it_supplies(self, empty_url, extracts):
        assert _load(empty_url, "--extracts", str(extracts)) == 0
        referrals = pd.read_csv(extracts / "referral.csv")
        referrals = referrals[referrals["id"] % 2 == 0]
        outcomes = pd.read_csv(extracts / "outcome.csv")
        outcomes[outcomes["referral_id"].isin(referrals["id"])].to_csv(extracts / "outcome.csv", index=False)
        referrals.to_csv(extracts / "referral.csv", index=False)
        assert _load(empty_url, "--extracts", str(extracts)) == 0
        assert _row_counts(empty_url)["referral"] == len(referrals)
        engine = make_engine(empty_url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM load_log")).scalar_one() == 2
        engine.dispose()


def _damage(folder: Path, table: str, change) -> None:
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    change(frame)
    frame.to_csv(folder / f"{table}.csv", index=False)


BAD_DATA = {
    "missing_column": ("person", lambda f: f.pop("ethnic_category"), "person.csv", "ethnic_category"),
    "date_unparseable": ("referral", lambda f: f.loc.__setitem__((3, "received_date"), "31/02/2024"), "referral.csv", "received_date"),
    "date_in_future": ("referral", lambda f: f.loc.__setitem__((4, "received_date"), "2099-01-01"), "referral.csv", "received_date"),
    "code_unknown": ("person", lambda f: f.loc.__setitem__((2, "ethnic_category"), "Q"), "person.csv", "ethnic_category"),
    "cto_in_legal_status": ("mha_episode", lambda f: f.loc.__setitem__((1, "legal_status"), "17A"), "mha_episode.csv", "legal_status"),
    "unknown_reference": ("referral", lambda f: f.loc.__setitem__((5, "person_id"), "999999"), "referral.csv", "person_id"),
    "duplicate_key": ("team", lambda f: f.loc.__setitem__((2, "id"), f.loc[1, "id"]), "team.csv", "id"),
    "implausible": ("referral", lambda f: f.loc.__setitem__((6, "dna_count"), "-3"), "referral.csv", "dna_count"),
    "type": ("referral", lambda f: f.loc.__setitem__((7, "accepted"), "maybe"), "referral.csv", "accepted"),
}  # fmt: skip


class TestBadDataLeavesTheStoreUnchanged:
    @pytest.mark.parametrize("rule", sorted(BAD_DATA))
    def test_each_class_of_bad_data_is_reported_with_file_line_and_column(
        self, rule, empty_url, extracts, capsys
    ):
        assert _load(empty_url, "--extracts", str(extracts)) == 0
        before = _checksum(empty_url)
        table, change, file, column = BAD_DATA[rule]
        _damage(extracts, table, change)
        capsys.readouterr()
        assert _load(empty_url, "--extracts", str(extracts)) == 1
        out = capsys.readouterr().out
        assert f"{file}, line " in out or rule == "missing_column"
        assert f"column '{column}'" in out and f"({rule})" in out
        assert "the store is unchanged" in out
        assert _checksum(empty_url) == before

    def test_an_empty_file_is_refused_with_a_clear_message(self, empty_url, extracts, capsys):
        (extracts / "staff_survey.csv").write_text("", encoding="utf-8")
        assert _load(empty_url, "--extracts", str(extracts)) == 1
        assert "staff_survey.csv" in capsys.readouterr().out
        assert _row_counts(empty_url)["person"] == 0

    def test_a_failure_while_writing_the_last_table_rolls_everything_back(
        self, empty_url, extracts, monkeypatch
    ):
        assert _load(empty_url, "--extracts", str(extracts)) == 0
        before = _checksum(empty_url)
        last = [t for t in schema.TABLES if t.name in EXTRACT_TABLES][-1].name
        original_insert = loader._insert

        def failing_insert(connection, table, frame, chunk=20_000):
            if table.name == last:
                raise loader.SQLAlchemyError("simulated failure on the last table")
            return original_insert(connection, table, frame, chunk)

        monkeypatch.setattr(loader, "_insert", failing_insert)
        assert _load(empty_url, "--extracts", str(extracts)) == 2
        assert _checksum(empty_url) == before


class TestFileFormats:
    def test_utf8_with_a_bom_cp1252_and_day_month_year_dates_load(self, tmp_path, extracts):
        teams = pd.read_csv(extracts / "team.csv", dtype=str, keep_default_na=False)
        teams.loc[0, "name"] = "Café Ward (Crèche annexe)"
        teams.to_csv(extracts / "team.csv", index=False, encoding="cp1252")
        people = (extracts / "person.csv").read_text(encoding="utf-8")
        (extracts / "person.csv").write_text(people, encoding="utf-8-sig")
        referrals = pd.read_csv(extracts / "referral.csv", dtype=str, keep_default_na=False)
        referrals["received_date"] = pd.to_datetime(referrals["received_date"]).dt.strftime("%d/%m/%Y")
        referrals.to_csv(extracts / "referral.csv", index=False)
        url = f"sqlite:///{tmp_path / 'formats.db'}"
        assert _load(url, "--extracts", str(extracts)) == 0
        engine = make_engine(url)
        with engine.connect() as connection:
            assert (
                connection.execute(
                    text("SELECT COUNT(*) FROM team WHERE name = 'Café Ward (Crèche annexe)'")
                ).scalar_one()
                == 1
            )
        engine.dispose()

    def test_a_mapping_renames_columns_recodes_values_and_numbers_text_ids(self, tmp_path, extracts):
        people = pd.read_csv(extracts / "person.csv", dtype=str, keep_default_na=False)
        people["id"] = "P" + people["id"].str.zfill(7)
        people["sex"] = people["sex"].map({"M": "1", "F": "2", "X": "9"})
        people = people.rename(columns={"id": "PSEUDO_ID", "ethnic_category": "ETHNICITY"})
        people.loc[0, "ETHNICITY"] = "CA"  # a local sub-code of C
        people.to_csv(extracts / "patients.csv", index=False)
        (extracts / "person.csv").unlink()
        for table in ("referral", "mha_episode", "cto", "restrictive_intervention", "outcome"):
            _damage(extracts, table, lambda f: f.__setitem__("person_id", "P" + f["person_id"].str.zfill(7)))
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text(
            "files:\n  person:\n    file: patients.csv\n    columns: {id: PSEUDO_ID, ethnic_category: ETHNICITY}\n"
            "    recode:\n      sex: {'1': M, '2': F, '9': X}\n",
            encoding="utf-8",
        )
        url = f"sqlite:///{tmp_path / 'mapped.db'}"
        assert _load(url, "--extracts", str(extracts), "--mapping", str(mapping)) == 0
        engine = make_engine(url)
        with engine.connect() as connection:
            assert (
                connection.execute(
                    text("SELECT COUNT(*) FROM person WHERE sex NOT IN ('M','F','X')")
                ).scalar_one()
                == 0
            )
            orphans = (
                "SELECT COUNT(*) FROM referral r LEFT JOIN person p ON p.id = r.person_id WHERE p.id IS NULL"
            )
            assert connection.execute(text(orphans)).scalar_one() == 0
        engine.dispose()

    def test_the_local_sub_code_na_rolls_up_to_african_and_is_never_read_as_empty(self, tmp_path, extracts):
        _damage(extracts, "person", lambda f: f.loc.__setitem__((0, "ethnic_category"), "NA"))
        url = f"sqlite:///{tmp_path / 'na.db'}"
        assert _load(url, "--extracts", str(extracts)) == 0
        engine = make_engine(url)
        first = pd.read_csv(extracts / "person.csv")["id"].iloc[0]
        with engine.connect() as connection:
            code = connection.execute(
                text("SELECT ethnic_category FROM person WHERE id = :i"), {"i": int(first)}
            )
            assert code.scalar_one() == "N"
        engine.dispose()

    def test_unquoted_codes_in_a_recode_are_a_usage_error(self, tmp_path, extracts, capsys):
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text(
            "files:\n  mha_episode:\n    recode:\n      legal_status: {02: '02'}\n", encoding="utf-8"
        )
        assert (
            _load(f"sqlite:///{tmp_path / 'x.db'}", "--extracts", str(extracts), "--mapping", str(mapping))
            == 2
        )
        assert "quote codes" in capsys.readouterr().err

    def test_a_mapping_naming_a_column_the_store_lacks_is_a_usage_error(self, tmp_path, extracts, capsys):
        mapping = tmp_path / "mapping.yaml"
        mapping.write_text("files:\n  person:\n    columns: {nhs_number: NHS_NO}\n", encoding="utf-8")
        assert (
            _load(f"sqlite:///{tmp_path / 'x.db'}", "--extracts", str(extracts), "--mapping", str(mapping))
            == 2
        )
        assert "nhs_number" in capsys.readouterr().err


class TestWarnings:
    def test_rows_repeated_under_new_ids_are_reported(self, tmp_path, extracts, capsys):
        referrals = pd.read_csv(extracts / "referral.csv", dtype=str, keep_default_na=False)
        copies = referrals.head(50).copy()
        copies["id"] = (pd.to_numeric(copies["id"]) + 10_000_000).astype(str)
        pd.concat([referrals, copies]).to_csv(extracts / "referral.csv", index=False)
        assert _load(f"sqlite:///{tmp_path / 'dupes.db'}", "--extracts", str(extracts)) == 0
        out = capsys.readouterr().out
        assert "duplicate_rows" in out and "50 rows repeat an earlier row" in out

    def test_a_value_the_pages_rely_on_that_matches_no_row_is_reported(self, tmp_path, extracts, capsys):
        _damage(
            extracts,
            "referral",
            lambda f: f.__setitem__("source", f["source"].replace("Police or criminal justice", "Other")),
        )
        assert _load(f"sqlite:///{tmp_path / 'police.db'}", "--extracts", str(extracts)) == 0
        out = capsys.readouterr().out
        assert "relied_on_value_missing" in out and "Police or criminal justice" in out


class TestCensus:
    def test_the_real_ts021_file_loads_lambeths_usual_residents(self, tmp_path, monkeypatch):
        config = tmp_path / "trust.yaml"
        config.write_text("trust:\n  name: Test trust\n  boroughs: [E09000022]\n", encoding="utf-8")
        monkeypatch.setenv("EQUALITY_TRUST_CONFIG", str(config))
        census = Path(__file__).resolve().parents[2] / "data" / "ons" / "census2021-ts021-msoa.csv"
        url = f"sqlite:///{tmp_path / 'census.db'}"
        assert _load(url, "--census", str(census)) == 0
        engine = make_engine(url)
        with engine.connect() as connection:
            total = connection.execute(text("SELECT SUM(count) FROM population")).scalar_one()
            boroughs = connection.execute(text("SELECT code FROM area WHERE type = 'lad'")).scalars().all()
        engine.dispose()
        assert total == 317_658 and boroughs == ["E09000022"]
        assert load_trust_config().boroughs == ("E09000022",)


class TestLoadingOverTheDemo:
    def test_a_census_file_over_the_demo_keeps_the_synthetic_label_and_drops_the_old_age_sex_split(
        self, tmp_path, tiny_store_url, capsys
    ):
        path = tmp_path / "demo.db"
        url = copy_store(tiny_store_url, path)
        census = Path(__file__).resolve().parents[2] / "data" / "ons" / "census2021-ts021-msoa.csv"
        assert _load(url, "--census", str(census)) == 0
        assert "age_sex_split_removed" in capsys.readouterr().out
        engine = make_engine(url)
        with engine.connect() as connection:
            flag = connection.execute(
                text("SELECT value FROM dataset_info WHERE key = 'synthetic'")
            ).scalar_one()
            split = connection.execute(text("SELECT COUNT(*) FROM population_age_sex")).scalar_one()
        engine.dispose()
        assert flag == "true" and split == 0

    def test_an_age_sex_split_that_does_not_add_up_to_the_population_is_reported(
        self, tmp_path, extracts, capsys
    ):
        population = pd.read_csv(extracts / "population.csv")
        split = population.assign(sex="F", age_band="20-24")
        split.loc[0, "count"] += 7
        split.to_csv(extracts / "population_age_sex.csv", index=False)
        assert _load(f"sqlite:///{tmp_path / 'split.db'}", "--extracts", str(extracts)) == 0
        out = capsys.readouterr().out
        assert "age_sex_split_mismatch" in out and "-7" in out and "1 cells differ" in out


class TestDemoRefusesAStoreWithData:
    def test_without_replace_the_demo_leaves_a_store_with_data_alone(self, tmp_path, extracts, capsys):
        from data import demo

        url = f"sqlite:///{tmp_path / 'kept.db'}"
        assert _load(url, "--extracts", str(extracts)) == 0
        before = _checksum(url)
        assert demo.main(["--url", url, "--scale", "tiny"]) == 2
        assert "--replace" in capsys.readouterr().err
        assert _checksum(url) == before
