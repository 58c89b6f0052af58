"""Logins in the store: adding, disabling, resetting, lockout after five failures, and the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

import bcrypt
import pytest

from data import schema, users
from data.config import ConfigError, auth_settings
from data.store import create_schema, make_engine
from tests.conftest import copy_store


@pytest.fixture
def engine(tmp_path, tiny_store_url):
    """A private copy of the tiny store so user changes stay in this test."""
    path = tmp_path / "users.db"
    copy_store(tiny_store_url, path)
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


class TestThrottling:
    """Per connection and username backoff, a per-connection limit, and a username-wide pause that one
    connection cannot reach: nobody locks anyone out with a handful of requests."""

    def test_five_failures_from_one_connection_slow_that_connection_only(self, engine):
        now = datetime(2026, 1, 1, 12, 0)
        for second in range(users.MAX_FAILED_ATTEMPTS):
            result = users.sign_in(engine, "board", "wrong-password", client="10.0.0.1",
                                   now=now + timedelta(seconds=second))  # fmt: skip
            assert result.message == users.INCORRECT
        refused = users.sign_in(
            engine, "board", "demo-board", client="10.0.0.1", now=now + timedelta(seconds=6)
        )
        assert refused.user is None and "Try again in" in refused.message
        elsewhere = users.sign_in(
            engine, "board", "demo-board", client="10.0.0.2", now=now + timedelta(seconds=7)
        )
        assert elsewhere.user is not None and not users.get_user(engine, "board").locked(now)
        later = now + timedelta(seconds=users.MAX_FAILED_ATTEMPTS - 1 + users.BACKOFF_SECONDS + 1)
        assert users.sign_in(engine, "board", "demo-board", client="10.0.0.1", now=later).user is not None

    def test_known_and_unknown_usernames_get_the_same_answers(self, engine):
        now = datetime(2026, 1, 1, 12, 0)
        for attempt in range(users.MAX_FAILED_ATTEMPTS + 1):
            at = now + timedelta(seconds=attempt)
            known = users.sign_in(engine, "board", "wrong-password", client="10.0.0.3", now=at)
            unknown = users.sign_in(engine, "no.such.user", "wrong-password", client="10.0.0.4", now=at)
            assert known.message == unknown.message, attempt

    def test_an_unknown_username_costs_one_bcrypt_check_like_a_known_one(self, engine, monkeypatch):
        calls = []
        real = users.bcrypt.checkpw
        monkeypatch.setattr(
            users.bcrypt, "checkpw", lambda pw, hashed: calls.append(hashed[:7]) or real(pw, hashed)
        )
        users.sign_in(engine, "board", "wrong-password", client="10.0.0.5")
        users.sign_in(engine, "no.such.user", "wrong-password", client="10.0.0.5")
        users.set_active(engine, "board", False)
        users.sign_in(engine, "board", "demo-board", client="10.0.0.6")
        assert calls == [b"$2b$12$"] * 3

    def test_one_connection_is_limited_over_all_usernames(self, engine):
        now = datetime(2026, 1, 1, 12, 0)
        for n in range(users.CLIENT_MAX_FAILURES):
            users.sign_in(engine, f"guess{n}", "x", client="10.0.0.7", now=now + timedelta(seconds=n))
        refused = users.sign_in(
            engine, "board", "demo-board", client="10.0.0.7", now=now + timedelta(minutes=1)
        )
        assert refused.user is None and "from this connection" in refused.message
        assert users.sign_in(
            engine, "board", "demo-board", client="10.0.0.8", now=now + timedelta(minutes=1)
        ).user

    def test_many_connections_pause_a_username_and_lock_the_login(self, engine, monkeypatch):
        monkeypatch.setattr(users, "ACCOUNT_LOCK_FAILURES", 7)
        now = datetime(2031, 1, 1, 12, 0)  # after any sign-in other tests recorded on the shared store
        session = users.create_session(engine, "board", lifetime=timedelta(hours=8), secret=SECRET, now=now)
        for n in range(7):
            for name in ("board", "not.a.user"):
                users.sign_in(
                    engine, name, "wrong-password", client=f"10.1.0.{n}", now=now + timedelta(seconds=n)
                )
        later = now + timedelta(seconds=10)
        known = users.sign_in(engine, "board", "demo-board", client="10.2.0.1", now=later)
        unknown = users.sign_in(engine, "not.a.user", "demo-board", client="10.2.0.1", now=later)
        assert known.user is None and "paused" in known.message and known.message == unknown.message
        assert users.get_user(engine, "board").locked(later)
        assert users.session_user(engine, session, idle=timedelta(hours=1), secret=SECRET, now=later) is None
        assert ("throttle", "lock", "board") in [
            (e["actor"], e["action"], e["username"]) for e in users.audit_log(engine)
        ]

    def test_a_password_reset_clears_throttling_and_the_lock(self, engine):
        now = datetime(2026, 1, 1, 12, 0)
        for n in range(users.MAX_FAILED_ATTEMPTS):
            users.sign_in(engine, "board", "wrong", client="10.0.0.9", now=now + timedelta(seconds=n))
        users.lock(engine, "board", now=now)
        users.reset_password(engine, "board", "another-long-password", rounds=4)
        assert not users.get_user(engine, "board").locked()
        assert users.sign_in(engine, "board", "another-long-password", client="10.0.0.9").user is not None

    def test_passwords_are_taken_as_typed(self, engine):
        assert users.sign_in(engine, "board", "  demo-board  ").user is None
        assert users.sign_in(engine, "board", "demo-board").user is not None

    def test_demo_passwords_are_refused_outside_the_embedded_demo_store(self, engine):
        result = users.sign_in(engine, "board", "demo-board", allow_demo_logins=False)
        assert result.user is None and result.message == users.DEMO_REFUSED

    @pytest.mark.parametrize("password", ["x" * 200, "bad\x00byte", "\udcff", ""])
    def test_odd_passwords_are_refused_without_an_error(self, engine, password):
        assert users.sign_in(engine, "board", password).message == users.INCORRECT


SECRET = "a-test-secret-" + "q" * 30


class TestSessions:
    def test_a_session_lives_until_its_idle_timeout_or_its_lifetime(self, engine):
        now = datetime(2026, 1, 1, 12, 0)
        session = users.create_session(engine, "board", lifetime=timedelta(hours=8), secret=SECRET, now=now)
        idle = timedelta(minutes=30)
        for minutes in (20, 40, 60):  # each use within the idle timeout keeps it alive
            assert users.session_user(engine, session, idle=idle, secret=SECRET,
                                      now=now + timedelta(minutes=minutes)).username == "board"  # fmt: skip
        assert (
            users.session_user(engine, session, idle=idle, secret=SECRET, now=now + timedelta(minutes=91))
            is None
        )
        other = users.create_session(engine, "board", lifetime=timedelta(hours=1), secret=SECRET, now=now)
        assert users.session_user(engine, other, idle=timedelta(hours=9), secret=SECRET,
                                  now=now + timedelta(minutes=61)) is None  # fmt: skip

    @pytest.mark.parametrize("change", ["sign_out", "reset", "disable", "lock"])
    def test_each_revocation_ends_every_session_of_the_user(self, engine, change):
        sessions = [
            users.create_session(engine, "board", lifetime=timedelta(hours=8), secret=SECRET)
            for _ in range(3)
        ]
        other = users.create_session(engine, "equality", lifetime=timedelta(hours=8), secret=SECRET)
        {
            "sign_out": lambda: users.end_sessions(engine, "board"),
            "reset": lambda: users.reset_password(engine, "board", "a-new-long-password", rounds=4),
            "disable": lambda: users.set_active(engine, "board", False),
            "lock": lambda: users.lock(engine, "board"),
        }[change]()
        if change == "disable":
            users.set_active(engine, "board", True)  # re-enabling does not revive old sessions
        idle = timedelta(hours=1)
        assert all(users.session_user(engine, s, idle=idle, secret=SECRET) is None for s in sessions)
        assert users.session_user(engine, other, idle=idle, secret=SECRET).username == "equality"

    @pytest.mark.parametrize(
        "value",
        [
            None,
            "",
            "x",
            "eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6ImFkbWluIn0.",
            "' OR 1=1 --" * 5,
            "a" * 43 + "\x00",
        ],
    )
    def test_malformed_session_ids_are_refused(self, engine, value):
        assert users.session_user(engine, value, idle=timedelta(hours=1), secret=SECRET) is None

    def test_the_store_keeps_only_a_keyed_hash_of_the_id(self, engine):
        session = users.create_session(engine, "board", lifetime=timedelta(hours=8), secret=SECRET)
        with engine.connect() as connection:
            stored = connection.execute(schema.app_session.select()).mappings().all()
        assert session not in str(stored)
        assert users.session_user(engine, session, idle=timedelta(hours=1), secret="another-key-" * 4) is None


class TestAuditAndApproval:
    def test_every_change_is_recorded_with_who_and_what(self, engine):
        users.add_user(engine, "champ2", "a-long-password", display_name="C", role="champion", team_ids=[3],
                       rounds=4, actor="admin")  # fmt: skip
        users.set_teams(engine, "champ2", [3, 4], actor="admin")
        users.set_active(engine, "champ2", False, actor="admin")
        users.reset_password(engine, "champ2", "another-password", rounds=4, actor="admin")
        recent = [(e["actor"], e["action"], e["username"]) for e in users.audit_log(engine)[:4]]
        assert recent == [("admin", "reset_password", "champ2"), ("admin", "disable", "champ2"),
                          ("admin", "set_teams", "champ2"), ("admin", "add", "champ2")]  # fmt: skip
        assert "password" not in str(users.audit_log(engine)[0]["detail"] or "")

    def test_a_board_login_asked_for_by_one_admin_needs_another(self, engine):
        request = users.request_add(engine, "new.board", "a-long-password", display_name="New", role="board",
                                    actor="admin", rounds=4)  # fmt: skip
        assert users.get_user(engine, "new.board") is None
        with pytest.raises(users.UserError, match="second administrator"):
            users.decide_request(engine, request, actor="admin", approve=True)
        users.decide_request(engine, request, actor="admin2", approve=True)
        assert users.get_user(engine, "new.board").role == "board"
        assert users.sign_in(engine, "new.board", "a-long-password").user is not None
        actions = [(e["actor"], e["action"]) for e in users.audit_log(engine)[:3]]
        assert actions[:2] == [("admin2", "approve"), ("admin2", "add")]

    def test_a_password_reset_of_a_board_login_waits_and_can_be_rejected(self, engine):
        request = users.request_reset(engine, "board", "a-takeover-password", actor="admin", rounds=4)
        users.decide_request(engine, request, actor="admin2", approve=False)
        assert users.sign_in(engine, "board", "a-takeover-password").user is None
        assert users.pending_requests(engine) == []

    def test_champions_are_not_privileged(self):
        assert "champion" not in users.PRIVILEGED_ROLES and "admin" in users.PRIVILEGED_ROLES


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

    @pytest.mark.parametrize("team", ["999999999999999999999", "-1", "0", "twelve"])
    def test_a_team_id_out_of_range_is_an_argument_error_not_a_traceback(self, engine, team, capsys):
        url = engine.url.render_as_string(hide_password=False)
        with pytest.raises(SystemExit) as exit_:
            users.main(["--url", url, "add", "x.y", "--name", "X", "--role", "champion", "--team", team])
        assert exit_.value.code == 2
        error = capsys.readouterr().err
        assert "--team" in error and "Traceback" not in error

    def test_cli_changes_are_audited_as_the_cli(self, engine):
        url = engine.url.render_as_string(hide_password=False)
        assert users.main(["--url", url, "disable", "board"]) == 0
        assert users.audit_log(engine)[0]["actor"].startswith("cli")

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

    @pytest.mark.parametrize("key", ["a" * 32, "k" * 48, "abcd" * 12, "password" * 6])
    def test_a_long_but_guessable_key_is_refused(self, monkeypatch, tmp_path, key):
        monkeypatch.setenv("EQUALITY_COOKIE_KEY", key)
        with pytest.raises(ConfigError, match="too weak"):
            auth_settings(demo=False, secrets_file=tmp_path / "none.toml")

    def test_a_random_key_from_secrets_is_used(self, monkeypatch, tmp_path):
        import secrets as token_source

        key = token_source.token_urlsafe(48)
        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(f'[auth]\ncookie_key = "{key}"\nsession_hours = 4\nidle_minutes = 15\n')
        settings = auth_settings(demo=False, secrets_file=secrets)
        assert (settings.cookie_key, settings.session_hours, settings.idle_minutes) == (key, 4.0, 15.0)
        assert not settings.allow_demo_logins

    @pytest.mark.parametrize("line", ["session_hours = 'eight'", "idle_minutes = 0", "cookie_name = 'a;b'"])
    def test_bad_auth_settings_name_the_key(self, monkeypatch, tmp_path, line):
        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(f"[auth]\n{line}\n")
        with pytest.raises(ConfigError, match=line.split()[0]):
            auth_settings(demo=True, secrets_file=secrets)

    def test_a_read_only_data_folder_keeps_the_demo_key_in_memory(self, monkeypatch, tmp_path):
        from data import config

        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        monkeypatch.setattr(
            config, "DEMO_COOKIE_KEY_FILE", blocker / "key"
        )  # cannot be created, even by root
        first = auth_settings(demo=True, secrets_file=tmp_path / "none.toml").cookie_key
        assert first == auth_settings(demo=True, secrets_file=tmp_path / "none.toml").cookie_key

    def test_demo_mode_generates_a_key_and_keeps_it(self, monkeypatch, tmp_path):
        from data import config

        monkeypatch.delenv("EQUALITY_COOKIE_KEY", raising=False)
        monkeypatch.setattr(config, "DEMO_COOKIE_KEY_FILE", tmp_path / "key")
        first = auth_settings(demo=True, secrets_file=tmp_path / "none.toml").cookie_key
        assert len(first) >= 32
        assert auth_settings(demo=True, secrets_file=tmp_path / "none.toml").cookie_key == first
