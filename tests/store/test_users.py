"""Logins in the store: adding, disabling, resetting, lockout after five failures, and the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

import bcrypt
import pytest

from data import users
from data.config import ConfigError, auth_settings
from data.store import create_schema, make_engine


@pytest.fixture
def engine(tmp_path, tiny_store_url):
    """A private copy of the tiny store so user changes stay in this test."""
    import shutil

    path = tmp_path / "users.db"
    shutil.copy(tiny_store_url.removeprefix("sqlite:///"), path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


class TestAddUser:
    def test_a_new_user_is_stored_with_a_bcrypt_hash_never_the_password(self, engine):
        users.add_user(engine, "New.Lead", "a-long-password", display_name="New lead", role="equality_lead",
                       rounds=4)  # fmt: skip
        stored = users.password_hashes(engine)["new.lead"]
        assert stored.startswith("$2") and "a-long-password" not in stored
        assert bcrypt.checkpw(b"a-long-password", stored.encode())

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"role": "superuser"}, "Unknown role"),
            ({"role": "champion"}, "needs at least one team"),
            ({"role": "board", "team_ids": [1]}, "Only champions"),
            ({"role": "champion", "team_ids": [99999]}, "Unknown team"),
            ({"role": "board", "password": "short"}, "at least 10"),
        ],
    )
    def test_bad_requests_are_refused_with_a_reason(self, engine, kwargs, message):
        password = kwargs.pop("password", "a-long-password")
        with pytest.raises(users.UserError, match=message):
            users.add_user(engine, "someone", password, display_name="Someone", rounds=4, **kwargs)

    @pytest.mark.parametrize("username", ["", "a", "Robert'); DROP TABLE app_user;--", "x" * 65, "ünï"])
    def test_bad_usernames_are_refused(self, engine, username):
        with pytest.raises(users.UserError):
            users.add_user(engine, username, "a-long-password", display_name="X", role="board", rounds=4)

    def test_a_duplicate_username_is_refused_whatever_its_case(self, engine):
        with pytest.raises(users.UserError, match="already exists"):
            users.add_user(engine, "BOARD", "a-long-password", display_name="X", role="board", rounds=4)


class TestLockout:
    def test_four_failures_do_not_lock_and_the_fifth_does_for_fifteen_minutes(self, engine):
        now = datetime(2026, 1, 1, 12, 0)
        for _ in range(users.MAX_FAILED_ATTEMPTS - 1):
            record = users.record_failed_login(engine, "board", now=now)
        assert not record.locked(now)
        record = users.record_failed_login(engine, "board", now=now)
        assert record.locked(now)
        assert record.locked_until == now + timedelta(minutes=users.LOCK_MINUTES)
        assert not record.locked(now + timedelta(minutes=users.LOCK_MINUTES, seconds=1))

    def test_a_success_clears_the_count(self, engine):
        now = datetime(2026, 1, 1, 12, 0)
        for _ in range(users.MAX_FAILED_ATTEMPTS - 1):
            users.record_failed_login(engine, "board", now=now)
        users.record_successful_login(engine, "board")
        assert not users.record_failed_login(engine, "board", now=now).locked(now)

    def test_a_password_reset_unlocks(self, engine):
        for _ in range(users.MAX_FAILED_ATTEMPTS):
            users.record_failed_login(engine, "board")
        assert users.get_user(engine, "board").locked()
        users.reset_password(engine, "board", "another-long-password", rounds=4)
        assert not users.get_user(engine, "board").locked()


class TestDisable:
    def test_a_disabled_user_has_no_password_hash_offered_to_the_login(self, engine):
        users.set_active(engine, "board", False)
        assert "board" not in users.password_hashes(engine)
        users.set_active(engine, "board", True)
        assert "board" in users.password_hashes(engine)


class TestCommandLine:
    def test_add_prompts_for_the_password_and_list_shows_the_user(self, engine, monkeypatch, capsys):
        answers = iter(["a-long-password", "a-long-password"])
        monkeypatch.setattr(users.getpass, "getpass", lambda prompt="": next(answers))
        url = engine.url.render_as_string(hide_password=False)
        assert users.main(["--url", url, "add", "newchamp", "--name", "New champion", "--role", "champion",
                           "--team", "3"]) == 0  # fmt: skip
        assert users.main(["--url", url, "list"]) == 0
        assert "newchamp" in capsys.readouterr().out
        assert users.get_user(engine, "newchamp").team_ids == frozenset({3})

    def test_the_password_is_never_an_argument(self):
        with pytest.raises(SystemExit):
            users.main(["add", "x", "--name", "X", "--role", "board", "--password", "secret"])

    def test_mismatched_passwords_are_an_error(self, engine, monkeypatch, capsys):
        answers = iter(["a-long-password", "another-password"])
        monkeypatch.setattr(users.getpass, "getpass", lambda prompt="": next(answers))
        url = engine.url.render_as_string(hide_password=False)
        assert users.main(["--url", url, "reset-password", "board"]) == 2
        assert "differ" in capsys.readouterr().err

    def test_disable_and_enable(self, engine):
        url = engine.url.render_as_string(hide_password=False)
        assert users.main(["--url", url, "disable", "board"]) == 0
        assert not users.get_user(engine, "board").active
        assert users.main(["--url", url, "enable", "board"]) == 0
        assert users.get_user(engine, "board").active

    def test_a_store_without_tables_is_a_clear_error(self, tmp_path, capsys):
        empty = tmp_path / "empty.db"
        make_engine(f"sqlite:///{empty}").dispose()
        assert users.main(["--url", f"sqlite:///{empty}", "list"]) == 2
        assert "python -m data.demo" in capsys.readouterr().err

    def test_a_fresh_schema_has_no_default_users(self, tmp_path):
        fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        create_schema(fresh)
        assert users.list_users(fresh) == []


class TestCookieKey:
    def test_outside_demo_mode_a_missing_key_stops_the_app_naming_the_secret(self, monkeypatch, tmp_path):
        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        with pytest.raises(ConfigError, match=r"\[auth\] cookie_key"):
            auth_settings(demo=False, secrets_file=tmp_path / "none.toml")

    def test_a_short_key_is_refused(self, monkeypatch, tmp_path):
        monkeypatch.setenv("EQUALITY_COOKIE_KEY", "CHANGE-ME")
        with pytest.raises(ConfigError):
            auth_settings(demo=False, secrets_file=tmp_path / "none.toml")

    def test_a_long_key_from_secrets_is_used(self, monkeypatch, tmp_path):
        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        secrets = tmp_path / "secrets.toml"
        secrets.write_text('[auth]\ncookie_key = "' + "k" * 40 + '"\n')
        assert auth_settings(demo=False, secrets_file=secrets).cookie_key == "k" * 40

    def test_demo_mode_generates_a_key_and_keeps_it(self, monkeypatch, tmp_path):
        from data import config

        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        monkeypatch.setattr(config, "DEMO_COOKIE_KEY_FILE", tmp_path / "key")
        first = auth_settings(demo=True, secrets_file=tmp_path / "none.toml").cookie_key
        assert len(first) >= 32
        assert auth_settings(demo=True, secrets_file=tmp_path / "none.toml").cookie_key == first
