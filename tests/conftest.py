"""Shared fixtures: a tiny demo store (SQLite, and PostgreSQL when a server is given), AppTest
workarounds, and a clean Streamlit cache for every app test.

PostgreSQL tests use the server named by ``EQUALITY_TEST_PG_URL`` (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) and skip, saying so, when it is not set.
``.ci/run`` starts a throwaway server and sets it.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

# No background publishing of the landing views (components.store.warm_up) in the tests' apps and servers:
# it would race a test's own runs and take CPU the other worker needs. tests/app/test_warm_up.py turns it on.
os.environ.setdefault("EQUALITY_WARM_UP", "0")

PG_URL_ENV = "EQUALITY_TEST_PG_URL"
TINY_SEED = 7


@pytest.fixture(scope="session")
def tiny_store_url(tmp_path_factory) -> str:
    """A tiny synthetic demo store in a temporary SQLite file, built once per test session."""
    from data.demo import build_demo
    from data.store import make_engine

    path = tmp_path_factory.mktemp("store") / "tiny.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    build_demo(engine, scale="tiny", seed=TINY_SEED)
    engine.dispose()
    return url


def copy_store(store_url: str, path: Path) -> str:
    """A consistent private copy of a SQLite store, through SQLite's own backup API; returns its URL.

    Never ``shutil.copy`` a store another connection may have open. POSIX file locks belong to the
    process, so a plain open() and close() of the file drops every lock this process's SQLite
    connections hold; another process (a browser test's server) then believes it is the last user,
    checkpoints and deletes the write-ahead log under our open connections, and the store reads as
    "database disk image is malformed". A plain copy also misses what is still in the log."""
    import sqlite3

    source = sqlite3.connect(store_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return f"sqlite:///{path}"


@pytest.fixture
def private_store_url(tiny_store_url, tmp_path) -> str:
    """A copy of the tiny store for a test (or a server it starts) that writes to it."""
    return copy_store(tiny_store_url, tmp_path / "private.db")


@pytest.fixture(scope="session")
def tiny_engine(tiny_store_url):
    from data.store import make_engine

    engine = make_engine(tiny_store_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = os.environ.get(PG_URL_ENV, "").strip()
    if not url:
        pytest.skip(f"PostgreSQL tests need a server: set {PG_URL_ENV} (.ci/run starts one and sets it)")
    return url


@pytest.fixture(scope="session")
def pg_store_url(pg_admin_url) -> str:
    """A fresh, uniquely named PostgreSQL database holding the tiny demo store; dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from data.demo import build_demo
    from data.store import make_engine

    name = f"equality_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # a server that refuses is a skip, with the reason
        admin.dispose()
        pytest.skip(f"Cannot create a test database on {PG_URL_ENV}: {type(exc).__name__}: {exc}")
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    build_demo(engine, scale="tiny", seed=TINY_SEED)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store_url(request) -> str:
    """The tiny store on each backend (PostgreSQL skips when no server is configured)."""
    if request.param == "sqlite":
        return request.getfixturevalue("tiny_store_url")
    return request.getfixturevalue("pg_store_url")


# --------------------------------------------------------------------------- AppTest


@pytest.fixture(autouse=True)
def _apptest_sees_navigation_app(monkeypatch):
    """AppTest flags an app with a ``pages/`` folder as an old pages-directory app and then skips the
    entry point (and its login gate) on reruns. The real server calls ``st.navigation`` and is fine.
    Make every PagesManager created under test treat the app as a navigation app (docs/design.md);
    ``tests/app/test_entry_point.py`` proves the entry point still runs on the second ``run()``."""
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init_without_pages_directory(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_without_pages_directory)


@pytest.fixture
def app_env(monkeypatch, tiny_store_url):
    """Point the app at the tiny store and start with an empty Streamlit cache."""
    import streamlit as st

    monkeypatch.setenv("EQUALITY_DB_URL", tiny_store_url)
    monkeypatch.setenv("EQUALITY_LOGIN_SLEEP_SECONDS", "0")
    monkeypatch.chdir(PROJECT_ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tiny_store_url
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_test(app_env):
    """A factory for AppTest instances of ``app.py`` on the tiny store."""
    from streamlit.testing.v1 import AppTest

    def make(timeout: float = 60) -> AppTest:
        return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=timeout)

    return make


def sign_in(at, username: str, password: str | None = None):
    """Run the app, fill in and submit the sign-in form (demo passwords are demo-<username>)."""
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password if password is not None else f"demo-{username}")
    at.button[0].click()
    at.run()
    # In a browser the login-cookie component's report reruns the app; AppTest runs no components.
    return at.run()
