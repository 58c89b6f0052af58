"""Maps in Chromium: the borough map draws offline, a click on a borough opens its drill-down, and
no request leaves the machine."""

from __future__ import annotations

import math
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import browser_sign_in, save_screenshot

pytestmark = pytest.mark.browser
DECK = '[data-testid="stDeckGlJsonChart"]'


def _pixel(view, lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
    """Where deck.gl's Web Mercator viewport draws (lon, lat) inside a canvas of the given size."""
    world = 512 * 2**view.zoom

    def project(lo: float, la: float) -> tuple[float, float]:
        x = (lo + 180) / 360 * world
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * world
        return x, y

    cx, cy = project(view.longitude, view.latitude)
    x, y = project(lon, lat)
    return width / 2 + (x - cx), height / 2 + (y - cy)


def test_clicking_a_borough_opens_its_drill_down_and_nothing_leaves_the_machine(start_server, browser_page):
    from components.maps import _view_state
    from data.boundaries import load_boundaries
    from data.config import load_trust_config

    outside: list[str] = []
    browser_page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).hostname not in ("127.0.0.1", "localhost", None)
            and not request.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.goto(f"{server.url}/areas")
    chart = browser_page.locator(DECK).first
    chart.wait_for()
    browser_page.wait_for_timeout(3000)  # let deck.gl draw
    save_screenshot(browser_page, "areas-boroughs")

    shapes = load_boundaries(load_trust_config().boroughs).lad
    lambeth = shapes[shapes["code"] == "E09000022"]
    point = lambeth.to_crs(27700).representative_point().to_crs(4326).iloc[0]
    box = chart.bounding_box()
    x, y = _pixel(_view_state(shapes), point.x, point.y, box["width"], box["height"])
    browser_page.mouse.move(box["x"] + x, box["y"] + y)
    browser_page.get_by_text("per 100,000 (95% CI", exact=False).first.wait_for()  # the tooltip
    browser_page.mouse.click(box["x"] + x, box["y"] + y)

    browser_page.get_by_role("button", name="← All boroughs").wait_for()
    browser_page.get_by_text("Lambeth: Mental Health Act detentions", exact=False).first.wait_for()
    assert "borough=E09000022" in browser_page.url
    browser_page.locator(DECK).first.wait_for()
    browser_page.wait_for_timeout(2000)
    save_screenshot(browser_page, "areas-lambeth")
    assert outside == [], f"requests left the machine: {outside[:5]}"
