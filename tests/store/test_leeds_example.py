"""The Leeds worked example (examples/leeds, docs/loading-data.md) end to end, on SQLite and PostgreSQL:
``python -m data.load`` loads it into an empty store with exit 0 (a dry run first writes nothing), every
extract's rows arrive, the population is the real Census 2021 TS021 count for Leeds, and figures
recomputed independently from the raw extract files (with pandas, the mapping file's codes and the
MHSDS legal status classification of docs/legal-status.md) equal what the store's queries return."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "leeds"
MAPPING = EXAMPLE / "mapping.yaml"
TRUST_CONFIG = EXAMPLE / "trust.yaml"
CENSUS = PROJECT_ROOT / "data" / "ons" / "census2021-ts021-msoa.csv"
LEEDS = "E08000035"
LEEDS_RESIDENTS = 811_939  # Census 2021 TS021, all usual residents of Leeds' 107 MSOAs
LEEDS_MSOAS = 107
YEAR = "2025-26"
YEAR_START, YEAR_END = date(2025, 4, 1), date(2026, 3, 31)
#: MHSDS legal status codes counted as detentions (docs/legal-status.md), written out independently.
DETENTION_CODES = {"02", "03", "07", "08", "09", "10", "12", "13", "14", "15", "16", "17", "18",
                   "31", "32", "37", "38"}  # fmt: skip
BLACK_CODES = {"M", "N", "P"}  # NHS ethnic categories: Black Caribbean, Black African, any other Black


# --------------------------------------------------------------------------- loading (shared with tests/app)


def load_command(url: str, report: Path, *extra: str) -> list[str]:
    return ["--url", url, "--extracts", str(EXAMPLE), "--mapping", str(MAPPING), "--census", str(CENSUS),
            "--report", str(report), *extra]  # fmt: skip


@contextmanager
def empty_store(backend: str, folder: Path, admin_url: str | None = None):
    """A fresh, empty database on one backend; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'leeds.db'}"
        return
    name = f"equality_leeds_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # a server that refuses is a skip, with the reason
        admin.dispose()
        pytest.skip(f"Cannot create a test database: {type(exc).__name__}: {exc}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Loaded:
    url: str
    dry_run_exit: int
    rows_after_dry_run: dict[str, int]
    exit: int


def load_example(url: str, folder: Path) -> Loaded:
    """Dry run, then the real load, as the guide's one command (``data.load.main``)."""
    from data.load import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EQUALITY_TRUST_CONFIG", str(TRUST_CONFIG))
        dry = main(load_command(url, folder / "dry-run-report.csv", "--dry-run"))
        after_dry = table_rows(url)
        code = main(load_command(url, folder / "load-report.csv"))
    return Loaded(url, dry, after_dry, code)


def table_rows(url: str) -> dict[str, int]:
    from sqlalchemy import inspect

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
            return {n: connection.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names}
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- the raw extracts


def mapping() -> dict:
    return yaml.safe_load(MAPPING.read_text(encoding="utf-8"))["files"]


def raw(table: str) -> pd.DataFrame:
    """One extract exactly as the warehouse wrote it (text columns), by its store table's mapping."""
    spec = mapping()[table]
    encoding = spec.get("encoding") or "utf-8-sig"
    return pd.read_csv(EXAMPLE / spec["file"], dtype=str, keep_default_na=False, encoding=encoding)


def uk_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.where(values != ""), format="%d/%m/%Y")


def in_year(values: pd.Series) -> pd.Series:
    days = uk_dates(values)
    return (days >= pd.Timestamp(YEAR_START)) & (days <= pd.Timestamp(YEAR_END))


def raw_black_detentions() -> int:
    episodes = raw("mha_episode")
    patients = raw("person").set_index("PSEUDO_PATIENT_ID")["ETHNIC_CATEGORY_CODE"]
    detentions = episodes[
        episodes["LEGAL_STATUS_CLASSIFICATION_CODE"].isin(DETENTION_CODES)
        & in_year(episodes["START_DATE_MHA_LEGAL_STATUS"])
    ]
    national = detentions["PSEUDO_PATIENT_ID"].map(patients).str[0]  # sub-codes (NB) roll up (N)
    return int(national.isin(BLACK_CODES).sum())


def raw_detentions() -> int:
    episodes = raw("mha_episode")
    return int((episodes["LEGAL_STATUS_CLASSIFICATION_CODE"].isin(DETENTION_CODES)
                & in_year(episodes["START_DATE_MHA_LEGAL_STATUS"])).sum())  # fmt: skip


def raw_ctos() -> int:
    return int(in_year(raw("cto")["START_DATE_COMMUNITY_TREATMENT_ORDER"]).sum())


def raw_referrals() -> pd.DataFrame:
    referrals = raw("referral")
    return referrals[in_year(referrals["REFERRAL_RECEIVED_DT"])]


def police_codes() -> set[str]:
    return {code for code, value in mapping()["referral"]["recode"]["source"].items()
            if value == "Police or criminal justice"}  # fmt: skip


def raw_black_residents() -> int:
    """Black residents of Leeds from the Nomis file itself: the broad Black column of Leeds' MSOAs."""
    census = pd.read_csv(CENSUS)
    leeds = census[census["geography"].str.match(r"^Leeds \d{3}$")]
    column = next(c for c in census.columns if c.startswith("Ethnic group: Black") and c.count(":") == 1)
    return int(leeds[column].sum())


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, tmp_path_factory) -> Loaded:
    admin = request.getfixturevalue("pg_admin_url") if request.param == "postgresql" else None
    folder = tmp_path_factory.mktemp(f"leeds-{request.param}")
    with empty_store(request.param, folder, admin) as url:
        yield load_example(url, folder)


@pytest.fixture(scope="module")
def engine(loaded):
    from data.store import make_engine

    store = make_engine(loaded.url)
    yield store
    store.dispose()


def scope():
    from queries.scope import Scope

    return Scope.whole_trust()


# --------------------------------------------------------------------------- the load


def test_the_dry_run_exits_0_and_writes_nothing(loaded):
    assert loaded.dry_run_exit == 0
    written = {t: n for t, n in loaded.rows_after_dry_run.items() if n}
    assert written == {}, f"a dry run wrote rows: {written}"


def test_the_example_loads_from_empty_with_exit_0(loaded):
    assert loaded.exit == 0


def test_every_extract_row_arrives(loaded):
    rows = table_rows(loaded.url)
    for table in mapping():
        if table in ("cto", "mha_episode"):
            continue
        assert rows[table] == len(raw(table)), table
    assert rows["mha_episode"] == len(raw("mha_episode")) + len(raw("cto"))
    assert rows["load_log"] == 1


def test_the_population_is_leeds_census_2021(engine):
    with engine.connect() as connection:
        total, areas = connection.execute(
            text("SELECT SUM(count), COUNT(DISTINCT area_code) FROM population")
        ).one()
        neighbourhoods = connection.execute(
            text("SELECT COUNT(*) FROM area WHERE type = 'msoa' AND parent_code = :leeds"), {"leeds": LEEDS}
        ).scalar_one()
    assert (int(total), areas, neighbourhoods) == (LEEDS_RESIDENTS, LEEDS_MSOAS, LEEDS_MSOAS)


def test_the_store_is_labelled_synthetic_with_the_example_trust(engine):
    from queries import overview

    facts = overview.dataset_facts(engine, scope())
    assert facts["synthetic"] == "true"
    assert facts["trust_name"] == "Aire Valley Mental Health NHS Trust (worked example)"
    assert facts["boroughs"] == LEEDS


# --------------------------------------------------------------------------- figures recomputed from the files


def test_black_detentions_in_the_year_match_the_raw_extract(engine):
    from queries import pcref

    events = pcref.coercion_events(engine, scope(), "detentions", YEAR_START, YEAR_END)
    black = int(events.loc[events["ethnic_category"].isin(BLACK_CODES), "events"].sum())
    assert black == raw_black_detentions()
    assert int(events["events"].sum()) == raw_detentions()
    assert black >= 5  # shown on the pages, not suppressed


def test_ctos_in_the_year_match_the_cto_extract(engine):
    from queries import pcref

    events = pcref.coercion_events(engine, scope(), "ctos", YEAR_START, YEAR_END)
    assert int(events["events"].sum()) == raw_ctos()


def test_the_police_route_share_matches_the_raw_extract(engine):
    from queries import access

    counts = access.people_counts(engine, scope(), YEAR, 28).iloc[0]
    referrals = raw_referrals()
    police = int(referrals["SOURCE_OF_REFERRAL"].isin(police_codes()).sum())
    assert (int(counts["referrals"]), int(counts["source_police"])) == (len(referrals), police)
    assert 0 < police / len(referrals) < 1


def test_referrals_by_neighbourhood_match_the_raw_extract(engine):
    from queries import area

    counts = area.area_counts(engine, scope(), "referrals_rate", YEAR, level="msoa", borough=LEEDS)
    assert len(counts) == LEEDS_MSOAS
    assert int(counts["population"].sum()) == LEEDS_RESIDENTS
    homes = raw("person").set_index("PSEUDO_PATIENT_ID")["MSOA21_CODE"]
    expected = raw_referrals()["PSEUDO_PATIENT_ID"].map(homes)
    expected = expected[expected != ""].value_counts()
    shown = counts.set_index("area_code")["events"]
    assert shown[shown > 0].sort_index().to_dict() == expected.sort_index().to_dict()


def test_the_borough_population_of_black_residents_matches_the_census_file(engine):
    from queries import area

    groups = area.group_counts(engine, scope(), "mha_detentions_crude_rate", YEAR, borough=LEEDS)
    black = groups.set_index("broad_group").loc["Black"]
    assert int(black["population"]) == raw_black_residents()
    assert int(black["events"]) == raw_black_detentions()
