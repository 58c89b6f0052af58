"""Entry point: page config, the store, sign-in, and navigation built from the user's role.

Run it with ``python -m streamlit run app.py``. On first start in demo mode it builds the synthetic
demo store (``data/demo.db``) with a progress bar; later starts reuse it.

Every run goes through one error boundary (:func:`_fault`): configuration errors name the file, the
key and the fix; a store that stops answering gives a plain message and the next run recovers by
itself; anything else is logged on the server with a reference and the browser sees only the
reference. ``client.showErrorDetails = "none"`` in ``.streamlit/config.toml`` is the backstop for
anything raised outside it (docs/security.md).
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from components.access import DEFAULT_PAGE, LANDING_PATH, PAGES, pages_for
from components.auth import sign_in_form, sign_out_button, signed_in_user
from components.copy import page_copy
from components.guard import NEXT, REFUSAL
from components.layout import synthetic_label
from data.config import ConfigError, auth_settings
from data.store import StoreUnavailable

LOG = logging.getLogger("equality.app")
STORE_DOWN = (
    "**The data store did not answer.** Check that the database is running and holds the dashboard's "
    "tables; this page works again by itself once the store answers (reload or use any control)."
)


def _fault(problem: BaseException) -> None:
    """The app's one error boundary: say what went wrong without a traceback, then stop the run."""
    if isinstance(problem, ConfigError):
        st.error(f"**The dashboard is not configured.** {problem}", icon=":material/settings:")
    elif isinstance(problem, StoreUnavailable):
        st.error(f"**The data store is not available.** {problem}", icon=":material/database:")
    elif isinstance(problem, OSError):
        LOG.error("file error", exc_info=problem)
        name = Path(str(problem.filename or "")).name or "a file"
        st.error(
            f"**The server could not read or write {name}** ({problem.strerror or type(problem).__name__}). "
            "Check that the data/ folder is writable by the account running the dashboard.",
            icon=":material/folder_off:",
        )
    elif isinstance(problem, SQLAlchemyError):
        LOG.warning("store error: %s", type(problem).__name__, exc_info=problem)
        if globals().get("engine") is not None:  # fresh connections next run: the old ones may be dead
            globals()["engine"].dispose()
        st.error(f"{STORE_DOWN} ({type(problem).__name__})", icon=":material/database:")
    else:
        reference = secrets.token_hex(4)
        LOG.error("unexpected error %s", reference, exc_info=problem)
        st.error(
            f"**Something went wrong.** The details are in the server's log under reference {reference}.",
            icon=":material/error:",
        )
    st.stop()


def _start():
    """Page config, the store and sign-in settings; config/trust.yaml is read on first import."""
    from components.store import TRUST, current_store, store_facts, warm_up

    st.set_page_config(
        page_title=f"Equality dashboard · {TRUST.name}",
        page_icon="static/favicon.png",  # a local file: a Material icon here is fetched from Google
        layout="wide",
    )
    _settings, engine = current_store()
    _concurrent_sqlite(engine.url.render_as_string(hide_password=True), engine)
    warm_up()
    facts = store_facts()
    synthetic = facts.get("synthetic") == "true"
    # Demo mode (generated cookie key, published demo logins) only for an embedded SQLite demo store.
    embedded_demo = synthetic and engine.url.get_backend_name() == "sqlite"
    return engine, facts, auth_settings(demo=embedded_demo)


_WAL_STORES: set[str] = set()


def _concurrent_sqlite(url: str, engine) -> None:
    """For a SQLite store: write-ahead logging, so sign-ins and session checks (small writes) are not
    refused with "database is locked" while other sessions read (20 simultaneous sign-ins were). The
    mode is kept in the file; until it is set (the switch needs a moment without writers) every run
    tries again. (Adding a connect listener here instead raced other threads' connections.)"""
    if url in _WAL_STORES or engine.url.get_backend_name() != "sqlite":
        return
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
    except SQLAlchemyError:  # busy, or a read-only folder: keep the journal it has
        return
    if str(mode).lower() == "wal":
        _WAL_STORES.add(url)


try:
    engine, facts, auth = _start()
except Exception as problem:
    st.set_page_config(page_title="Equality dashboard", page_icon="static/favicon.png", layout="wide")
    _fault(problem)


def _refuse() -> None:
    st.error(REFUSAL, icon=":material/block:")


def _sign_in_page() -> None:
    """The only page while nobody is signed in, whatever URL was asked for."""
    sign_in_form(engine, auth)
    if facts.get("synthetic") == "true" and auth.allow_demo_logins:
        st.info(synthetic_label(facts) + "\n\n" + page_copy("demo_logins"), icon=":material/science:")


try:
    user = signed_in_user(engine, auth)
    if user is None:
        # Every page URL shows the sign-in form; no page module runs until someone is signed in.
        st.navigation(
            [st.Page(_sign_in_page, title="Sign in", url_path="sign_in", default=True)]
            + [st.Page(_sign_in_page, title=p.title, url_path=p.page_id, visibility="hidden") for p in PAGES],
            position="hidden",
        ).run()
        st.stop()

    allowed = pages_for(user.role)
    allowed_ids = {page.page_id for page in allowed}
    # Every page answers its own URL (/home, /my_team?team=24), the landing page included: Streamlit
    # serves the default page at the root and reserves no other path for it, so the default is a
    # hidden page that opens the role's landing page, keeping the link's parameters.
    pages = {page.page_id: st.Page(page.path, title=page.title, icon=page.icon, url_path=page.page_id)
             for page in allowed}  # fmt: skip
    landing = pages[DEFAULT_PAGE.get(user.role, allowed[0].page_id)]

    def _open_landing_page() -> None:
        """The landing page, or the page a shared link named before sign-in (``next``), with its view."""
        params = st.query_params.to_dict()
        target = pages.get(str(params.pop(NEXT, "")), landing)
        st.switch_page(target, query_params=params)

    navigation = st.navigation(
        [st.Page(_open_landing_page, title=landing.title, url_path=LANDING_PATH, default=True,
                 visibility="hidden"), *pages.values()]
        # pages the role may not open still answer their URL, with the refusal and nothing else
        + [st.Page(_refuse, title=page.title, url_path=page.page_id, visibility="hidden")
           for page in PAGES if page.page_id not in allowed_ids]
    )  # fmt: skip

    # components.health loads components.store (and config/trust.yaml): imported inside the boundary
    from components.health import data_loaded_caption, stop_for_gaps

    with st.sidebar:
        st.text(user.display_name)  # user-supplied: plain text, never Markdown or HTML
        st.caption(user.role_title)
        sign_out_button(st.sidebar)
        if facts.get("synthetic") == "true":
            st.caption("Synthetic demonstration data")
        loaded = data_loaded_caption()
        if loaded:
            st.caption(loaded)

    if user.role != "admin":  # administrators manage logins even before any data is loaded
        stop_for_gaps(engine)
    navigation.run()
except Exception as problem:
    _fault(problem)
