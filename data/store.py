"""Opening the SQL store, creating its schema, and explaining failures without leaking secrets."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from data import schema


class StoreUnavailable(RuntimeError):
    """The store cannot be reached or used. The message is safe to show: it never holds a password."""


def describe_url(url: str) -> str:
    """Name the database for a person, without the password: 'SQLite file …' or 'postgresql database …'."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "an unreadable database URL"
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database or '(in memory)'}"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.get_backend_name()} database '{parsed.database}' on {host}{port}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys on and may be shared across Streamlit's threads."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(
            "The database URL could not be read. Check EQUALITY_DB_URL or [connections.equality] url "
            "in .streamlit/secrets.toml (format: dialect+driver://user:password@host:port/database)."
        ) from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise StoreUnavailable(f"Cannot use {describe_url(url)}: {type(exc).__name__}") from None


def check_store(engine: Engine) -> None:
    """Raise StoreUnavailable, with what to check, unless the store answers and holds the schema."""
    where = describe_url(engine.url.render_as_string(hide_password=True))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            tables = set(inspect(connection).get_table_names())
    except SQLAlchemyError as exc:
        hint = _hint_for(engine)
        raise StoreUnavailable(f"Cannot reach the {where}. {hint} ({type(exc).__name__})") from None
    missing = sorted(t.name for t in schema.TABLES if t.name not in tables)
    if missing:
        raise StoreUnavailable(
            f"The {where} is reachable but lacks the dashboard's tables ({', '.join(missing[:5])}"
            f"{' …' if len(missing) > 5 else ''}). Create them with `python -m data.demo` (synthetic demo) "
            "or load a real extract as docs/loading-data.md describes."
        )


def _hint_for(engine: Engine) -> str:
    if engine.url.get_backend_name() == "sqlite":
        path = Path(engine.url.database or "")
        if not path.parent.exists():
            return f"The folder {path.parent} does not exist."
        return f"Check that {path} is a readable, writable SQLite file."
    return "Check that the server is running, the host and port are right, and the user may connect."


def create_schema(engine: Engine) -> None:
    """Create every table and index that does not exist yet (identical on SQLite and PostgreSQL)."""
    schema.metadata.create_all(engine)


def drop_schema(engine: Engine) -> None:
    """Drop every table of the schema (used before rebuilding the demo store)."""
    schema.metadata.drop_all(engine)


def store_has_data(engine: Engine) -> bool:
    """True when any table of the schema exists and holds a row (so a rebuild would destroy something)."""
    with engine.connect() as connection:
        existing = set(inspect(connection).get_table_names())
        for table in schema.TABLES:
            if table.name in existing and connection.execute(select(table).limit(1)).first() is not None:
                return True
    return False


def dataset_info(engine: Engine) -> dict[str, str]:
    """The key/value facts about the loaded data (trust name, period, synthetic flag)."""
    with engine.connect() as connection:
        rows = connection.execute(select(schema.dataset_info.c.key, schema.dataset_info.c.value))
        return {key: value for key, value in rows}
