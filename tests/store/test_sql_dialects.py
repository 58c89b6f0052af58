"""Every query, and every summary table's CREATE statement, compiles for SQL Server and uses none of the
constructs SQL Server rejects (docs/scaling.md: a regional deployment may run on SQL Server or Synapse).

Each query in ``queries/sql`` is loaded as the app loads it (``queries.runner.load_sql``: shared SQL
expanded, full-line comments dropped), bound with sample values (``*_list`` parameters expanded) and
compiled with SQLAlchemy's ``mssql`` dialect; the summary tables' statements come from
``data.summaries.create_statement(name, "mssql")``. Then the SQL, with string literals and comments
blanked, is searched for the constructs below. No SQL Server is needed: this checks the SQL text, not
the plan, so it finds what the dialect would refuse to parse, not every difference in behaviour
(integer division, collation, empty strings).

Queries that used a construct when this test was written are listed by name in ``KNOWN`` with the
constructs they use: the test fails on any construct not listed, so a new one is caught, and the list
shrinks as the queries are fixed.
"""

from __future__ import annotations

import re
import warnings

import pytest
from sqlalchemy import Boolean, bindparam, text
from sqlalchemy.dialects import mssql

from data import schema, summaries
from queries.runner import SQL_DIR, load_sql

_BOOLEAN_COLUMNS = sorted(
    {column.name for table in schema.metadata.tables.values() for column in table.columns
     if isinstance(column.type, Boolean)}
)  # fmt: skip
_BOOLEAN = "|".join(_BOOLEAN_COLUMNS)
#: SQL Server through pyodbc, the driver SQLAlchemy's mssql dialect uses by default: ``?`` placeholders
SQL_SERVER = mssql.dialect(paramstyle="qmark")

#: construct → (pattern on the SQL with literals and comments blanked, what SQL Server wants instead)
CONSTRUCTS: dict[str, tuple[re.Pattern, str]] = {
    "LIMIT": (re.compile(r"\bLIMIT\s+(\d|:)", re.I), "TOP n, or OFFSET … FETCH NEXT"),
    "|| concat": (re.compile(r"\|\|"), "CONCAT() or +"),
    "CREATE TABLE AS": (re.compile(r"\bCREATE\s+TABLE\s+\w+\s+AS\b", re.I), "SELECT … INTO"),
    "TRUE/FALSE literal": (re.compile(r"\b(TRUE|FALSE)\b", re.I), "1 and 0 (bit)"),
    "bare boolean predicate": (
        re.compile(
            rf"\b(WHERE|AND|OR|NOT|WHEN|HAVING|ON)\s+\(?\s*(\w+\.)?({_BOOLEAN})\b(?!\s*(=|<>|!=|<|>|\bIS\b|\bIN\b))",
            re.I,
        ),
        "col = 1 (a bit column is not a condition)",
    ),
    "date('now')": (re.compile(r"\bdate\s*\(\s*'now'", re.I), "CAST(GETDATE() AS date)"),
    "strftime": (re.compile(r"\bstrftime\s*\(", re.I), "FORMAT() or DATEPART()"),
    "julianday": (re.compile(r"\bjulianday\s*\(", re.I), "DATEDIFF()"),
    "date()/datetime() function": (re.compile(r"(?<![\w.])(date|datetime)\s*\(", re.I), "CAST(x AS date)"),
    "ILIKE": (re.compile(r"\bILIKE\b", re.I), "LIKE (case-insensitive collation)"),
    ":: cast": (re.compile(r"::\s*[a-z]", re.I), "CAST(x AS type)"),
    "EXTRACT": (re.compile(r"\bEXTRACT\s*\(", re.I), "DATEPART()"),
    "IFNULL": (re.compile(r"\bIFNULL\s*\(", re.I), "COALESCE()"),
    "substr": (re.compile(r"\bsubstr\s*\(", re.I), "SUBSTRING()"),
    "length": (re.compile(r"\blength\s*\(", re.I), "LEN()"),
    "GROUP_CONCAT": (re.compile(r"\bGROUP_CONCAT\s*\(", re.I), "STRING_AGG()"),
    "aggregate FILTER": (
        re.compile(r"\)\s*FILTER\s*\(\s*WHERE\b", re.I),
        "SUM(CASE WHEN … THEN 1 ELSE 0 END)",
    ),
    "NULLS FIRST/LAST": (re.compile(r"\bNULLS\s+(FIRST|LAST)\b", re.I), "ORDER BY CASE WHEN x IS NULL …"),
    "GREATEST/LEAST": (re.compile(r"\b(GREATEST|LEAST)\s*\(", re.I), "CASE (SQL Server 2022 only has them)"),
    "WITH RECURSIVE": (re.compile(r"\bWITH\s+RECURSIVE\b", re.I), "WITH"),
    "GROUP BY ordinal": (re.compile(r"\bGROUP\s+BY\s+\d", re.I), "GROUP BY the expression"),
    "CTE in a derived table": (re.compile(r"\(\s*WITH\b", re.I), "the CTE at the top of the statement"),
    "boolean type": (re.compile(r"\bAS\s+BOOLEAN\b", re.I), "bit"),
}

#: Queries that used these constructs when this test was written (their owners are fixing them); a
#: summary table's CREATE statement may use what its query is listed for here, and nothing more.
KNOWN: dict[str, set[str]] = {
    "financial_years": {"TRUE/FALSE literal"},
    "pcref_events": {"bare boolean predicate"},
    "pcref_feedback": {"bare boolean predicate"},
    "pcref_monthly": {"TRUE/FALSE literal", "bare boolean predicate"},
    "pcref_outcomes": {"bare boolean predicate"},
    "pcref_standardised": {"bare boolean predicate"},
    "pcref_teams": {"bare boolean predicate"},
    "pcref_yearly": {"TRUE/FALSE literal", "bare boolean predicate"},
    "summary_pcref_events": {"TRUE/FALSE literal"},
    "summary_access_monthly": {"bare boolean predicate"},
    "summary_access_people": {"bare boolean predicate"},
    "summary_access_people_other": {"bare boolean predicate"},
    "summary_access_talking_therapies": {"bare boolean predicate"},
    "summary_access_waits": {"bare boolean predicate"},
    "summary_quality_people": {"bare boolean predicate"},
    "summary_team_measures": {"bare boolean predicate"},
    "summary_team_waits": {"bare boolean predicate"},
    "summary_workforce_characteristics": {"TRUE/FALSE literal"},
    "summary_workforce_events": {"TRUE/FALSE literal"},
    "summary_workforce_recruitment": {"TRUE/FALSE literal"},
    "summary_workforce_staff": {"TRUE/FALSE literal"},
    "team_comparison": {"bare boolean predicate"},
}


def _query_names() -> list[str]:
    return sorted(path.stem for path in SQL_DIR.glob("*.sql"))


def _blanked(sql: str) -> str:
    """The SQL with string literals emptied and comments removed, so words in them are not matched."""
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    sql = re.sub(r"--[^\n]*", " ", sql)
    return re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)


def _sample(name: str) -> object:
    return [1, 2] if name.endswith("_list") else "x"


def compiled_query(name: str) -> str:
    statement = load_sql(name)
    values = {key: _sample(key) for key in statement._bindparams}  # every :parameter of the text
    bound = statement.bindparams(
        *(bindparam(key, value, expanding=key.endswith("_list")) for key, value in values.items())
    )
    return str(
        bound.compile(dialect=SQL_SERVER, compile_kwargs={"literal_binds": False, "render_postcompile": True})
    )


def compiled_summary(name: str) -> str:
    statement = text(summaries.create_statement(name, "mssql"))
    values = {key: _sample(key) for key in statement._bindparams}
    return str(
        statement.bindparams(**values).compile(dialect=SQL_SERVER, compile_kwargs={"literal_binds": False})
    )


def constructs_in(sql: str) -> set[str]:
    blanked = _blanked(sql)
    found = {name for name, (pattern, _) in CONSTRUCTS.items() if pattern.search(blanked)}
    if CONSTRUCTS["date('now')"][0].search(sql):  # the one pattern that needs its literal
        found.add("date('now')")
    return found


def _check(label: str, sql: str, query: str) -> None:
    found = constructs_in(sql)
    new = found - KNOWN.get(query, set())
    assert not new, f"{label} uses what SQL Server rejects: " + "; ".join(
        f"{construct} (use {CONSTRUCTS[construct][1]})" for construct in sorted(new)
    )
    fixed = KNOWN.get(query, set()) - found
    if fixed:
        warnings.warn(f"{label} no longer uses {sorted(fixed)}: remove it from KNOWN", stacklevel=2)


@pytest.mark.parametrize("name", _query_names())
def test_query_compiles_for_sql_server(name):
    sql = compiled_query(name)
    assert not re.search(r"(?<!:):[a-z]", _blanked(sql)), "a parameter was not bound"
    _check(name, sql, name)


@pytest.mark.parametrize("name", summaries.summary_names())
def test_summary_table_statement_compiles_for_sql_server(name):
    sql = compiled_summary(name)
    assert f"SELECT * INTO {name} FROM (" in sql
    _check(f"the CREATE statement of {name}", sql, name)


class TestTheChecksFindWhatTheyLookFor:
    """The patterns catch the constructs and do not fire on their look-alikes."""

    @pytest.mark.parametrize(
        ("sql", "construct"),
        [("SELECT a FROM t LIMIT 5", "LIMIT"), ("SELECT a || b FROM t", "|| concat"),
         ("CREATE TABLE s AS SELECT 1", "CREATE TABLE AS"), ("SELECT 1 FROM t WHERE x = TRUE", "TRUE/FALSE literal"),
         ("SELECT 1 FROM referral r WHERE r.accepted", "bare boolean predicate"),
         ("SELECT CASE WHEN e.known THEN 1 END FROM e", "bare boolean predicate"),
         ("SELECT 1 FROM t WHERE d > date('now')", "date('now')"), ("SELECT strftime('%Y', d) FROM t", "strftime"),
         ("SELECT 1 FROM t WHERE a ILIKE 'x'", "ILIKE"), ("SELECT a::text FROM t", ":: cast"),
         ("SELECT COUNT(*) FILTER (WHERE a = 1) FROM t", "aggregate FILTER"), ("SELECT a FROM t GROUP BY 1", "GROUP BY ordinal")],
    )  # fmt: skip
    def test_a_construct_is_found(self, sql, construct):
        assert construct in constructs_in(sql)

    @pytest.mark.parametrize(
        "sql",
        ["SELECT 'a || b LIMIT 5 TRUE' AS note FROM t", "SELECT a FROM t WHERE r.accepted = 1",
         "SELECT a FROM t WHERE c.in_period IS NOT NULL", "SELECT TOP 5 CONCAT(a, b) FROM t",
         "SELECT a FROM t -- LIMIT 5\nWHERE b = 1", "SELECT CAST(d AS date) FROM t"],
    )  # fmt: skip
    def test_look_alikes_are_not(self, sql):
        assert constructs_in(sql) == set()
