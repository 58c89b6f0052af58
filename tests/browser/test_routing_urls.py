"""A shared URL opened in a fresh browser context asks for sign-in and then shows the same view: the
equality lead's landing page (/home, which Streamlit would serve only at the root), a champion's own team
(/my_team?team=…) and a drill-down deep in Areas (borough, neighbourhood, measure, year)."""

from __future__ import annotations

import pytest

from tests.app.test_routing_urls import store_scalar
from tests.browser.conftest import save_screenshot, wait_for_one

pytestmark = pytest.mark.browser


def _open_and_sign_in(page, url: str, username: str) -> None:
    """Open a shared link as someone not signed in, then sign in on the form it shows."""
    page.goto(url)
    form, prompt = (
        page.get_by_role("textbox", name="Username"),
        page.get_by_text("Please sign in to see this page."),
    )
    form.or_(prompt).first.wait_for()
    if (
        prompt.count()
    ):  # a fresh server runs a first page URL alone (docs/design.md); the link works on reload
        page.goto(url)
    page.wait_for_timeout(8000)
    save_screenshot(page, "routing-debug")
    print("URL", page.url, page.inner_text("body")[:800])
    wait_for_one(page.get_by_role("textbox", name="Username"))
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(f"demo-{username}")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def test_shared_links_open_the_same_view_after_sign_in(start_server, browser_page, tiny_store_url):
    server = start_server()
    page = browser_page
    msoa = store_scalar(tiny_store_url, "SELECT code FROM area WHERE type = 'msoa' AND parent_code = 'E09000022' "
                                   "ORDER BY code")  # fmt: skip
    _open_and_sign_in(page, f"{server.url}/areas?borough=E09000022&msoa={msoa}&measure=referrals_rate"
                            "&year=2024-25", "equality")  # fmt: skip
    page.get_by_text("Teams serving its residents").first.wait_for()
    page.get_by_text("(Lambeth): Referrals").first.wait_for()
    assert "2024-25" in page.get_by_role("heading", name="(Lambeth): Referrals").first.inner_text()
    assert f"msoa={msoa}" in page.url and "/areas" in page.url
    assert page.get_by_text("Page not found").count() == 0
    save_screenshot(page, "routing-areas-neighbourhood")

    page.goto(f"{server.url}/home?year=2023-24")  # the landing page at its own URL, same session
    page.get_by_text("Ethnicity recording").first.wait_for()
    assert page.get_by_text("Page not found").count() == 0
    assert "/home" in page.url and "year=2023-24" in page.url


def test_a_champions_team_link_opens_their_team_after_sign_in(start_server, browser_page, tiny_store_url):
    server = start_server()
    own = store_scalar(tiny_store_url, "SELECT team_id FROM app_user_team WHERE username = 'champion'")
    _open_and_sign_in(browser_page, f"{server.url}/my_team?team={own}&year=2024-25", "champion")
    browser_page.get_by_text("against White people in this team").first.wait_for()
    assert browser_page.get_by_text("Page not found").count() == 0
    assert f"team={own}" in browser_page.url and "/my_team" in browser_page.url
    assert "Financial year 2024-25" in browser_page.content()
    save_screenshot(browser_page, "routing-my-team")
