"""AppTest on a store loaded by ``python -m data.load`` (the Leeds worked example, docs/loading-data.md),
on SQLite and PostgreSQL: signed in with a login made by ``data.users`` (no demo logins), the Home, Areas
and PCREF pages render without an exception and show figures recomputed from the raw extract files; the
one-district trust's Areas page shows Leeds' neighbourhoods."""

from __future__ import annotations

import secrets

import pandas as pd
import pytest
from streamlit.util import calc_hash

from measures.disclosure import publish_count
from measures.stats import crude_rate, rate_ratio
from tests.conftest import PROJECT_ROOT, sign_in
from tests.store.test_leeds_example import (
    CENSUS,
    DETENTION_CODES,
    LEEDS,
    LEEDS_MSOAS,
    TRUST_CONFIG,
    empty_store,
    in_year,
    load_example,
    raw,
    raw_black_detentions,
    raw_black_residents,
    raw_referrals,
)

TRUST_NAME = "Aire Valley Mental Health NHS Trust (worked example)"
USERNAME, PASSWORD = "aire.analyst", "worked-example-only-7Qz"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def leeds_store_url(request, tmp_path_factory) -> str:
    """The Leeds example loaded into an empty store, with one equality-lead login."""
    from data import users
    from data.store import make_engine

    admin = request.getfixturevalue("pg_admin_url") if request.param == "postgresql" else None
    folder = tmp_path_factory.mktemp(f"leeds-app-{request.param}")
    with empty_store(request.param, folder, admin) as url:
        assert load_example(url, folder).exit == 0
        engine = make_engine(url)
        users.add_user(
            engine, USERNAME, PASSWORD, display_name="Aire Analyst", role="equality_lead", rounds=4
        )
        engine.dispose()
        yield url


@pytest.fixture
def leeds_app(monkeypatch, leeds_store_url):
    """A factory of AppTests of app.py on the loaded store, as the guide configures it."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EQUALITY_DB_URL", leeds_store_url)
    monkeypatch.setenv("EQUALITY_TRUST_CONFIG", str(TRUST_CONFIG))
    monkeypatch.setenv("EQUALITY_COOKIE_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("EQUALITY_LOGIN_SLEEP_SECONDS", "0")
    monkeypatch.chdir(PROJECT_ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_page(page: str = "", **params):
        at = sign_in(AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120), USERNAME, PASSWORD)
        if page:
            for key, value in params.items():
                at.query_params[key] = value
            at._page_hash = calc_hash(page)  # as a browser opening /<page>
            at.run()
        return at

    yield open_page
    st.cache_data.clear()
    st.cache_resource.clear()


def _texts(at) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.warning, *at.info, *at.error])


# --------------------------------------------------------------------------- Home


def test_home_renders_the_trust_with_referrals_recomputed_from_the_extract(leeds_app):
    at = leeds_app()
    assert not at.exception, at.exception
    assert at.title[0].value == TRUST_NAME
    assert any("Synthetic data" in w.value for w in at.warning)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Referrals received"] == f"{publish_count(len(raw_referrals())):,}"
    assert "Serving **Leeds**" in _texts(at)


def test_home_lists_leeds_with_its_neighbourhoods(leeds_app):
    at = leeds_app()
    boroughs = next(d.value for d in at.dataframe if "Borough" in d.value.columns)
    row = boroughs.set_index("ONS code").loc[LEEDS]
    assert row["Borough"] == "Leeds"
    assert int(str(row["Neighbourhoods (MSOA)"]).replace(",", "")) == LEEDS_MSOAS


# --------------------------------------------------------------------------- Areas


def test_areas_renders_on_the_loaded_store(leeds_app):
    at = leeds_app("areas")
    assert not at.exception, at.exception
    assert at.title[0].value == "Areas"
    assert not at.error, [e.value for e in at.error]


def test_leeds_drill_down_shows_its_neighbourhoods_with_recomputed_referrals(leeds_app):
    at = leeds_app("areas", borough=LEEDS, measure="referrals_rate", year="2025-26")
    assert not at.exception, at.exception
    assert at.subheader[0].value.startswith("Leeds:")
    table = at.dataframe[0].value
    assert len(table) == LEEDS_MSOAS
    assert set(table["Area"]) >= {"Leeds 001", "Leeds 107"}
    homes = raw("person").set_index("PSEUDO_PATIENT_ID")["MSOA21_CODE"]
    referrals = raw_referrals()["PSEUDO_PATIENT_ID"].map(homes).value_counts()
    busiest = referrals.index[0]
    shown = table.set_index("Code").loc[busiest, "Events"]
    assert str(shown).replace(",", "") == str(publish_count(int(referrals.iloc[0])))


def test_a_one_district_trust_opens_the_areas_page_on_its_neighbourhoods(leeds_app):
    at = leeds_app("areas")
    assert "Too few areas" not in _texts(at)
    assert len(at.dataframe[0].value) == LEEDS_MSOAS


# --------------------------------------------------------------------------- PCREF


def test_pcref_renders_the_black_detention_rate_recomputed_from_the_extracts(leeds_app):
    at = leeds_app("pcref")
    assert not at.exception, at.exception
    assert at.title[0].value == "PCREF core measures"
    table = at.dataframe[0].value.set_index("Ethnic group")
    expected = crude_rate(raw_black_detentions(), raw_black_residents())
    assert table.loc["Black", "Per 100,000"] == f"{expected.value:,.1f}"
    assert table.loc["Black", "Lower 95% CI"] == f"{expected.lower:,.1f}"


def test_pcref_headline_ratio_matches_the_extracts_and_the_census_file(leeds_app):
    """The headline counts people detained (distinct patients), published rounded to 5, and its ratio
    is worked out from those published counts and the Census residents."""
    at = leeds_app("pcref")
    episodes = raw("mha_episode")
    patients = raw("person").set_index("PSEUDO_PATIENT_ID")["ETHNIC_CATEGORY_CODE"]
    detained = episodes[episodes["LEGAL_STATUS_CLASSIFICATION_CODE"].isin(DETENTION_CODES)
                        & in_year(episodes["START_DATE_MHA_LEGAL_STATUS"])]  # fmt: skip
    broad_code = detained["PSEUDO_PATIENT_ID"].map(patients).str[0]  # sub-codes roll up
    people = detained.assign(code=broad_code).drop_duplicates("PSEUDO_PATIENT_ID")
    black_people = publish_count(int(people["code"].isin({"M", "N", "P"}).sum()))
    white_people = publish_count(int(people["code"].isin({"A", "B", "C"}).sum()))
    census = pd.read_csv(CENSUS)
    leeds = census[census["geography"].str.match(r"^Leeds \d{3}$")]
    white_residents = int(leeds["Ethnic group: White"].sum())
    ratio = rate_ratio(black_people, raw_black_residents(), white_people, white_residents)
    headline = at.markdown[0].value
    assert ratio.lower > 1
    assert f"{ratio.value:.1f} times as likely to be detained as White people" in headline
    assert f"{ratio.lower:.1f} to {ratio.upper:.1f}" in headline


def test_pcref_without_an_age_sex_population_shows_no_error(leeds_app):
    at = leeds_app("pcref")
    assert not at.error, [e.value for e in at.error]
    assert "Age-standardised rates are unavailable" in _texts(at)


# --------------------------------------------------------------------------- Workforce


def test_workforce_says_its_community_is_all_ages_without_a_population_by_age(leeds_app):
    at = leeds_app("workforce")
    assert not at.exception, at.exception
    assert at.title[0].value == "Workforce"
    assert "uses residents of **all ages**" in _texts(at)


def test_the_demo_workforce_compares_with_working_age_residents_without_that_warning(app_test):
    at = sign_in(app_test(), "equality")
    at._page_hash = calc_hash("workforce")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Workforce"
    assert "all ages" not in _texts(at)


def test_pcref_sex_and_age_filters_are_unavailable_without_a_population_by_age_and_sex(leeds_app):
    at = leeds_app("pcref")
    assert not at.exception, at.exception
    filters = {box.label: box for box in at.selectbox}
    assert filters["Sex"].disabled and filters["Age"].disabled
    assert "no population by age and sex" in filters["Sex"].help


def test_the_synthetic_label_says_the_census_population_is_real(leeds_app):
    at = leeds_app("home")
    assert not at.exception, at.exception
    shown = _texts(at)
    assert "no real patients or staff" in shown and "resident populations are real (Census 2021" in shown
    assert "no real patients, staff or census counts" not in shown
