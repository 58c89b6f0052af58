"""Start-up health of the store, shown to people instead of a failing page, and when data were loaded."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from components.store import current_store, data_version, latest_load
from data import health


@st.cache_data(ttl=60, show_spinner=False)
def _gaps(store_url: str, version: str, _engine: Engine) -> list[health.Gap]:
    """Checked once per store and load (not per user: it is about the store, and shows no figure)."""
    return health.check(_engine)


def stop_for_gaps(engine: Engine) -> None:
    """Show what the store lacks and the command that fixes it, then stop the page (never a traceback)."""
    store_url = current_store()[0].url
    gaps = _gaps(store_url, data_version(store_url), engine)
    blocking = [gap for gap in gaps if gap.blocking]
    if not blocking:
        return
    lines = "\n".join(f"- {gap.what} Fix: `{gap.fix}`" for gap in blocking)
    st.warning(
        "**The data store is not ready to show figures yet.**\n\n" + lines + "\n\nSee docs/loading-data.md.",
        icon=":material/database:",
    )
    st.stop()


def data_loaded_caption() -> str | None:
    """'Data loaded on 30 November 2026 at 10:15 UTC' from the newest load, or None before any load."""
    latest = latest_load(current_store()[0].url)
    if latest is None:
        return None
    when = latest["loaded_at"]
    return f"Data loaded on {when:%-d %B %Y} at {when:%H:%M} UTC"
