"""The schema is created identically on SQLite and PostgreSQL, and the data dictionary describes it."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import inspect

from data import schema
from data.store import create_schema, make_engine

DICTIONARY = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


def _shape(url: str) -> dict[str, list[str]]:
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        return {
            name: sorted(c["name"] for c in inspector.get_columns(name))
            for name in inspector.get_table_names()
        }
    finally:
        engine.dispose()


class TestSchemaCreation:
    def test_every_table_is_created_on_an_empty_sqlite_file(self, tmp_path):
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        create_schema(engine)
        created = set(inspect(engine).get_table_names())
        engine.dispose()
        assert created == {t.name for t in schema.TABLES}

    def test_sqlite_and_the_other_backend_have_the_same_tables_and_columns(
        self, any_store_url, tiny_store_url
    ):
        assert _shape(any_store_url) == _shape(tiny_store_url)

    def test_indexes_for_the_page_queries_exist(self, any_store_url):
        engine = make_engine(any_store_url)
        try:
            indexes = {i["name"] for i in inspect(engine).get_indexes("referral")}
        finally:
            engine.dispose()
        assert {"ix_referral_team_date", "ix_referral_date"} <= indexes


class TestDataDictionary:
    def test_every_table_and_column_is_described(self):
        text = DICTIONARY.read_text(encoding="utf-8")
        missing = []
        for table in schema.TABLES:
            section = re.search(rf"^### `{table.name}`\n(.*?)(?=^### |\Z)", text, flags=re.M | re.S)
            if not section:
                missing.append(table.name)
                continue
            for column in table.columns:
                if f"`{column.name}`" not in section.group(1):
                    missing.append(f"{table.name}.{column.name}")
        assert not missing, f"docs/data-dictionary.md does not describe: {', '.join(missing)}"

    def test_the_dictionary_describes_no_table_the_schema_lacks(self):
        text = DICTIONARY.read_text(encoding="utf-8")
        described = set(re.findall(r"^### `([a-z_]+)`", text, flags=re.M))
        assert described == {t.name for t in schema.TABLES}
