"""Publish the trust-wide views people land on as soon as a server has a store, before anyone asks.

Publishing a view means attacking its linked tables (``measures.disclosure.publish_linked``); on a fresh
server the board's overview takes several seconds of that. The results are kept once per store load
(:func:`reports.common.kept_per_load`), so the app runs :func:`publish_landing_views` in the background
when a server first serves a page and again after each new load (``components.store.warm_up``): by
the time someone has signed in, the overview, Home, Areas, PCREF, Service access and Workforce read kept
figures.
A champion's views depend on their teams and are published when they are asked for. Nothing is
published here that a page would not publish: the same functions with the same arguments.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import Engine

from data.config import load_trust_config
from queries import overview
from queries.scope import Scope
from reports import access, areas, home, pcref, workforce
from reports.headlines import compute_headlines

LOG = logging.getLogger(__name__)


def publish_landing_views(engine: Engine) -> dict[str, float]:
    """Publish (and keep) the trust-wide default views; returns seconds per view, for the log."""
    config = load_trust_config()
    scope = Scope.whole_trust()
    years = overview.financial_years(engine, scope)
    timings: dict[str, float] = {}
    if years.empty:
        return timings
    latest = years.iloc[-1]
    year = str(latest["financial_year"])

    def timed(name: str, publish) -> None:
        started = time.perf_counter()
        publish()
        timings[name] = round(time.perf_counter() - started, 2)

    timed("overview", lambda: compute_headlines(
        engine, scope, year, config.headline_measures, config.suppression_threshold, config.rounding_base,
        config.reference_group,
    ))  # fmt: skip
    # in the order people arrive: the board's overview (its map: detentions by borough), Home, Service
    # access (its map: referrals), PCREF; a page whose view is still being published waits for it
    timed(
        "areas mha_detentions_crude_rate",
        lambda: areas.area_figures(engine, scope, "mha_detentions_crude_rate", year),
    )
    previous = str(years["financial_year"].iloc[-2]) if len(years) > 1 else ""
    timed("home", lambda: home.activity(engine, scope, year, previous))
    timed("access", lambda: access.report(engine, scope, year))
    timed("areas referrals_rate", lambda: areas.area_figures(engine, scope, "referrals_rate", year))
    timed("pcref", lambda: pcref.view(engine, scope, "detentions", latest["first_day"], latest["last_day"]))
    timed("pcref standardised", lambda: pcref.standardised(engine, scope, "detentions", latest["first_day"],
                                                           latest["last_day"]))  # fmt: skip
    snapshots = workforce.snapshots(engine, scope)
    if not snapshots.empty:
        timed("workforce", lambda: workforce.view(engine, scope, str(snapshots["financial_year"].iloc[-1])))
    LOG.info("Landing views published in %.1f s: %s", sum(timings.values()), timings)
    return timings
