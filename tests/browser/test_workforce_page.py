"""The Workforce page in Chromium: the band chart (bands as rows), the WRES sentences and the borough
map draw for a board member, and screenshots are saved for review."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_sign_in, save_screenshot

pytestmark = pytest.mark.browser


def test_the_workforce_page_draws_its_chart_sentences_and_map(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "board")
    browser_page.goto(f"{server.url}/workforce")
    browser_page.get_by_text("WRES 1: BME staff by pay band", exact=False).first.wait_for()
    browser_page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    browser_page.wait_for_timeout(2000)
    save_screenshot(browser_page, "workforce-bands")

    browser_page.get_by_role("tab", name="WRES 2–4 and 9").click()
    browser_page.get_by_text("WRES 9 is suppressed", exact=False).first.wait_for()
    save_screenshot(browser_page, "workforce-wres")

    browser_page.get_by_role("tab", name="By borough").click()
    browser_page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for()
    browser_page.wait_for_timeout(2500)
    save_screenshot(browser_page, "workforce-boroughs")
    assert "tab=boroughs" in browser_page.url, "the open tab is in the URL"
