"""Login, logout and the signed-in user, with streamlit-authenticator 0.4 over the ``app_user`` table.

- Credentials are read from the store on every run (dict mode: the library never writes a file), so
  disabling a user or resetting a password takes effect at once.
- The library keeps failed-attempt counts only in memory; this module persists them in the store and
  locks an account for 15 minutes after 5 failures (``data.users``). A locked account stays in the
  credentials with an unguessable hash, so the attempted username is still known and the lock message
  can be shown.
- Widget keys avoid the names the library uses in session state (``logout``, ``name``, ``username``,
  ``roles``, ``email``, ``init``: DESIGN.md §8).
"""

from __future__ import annotations

import secrets
from functools import lru_cache

import bcrypt
import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy import Engine
from streamlit_authenticator.utilities import LoginError

from components.access import User, user_from_record
from data import users
from data.config import AuthSettings

USER_KEY = "equality_user"
SIGN_OUT_KEY = "equality_sign_out_requested"
FAILURE_KEY = "equality_sign_in_failure"
AUTHENTICATOR_KEY = "equality_authenticator"
LOGIN_FORM_KEY = "equality_login_form"
LOGOUT_BUTTON_KEY = "equality_logout_button"
LOGIN_FIELDS = {"Form name": "Sign in", "Username": "Username", "Password": "Password", "Login": "Sign in"}


@lru_cache(maxsize=1)
def _unguessable_hash() -> str:
    """A valid bcrypt hash of a random secret nobody knows: locked accounts check against it."""
    return bcrypt.hashpw(secrets.token_bytes(32), bcrypt.gensalt(4)).decode("ascii")


def _credentials(engine: Engine) -> dict:
    """The credentials dict the library expects, fresh from the store (active users only)."""
    entries = {}
    hashes = users.password_hashes(engine)
    for user in users.list_users(engine, only=list(hashes)):
        entries[user.username] = {
            "name": user.display_name,
            "password": _unguessable_hash() if user.locked() else hashes[user.username],
            "roles": [user.role],
            "failed_login_attempts": 0,
            "logged_in": False,
        }
    return {"usernames": entries}


def _authenticator(settings: AuthSettings, slot=None) -> tuple[stauth.Authenticate, dict]:
    """One authenticator per browser session. Making a new one on every run would re-render the
    library's cookie component each time, and the rerun that component triggers interrupts the run
    carrying the sign-in form's submission (seen in Chromium). The component is drawn in ``slot``, a
    container at the same place on every run, so it never shifts the page below it (a shift left a
    stale second sign-in form on screen while the next run drew)."""
    held = st.session_state.get(AUTHENTICATOR_KEY)
    if held is not None and held[0] == settings:
        return held[1], held[2]
    credentials: dict = {"usernames": {}}
    with slot if slot is not None else st.container():
        authenticator = stauth.Authenticate(
            credentials,
            settings.cookie_name,
            settings.cookie_key,
            settings.cookie_expiry_days,
            auto_hash=False,
            login_sleep_time=settings.login_sleep_seconds,
        )
    st.session_state[AUTHENTICATOR_KEY] = (settings, authenticator, credentials)
    return authenticator, credentials


def current_user() -> User | None:
    """The signed-in user of this session, or None."""
    user = st.session_state.get(USER_KEY)
    if isinstance(user, User) and st.session_state.get("authentication_status"):
        return user
    return None


def signed_in_user(engine: Engine, settings: AuthSettings) -> User | None:
    """The signed-in user, restoring a session from the login cookie if there is one; draws nothing.

    Call it at the top of every run of the entry point, before ``st.navigation``. Returns None while
    nobody is signed in; the entry point then shows :func:`sign_in_form` as its only page.
    """
    slot = st.container()  # the same place on every run, for the library's cookie components
    authenticator, credentials = _authenticator(settings, slot)
    credentials["usernames"] = _credentials(engine)["usernames"]  # fresh every run: disabling is immediate
    if st.session_state.pop(SIGN_OUT_KEY, False):
        with slot:
            _forget(authenticator)
        return None
    try:
        authenticator.login(location="unrendered", key=LOGIN_FORM_KEY)
    except LoginError:
        # a cookie naming a user who has since been disabled: forget the cookie
        with slot:
            _forget(authenticator)
        return None
    if not st.session_state.get("authentication_status"):
        st.session_state.pop(USER_KEY, None)
        return None
    record = users.get_user(engine, st.session_state.get("username") or "")
    if record is None or not record.active:
        with slot:
            _forget(authenticator)
        return None
    user = user_from_record(record)
    st.session_state[USER_KEY] = user
    return user


def sign_in_form(engine: Engine, settings: AuthSettings) -> None:
    """Draw the sign-in form; on success record it and rerun so the user's own pages appear.

    Drawn inside a page (after ``st.navigation``) so the form's widget ids are stable between runs.
    """
    authenticator, credentials = _authenticator(settings)
    authenticator.login(location="main", key=LOGIN_FORM_KEY, fields=LOGIN_FIELDS)
    status = st.session_state.get("authentication_status")
    if status is False:
        attempted = [
            name for name, entry in credentials["usernames"].items() if entry.get("failed_login_attempts")
        ]
        if attempted or FAILURE_KEY not in st.session_state:  # a new attempt, not a rerun after one
            st.session_state[FAILURE_KEY] = _failure_message(engine, attempted[0] if attempted else None)
        st.error(st.session_state[FAILURE_KEY])
    elif status:
        st.session_state.pop(FAILURE_KEY, None)
        username = st.session_state.get("username") or ""
        record = users.get_user(engine, username)
        if record is not None and record.active:
            users.record_successful_login(engine, record.username)
            st.session_state[USER_KEY] = user_from_record(record)
        # No st.rerun() here: it would discard the cookie component before the browser ran it, and
        # sign-in would not survive a reload. The component reports back once the cookie is set, and
        # that report reruns the app with the user's own pages.
        st.success("Signed in. Opening your pages…", icon=":material/check_circle:")


def _forget(authenticator: stauth.Authenticate) -> None:
    """End the session and delete the login cookie (the library's own logout, then its state)."""
    if st.session_state.get("authentication_status"):
        authenticator.logout(location="unrendered")
    else:
        authenticator.cookie_controller.delete_cookie()
    st.session_state["logout"] = True
    st.session_state["authentication_status"] = None
    st.session_state.pop(USER_KEY, None)


def _failure_message(engine: Engine, username: str | None) -> str:
    """Record a failed sign-in (locking the account on the fifth) and say what happened."""
    if username is None:
        return "Username or password is incorrect."
    record = users.get_user(engine, username)
    if record is not None and record.locked():
        return (
            f"This account is locked after {users.MAX_FAILED_ATTEMPTS} failed sign-in attempts. Try again "
            f"after {record.locked_until:%H:%M} UTC, or ask an administrator to reset the password."
        )
    record = users.record_failed_login(engine, username)
    if record is not None and record.locked():
        return (
            f"This account is now locked for {users.LOCK_MINUTES} minutes after "
            f"{users.MAX_FAILED_ATTEMPTS} failed sign-in attempts."
        )
    return "Username or password is incorrect."


def sign_out_button(location=st.sidebar) -> None:
    """A sign-out button. Its click is handled at the start of the next run (:func:`signed_in_user`),
    so the run that deletes the login cookie is allowed to finish (an ``st.rerun()`` straight after
    deleting would discard the cookie component before the browser ran it)."""
    if current_user() is not None:
        location.button(
            "Sign out", key=LOGOUT_BUTTON_KEY, icon=":material/logout:", on_click=_request_sign_out
        )


def _request_sign_out() -> None:
    st.session_state[SIGN_OUT_KEY] = True
