"""The Service access page in Chromium: it renders its tabs, tables and charts for a board member,
the Routes in tab opens with the police route highlighted, and screenshots are saved for review."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import browser_sign_in, save_screenshot

pytestmark = pytest.mark.browser


def test_the_board_sees_the_access_page_and_its_routes_in(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "board")
    browser_page.goto(f"{server.url}/access?by=broad_group")
    browser_page.get_by_role("heading", name="Service access").wait_for()
    browser_page.get_by_text("per 100,000 residents by ethnic group (broad)", exact=False).first.wait_for()
    browser_page.locator('[data-testid="stDataFrame"]').first.wait_for()
    browser_page.wait_for_timeout(1500)
    save_screenshot(browser_page, "access-page")
    tabs = browser_page.get_by_role("tab")
    assert {"Access", "Routes in", "Timeliness", "Engagement", "Intersections", "Trend"} <= {
        t.inner_text().strip() for t in tabs.all()
    }
    assert browser_page.get_by_role("tab", name="Teams").count() == 0  # equality leads only
    browser_page.get_by_role("tab", name="Routes in").click()
    browser_page.get_by_text("Police or criminal-justice route", exact=False).first.wait_for()
    browser_page.wait_for_timeout(1000)
    save_screenshot(browser_page, "access-routes-in")
    body = browser_page.locator("body").inner_text()
    assert not re.search(r"Traceback|Error:", body)
