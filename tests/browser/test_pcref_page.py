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


def test_a_shared_pcref_url_reopens_the_same_view_in_a_fresh_browser(start_server, browser_page):
    # A colleague's link: measure, period, borough, sex, age and the trend group are all in the URL.
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.goto(
        f"{server.url}/pcref?tab=coercion&measure=s136&period=2024-25&borough=E09000028&sex=F&age=18-24&group=Mixed"
    )
    browser_page.get_by_text(
        "Section 136 (police place of safety), 2024-25 (Southwark, Female, 18-24)"
    ).wait_for()
    browser_page.get_by_text("Year by year: each group's ratio to White").first.wait_for()
    for kept in ("measure=s136", "period=2024-25", "borough=E09000028", "sex=F", "age=18-24", "group=Mixed"):
        assert kept in browser_page.url  # the page kept every choice (an unknown one would be replaced)
    assert "The link asked for an unknown" not in browser_page.content()
    assert "Traceback" not in browser_page.content()
