"""The AppTest workaround in conftest.py keeps the entry point running on every rerun.

Without it AppTest treats an app with a ``pages/`` folder as an old pages-directory app and, from
the second run on, runs the page alone: the entry point (and any gate in it) would silently stop
running in tests. This test fails if that happens.
"""

from __future__ import annotations

from tests.conftest import sign_in


def test_the_entry_point_runs_on_the_second_run_too(app_test):
    at = sign_in(app_test(), "equality")
    assert at.title, "first run after signing in rendered nothing"
    at.run()
    assert not at.exception
    # app.py signs the user in and calls st.navigation; the home page then renders its title.
    assert at.title[0].value.startswith("Riverside")
    from streamlit.runtime.pages_manager import PagesManager

    assert PagesManager.uses_pages_directory is False
