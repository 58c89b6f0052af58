"""Chromium downloads a table as CSV: exactly the published figures, labelled synthetic in the file
name and in every row."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser.conftest import browser_sign_in

pytestmark = pytest.mark.browser


def test_the_areas_table_downloads_as_a_labelled_published_csv(start_server, browser_page):
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.goto(f"{server.url}/areas?borough=E09000022&measure=cto_crude_rate")
    browser_page.get_by_text("The figures as a table").first.click()
    with browser_page.expect_download(timeout=60_000) as download_info:
        browser_page.get_by_role("button", name="Download CSV").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("synthetic-")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert rows and all(row["Data"] == "SYNTHETIC demonstration data" for row in rows)
    for row in rows:
        assert row["Events"] == "*" or not re.fullmatch(r"[1-4]", row["Events"])
    assert any(row["Events"] == "*" for row in rows)  # the tiny store has suppressed neighbourhoods
