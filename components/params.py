"""Untrusted input from the URL: query parameters are checked against known values.

Anything unknown is ignored with a visible warning, and the page falls back to its default; nothing
from the URL ever reaches SQL except as a bound parameter taken from a list of known values.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import streamlit as st

MAX_PARAM_LENGTH = 64


def choose(name: str, allowed: Sequence[str], default: str) -> str:
    """The query parameter ``name`` if it is one of ``allowed``; otherwise ``default`` (with a warning
    when a bad value was given)."""
    raw = st.query_params.get(name)
    if raw is None:
        return default
    if len(raw) <= MAX_PARAM_LENGTH and raw in allowed:
        return raw
    st.warning(
        f"The link asked for an unknown {name}; showing the default instead.", icon=":material/link_off:"
    )
    return default


def remember(name: str, value: str) -> None:
    """Keep a choice in the URL so the view can be shared or bookmarked."""
    if st.query_params.get(name) != value:
        st.query_params[name] = value


def link_with(page: str = "", **changes: str) -> str:
    """A URL for this view with some choices changed (an empty value drops that choice): a link that
    drills down, and that can be shared. ``page`` opens another page (e.g. "/areas") with only
    ``changes``; otherwise the link keeps this page and its other choices."""
    params = {} if page else st.query_params.to_dict()
    params.update(changes)
    return f"{page}?{urlencode({name: value for name, value in params.items() if value})}"
