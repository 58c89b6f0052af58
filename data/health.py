"""Is the store ready to show figures? A start-up check that names what is missing and the fix.

The pages assume reference tables, a population and some activity. Rather than let a page fail
half-way on an empty table, the app runs :func:`check` once per load and shows these messages instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, literal, select
from sqlalchemy.exc import SQLAlchemyError

from data import schema, summaries

LOAD_COMMAND = "python -m data.load --extracts <folder> --mapping <mapping.yaml> --census <TS021 file>"


@dataclass(frozen=True)
class Gap:
    """One thing missing from the store: what, why it matters, and the command that fixes it."""

    what: str
    fix: str
    blocking: bool = True


#: (table, what it is, the command that fills it)
_REQUIRED: tuple[tuple[str, str, str], ...] = (
    ("ethnic_category", "the reference tables (ethnic categories, age bands, legal statuses)", LOAD_COMMAND),
    ("calendar", "the calendar of the data period", LOAD_COMMAND),
    ("area", "the trust's boroughs and neighbourhoods", LOAD_COMMAND),
    ("team", "the trust's teams", "python -m data.load --extracts <folder> (team.csv)"),
    ("person", "the people in contact with services", "python -m data.load --extracts <folder> (person.csv)"),
    (
        "population",
        "the resident population (Census 2021 TS021)",
        "python -m data.load --census <TS021 file>",
    ),
)


def check(engine: Engine) -> list[Gap]:
    """Every gap that would stop the figure pages working, in the order to fix them."""
    gaps: list[Gap] = []
    try:
        with engine.connect() as connection:
            for name, what, fix in _REQUIRED:
                table = schema.metadata.tables[name]
                if connection.execute(select(literal(1)).select_from(table).limit(1)).first() is None:
                    gaps.append(Gap(f"The store holds no {what} (table {name} is empty).", fix))
            if (
                connection.execute(select(literal(1)).select_from(schema.population_age_sex).limit(1)).first()
                is None
            ):
                gaps.append(
                    Gap(
                        "No population by age and sex is loaded, so age-standardised rates and the sex and age "
                        "filters are unavailable (Census TS021 has ethnic group only).",
                        "load a named age and sex source as population_age_sex.csv (docs/loading-data.md)",
                        blocking=False,
                    )
                )
        absent = summaries.missing(engine)
        if absent:
            gaps.append(Gap(f"The store lacks its summary tables ({', '.join(absent)}): it was built by an "
                            "older version.", "python -m data.summaries"))  # fmt: skip
    except SQLAlchemyError as exc:
        gaps.append(
            Gap(f"The store's tables could not be read ({type(exc).__name__}).", "python -m data.load …")
        )
    return gaps


def latest_load(engine: Engine) -> dict[str, object] | None:
    """The newest load_log row (id, loaded_at, kind), or None when nothing was ever loaded."""
    log = schema.load_log
    with engine.connect() as connection:
        row = connection.execute(
            select(log.c.id, log.c.loaded_at, log.c.kind).order_by(log.c.id.desc()).limit(1)
        ).first()
    return None if row is None else {"id": row.id, "loaded_at": row.loaded_at, "kind": row.kind}
