"""AppTest: the home page renders from the store, with the synthetic label and published counts."""

from __future__ import annotations

import re

from data.store import make_engine
from measures.disclosure import publish_count
from queries import overview
from queries.scope import Scope
from tests.conftest import sign_in


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


class TestHomePage:
    def test_renders_without_exception_with_the_trust_name_and_synthetic_label(self, app_test):
        at = sign_in(app_test(), "equality")
        assert not at.exception, at.exception
        assert at.title[0].value == "Riverside and Southbank Mental Health NHS Foundation Trust"
        assert any("Synthetic data" in w.value for w in at.warning)

    def test_headline_counts_are_the_stores_counts_rounded_to_five(self, app_test, tiny_store_url):
        at = sign_in(app_test(), "equality")
        engine = make_engine(tiny_store_url)
        counts = overview.headline_counts(engine, Scope.whole_trust(), "2025-26")
        engine.dispose()
        shown = {m.label: m.value for m in at.metric}
        assert shown["Referrals received"] == f"{publish_count(counts['referrals']):,}"
        assert shown["Mental Health Act detentions"] == f"{publish_count(counts['detentions']):,}"
        for value in shown.values():
            assert value == "*" or int(value.replace(",", "")) % 5 == 0

    def test_choosing_an_earlier_year_changes_the_figures(self, app_test):
        at = sign_in(app_test(), "equality")
        latest = {m.label: m.value for m in at.metric}
        at.selectbox[0].select("2021-22").run()
        assert not at.exception
        earlier = {m.label: m.value for m in at.metric}
        assert earlier != latest

    def test_names_the_boroughs_and_the_data_period(self, app_test):
        text = _text(sign_in(app_test(), "equality"))
        assert "Croydon, Lambeth, Lewisham, Southwark" in text
        assert "1 April 2021" in text and "31 March 2026" in text

    def test_reports_ethnicity_recording_with_a_confidence_interval(self, app_test):
        text = _text(sign_in(app_test(), "equality"))
        assert re.search(r"not stated or not known for [\d.]+%.*95% CI", text)


class TestStoreProblems:
    def test_an_unreachable_database_shows_a_clear_message_without_the_password(self, app_test, monkeypatch):
        monkeypatch.setenv("EQUALITY_DB_URL", "postgresql+psycopg://dash:s3cret-pw@127.0.0.1:1/equality")
        at = app_test().run()
        assert not at.exception
        message = at.error[0].value
        assert "127.0.0.1:1" in message and "s3cret-pw" not in message

    def test_a_missing_sqlite_folder_names_the_file(self, app_test, monkeypatch, tmp_path):
        monkeypatch.setenv("EQUALITY_DB_URL", f"sqlite:///{tmp_path}/missing/dir/store.db")
        at = app_test().run()
        assert not at.exception
        assert "missing/dir" in at.error[0].value

    def test_a_store_without_the_tables_says_how_to_create_them(self, app_test, monkeypatch, tmp_path):
        monkeypatch.setenv("EQUALITY_DB_URL", f"sqlite:///{tmp_path}/empty.db")
        at = app_test().run()
        assert not at.exception
        assert "python -m data.demo" in at.error[0].value


class TestChampionHome:
    def test_is_labelled_as_their_team_and_names_no_borough_list(self, app_test):
        from tests.app.test_access import CHAMPION_TEAM, visit

        at = visit(sign_in(app_test(), "champion"), "home")
        assert not at.exception, at.exception
        assert at.title[0].value == "Your team"
        text = _text(at)
        assert CHAMPION_TEAM in text and "counts your team only" in text
        assert not any(s.value == "Boroughs served" for s in at.subheader)

    def test_its_ethnicity_recording_agrees_with_my_team(self, app_test):
        from tests.app.test_access import visit

        at = sign_in(app_test(), "champion")
        on_my_team = next(m.value for m in at.markdown if m.value.startswith("Ethnicity was not stated"))
        share = re.search(r"for ([\d.]+%) \(about ([\d,]+) of ([\d,]+)", on_my_team).groups()
        home = _text(visit(at, "home"))
        assert re.search(rf"{re.escape(share[0])} \(95% CI.*about {share[1]} of {share[2]} people", home), (
            home
        )
