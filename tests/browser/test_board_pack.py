"""Chromium downloads the board pack from the overview."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, browser_sign_in, save_screenshot

pytestmark = pytest.mark.browser


def test_the_board_downloads_the_pack(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "board")
    browser_page.get_by_text("Board overview").first.wait_for()
    browser_page.locator(".board-tile").first.wait_for(timeout=600_000)  # headlines for two years, first load
    save_screenshot(browser_page, "overview")
    with browser_page.expect_download(timeout=300_000) as download_info:
        browser_page.get_by_role("button", name="Board pack (PDF)").click(timeout=120_000)
    download = download_info.value
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "board-pack.pdf"
    download.save_as(target)
    assert target.read_bytes()[:5] == b"%PDF-"
