"""The admin's Users page: list logins, add one, and refuse bad requests with a reason."""

from __future__ import annotations

import shutil

import pytest

from data import users
from data.store import make_engine
from tests.conftest import sign_in


@pytest.fixture
def private_store(tmp_path, tiny_store_url, monkeypatch):
    path = tmp_path / "users-page.db"
    shutil.copy(tiny_store_url.removeprefix("sqlite:///"), path)
    monkeypatch.setenv("EQUALITY_DB_URL", f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _submit_add_form(at, username: str, password: str, repeat: str | None = None, role: str = "board"):
    fields = {t.label: t for t in at.text_input}
    fields["Username"].input(username)
    fields["Display name"].input("Added by test")
    fields["Password"].input(password)
    fields["Repeat the password"].input(repeat if repeat is not None else password)
    next(s for s in at.selectbox if s.label == "Role").set_value(role)
    next(b for b in at.button if b.label == "Add user").click()
    return at.run()


def test_the_admin_sees_every_login(app_test, private_store):
    at = sign_in(app_test(), "admin")
    assert at.title[0].value == "Users"
    assert set(at.dataframe[0].value["Username"]) == {"admin", "board", "champion", "equality"}


def test_the_admin_adds_a_board_member(app_test, private_store):
    at = _submit_add_form(sign_in(app_test(), "admin"), "new.board", "a-long-password")
    assert any("Added new.board" in s.value for s in at.success)
    assert users.get_user(private_store, "new.board").role == "board"


def test_mismatched_passwords_are_refused_and_nothing_is_added(app_test, private_store):
    at = _submit_add_form(sign_in(app_test(), "admin"), "new.board", "a-long-password", "other-password")
    assert any("differ" in e.value for e in at.error)
    assert users.get_user(private_store, "new.board") is None
