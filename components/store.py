"""The app's link to the SQL store: open it once, build the demo store on first start, cache queries.

The query cache is shared by every user of the server, so its key always includes the user's
:class:`~queries.scope.Scope` (and the store URL): a key without the scope would be a data leak.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data.config import DEMO_DB_PATH, StoreSettings, load_trust_config, store_settings
from data.demo import build_demo
from data.store import StoreUnavailable, check_store, make_engine
from queries.scope import Scope, require_scope

TRUST = load_trust_config()
_BUILD_LOCK = threading.Lock()
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _checked_engine(url: str) -> Engine:
    """One engine per store URL per server process; raises StoreUnavailable (not cached) on failure."""
    engine = make_engine(url)
    check_store(engine)
    return engine


def _build_demo_store() -> None:
    """Build data/demo.db with a visible progress bar; write to a temporary file, then swap it in."""
    with _BUILD_LOCK:
        if DEMO_DB_PATH.exists():
            return
        building = DEMO_DB_PATH.with_suffix(".building")
        building.unlink(missing_ok=True)
        # Until st.navigation runs, Streamlit lists the files in pages/ in the sidebar; hide that list.
        hide = st.empty()
        hide.markdown("<style>[data-testid='stSidebarNav']{display:none}</style>", unsafe_allow_html=True)
        bar = st.progress(0.0, text="First start: building the synthetic demo trust…")

        def report(fraction: float, label: str) -> None:
            bar.progress(min(fraction, 1.0), text=f"First start: building the synthetic demo trust: {label}")

        try:
            engine = make_engine(f"sqlite:///{building}")
            build_demo(engine, scale="default", progress=report)
            engine.dispose()
            os.replace(building, DEMO_DB_PATH)
        except OSError as exc:
            raise StoreUnavailable(
                f"Could not write the demo store {DEMO_DB_PATH}: {exc.strerror}. Check that the data/ folder "
                "is writable, or set EQUALITY_DB_URL to a store you have already built."
            ) from None
        finally:
            building.unlink(missing_ok=True)
        bar.empty()
        hide.empty()


def current_store() -> tuple[StoreSettings, Engine]:
    """The configured store, ready to query; raises StoreUnavailable with a message safe to show."""
    settings = store_settings()
    if settings.demo and not DEMO_DB_PATH.exists():
        _build_demo_store()
    return settings, _checked_engine(settings.url)


#: How often (seconds) the app looks for a new load; figures refresh within this time of a load.
DATA_VERSION_TTL = 5


@st.cache_data(ttl=DATA_VERSION_TTL, show_spinner=False)
def latest_load(store_url: str) -> dict[str, object] | None:
    """The newest row of the store's load log (id, loaded_at, kind), or None before any load. Not team
    data: a fact about the store, the same for every user."""
    from data.health import latest_load as newest_load

    try:
        return newest_load(_checked_engine(store_url))
    except SQLAlchemyError:
        return None


#: Set to 0 to publish every view only when it is first asked for (the tests do, to keep runs independent).
WARM_UP_ENV = "EQUALITY_WARM_UP"


@st.cache_resource(show_spinner=False, max_entries=4)
def _warm_up(store_url: str, version: str) -> threading.Thread:
    """Publish the landing views of this store load in a background thread, once per server process and
    load (:mod:`reports.warmup`): the first sign-in after a start or a new load then finds them kept."""
    from reports.warmup import publish_landing_views

    def publish() -> None:
        try:
            publish_landing_views(_checked_engine(store_url))
        except Exception:  # a page asking later publishes (or reports) the same view itself
            logging.getLogger(__name__).exception("Publishing the landing views in advance failed")

    thread = threading.Thread(target=publish, name=f"warm-up {version}", daemon=True)
    thread.start()
    return thread


def warm_up() -> threading.Thread | None:
    """Start publishing the configured store's landing views, unless EQUALITY_WARM_UP=0. Cheap on every
    run after the first of a load (a cached resource)."""
    if os.environ.get(WARM_UP_ENV, "1").strip() == "0":
        return None
    settings = store_settings()
    return _warm_up(settings.url, data_version(settings.url))


def data_version(store_url: str) -> str:
    """The newest load's id. It is part of every query's cache key, so a new load shows on the pages
    within DATA_VERSION_TTL seconds, without a restart. Empty when the store has no load log yet."""
    latest = latest_load(store_url)
    return "" if latest is None else str(latest["id"])


@st.cache_data(ttl=TRUST.cache_ttl_seconds, show_spinner=False, max_entries=2000)
def _cached_call(
    module: str, function: str, store_url: str, version: str, scope: Scope, params: tuple
) -> Any:
    query = getattr(importlib.import_module(module), function)
    return query(_checked_engine(store_url), scope, **dict(params))


@st.cache_resource(show_spinner="Preparing the maps…")
def _boundaries(boroughs: tuple[str, ...], boundary_file: str | None, msoa_boundary_file: str | None):
    from data.boundaries import load_boundaries

    return load_boundaries(boroughs, boundary_file=boundary_file, msoa_boundary_file=msoa_boundary_file)


def boundaries():
    """Map shapes for the trust's boroughs and their neighbourhoods (built once per configuration, then
    cached on disk); the configuration is read now, so the shapes always match the trust configured."""
    config = load_trust_config()
    return _boundaries(config.boroughs, config.boundary_file, config.msoa_boundary_file)


def store_facts() -> dict[str, str]:
    """Facts about the loaded data (trust name, period, synthetic flag). Not team data: the sign-in
    page needs the synthetic label before anyone has a scope, so this reads with an empty scope."""
    from queries.overview import dataset_facts

    return fetch(dataset_facts, Scope.nothing())


def fetch(query: Callable[..., T], scope: Scope, **params: Any) -> T:
    """Run a query function from ``queries/`` through the shared cache, keyed on store, scope and params."""
    require_scope(scope)
    settings, _engine = current_store()
    version = data_version(settings.url)
    return _cached_call(
        query.__module__, query.__name__, settings.url, version, scope, tuple(sorted(params.items()))
    )
