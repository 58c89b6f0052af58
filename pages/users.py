"""Users (administrators only): add logins, disable or re-enable them, reset passwords, set teams."""

from __future__ import annotations

from components.guard import require_page

user = require_page("users")

import streamlit as st

from components.access import ROLE_TITLES
from components.store import current_store
from data import users  # the same user store as `python -m data.users` (an allowed exception)
from queries import team as team_queries
from queries.scope import Scope

_settings, engine = current_store()
st.title("Users")

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

# Admins have no data scope; they see team names (not figures) to assign champions to teams.
all_teams = team_queries.teams_in_scope(engine, Scope.whole_trust())
team_names = dict(zip(all_teams["id"].astype(int), all_teams["name"], strict=True))

add_tab, change_tab = st.tabs(["Add a user", "Change a user"])
with add_tab, st.form("users_add_form", clear_on_submit=True):
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
            users.add_user(
                engine, new_username, new_password, display_name=new_name, role=new_role, team_ids=new_teams
            )
            st.success(f"Added {users.normalise_username(new_username)}.")
        except users.UserError as problem:
            st.error(str(problem))

with change_tab:
    usernames = [r.username for r in records]
    target = st.selectbox("User", usernames, key="users_target")
    chosen = next((r for r in records if r.username == target), None)
    if chosen is not None:
        if chosen.username == user.username:
            st.caption("You cannot disable your own login here.")
        elif st.button("Re-enable" if not chosen.active else "Disable", key="users_toggle"):
            users.set_active(engine, chosen.username, not chosen.active)
            st.rerun()
        with st.form("users_reset_form", clear_on_submit=True):
            password = st.text_input("New password", type="password", max_chars=72)
            again = st.text_input("Repeat the new password", type="password", max_chars=72)
            if st.form_submit_button("Reset password (also unlocks)"):
                try:
                    if password != again:
                        raise users.UserError("The two passwords differ")
                    users.reset_password(engine, chosen.username, password)
                    st.success(f"Password reset for {chosen.username}.")
                except users.UserError as problem:
                    st.error(str(problem))
        if chosen.role == "champion":
            with st.form("users_teams_form"):
                teams = st.multiselect("Teams", list(team_names), default=sorted(chosen.team_ids),
                                       format_func=team_names.get)  # fmt: skip
                if st.form_submit_button("Save teams"):
                    try:
                        users.set_teams(engine, chosen.username, teams)
                        st.success("Teams saved.")
                    except users.UserError as problem:
                        st.error(str(problem))
