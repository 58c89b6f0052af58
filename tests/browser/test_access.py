"""Sign-in in a real browser, and the pages/ bypass (a fresh server runs a page module without app.py) proven closed."""

from __future__ import annotations

import pytest

from components.access import PAGES
from tests.browser.conftest import browser_sign_in, save_screenshot, wait_for_one

pytestmark = pytest.mark.browser

FIGURE_SELECTORS = '[data-testid="stMetric"], [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]'


def test_sign_in_survives_a_reload_and_sign_out_does_not(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.get_by_text("Referrals received").first.wait_for()

    browser_page.reload()
    browser_page.get_by_role("button", name="Sign out").wait_for()
    browser_page.get_by_text("Referrals received").first.wait_for()

    browser_page.get_by_role("button", name="Sign out").click()
    wait_for_one(browser_page.get_by_role("textbox", name="Username"))
    browser_page.wait_for_timeout(1500)  # let the cookie deletion reach the browser
    browser_page.reload()
    wait_for_one(browser_page.get_by_role("textbox", name="Username"))
    browser_page.wait_for_timeout(2000)
    assert browser_page.locator(FIGURE_SELECTORS).count() == 0
    assert browser_page.get_by_role("button", name="Sign out").count() == 0


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.page_id)
def test_a_page_url_on_a_freshly_started_server_shows_no_figure_to_a_visitor(
    start_server, browser_page, page
):
    server = start_server()  # a new process: the first request it ever sees is the page URL
    browser_page.goto(f"{server.url}/{page.page_id}")
    browser_page.get_by_text("sign in", exact=False).first.wait_for()
    browser_page.wait_for_timeout(3000)  # give any page content time to appear if it were going to
    save_screenshot(browser_page, f"fresh-server-{page.page_id}")
    assert browser_page.locator(FIGURE_SELECTORS).count() == 0
    assert not browser_page.locator('[data-testid="stSidebarNav"]').is_visible()  # no list of page names
    body = browser_page.inner_text("body")
    assert "Referrals received" not in body and "My team" not in body.split("Sign in")[0]


def test_my_team_for_a_champion_in_chromium(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "champion")
    browser_page.get_by_text("Lambeth Talking Therapies").first.wait_for()
    save_screenshot(browser_page, "my-team-champion")
