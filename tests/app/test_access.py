"""Roles reach exactly their pages; a champion sees nothing of other teams; sign-in failures,
lockout, sign-out and hostile input behave (each test fails if its protection is removed)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, text
from streamlit.util import calc_hash

from components.access import PAGES, pages_for
from components.auth import LOGOUT_BUTTON_KEY
from components.guard import REFUSAL
from data import schema, users
from data.store import make_engine
from tests.conftest import copy_store, sign_in

BOARD_PAGES = {
    "overview",
    "home",
    "areas",
    "access",
    "pcref",
    "workforce",
    "data_quality",
    "methods",
    "users",
}
EXPECTED_PAGES = {
    "board": BOARD_PAGES,
    "equality": BOARD_PAGES | {"my_team"},  # equality leads also open a team's page
    "champion": {"home", "my_team", "methods"},
    "admin": {"users"},
}
ROLE_OF = {"board": "board", "equality": "equality_lead", "champion": "champion", "admin": "admin"}
CHAMPION_TEAM = "Lambeth Talking Therapies"


def visit(at, url_path: str):
    """Open /<url_path> as a browser would (AppTest.switch_page only takes registered files)."""
    at._page_hash = calc_hash(url_path)
    return at.run()


def _all_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "title", "header", "subheader")
             for e in getattr(at, kind)]  # fmt: skip
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    for box in at.selectbox:
        parts.extend(str(o) for o in box.options)
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def store(tiny_store_url):
    engine = make_engine(tiny_store_url)
    yield engine
    with engine.begin() as connection:  # undo any lockout a test caused
        connection.execute(
            text("UPDATE app_user SET failed_attempts = 0, locked_until = NULL, active = TRUE")
        )
        connection.execute(text("DELETE FROM sign_in_attempt"))  # and any throttling it recorded
    engine.dispose()


class TestNavigationByRole:
    @pytest.mark.parametrize("username", sorted(EXPECTED_PAGES))
    def test_the_access_table_gives_each_role_exactly_its_pages(self, username):
        assert {p.page_id for p in pages_for(ROLE_OF[username])} == EXPECTED_PAGES[username]

    @pytest.mark.parametrize("username", sorted(EXPECTED_PAGES))
    def test_each_demo_role_opens_its_pages_and_is_refused_the_rest(self, app_test, username):
        at = sign_in(app_test(), username)
        assert not at.exception
        for page in PAGES:
            visit(at, page.page_id)
            assert not at.exception, (username, page.page_id, at.exception)
            errors = [e.value for e in at.error]
            if page.page_id in EXPECTED_PAGES[username]:
                assert REFUSAL not in errors, (username, page.page_id)
            else:
                assert errors == [REFUSAL], (username, page.page_id)
                assert len(at.dataframe) + len(at.metric) + len(at.title) == 0

    def test_a_champion_cannot_switch_to_a_page_outside_their_navigation(self, app_test):
        at = sign_in(app_test(), "champion")
        with pytest.raises(ValueError):
            at.switch_page("pages/users.py")

    def test_a_champion_lands_on_my_team_and_the_board_on_the_overview(self, app_test):
        assert sign_in(app_test(), "champion").title[0].value == "My team"
        assert sign_in(app_test(), "board").title[0].value.startswith("Board overview")


class TestChampionSeesOnlyTheirTeam:
    def test_my_team_offers_only_their_team_and_names_no_other(self, app_test, store):
        at = sign_in(app_test(), "champion")
        assert at.selectbox(key="my_team_team").options == [CHAMPION_TEAM]
        text_shown = _all_text(at)
        with store.connect() as connection:
            other_teams = [r[0] for r in connection.execute(text("SELECT name FROM team WHERE name <> :n"),
                                                               {"n": CHAMPION_TEAM})]  # fmt: skip
        assert CHAMPION_TEAM in text_shown
        assert not [name for name in other_teams if name in text_shown]

    def test_a_link_to_another_team_is_refused_with_a_warning(self, app_test, store):
        with store.connect() as connection:
            other = connection.execute(text("SELECT id FROM team WHERE name <> :n ORDER BY id"),
                                       {"n": CHAMPION_TEAM}).scalar()  # fmt: skip
        at = sign_in(app_test(), "champion")
        at.query_params["team"] = str(other)
        visit(at, "my_team")
        assert any("unknown team" in w.value for w in at.warning)
        with store.connect() as connection:
            own = connection.execute(
                text("SELECT id FROM team WHERE name = :n"), {"n": CHAMPION_TEAM}
            ).scalar()
        assert at.selectbox(key="my_team_team").value == str(own)

    def test_home_counts_for_a_champion_are_their_teams_only(self, app_test):
        board = {m.label: m.value for m in visit(sign_in(app_test(), "board"), "home").metric}
        champion_at = sign_in(app_test(), "champion")
        champion = {m.label: m.value for m in visit(champion_at, "home").metric}
        assert int(champion["Referrals received"].replace(",", "")) < int(
            board["Referrals received"].replace(",", "")
        )


class TestSignInFailures:
    def test_a_wrong_password_is_refused_with_a_message(self, app_test, store):
        at = sign_in(app_test(), "board", "not-the-password")
        assert [e.value for e in at.error] == ["Username or password is incorrect."]
        assert not at.metric

    def test_five_failures_do_not_let_anyone_lock_the_account_for_its_owner(self, app_test, store):
        at = app_test()
        for _ in range(users.MAX_FAILED_ATTEMPTS):
            at = sign_in(at, "equality", "wrong-password")
        at = sign_in(app_test(), "equality")  # the right password still works for its owner
        assert at.metric and not at.error

    def test_many_failures_from_many_connections_pause_the_username_even_against_the_right_password(
        self, app_test, store
    ):
        now = datetime.now(UTC).replace(tzinfo=None)
        with store.begin() as connection:
            connection.execute(
                insert(schema.sign_in_attempt),
                [{"at": now - timedelta(milliseconds=i), "username": "equality", "client": f"10.0.0.{i}",
                  "succeeded": False} for i in range(users.ACCOUNT_LOCK_FAILURES)],
            )  # fmt: skip
        at = sign_in(app_test(), "equality")
        assert "paused" in at.error[0].value
        assert not at.metric

    def test_an_unknown_user_is_refused_like_a_wrong_password(self, app_test, store):
        at = sign_in(app_test(), "nobody", "whatever-password")
        assert [e.value for e in at.error] == ["Username or password is incorrect."]

    def test_a_disabled_user_cannot_sign_in(self, app_test, store):
        users.set_active(store, "board", False)
        at = sign_in(app_test(), "board")
        assert not at.metric
        assert at.error

    @pytest.mark.parametrize(
        "hostile",
        [
            "' OR '1'='1",
            "board'; DROP TABLE app_user; --",
            "x" * 10_000,
            "\u202eboard\u200b\U0001f600",
            "board\x00",
        ],
        ids=["or-true", "drop-table", "oversized", "odd-unicode", "nul"],
    )
    def test_hostile_sign_in_input_is_refused_harmlessly(self, app_test, store, hostile):
        at = sign_in(app_test(), hostile, hostile)
        assert not at.exception
        assert [t.label for t in at.text_input] == ["Username", "Password"]  # still at the sign-in form
        with store.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM app_user")).scalar() == 4


class TestSignOut:
    def test_signing_out_returns_to_the_sign_in_form(self, app_test):
        at = sign_in(app_test(), "board")
        assert "Username" not in [t.label for t in at.text_input]
        assert at.title[0].value.startswith("Board overview")
        at.button(key=LOGOUT_BUTTON_KEY).click()
        at.run()
        assert [t.label for t in at.text_input] == ["Username", "Password"]
        assert not any(t.value.startswith("Board overview") for t in at.title)


class TestHostileQueryParameters:
    @pytest.mark.parametrize("value", ["2025-26'; DROP TABLE referral; --", "x" * 5_000, "1 OR 1=1"])
    def test_unknown_values_are_ignored_with_a_warning(self, app_test, value):
        at = sign_in(app_test(), "equality")
        at.query_params["year"] = value
        visit(at, "my_team")
        assert not at.exception
        assert any("unknown year" in w.value for w in at.warning)
        assert at.selectbox(key="my_team_year").value == "2025-26"


class TestOutsideDemoMode:
    @pytest.fixture
    def real_store(self, tmp_path, tiny_store_url, monkeypatch):
        """A copy of the tiny store that says it is not synthetic (as a real extract would)."""
        path = tmp_path / "real.db"
        copy_store(tiny_store_url, path)
        engine = make_engine(f"sqlite:///{path}")
        with engine.begin() as connection:
            connection.execute(text("UPDATE dataset_info SET value = 'false' WHERE key = 'synthetic'"))
        engine.dispose()
        monkeypatch.setenv("EQUALITY_DB_URL", f"sqlite:///{path}")
        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        return path

    def test_the_app_refuses_to_start_without_a_cookie_key_naming_the_secret(self, app_test, real_store):
        at = app_test().run()
        assert not at.exception
        assert "[auth] cookie_key" in at.error[0].value
        assert not at.text_input  # no sign-in form either

    def test_with_a_key_it_signs_in_and_shows_no_demo_logins_or_synthetic_label(self, app_test, real_store,
                                                                                monkeypatch):  # fmt: skip
        monkeypatch.setenv("EQUALITY_COOKIE_KEY", secrets.token_urlsafe(48))
        at = app_test().run()
        assert [t.label for t in at.text_input] == ["Username", "Password"]
        shown = _all_text(at)
        assert "demo-board" not in shown and "Synthetic data" not in shown
