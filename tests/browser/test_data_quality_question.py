"""Question 2 of issue 15 in Chromium: "Which teams have the worst ethnicity recording?" is answered on
screen by opening one page after signing in (the Data quality page ranks teams worst first)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_sign_in, save_screenshot

pytestmark = pytest.mark.browser


def test_the_worst_ethnicity_recording_is_on_screen_one_click_after_sign_in(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.get_by_role("link", name="Data quality").first.click()  # interaction 1 after sign-in
    browser_page.get_by_text(
        "with the highest share of people referred whose ethnicity was not recorded"
    ).first.wait_for()
    browser_page.get_by_text("worst first").first.wait_for()
    assert "/data_quality" in browser_page.url
    assert "Traceback" not in browser_page.content()
    save_screenshot(browser_page, "data-quality-worst-first")
