"""Maps in Chromium: the Areas page's SVG map drills down from a borough to a neighbourhood by clicks,
the Workforce page's interactive (pydeck) map draws with no base map and a click on a borough opens its
teams, and no request leaves either page."""

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


def record_outside_requests(page) -> list[str]:
    """Every request the page makes to anywhere but this machine."""
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).hostname not in ("127.0.0.1", "localhost", None)
            and not request.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    return outside


def test_clicking_a_borough_then_a_neighbourhood_drills_down_and_nothing_leaves_the_machine(
    start_server, browser_page
):
    outside = record_outside_requests(browser_page)
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.goto(f"{server.url}/areas?measure=referrals_rate")
    lambeth = browser_page.locator('svg.area-map a[href*="borough=E09000022"]')
    lambeth.wait_for()
    assert "Lambeth: " in lambeth.get_attribute("aria-label") and "per 100,000" in lambeth.get_attribute(
        "aria-label"
    )
    assert not browser_page.locator(DECK).count(), "the Areas page starts no WebGL map"
    save_screenshot(browser_page, "areas-boroughs")

    lambeth.locator("path").click()
    browser_page.get_by_role("button", name="← All boroughs").wait_for()
    browser_page.get_by_text("Lambeth: Referrals", exact=False).first.wait_for()
    assert "borough=E09000022" in browser_page.url and "measure=referrals_rate" in browser_page.url
    save_screenshot(browser_page, "areas-lambeth")

    neighbourhood = browser_page.locator('svg.area-map a[href*="msoa="]').first
    name = neighbourhood.get_attribute("aria-label").removeprefix("Open ").split(": ")[0]
    neighbourhood.locator("path").click()
    browser_page.get_by_text(f"{name} (Lambeth): Referrals", exact=False).first.wait_for()
    assert "msoa=" in browser_page.url and "borough=E09000022" in browser_page.url
    assert outside == [], f"requests left the machine: {outside[:5]}"


def test_clicking_a_borough_on_the_workforce_map_opens_its_teams_and_nothing_leaves_the_machine(
    start_server, browser_page
):
    from components.maps import _view_state
    from data.boundaries import load_boundaries
    from data.config import load_trust_config

    outside = record_outside_requests(browser_page)
    server = start_server()
    browser_sign_in(browser_page, server.url, "equality")
    browser_page.goto(f"{server.url}/workforce?tab=boroughs")
    chart = browser_page.locator(DECK).first
    chart.wait_for()
    browser_page.wait_for_timeout(3000)  # let deck.gl draw

    shapes = load_boundaries(load_trust_config().boroughs).lad
    lambeth = shapes[shapes["code"] == "E09000022"]
    point = lambeth.to_crs(27700).representative_point().to_crs(4326).iloc[0]
    box = chart.bounding_box()
    x, y = _pixel(_view_state(shapes, 460), point.x, point.y, box["width"], box["height"])
    browser_page.mouse.move(box["x"] + x, box["y"] + y)
    browser_page.get_by_text("Lambeth", exact=False).first.wait_for()
    browser_page.mouse.click(box["x"] + x, box["y"] + y)
    browser_page.wait_for_url("**borough=E09000022**")
    save_screenshot(browser_page, "workforce-lambeth")
    assert outside == [], f"requests left the machine: {outside[:5]}"
