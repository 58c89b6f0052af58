"""The admin's Users page: list logins, add one, and refuse bad requests with a reason."""

from __future__ import annotations

import pytest

from data import users
from data.store import make_engine
from tests.conftest import copy_store, sign_in


@pytest.fixture
def private_store(tmp_path, tiny_store_url, monkeypatch):
    path = tmp_path / "users-page.db"
    copy_store(tiny_store_url, path)
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


def test_a_board_login_asked_for_by_one_admin_is_added_only_when_a_second_approves(app_test, private_store):
    at = _submit_add_form(sign_in(app_test(), "admin"), "new.board", "a-long-password")
    assert any("second administrator" in s.value for s in at.success)
    assert users.get_user(private_store, "new.board") is None
    users.add_user(private_store, "admin2", "a-long-password", display_name="Second", role="admin", rounds=4)
    second = sign_in(app_test(), "admin2", "a-long-password")
    next(b for b in second.button if b.label == "Approve").click()
    second.run()
    assert users.get_user(private_store, "new.board").role == "board"
    audit = [(e["actor"], e["action"], e["username"]) for e in users.audit_log(private_store)[:5]]
    assert ("admin2", "approve", "new.board") in audit and ("admin", "request_add", "new.board") in audit


def test_the_admin_cannot_approve_their_own_request(app_test, private_store):
    at = _submit_add_form(sign_in(app_test(), "admin"), "new.lead", "a-long-password", role="equality_lead")
    at.run()
    assert not [b for b in at.button if b.label == "Approve"]
    assert users.get_user(private_store, "new.lead") is None


def test_with_admin_grants_never_no_board_login_can_be_asked_for(app_test, private_store, monkeypatch):
    monkeypatch.setenv("EQUALITY_ADMIN_GRANTS", "never")
    at = _submit_add_form(sign_in(app_test(), "admin"), "new.board", "a-long-password")
    assert any("command line" in e.value for e in at.error)
    assert users.pending_requests(private_store) == []


def test_mismatched_passwords_are_refused_and_nothing_is_added(app_test, private_store):
    at = _submit_add_form(sign_in(app_test(), "admin"), "new.board", "a-long-password", "other-password")
    assert any("differ" in e.value for e in at.error)
    assert users.get_user(private_store, "new.board") is None


@pytest.mark.parametrize("username", ["board", "equality"])
def test_board_members_and_equality_leads_read_the_audit_log_but_change_nothing(
    app_test, private_store, username
):
    users.set_active(private_store, "champion", False, actor="admin")
    at = sign_in(app_test(), username)
    from tests.app.test_access import visit

    visit(at, "users")
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Users and audit log"], [e.value for e in at.error]
    audit = at.dataframe[1].value  # the logins, then the audit log
    assert ("admin", "disable", "champion") in set(
        zip(audit["Who"], audit["What"], audit["Login"], strict=True)
    )
    assert not at.text_input and not [b for b in at.button if b.label in ("Add user", "Approve")]


def test_a_display_name_is_shown_as_text_never_markdown_or_html(app_test, private_store):
    hostile = (
        "**Bold** ![x](http://example.invalid/x.png) <img src=x onerror=alert(1)> [link](http://e.invalid)"
    )
    users.add_user(private_store, "odd.champ", "a-long-password", display_name=hostile, role="champion",
                   team_ids=[3], rounds=4)  # fmt: skip
    at = sign_in(app_test(), "odd.champ", "a-long-password")
    assert not at.exception
    assert [t.value for t in at.sidebar.text] == [" ".join(hostile.split())]
    assert not any(hostile[:8] in m.value for m in at.sidebar.markdown)
