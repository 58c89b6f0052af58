"""Summary tables: aggregate once per load, not once per view.

Each ``queries/sql/summary_<name>.sql`` is one SELECT over the record-level tables, grouped by the
dimensions the pages slice by (month, team, area, ethnic group, sex, age band …). :func:`build` turns
each into a table of the same name, inside the load's own transaction (``data.load``) and at the end of
the demo build (``data.demo``), so a page reads hundreds of rows instead of scanning hundreds of
thousands on every view. They keep ``team_id`` wherever the record-level rows have one, so the
champion's scope applies to them exactly as to the records.

On a warehouse engine these would be materialised views refreshed after each load; a plain
``CREATE TABLE … AS SELECT`` (``SELECT … INTO`` on SQL Server) works everywhere the app runs.

    python -m data.summaries [--url URL]   # rebuild them in an existing store
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from data.sql_files import SQL_DIR, sql_text

PREFIX = "summary_"
_NAME = re.compile(r"^summary_[a-z0-9_]+$")


def summary_names() -> list[str]:
    """Every summary table, in build order (alphabetical; a summary may read an earlier one)."""
    names = sorted(path.stem for path in Path(SQL_DIR).glob(f"{PREFIX}*.sql"))
    for name in names:
        if not _NAME.match(name):
            raise ValueError(f"Bad summary name {name!r}")
    return names


def _split_ctes(select_sql: str) -> tuple[str, str]:
    """``WITH a AS (…), b AS (…) SELECT …`` → (``WITH a AS (…), b AS (…)``, ``SELECT …``): the first
    SELECT outside every bracket (and string literal) starts the final query. No WITH: ("", the SQL)."""
    if not re.match(r"WITH\b", select_sql, re.IGNORECASE):
        return "", select_sql
    depth, quoted = 0, False
    for match in re.finditer(r"'|\(|\)|\bSELECT\b", select_sql, re.IGNORECASE):
        token = match.group(0)
        if token == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0:
            return select_sql[: match.start()].rstrip(), select_sql[match.start() :]
    raise ValueError("A WITH query without a final SELECT")


def create_statement(name: str, dialect: str) -> str:
    """The statement that creates summary ``name`` from its SELECT, in the given SQL dialect. SQL Server
    has no ``CREATE TABLE … AS`` and no CTE inside a derived table: its CTEs stay in front of
    ``SELECT * INTO``."""
    select_sql = sql_text(name, SQL_DIR).strip().rstrip(";")
    if dialect == "mssql":
        ctes, final = _split_ctes(select_sql)
        return f"{ctes + chr(10) if ctes else ''}SELECT * INTO {name} FROM ({final}) AS summary_rows"
    return f"CREATE TABLE {name} AS {select_sql}"


def build(connection: Connection) -> dict[str, int]:
    """(Re)create every summary table from the rows now in the store; returns rows per summary."""
    dialect = connection.dialect.name
    existing = set(inspect(connection).get_table_names())
    rows: dict[str, int] = {}
    for name in summary_names():
        if name in existing:
            connection.execute(text(f"DROP TABLE {name}"))
        connection.execute(text(create_statement(name, dialect)))
        rows[name] = int(connection.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one())
    return rows


def missing(engine: Engine) -> list[str]:
    """Summary tables the store lacks (a store built by an older version): the pages need them."""
    existing = set(inspect(engine).get_table_names())
    return [name for name in summary_names() if name not in existing]


def main(argv: list[str] | None = None) -> int:
    from data.config import store_settings
    from data.store import StoreUnavailable, describe_url, make_engine

    parser = argparse.ArgumentParser(prog="python -m data.summaries", description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="SQLAlchemy URL (default: EQUALITY_DB_URL, secrets or demo.db)")
    args = parser.parse_args(argv)
    try:
        url = args.url or store_settings().url
        engine = make_engine(url)
    except StoreUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with engine.begin() as connection:
        rows = build(connection)
    for name, count in rows.items():
        print(f"{name}: {count:,} rows")
    print(f"Built {len(rows)} summary tables in {describe_url(url)} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
