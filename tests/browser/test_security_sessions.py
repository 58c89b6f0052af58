"""Revocable sessions in Chromium: a copied login cookie stops working after sign-out, a password reset,
a lock or disabling the user; malformed cookies give the sign-in form, never a traceback; and 20
simultaneous sign-ins each survive a reload (docs/security.md)."""

from __future__ import annotations

import time

import pytest

from data import users
from data.store import make_engine
from tests.browser.conftest import CHROMIUM_FLAGS, StreamlitServer, browser_sign_in, wait_for_one
from tests.conftest import copy_store

pytestmark = pytest.mark.browser

COOKIE = "equality_session"
TRACEBACK_MARKERS = ("Traceback", 'File "', "Error:", "site-packages", '.py", line')


@pytest.fixture
def private_server(tiny_store_url, tmp_path):
    """A server on a private copy of the tiny store, so user changes stay in this test."""
    path = tmp_path / "sessions.db"
    url = copy_store(tiny_store_url, path)
    server = StreamlitServer(url, tmp_path)
    engine = make_engine(url)
    try:
        server.wait_until_healthy()
        yield server, engine
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture
def browser(chromium_path, tmp_path, monkeypatch):
    """A Chromium browser in which each test opens as many separate contexts (cookie jars) as it needs."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _session_cookie(context, timeout: float = 10.0) -> dict:
    """The session cookie once the signed-in page has written it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in context.cookies() if c["name"] == COOKIE and c["value"]]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError("the session cookie was never set")


def _signed_in(page) -> bool:
    """Wait for either the sign-out button or the sign-in form; True for signed in."""
    page.locator('button:has-text("Sign out"), input[aria-label="Username"]').first.wait_for()
    page.wait_for_timeout(800)  # a run still in flight may swap one for the other
    return page.get_by_role("button", name="Sign out").count() > 0


def _assert_no_traceback(page) -> None:
    body = page.inner_text("body")
    assert not any(marker in body for marker in TRACEBACK_MARKERS), body[:2000]
    assert page.locator('[data-testid="stException"]').count() == 0


def _copied_cookie_browser(browser, server, cookie):
    """A second browser that never signed in, holding a copy of the first one's cookie."""
    context, page = _new_page(browser)
    context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": server.url}])
    page.goto(server.url)
    return context, page


def test_a_copied_cookie_signs_in_until_the_user_signs_out(private_server, browser):
    server, _engine = private_server
    first_context, first = _new_page(browser)
    browser_sign_in(first, server.url, "equality")
    cookie = _session_cookie(first_context)
    assert cookie["sameSite"] == "Strict"

    second_context, second = _copied_cookie_browser(browser, server, cookie)
    assert _signed_in(second), "a copied cookie is a live session until revoked"

    first.get_by_role("button", name="Sign out").click()
    wait_for_one(first.get_by_role("textbox", name="Username"))

    second.reload()
    assert not _signed_in(second), "sign-out ends every session of the user"
    # the browser still open on a page is signed out on its next run too
    third_context, third = _copied_cookie_browser(browser, server, cookie)
    assert not _signed_in(third)
    _assert_no_traceback(third)
    for context in (first_context, second_context, third_context):
        context.close()


@pytest.mark.parametrize("change", ["reset", "lock", "disable"])
def test_a_copied_cookie_stops_working_after_a_reset_a_lock_or_disabling(private_server, browser, change):
    server, engine = private_server
    first_context, first = _new_page(browser)
    browser_sign_in(first, server.url, "board")
    cookie = _session_cookie(first_context)
    second_context, second = _copied_cookie_browser(browser, server, cookie)
    assert _signed_in(second)

    if change == "reset":
        users.reset_password(engine, "board", "a-brand-new-password", rounds=4, actor="test")
    elif change == "lock":
        users.lock(engine, "board", actor="test")
    else:
        users.set_active(engine, "board", False, actor="test")
        users.set_active(engine, "board", True, actor="test")  # re-enabling does not revive old sessions

    second.reload()
    assert not _signed_in(second)
    first.get_by_role("button", name="Sign out").click()  # the open page's next run signs it out too
    assert not _signed_in(first)
    _assert_no_traceback(first)
    first_context.close()
    second_context.close()


MALFORMED = {
    "alg-none": "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VybmFtZSI6ImFkbWluIn0.",
    "hs512": "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImFkbWluIn0.c2lnbmF0dXJl",
    "kid-not-a-string": "eyJhbGciOiJIUzI1NiIsImtpZCI6WzFdfQ.eyJ1c2VybmFtZSI6ImFkbWluIn0.c2ln",
    "garbage": "%%%not-a-cookie%%%" + "A" * 300,
}


def test_malformed_login_cookies_give_the_sign_in_form_and_no_traceback(start_server, browser):
    server = start_server()
    for name, value in MALFORMED.items():
        context, page = _new_page(browser)
        context.add_cookies(
            [
                {"name": cookie, "value": value, "url": server.url}
                for cookie in (COOKIE, "equality_dashboard_auth")
            ]
        )
        page.goto(server.url)
        assert not _signed_in(page), name
        wait_for_one(page.get_by_role("textbox", name="Username"))
        _assert_no_traceback(page)
        context.close()


SIMULTANEOUS = 20


def test_twenty_simultaneous_sign_ins_each_survive_a_reload(start_server, chromium_path):
    """Twenty browser contexts (separate cookie jars) submit the sign-in form at the same moment, then
    each reloads: every one must come back signed in."""
    import asyncio

    from playwright.async_api import async_playwright

    server = start_server()

    async def one(browser, index: int, go: asyncio.Event) -> str:
        username = ("board", "equality", "champion")[index % 3]
        context = await browser.new_context(viewport={"width": 1200, "height": 800})
        page = await context.new_page()
        page.set_default_timeout(120_000)
        try:
            await page.goto(server.url)
            await page.get_by_role("textbox", name="Username").fill(username)
            await page.get_by_role("textbox", name="Password").fill(f"demo-{username}")
            await go.wait()  # every browser clicks at the same moment
            await page.get_by_role("button", name="Sign in").click()
            await page.get_by_role("button", name="Sign out").wait_for()
            for _ in range(300):  # the cookie is written by the signed-in run's script
                if any(c["name"] == COOKIE and c["value"] for c in await context.cookies()):
                    break
                await asyncio.sleep(0.1)
            else:
                return "cookie never set"
            await page.reload()
            await page.locator('button:has-text("Sign out"), input[aria-label="Username"]').first.wait_for()
            await page.wait_for_timeout(1000)
            return (
                "survived" if await page.get_by_role("button", name="Sign out").count() else "lost on reload"
            )
        except Exception as problem:  # report every context's outcome, not only the first failure
            return f"failed: {type(problem).__name__}: {str(problem)[:160]}"
        finally:
            await context.close()

    async def run() -> list[str]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
            )
            go = asyncio.Event()
            tasks = [asyncio.create_task(one(browser, i, go)) for i in range(SIMULTANEOUS)]
            await asyncio.sleep(15)  # every page loaded and filled in (a bounded wait)
            go.set()
            outcomes = await asyncio.gather(*tasks)
            await browser.close()
            return outcomes

    started = time.monotonic()
    outcomes = asyncio.run(run())
    print(f"{SIMULTANEOUS} simultaneous sign-ins: {outcomes.count('survived')} survived a reload "
          f"({time.monotonic() - started:.0f} s)")  # fmt: skip
    assert outcomes == ["survived"] * SIMULTANEOUS, outcomes
