"""Entry point: page config, the store, sign-in, and navigation built from the user's role.

Run it with ``python -m streamlit run app.py``. On first start in demo mode it builds the synthetic
demo store (``data/demo.db``) with a progress bar; later starts reuse it.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from components.access import DEFAULT_PAGE, PAGES, pages_for
from components.auth import sign_in_form, sign_out_button, signed_in_user
from components.copy import page_copy
from components.guard import REFUSAL
from components.layout import SYNTHETIC_LABEL
from components.store import TRUST, current_store, store_facts
from data.config import ConfigError, auth_settings
from data.store import StoreUnavailable

st.set_page_config(
    page_title=f"Equality dashboard · {TRUST.name}",
    page_icon="static/favicon.png",  # a local file: a Material icon here is fetched from Google
    layout="wide",
)


def _store_problem(problem: Exception) -> None:
    st.error(f"**The data store is not available.** {problem}", icon=":material/database:")
    st.stop()


try:
    _settings, engine = current_store()
    facts = store_facts()
    auth = auth_settings(demo=facts.get("synthetic") == "true")
except (StoreUnavailable, SQLAlchemyError) as problem:
    _store_problem(problem)
except ConfigError as problem:
    st.error(f"**The dashboard is not configured.** {problem}", icon=":material/settings:")
    st.stop()


def _refuse() -> None:
    st.error(REFUSAL, icon=":material/block:")


def _sign_in_page() -> None:
    """The only page while nobody is signed in, whatever URL was asked for."""
    sign_in_form(engine, auth)
    if facts.get("synthetic") == "true":
        st.info(SYNTHETIC_LABEL + "\n\n" + page_copy("demo_logins"), icon=":material/science:")


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
navigation = st.navigation(
    [
        st.Page(page.path, title=page.title, icon=page.icon, url_path=page.page_id,
                default=page.page_id == DEFAULT_PAGE.get(user.role))
        for page in allowed
    ]
    # pages the role may not open still answer their URL, with the refusal and nothing else
    + [st.Page(_refuse, title=page.title, url_path=page.page_id, visibility="hidden")
       for page in PAGES if page.page_id not in allowed_ids]
)  # fmt: skip

with st.sidebar:
    st.markdown(f"**{user.display_name}**  \n{user.role_title}")
    sign_out_button(st.sidebar)
    if facts.get("synthetic") == "true":
        st.caption("Synthetic demonstration data")

try:
    navigation.run()
except StoreUnavailable as problem:
    _store_problem(problem)
except SQLAlchemyError as problem:
    st.error(
        "**The data store did not answer this query.** Check that the database is running and holds the "
        f"dashboard's tables ({type(problem).__name__}).",
        icon=":material/database:",
    )
