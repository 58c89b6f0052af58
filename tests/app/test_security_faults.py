"""Faults never show a traceback: each fault from issue 18 is driven through the app (AppTest) and the
page is checked for traceback text; store faults run on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from data.store import make_engine
from tests.conftest import copy_store, sign_in

TRACEBACK_MARKERS = (
    "Traceback",
    'File "',
    "site-packages",
    '", line ',
    "OperationalError(",
    "127.0.0.1:",
    "5432",
)


def _page_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "text", "exception"):
        parts.extend(str(getattr(e, "value", e)) for e in getattr(at, kind))
    return "\n".join(parts)


def _assert_no_traceback(at) -> None:
    assert not at.exception, at.exception
    text = _page_text(at)
    assert not any(marker in text for marker in TRACEBACK_MARKERS), text


# --------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("content", "names"),
    [
        (None, ["not found", "EQUALITY_TRUST_CONFIG"]),
        ("trust: [unclosed", ["not valid YAML"]),
        ("- just\n- a list\n", ["'trust:'"]),
        ("trust:\n  name: X\n  boroughs: E09000022\n", ["trust.boroughs"]),
        (
            "trust:\n  name: X\n  boroughs: [E09000022]\nsuppression:\n  threshold: five\n",
            ["suppression.threshold"],
        ),
        (
            "trust:\n  name: X\n  boroughs: [E09000022]\nwaiting_standard_days: [28]\n",
            ["waiting_standard_days"],
        ),
    ],
    ids=[
        "missing",
        "malformed",
        "not-a-mapping",
        "boroughs-not-a-list",
        "threshold-not-a-number",
        "days-a-list",
    ],
)
def test_a_bad_trust_configuration_names_the_file_and_the_key(
    app_test, tmp_path, monkeypatch, content, names
):
    import sys

    path = tmp_path / "trust.yaml"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv("EQUALITY_TRUST_CONFIG", str(path))
    for module in [m for m in sys.modules if m == "components.store" or m.startswith("pages.")]:
        monkeypatch.delitem(sys.modules, module)  # config/trust.yaml is read when components.store loads
    at = app_test().run()
    _assert_no_traceback(at)
    message = at.error[0].value
    assert "not configured" in message and str(path) in message
    assert all(name in message for name in names), message
    assert not at.text_input


def test_a_read_only_data_folder_gives_a_message_not_a_traceback(app_test, tmp_path, monkeypatch):
    """Demo mode with a data/ folder that cannot be written (a file stands where the folder should be,
    which stops root too)."""
    from components import store
    from data import config

    blocker = tmp_path / "data"
    blocker.write_text("")
    monkeypatch.delenv("EQUALITY_DB_URL")
    monkeypatch.setattr(config, "SECRETS_FILE", tmp_path / "none.toml")
    monkeypatch.setattr(config, "DEMO_DB_PATH", blocker / "demo.db")
    monkeypatch.setattr(store, "DEMO_DB_PATH", blocker / "demo.db")
    monkeypatch.setattr(config, "DEMO_COOKIE_KEY_FILE", blocker / "cache" / "key")
    at = app_test().run()
    _assert_no_traceback(at)
    assert "writable" in at.error[0].value


# --------------------------------------------------------------------------- the store stops mid-session


class _Relay:
    """A TCP relay in front of a database server: stopping it is a store outage the app cannot tell from
    a stopped server, without touching the server other tests share."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.connections: list[socket.socket] = []
        self.listener.listen(50)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.connections += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.close()

    def stop(self) -> None:
        self.up = False
        for sock in self.connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.connections.clear()

    def start(self) -> None:
        self.up = True

    def close(self) -> None:
        self.stop()
        self.listener.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def fragile_store(request, tmp_path, monkeypatch):
    """(url the app uses, break(), mend()) on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "fragile.db"
        copy_store(request.getfixturevalue("tiny_store_url"), path)
        aside = tmp_path / "aside.db"

        def break_() -> None:
            """The file goes away and the open connections with it (as when a server restarts)."""
            from components.store import _checked_engine

            for suffix in ("", "-wal", "-shm"):
                if Path(f"{path}{suffix}").exists():
                    Path(f"{path}{suffix}").rename(f"{aside}{suffix}")
            _checked_engine(f"sqlite:///{path}").dispose()

        def mend() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
                if Path(f"{aside}{suffix}").exists():
                    Path(f"{aside}{suffix}").rename(f"{path}{suffix}")

        yield f"sqlite:///{path}", break_, mend
        return
    url = make_url(request.getfixturevalue("pg_store_url"))
    relay = _Relay(url.host or "127.0.0.1", url.port or 5432)
    yield (
        url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False),
        relay.stop,
        relay.start,
    )
    relay.close()


def _on_overview(at) -> bool:
    return any(t.value.startswith("Board overview") for t in at.title)


def test_a_store_outage_mid_session_gives_a_message_and_recovers_by_itself(
    app_test, fragile_store, monkeypatch
):
    url, break_, mend = fragile_store
    monkeypatch.setenv("EQUALITY_DB_URL", url)
    if not url.startswith("sqlite"):
        import secrets

        monkeypatch.setenv("EQUALITY_COOKIE_KEY", secrets.token_urlsafe(48))
    if url.startswith("sqlite"):
        at = sign_in(app_test(), "board", "demo-board")
    else:  # demo passwords work only in the embedded store: a real login
        from data import users

        engine = make_engine(url)
        if users.get_user(engine, "pg.board") is None:
            users.add_user(
                engine, "pg.board", "a-long-password", display_name="PG board", role="board", rounds=4
            )
        engine.dispose()
        at = sign_in(app_test(), "pg.board", "a-long-password")
    assert _on_overview(at), "signed in"
    break_()
    at.run()
    _assert_no_traceback(at)
    assert "did not answer" in at.error[0].value or "not available" in at.error[0].value
    mend()
    at.run()
    _assert_no_traceback(at)
    assert _on_overview(at) and not at.error, (
        "the next run after the store is back works",
        [e.value for e in at.error],
        [t.value for t in at.text_input],
    )
