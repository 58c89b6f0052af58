"""Entry point: page config, the store, and navigation built from the pages the user may see.

Run it with ``python -m streamlit run app.py``. On first start in demo mode it builds the synthetic
demo store (``data/demo.db``) with a progress bar; later starts reuse it.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from components.store import TRUST, current_store
from data.store import StoreUnavailable

st.set_page_config(
    page_title=f"Equality dashboard · {TRUST.name}",
    page_icon=":material/diversity_3:",
    layout="wide",
)

try:
    current_store()
except StoreUnavailable as problem:
    st.error(f"**The data store is not available.** {problem}", icon=":material/database:")
    st.stop()

PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", url_path="home", default=True),
]

navigation = st.navigation(PAGES)
try:
    navigation.run()
except StoreUnavailable as problem:
    st.error(f"**The data store is not available.** {problem}", icon=":material/database:")
except SQLAlchemyError as problem:
    st.error(
        "**The data store did not answer this query.** Check that the database is running and holds the "
        f"dashboard's tables ({type(problem).__name__}).",
        icon=":material/database:",
    )
