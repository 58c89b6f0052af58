"""Presentation mode on a 1366×768 projector: every headline's verdicts are on the first screen without
scrolling, the figures are at least twice the body size, and no tile label is cut short."""

from __future__ import annotations

import pytest

from data.config import load_trust_config
from tests.browser.conftest import ARTIFACTS, browser_sign_in

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1366, 768


def test_every_headline_verdict_is_on_the_first_projector_screen(start_server, browser_page):
    server = start_server()
    page = browser_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    browser_sign_in(page, server.url, "board")
    page.goto(f"{server.url}/overview?present=1")
    headlines = load_trust_config().headline_measures
    tiles = page.locator(".board-tile")
    tiles.first.wait_for(timeout=600_000)  # every headline is computed for two years on first load
    page.wait_for_timeout(1500)
    assert tiles.count() == len(headlines)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-presentation-1366x768.png"))

    assert page.evaluate("window.scrollY") == 0
    verdicts = page.locator("li[data-verdict]")
    assert verdicts.count() >= 3 * len(headlines)  # trend, last year, target, England: in words
    for index in range(verdicts.count()):
        box = verdicts.nth(index).bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, verdicts.nth(index).inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH

    sizes = page.evaluate(
        """() => ({
            figure: parseFloat(getComputedStyle(document.querySelector('.board-tile .figure')).fontSize),
            body: parseFloat(getComputedStyle(document.querySelector('.board-tile li')).fontSize),
            text: parseFloat(getComputedStyle(document.querySelector('[data-testid="stMarkdownContainer"] p')).fontSize),
        })"""
    )
    assert sizes["figure"] >= 2 * max(sizes["body"], sizes["text"])
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.board-tile h3, .board-tile .compares, .board-tile li')]
                 .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert cut == []
    assert "Traceback" not in page.content()

    # caption text (the figures under each headline in full) is at least 4.5:1 on white, opacity included
    contrasts = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stCaptionContainer"] p')].map(p => {
            let alpha = 1; for (let e = p; e; e = e.parentElement) alpha *= parseFloat(getComputedStyle(e).opacity);
            const [r, g, b] = getComputedStyle(p).color.match(/\\d+/g).map(Number);
            const mix = c => (c * alpha + 255 * (1 - alpha)) / 255;
            const lin = c => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
            const lum = 0.2126 * lin(mix(r)) + 0.7152 * lin(mix(g)) + 0.0722 * lin(mix(b));
            return 1.05 / (lum + 0.05);
        })"""
    )
    assert contrasts and min(contrasts) >= 4.5
