"""The landing views published in advance (reports.warmup) are the ones the pages then read: after the
warm-up, signing in as the board and opening Home, PCREF, Service access and Workforce publishes nothing
again. And the app starts the warm-up itself, once per store load, unless EQUALITY_WARM_UP=0."""

from __future__ import annotations

import functools

import pytest

from reports import access, areas, headlines, home, pcref, workforce
from reports.common import forget_kept
from tests.conftest import sign_in


def _counted(monkeypatch, module, name: str) -> list[int]:
    """Count the calls of ``module.name`` (kept results are keyed by the function's name, kept here)."""
    calls: list[int] = []
    original = getattr(module, name)

    @functools.wraps(original)
    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


@pytest.fixture
def builds(monkeypatch):
    forget_kept()
    yield {
        "headlines": _counted(monkeypatch, headlines, "_compute_headlines"),
        "pcref": _counted(monkeypatch, pcref, "_build_view"),
        "workforce": _counted(monkeypatch, workforce, "_view"),
        "access": _counted(monkeypatch, access, "_report"),
        "home": _counted(monkeypatch, home, "_activity"),
        "standardised": _counted(monkeypatch, pcref, "_build_standardised"),
        "areas": _counted(monkeypatch, areas, "_publish_every_area"),
    }
    forget_kept()


def test_after_the_warm_up_the_landing_pages_publish_nothing_again(app_test, app_env, builds):
    from components.store import _checked_engine
    from reports.warmup import publish_landing_views

    timings = publish_landing_views(_checked_engine(app_env))
    assert set(timings) == {
        "overview",
        "home",
        "pcref",
        "pcref standardised",
        "areas mha_detentions_crude_rate",
        "areas referrals_rate",
        "access",
        "workforce",
    }
    published = {name: len(calls) for name, calls in builds.items()}
    assert (
        published["headlines"] == 1
        and published["pcref"] >= 1
        and published["workforce"] == 1
        and published["access"] == 1
        and published["home"] == 1
        and published["standardised"] == 1
        and published["areas"] == 2
    )

    at = sign_in(app_test(), "board")
    assert not at.exception, at.exception
    assert any("Executive summary" in s.value for s in at.subheader)
    at = sign_in(app_test(), "equality")
    for page, title in (
        ("home", ""),
        ("areas", "Areas"),
        ("pcref", "PCREF core measures"),
        ("access", "Service access"),
        ("workforce", "Workforce"),
    ):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, at.exception
        assert at.title and at.title[0].value.startswith(title)
    assert {name: len(calls) for name, calls in builds.items()} == published


def test_the_app_starts_the_warm_up_once_per_load_unless_turned_off(app_test, monkeypatch, builds):
    from components import store

    monkeypatch.setenv(store.WARM_UP_ENV, "1")
    at = app_test()
    at.run()
    first = store.warm_up()
    assert first is not None
    first.join(timeout=120)
    assert not first.is_alive() and len(builds["headlines"]) == 1
    at.run()
    assert store.warm_up() is first  # the same load: not again
    monkeypatch.setenv(store.WARM_UP_ENV, "0")
    assert store.warm_up() is None
