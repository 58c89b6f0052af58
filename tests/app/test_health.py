"""The start-up health check and the refresh after a new load, as a signed-in person sees them."""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import insert, text

from components.store import DATA_VERSION_TTL
from data import schema, users
from data.store import create_schema, make_engine
from tests.conftest import copy_store, sign_in


def _all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [c.value for c in at.caption] + [m.label + " " + str(m.value) for m in at.metric]
    return "\n".join(str(p) for p in parts)


class TestEmptyStore:
    def test_a_store_with_logins_but_no_data_names_what_is_missing_and_the_command(
        self, tmp_path, monkeypatch, app_test
    ):
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        engine = make_engine(url)
        create_schema(engine)
        users.add_user(
            engine, "lead", "a long enough password 1", display_name="Lead", role="equality_lead", rounds=4
        )
        engine.dispose()
        monkeypatch.setenv("EQUALITY_DB_URL", url)
        monkeypatch.setenv("EQUALITY_COOKIE_KEY", "k3y-" + "9f2c4e8a1b7d3f60a5e9c2b8d4f1a7e3c6b0d9f2")
        at = sign_in(app_test(), "lead", "a long enough password 1")
        assert not at.exception, at.exception
        shown = _all_text(at)
        assert "not ready to show figures" in shown
        assert "resident population" in shown and "python -m data.load --census" in shown
        assert "Traceback" not in shown


class TestNewLoadShowsWithoutARestart:
    def test_figures_and_the_loaded_date_follow_a_new_load(
        self, tmp_path, monkeypatch, app_test, tiny_store_url
    ):
        path = tmp_path / "store.db"
        url = copy_store(tiny_store_url, path)
        monkeypatch.setenv("EQUALITY_DB_URL", url)
        at = sign_in(app_test(), "equality")
        assert not at.exception, at.exception
        before = {m.label: m.value for m in at.metric}
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM outcome"))
            connection.execute(text("DELETE FROM referral WHERE id % 2 = 0"))
            connection.execute(
                insert(schema.load_log),
                {"loaded_at": datetime(2030, 1, 2, 3, 4), "kind": "extracts", "files": "referral.csv",
                 "row_counts": "{}", "data_start": None, "data_end": None, "loaded_by": "test"},
            )  # fmt: skip
        engine.dispose()
        time.sleep(DATA_VERSION_TTL + 1)
        at.run()
        after = {m.label: m.value for m in at.metric}
        assert after["Referrals received"] != before["Referrals received"]
        assert "Data loaded on 2 January 2030 at 03:04 UTC" in _all_text(at)
