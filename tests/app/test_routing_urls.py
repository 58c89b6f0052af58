"""Every page a role may open answers its own URL after sign-in, the role's landing page included
(Streamlit serves its default page at the root and reserves no other path for it), and a shared link's
parameters survive the landing page's redirect."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from components.access import DEFAULT_PAGE, pages_for
from data.store import make_engine
from tests.app.test_access import ROLE_OF, visit
from tests.conftest import sign_in


def _url_paths(at) -> set[str]:
    """The URL paths the app registered on its last run, as the browser resolves a typed-in URL."""
    return {str(info.get("url_pathname")) for info in at._registered_pages.values()}


@pytest.mark.parametrize("username", ["board", "equality", "champion", "admin"])
def test_every_page_of_a_role_answers_its_own_url_including_the_landing_page(app_test, username):
    at = sign_in(app_test(), username)
    assert not at.exception
    paths = _url_paths(at)
    role = ROLE_OF[username]
    assert DEFAULT_PAGE[role] in paths, f"/{DEFAULT_PAGE[role]} would open 'Page not found'"
    for page in pages_for(role):
        assert page.page_id in paths, page.page_id
    assert "" in paths  # the root still opens the landing page


def test_the_root_opens_the_landing_page_at_its_own_url(app_test):
    at = sign_in(app_test(), "equality")
    assert at.title[0].value.startswith("Riverside")  # Home
    home = visit(at, "home")
    assert not at.exception
    assert home.title[0].value.startswith("Riverside")


def store_scalar(url: str, sql: str):
    """One value read from the test store."""
    engine = make_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar()
    engine.dispose()
    return value


def test_a_champions_shared_team_link_opens_their_team(app_test, tiny_store_url):
    own = store_scalar(tiny_store_url, "SELECT team_id FROM app_user_team WHERE username = 'champion'")
    at = app_test()
    at.query_params["team"] = str(own)
    at = sign_in(at, "champion")
    assert not at.exception
    assert at.title[0].value == "My team"
    assert at.selectbox(key="my_team_team").value == str(own)
    assert at.query_params["team"] in ([str(own)], str(own))
