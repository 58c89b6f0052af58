"""Chromium renders the PCREF page with its charts, and saves a screenshot as a test artefact."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_sign_in, save_screenshot

pytestmark = pytest.mark.browser


def test_the_pcref_page_renders_with_its_sentence_and_charts(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.goto(f"{server.url}/pcref")
    browser_page.get_by_text("PCREF core measures").first.wait_for()
    browser_page.get_by_text("Broad ethnic groups").first.wait_for()
    browser_page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    save_screenshot(browser_page, "pcref")
    assert "Traceback" not in browser_page.content()
