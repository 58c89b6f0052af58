"""The SQL files in ``queries/sql`` as text: comments dropped and shared fragments expanded.

Shared SQL lives once, in ``queries/sql/shared/<name>.sql``, and a query names it as ``{{name}}`` (a
fragment written for dimension ``{n}`` expands to ``dim_1`` … ``dim_5``). Expansion is plain text on
files in this repository, before binding, so it works on every backend and no value from a user reaches
it. Here, in ``data``, because both the query layer (``queries.runner``) and the load step that builds the
summary tables (``data.summaries``) read these files.
"""

from __future__ import annotations

import re
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "queries" / "sql"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_INCLUDE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
DIMENSIONS = 5  # dim_1 … dim_5: the most characteristics a query groups by at once


def without_comments(raw: str) -> str:
    """Full-line comments document a query; drop them so a ":name" in prose is not a parameter."""
    return "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("--"))


def _shared(match: re.Match) -> str:
    body = without_comments(
        (SQL_DIR / "shared" / f"{match.group(1)}.sql").read_text(encoding="utf-8")
    ).strip()
    if "{n}" in body:
        return ",\n".join(body.replace("{n}", str(n)) for n in range(1, DIMENSIONS + 1))
    return body


def sql_text(name: str, folder: Path | None = None) -> str:
    """The SQL of ``queries/sql/<name>.sql`` (or ``folder/<name>.sql``), ready to bind."""
    if not _NAME.match(name):
        raise ValueError(f"Bad query name {name!r}")
    raw = ((folder or SQL_DIR) / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(_shared, without_comments(raw))
