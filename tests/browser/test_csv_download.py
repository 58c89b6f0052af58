"""Chromium downloads a table as CSV: exactly the published figures, under a header block that says what
they are (measure, period, disclosure rule, synthetic), labelled synthetic in the file name too."""

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
    text = download.path().read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("# ")]
    assert any(line.startswith("# Data: SYNTHETIC") for line in header), header
    assert any(line.startswith("# Disclosure control:") for line in header), header
    assert any(line.startswith("# Measure:") for line in header), header
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(body)))
    events = next(column for column in rows[0] if "events" in column.lower() or column == "Count")
    for row in rows:
        assert row[events] == "*" or not re.fullmatch(r"[1-4]", row[events])
    assert any(row[events] == "*" for row in rows)  # the tiny store has suppressed neighbourhoods
