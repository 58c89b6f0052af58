"""Users: administrators manage logins; administrators, board members and equality leads read the audit log.

Board, equality-lead and administrator logins (and password resets of them) made here wait for a second
administrator, or cannot be made here at all when ``[auth] admin_grants = "never"`` (docs/security.md).
Every value a person typed (names, usernames) is shown as data in tables or as plain text, never as
Markdown or HTML.
"""

from __future__ import annotations

from components.guard import require_page

user = require_page("users")

import streamlit as st

from components.access import ADMIN, ROLE_TITLES
from components.store import current_store
from data import users  # the same user store as `python -m data.users` (an allowed exception)
from data.config import admin_grant_policy
from queries import team as team_queries
from queries.scope import Scope

_settings, engine = current_store()
is_admin = user.role == ADMIN
st.title("Users" if is_admin else "Users and audit log")

records = users.list_users(engine)
st.dataframe(
    {
        "Username": [r.username for r in records],
        "Name": [r.display_name for r in records],
        "Role": [ROLE_TITLES.get(r.role, r.role) for r in records],
        "Teams": [", ".join(str(t) for t in sorted(r.team_ids)) for r in records],
        "Status": ["locked" if r.locked() else "active" if r.active else "disabled" for r in records],
    },
    hide_index=True,
    key="users_table",
)


def _audit_table() -> None:
    entries = users.audit_log(engine)
    st.dataframe(
        {
            "When (UTC)": [f"{e['at']:%Y-%m-%d %H:%M:%S}" for e in entries],
            "Who": [e["actor"] for e in entries],
            "What": [e["action"] for e in entries],
            "Login": [e["username"] for e in entries],
            "Detail": [e["detail"] or "" for e in entries],
        },
        hide_index=True,
        key="users_audit_table",
    )


if not is_admin:
    st.subheader("Audit log", anchor=False)
    st.caption("Every change to a login: who made it and when (newest first).")
    _audit_table()
    st.stop()

policy = admin_grant_policy()
# Admins have no data scope; they see team names (not figures) to assign champions to teams.
all_teams = team_queries.teams_in_scope(engine, Scope.whole_trust())
team_names = dict(zip(all_teams["id"].astype(int), all_teams["name"], strict=True))
second_admin_note = (
    "Board, equality-lead and administrator logins wait for a second administrator's approval."
    if policy == "second_admin"
    else "Board, equality-lead and administrator logins can only be made on the command line "
    "(python -m data.users), by whoever runs the server."
)

add_tab, change_tab, approve_tab, audit_tab = st.tabs(
    ["Add a user", "Change a user", "Waiting for approval", "Audit log"]
)
with add_tab, st.form("users_add_form", clear_on_submit=True):
    st.caption(second_admin_note)
    new_username = st.text_input("Username", max_chars=64)
    new_name = st.text_input("Display name", max_chars=120)
    new_role = st.selectbox("Role", users.ROLES, format_func=ROLE_TITLES.get)
    new_teams = st.multiselect("Teams (champions only)", list(team_names), format_func=team_names.get)
    new_password = st.text_input("Password", type="password", max_chars=72,
                                 help=f"At least {users.MIN_PASSWORD_LENGTH} characters")  # fmt: skip
    repeat = st.text_input("Repeat the password", type="password", max_chars=72)
    if st.form_submit_button("Add user"):
        try:
            if new_password != repeat:
                raise users.UserError("The two passwords differ")
            if new_role in users.PRIVILEGED_ROLES and policy == "never":
                raise users.UserError(second_admin_note)
            if new_role in users.PRIVILEGED_ROLES:
                users.request_add(engine, new_username, new_password, display_name=new_name, role=new_role,
                                  actor=user.username)  # fmt: skip
                st.success("Asked for. A second administrator must approve it under 'Waiting for approval'.")
            else:
                users.add_user(engine, new_username, new_password, display_name=new_name, role=new_role,
                               team_ids=new_teams, actor=user.username)  # fmt: skip
                st.success("Added.")
        except users.UserError as problem:
            st.error(str(problem))

with change_tab:
    usernames = [r.username for r in records]
    target = st.selectbox("User", usernames, key="users_target")
    chosen = next((r for r in records if r.username == target), None)
    if chosen is not None:
        if chosen.username == user.username:
            st.caption("You cannot disable your own login here.")
        elif st.button("Re-enable" if not chosen.active else "Disable (signs them out everywhere)",
                       key="users_toggle"):  # fmt: skip
            users.set_active(engine, chosen.username, not chosen.active, actor=user.username)
            st.rerun()
        privileged = chosen.role in users.PRIVILEGED_ROLES
        with st.form("users_reset_form", clear_on_submit=True):
            password = st.text_input("New password", type="password", max_chars=72)
            again = st.text_input("Repeat the new password", type="password", max_chars=72)
            label = "Ask for a password reset" if privileged else "Reset password (also unlocks)"
            if st.form_submit_button(label):
                try:
                    if password != again:
                        raise users.UserError("The two passwords differ")
                    if privileged and policy == "never":
                        raise users.UserError("This login's password can only be reset on the command line.")
                    if privileged:
                        users.request_reset(engine, chosen.username, password, actor=user.username)
                        st.success("Asked for. A second administrator must approve it.")
                    else:
                        users.reset_password(engine, chosen.username, password, actor=user.username)
                        st.success("Password reset; every session of this login has ended.")
                except users.UserError as problem:
                    st.error(str(problem))
        if chosen.role == "champion":
            with st.form("users_teams_form"):
                teams = st.multiselect("Teams", list(team_names), default=sorted(chosen.team_ids),
                                       format_func=team_names.get)  # fmt: skip
                if st.form_submit_button("Save teams"):
                    try:
                        users.set_teams(engine, chosen.username, teams, actor=user.username)
                        st.success("Teams saved.")
                    except users.UserError as problem:
                        st.error(str(problem))

with approve_tab:
    waiting = users.pending_requests(engine)
    if not waiting:
        st.caption("Nothing is waiting.")
    for request in waiting:
        with st.container(border=True):
            what = "New login" if request["action"] == "add" else "Password reset"
            st.text(
                f"{what}: {request['username']}"
                + (f" ({ROLE_TITLES.get(request['role'], request['role'])}, {request['display_name']})"
                   if request["action"] == "add" else "")
                + f". Asked for by {request['requested_by']} at {request['requested_at']:%Y-%m-%d %H:%M} UTC."
            )  # fmt: skip
            approve_column, reject_column = st.columns(2)
            decision = None
            if request["requested_by"] == user.username:
                approve_column.caption("A second administrator must approve your own request.")
            elif approve_column.button("Approve", key=f"users_approve_{request['id']}"):
                decision = True
            if reject_column.button("Reject", key=f"users_reject_{request['id']}"):
                decision = False
            if decision is not None:
                try:
                    users.decide_request(engine, request["id"], actor=user.username, approve=decision)
                    st.rerun()
                except users.UserError as problem:
                    st.error(str(problem))

with audit_tab:
    _audit_table()
