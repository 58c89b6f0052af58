"""Chromium opens the running app, signs in and sees the home page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_sign_in, save_screenshot

pytestmark = pytest.mark.browser


def test_the_home_page_opens_in_chromium(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.get_by_text("Riverside and Southbank Mental Health NHS Foundation Trust").first.wait_for()
    browser_page.get_by_text("Synthetic data.").first.wait_for()
    browser_page.get_by_text("Referrals received").first.wait_for()
    save_screenshot(browser_page, "home")
    assert "Traceback" not in browser_page.content()
