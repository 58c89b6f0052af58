"""Load the SQL files by name and run them with bound parameters and the user's scope.

The files are read as text by :mod:`data.sql_files` (comments dropped, shared fragments expanded);
parameters named ``*_list`` expand to IN lists here.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
from sqlalchemy import Engine, TextClause, bindparam, text

from data.sql_files import DIMENSIONS, SQL_DIR, sql_text

__all__ = ["DIMENSIONS", "SQL_DIR", "load_sql", "run_query"]
from queries.scope import Scope, require_scope

_LIST_PARAM = re.compile(r":([a-z][a-z0-9_]*_list)\b")


@cache
def load_sql(name: str) -> TextClause:
    """The statement in ``queries/sql/<name>.sql``. Parameters named ``*_list`` expand to IN lists."""
    sql = sql_text(name)
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
