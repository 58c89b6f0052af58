"""The guard every page module calls as its first statement.

Why every page and not only ``app.py``: on a freshly started server, a first request for a page's
URL (e.g. ``/my_team``) makes Streamlit run ``pages/my_team.py`` directly in the old
pages-directory mode, without running ``app.py`` and its login. So each page checks
for itself that the session holds a signed-in user whose role may open it, and otherwise renders a
refusal (or a link to sign in) and stops. ``tests/app/test_page_guard.py`` checks every module in
``pages/`` starts with this call.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from components.access import User, may_open
from components.auth import current_user

REFUSAL = "You do not have access to this page."
#: The query parameter naming the page a shared link asked for, kept through sign-in.
NEXT = "next"

#: On a fresh server a page module can run without app.py, in Streamlit's old pages-directory mode,
#: which lists every file in pages/ in the sidebar; a refusal hides that list too.
HIDE_PAGE_LIST = "<style>[data-testid='stSidebarNav']{display:none}</style>"


def _through_sign_in(page_id: str) -> None:
    """Hand a first request for a page URL to the entry point, which asks for sign-in and then opens the
    page the link named, with its view (``next`` and the link's parameters). Where there is no entry point
    to hand over to (a page module run on its own), the sign-in prompt below is shown instead."""
    params = {name: st.query_params.get(name, "") for name in st.query_params if name != NEXT}
    try:
        st.switch_page("app.py", query_params={NEXT: page_id, **params})
    except StreamlitAPIException:
        return


def _this_view(page_id: str) -> str:
    """This page's URL with its (already URL-supplied) parameters, encoded."""
    params = {name: st.query_params.get(name, "") for name in st.query_params}
    return f"/{page_id}" + (f"?{urlencode(params)}" if params else "")


def require_page(page_id: str) -> User:
    """Return the signed-in user if their role may open ``page_id``; otherwise refuse and stop."""
    user = current_user()
    if user is None:
        _through_sign_in(page_id)
        st.markdown(HIDE_PAGE_LIST, unsafe_allow_html=True)
        st.warning("Please sign in to see this page.", icon=":material/lock:")
        # back to this very page and view: the next request goes through app.py, which asks for sign-in
        # and then opens the page the link named (a shared link keeps its view)
        st.link_button("Go to the sign-in page", _this_view(page_id))
        st.stop()
    if not may_open(user.role, page_id):
        st.markdown(HIDE_PAGE_LIST, unsafe_allow_html=True)
        st.error(REFUSAL, icon=":material/block:")
        st.stop()
    return user
