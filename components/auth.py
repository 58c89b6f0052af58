"""Sign-in, sign-out and the signed-in user: server-side sessions in the store (docs/security.md).

- The sign-in form is an ordinary ``st.form``; the check is :func:`data.users.sign_in` (throttling,
  bcrypt against a dummy hash for unknown names, one message for every refused password).
- A sign-in creates a session row in the store (``app_session``); the browser's cookie holds only its
  random id. Every run checks that row (lifetime, idle timeout, user active and not locked), so
  signing out, a password reset, disabling or locking a user signs out every browser of that user on
  its next run, including one holding a copied cookie.
- The cookie is written by a line of JavaScript (``st.html``) on every signed-in run, so there is no
  cookie component whose report reruns the app and races a form submission. JavaScript cannot set
  ``HttpOnly``: the cookie is ``SameSite=Strict``, ``Secure`` over HTTPS, and worthless once its
  session row is gone.
- Nothing in a cookie is ever decoded: a value that is not a well-formed session id is ignored and
  the cookie deleted. The cookie of the library this module replaced (``equality_dashboard_auth``) is
  deleted when seen.
"""

from __future__ import annotations

import json
from datetime import timedelta

import streamlit as st
from sqlalchemy import Engine

from components.access import User, user_from_record
from data import users
from data.config import AuthSettings

USER_KEY = "equality_user"
SESSION_KEY = "equality_session_id"
SIGN_OUT_KEY = "equality_sign_out_requested"
FAILURE_KEY = "equality_sign_in_failure"
LOGIN_FORM_KEY = "equality_login_form"
LOGOUT_BUTTON_KEY = "equality_logout_button"
#: Cookies of the sign-in library used before: never read, deleted when a browser still sends one.
LEGACY_COOKIES = ("equality_dashboard_auth",)


def current_user() -> User | None:
    """The signed-in user of this session, or None (checked against the store by the entry point)."""
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, User) else None


def client_address(settings: AuthSettings) -> str:
    """The client's address for throttling: the trusted proxy's header when one is configured, else
    the connection's own address; empty when unknown (as in AppTest)."""
    if settings.client_ip_header:
        forwarded = st.context.headers.get(settings.client_ip_header)
        if isinstance(forwarded, str) and forwarded.split(",")[-1].strip():
            return forwarded.split(",")[-1].strip()[:64]
    address = st.context.ip_address
    return address[:64] if isinstance(address, str) else ""


def _browser_cookies() -> dict[str, str]:
    try:
        return dict(st.context.cookies)
    except Exception:  # a header the parser refuses is no cookie at all
        return {}


def signed_in_user(engine: Engine, settings: AuthSettings) -> User | None:
    """The signed-in user, from this session or the browser's cookie, checked against the store.

    Call it at the top of every run of the entry point, before ``st.navigation``. Returns None while
    nobody is signed in; the entry point then shows :func:`sign_in_form` as its only page.
    """
    cookies = _browser_cookies()
    if st.session_state.pop(SIGN_OUT_KEY, False):
        _sign_out(engine, settings, cookies)
        return None
    session_id = st.session_state.get(SESSION_KEY) or cookies.get(settings.cookie_name)
    record = users.session_user(
        engine, session_id, idle=timedelta(minutes=settings.idle_minutes), secret=settings.cookie_key
    )
    if record is None:
        st.session_state.pop(USER_KEY, None)
        st.session_state.pop(SESSION_KEY, None)
        if any(name in cookies for name in (settings.cookie_name, *LEGACY_COOKIES)):
            _write_cookie(settings, None)
        return None
    st.session_state[SESSION_KEY] = session_id
    user = user_from_record(record)
    st.session_state[USER_KEY] = user
    _write_cookie(settings, session_id)
    return user


def sign_in_form(engine: Engine, settings: AuthSettings) -> None:
    """Draw the sign-in form; on success start a session and rerun so the user's own pages appear.

    Drawn inside a page (after ``st.navigation``) so the form's widget ids are stable between runs.
    The password is taken exactly as typed.
    """
    with st.form(LOGIN_FORM_KEY):
        st.subheader("Sign in", anchor=False)
        username = st.text_input("Username", max_chars=64, autocomplete="username")
        password = st.text_input("Password", type="password", max_chars=128, autocomplete="current-password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        result = users.sign_in(
            engine,
            username,
            password,
            client=client_address(settings),
            allow_demo_logins=settings.allow_demo_logins,
        )
        if result.user is not None:
            st.session_state.pop(FAILURE_KEY, None)
            session_id = users.create_session(
                engine,
                result.user.username,
                lifetime=timedelta(hours=settings.session_hours),
                secret=settings.cookie_key,
            )
            st.session_state[SESSION_KEY] = session_id
            st.session_state[USER_KEY] = user_from_record(result.user)
            st.rerun()  # the next run shows the user's pages and writes the cookie
        st.session_state[FAILURE_KEY] = result.message or users.INCORRECT
    if st.session_state.get(FAILURE_KEY):
        st.error(st.session_state[FAILURE_KEY])


def _sign_out(engine: Engine, settings: AuthSettings, cookies: dict[str, str]) -> None:
    """End every session of the signed-in user (all their browsers) and delete this browser's cookie."""
    user = current_user()
    if user is not None:
        users.end_sessions(engine, user.username)
    else:
        users.end_session(engine, cookies.get(settings.cookie_name, ""), secret=settings.cookie_key)
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(FAILURE_KEY, None)
    _write_cookie(settings, None)


def _write_cookie(settings: AuthSettings, session_id: str | None) -> None:
    """Set (or, with None, delete) the session cookie in the browser, and delete legacy cookies.

    The values written are a fixed cookie name (checked in ``data.config``) and a session id made of
    URL-safe characters, both JSON-quoted: nothing a visitor typed reaches this script.
    """
    secure = "(location.protocol === 'https:' ? '; Secure' : '')"
    lines = [
        f"document.cookie = {json.dumps(name + '=; Path=/; Max-Age=0; SameSite=Strict')};"
        for name in LEGACY_COOKIES
    ]
    if session_id is None:
        lines.append(
            f"document.cookie = {json.dumps(settings.cookie_name + '=; Path=/; Max-Age=0; SameSite=Strict')}"
            f" + {secure};"
        )
    else:
        max_age = int(settings.session_hours * 3600)
        value = f"{settings.cookie_name}={session_id}; Path=/; Max-Age={max_age}; SameSite=Strict"
        lines.append(f"document.cookie = {json.dumps(value)} + {secure};")
    st.html("<script>" + "\n".join(lines) + "</script>", unsafe_allow_javascript=True, width="content")


def sign_out_button(location=st.sidebar) -> None:
    """A sign-out button. Its click is handled at the start of the next run (:func:`signed_in_user`)."""
    if current_user() is not None:
        location.button(
            "Sign out", key=LOGOUT_BUTTON_KEY, icon=":material/logout:", on_click=_request_sign_out
        )


def _request_sign_out() -> None:
    st.session_state[SIGN_OUT_KEY] = True
