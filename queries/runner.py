"""Load the SQL files by name and run them with bound parameters and the user's scope.

Shared SQL lives once, in ``queries/sql/shared/<name>.sql``, and a query names it as ``{{name}}``: the
coercion events, the referrals and the person characteristics of the access queries (a fragment
written for dimension ``{n}`` expands to ``dim_1`` … ``dim_5``), the workforce's staff condition. Expansion is plain text on files in this
repository, before binding, so it works on every backend and no value from a user reaches it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, TextClause, bindparam, text

from queries.scope import Scope, require_scope

SQL_DIR = Path(__file__).resolve().parent / "sql"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LIST_PARAM = re.compile(r":([a-z][a-z0-9_]*_list)\b")
_INCLUDE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
DIMENSIONS = 5  # dim_1 … dim_5: the most characteristics a query groups by at once


def _without_comments(raw: str) -> str:
    # full-line comments document the query; drop them so a ":name" in prose is not a parameter
    return "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("--"))


def _shared(match: re.Match) -> str:
    body = _without_comments(
        (SQL_DIR / "shared" / f"{match.group(1)}.sql").read_text(encoding="utf-8")
    ).strip()
    if "{n}" in body:
        return ",\n".join(body.replace("{n}", str(n)) for n in range(1, DIMENSIONS + 1))
    return body


@cache
def load_sql(name: str) -> TextClause:
    """The statement in ``queries/sql/<name>.sql``. Parameters named ``*_list`` expand to IN lists."""
    if not _NAME.match(name):
        raise ValueError(f"Bad query name {name!r}")
    raw = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    sql = _INCLUDE.sub(_shared, _without_comments(raw))
    statement = text(sql)
    list_params = sorted(set(_LIST_PARAM.findall(sql)))
    if list_params:
        statement = statement.bindparams(*(bindparam(p, expanding=True) for p in list_params))
    return statement


def run_query(engine: Engine, name: str, scope: Scope, **params: object) -> pd.DataFrame:
    """Run a named query with the scope's parameters bound; returns a DataFrame (maybe empty)."""
    require_scope(scope)
    statement = load_sql(name)
    with engine.connect() as connection:
        result = connection.execute(statement, {**params, **scope.bind_params()})
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
