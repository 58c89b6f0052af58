"""Load a trust's own data into the store: ``python -m data.load``.

    python -m data.load --extracts DIR [--mapping FILE] [--census FILE] [--url URL] [--dry-run]

- ``--extracts DIR``: CSV files named after the store's record-level tables (``team.csv``,
  ``person.csv``, ``referral.csv``, ``mha_episode.csv``, ``cto.csv`` …) with the data dictionary's
  column names, or any names and codes a ``--mapping`` file translates.
- ``--census FILE``: Census 2021 TS021 as Nomis publishes it (CSV or the zip; MSOA or LTLA level),
  cut to the trust's districts (``config/trust.yaml``) and reconciled with the district totals.

Everything is checked before anything is written; then the whole load is one transaction, so a load
either lands completely or leaves the store exactly as it was. Each load is recorded in ``load_log``;
the app shows when the data were loaded and refreshes its figures when a new load lands.

Exit status: 0 loaded (or, with ``--dry-run``, would load); 1 the data failed validation (the report
says where); 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from data import geography, reference, schema, summaries
from data.census import CensusFileError, read_ts021
from data.config import ConfigError, TrustConfig, load_trust_config, store_settings
from data.extracts import EXTRACT_TABLES, MappingError, problems_frame, read_extracts, read_mapping
from data.problems import ERROR, WARNING, Problem
from data.store import StoreUnavailable, create_schema, describe_url, make_engine

Progress = Callable[[str], None]

#: Children that must be replaced with a parent, or the store would keep rows pointing at old keys.
CHILDREN: dict[str, tuple[str, ...]] = {
    "team": ("referral", "mha_episode", "restrictive_intervention", "bed_day", "outcome", "feedback",
             "feedback_action", "staff"),
    "person": ("referral", "mha_episode", "restrictive_intervention", "outcome"),
    "referral": ("outcome",),
}  # fmt: skip


@dataclass
class LoadResult:
    """What a load did (or, in a dry run, would do)."""

    problems: list[Problem]
    row_counts: dict[str, int] = field(default_factory=dict)
    reconciliation: pd.DataFrame | None = None
    seconds: float = 0.0
    data_start: date | None = None
    data_end: date | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


class LoadRefused(RuntimeError):
    """Usage or configuration makes the load impossible (exit 2); the message says what to change."""


# ------------------------------------------------------------------------------------------- prepare


def prepare(
    *,
    extracts: str | Path | None,
    mapping: str | Path | None,
    census: str | Path | None,
    config: TrustConfig,
    engine: Engine,
    today: date | None = None,
) -> tuple[dict[str, pd.DataFrame], LoadResult, dict]:
    """Read, map and check everything; returns the frames to write (by store table) and the result."""
    if extracts is None and census is None:
        raise LoadRefused("nothing to load: give --extracts DIR, --census FILE, or both")
    if extracts is not None and not Path(extracts).is_dir():
        raise LoadRefused(f"--extracts {extracts}: not a folder")
    mapping_spec = read_mapping(mapping)
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    result = LoadResult(problems=problems)
    facts: dict = {"synthetic": mapping_spec.synthetic, "files": []}

    if census is not None:
        try:
            population = read_ts021(census, config.boroughs)
        except CensusFileError as exc:
            problems.append(Problem(Path(census).name, None, None, None, str(exc), "census_file"))
            population = None
        if population is not None:
            problems.extend(population.problems)
            result.reconciliation = population.reconciliation
            in_file = population.counts.drop_duplicates("area_code")
            in_file = in_file[~in_file["area_code"].isin(config.boroughs)]  # an LTLA-level file has no MSOAs
            frames["area"] = geography.area_rows(
                config.boroughs, in_file.rename(columns={"area_code": "code", "area_name": "name"})
            )
            counts = population.counts
            source = f"Census 2021 TS021, ONS (Open Government Licence v3.0): {population.source}"[:120]
            frames["population"] = pd.DataFrame(
                {
                    "area_code": counts["area_code"],
                    "census_ethnic_group": counts["census_ethnic_group"].astype(int),
                    "count": counts["count"].astype(int),
                    "source": source,
                }
            )
            facts["population_source"] = source
            facts["files"].append(str(census))

    if extracts is not None:
        found = read_extracts(extracts, mapping_spec, today=today)
        problems.extend(found.problems)
        facts["files"] += [str(path) for path in found.files.values()]
        tables = dict(found.tables)
        if "cto" in tables:
            ctos = tables.pop("cto").copy()
            ctos["legal_status"] = reference.CTO_CODE
            episodes = tables.get("mha_episode")
            tables["mha_episode"] = _stack_episodes(episodes, ctos)
        for table, frame in tables.items():
            if table == "area" and "area" in frames:
                continue  # the Census file's areas win; area.csv then only names them
            frames[table] = frame

    if (
        "population" in frames
        and "population_age_sex" not in frames
        and _store_has(engine, "population_age_sex")
    ):
        # a split of the old population no longer adds up to the new one: drop it rather than mix them
        frames["population_age_sex"] = pd.DataFrame(
            columns=[c.name for c in schema.population_age_sex.columns]
        )
        problems.append(
            Problem("population", None, None, None,
                    "a population by age and sex matching the new population: the store's old split was removed, "
                    "so age standardisation and the sex and age filters are unavailable until one is loaded",
                    "age_sex_split_removed", WARNING)
        )  # fmt: skip
    _check_age_sex_adds_up(frames, problems)
    if "area" not in frames and not _store_has(engine, "area"):
        frames["area"] = geography.area_rows(config.boroughs)
    _check_parents(frames, engine, problems)
    _check_areas(frames, engine, problems)
    result.data_start, result.data_end = _data_period(frames)
    return frames, result, facts


def _stack_episodes(episodes: pd.DataFrame | None, ctos: pd.DataFrame) -> pd.DataFrame:
    """Legal-status episodes and CTOs in one table, numbered afresh (nothing refers to their ids)."""
    parts = [frame for frame in (episodes, ctos) if frame is not None]
    stacked = pd.concat(parts, ignore_index=True)
    stacked["id"] = range(1, len(stacked) + 1)
    stacked.attrs["file"] = "mha_episode.csv + cto.csv"
    return stacked


def _store_has(engine: Engine, table: str) -> bool:
    with engine.connect() as connection:
        if table not in inspect(connection).get_table_names():
            return False
        return (
            connection.execute(select(func.count()).select_from(schema.metadata.tables[table])).scalar_one()
            > 0
        )


def _check_age_sex_adds_up(frames: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """A population by age and sex loaded with a population must add up to it in every area and group."""
    if (
        "population" not in frames
        or frames.get("population_age_sex") is None
        or frames["population_age_sex"].empty
    ):
        return
    keys = ["area_code", "census_ethnic_group"]
    totals = frames["population"].groupby(keys)["count"].sum()
    split = frames["population_age_sex"].groupby(keys)["count"].sum()
    differ = totals.sub(split, fill_value=0)
    differ = differ[differ != 0]
    if not differ.empty:
        (area, group), gap = next(iter(differ.items()))
        problems.append(
            Problem(frames["population_age_sex"].attrs.get("file", "population_age_sex.csv"), None, "count",
                    f"{area}, group {group}: {gap:+,.0f}",
                    f"age and sex counts adding up to the population of each area and group ({len(differ)} "
                    "cells differ; the first is shown)", "age_sex_split_mismatch", WARNING)
        )  # fmt: skip


def _check_parents(frames: dict[str, pd.DataFrame], engine: Engine, problems: list[Problem]) -> None:
    """A replaced parent needs its children replaced too (or empty), else the store keeps stale references."""
    for parent, children in CHILDREN.items():
        if parent not in frames:
            continue
        stale = [c for c in children if c not in frames and _store_has(engine, c)]
        for child in stale:
            problems.append(
                Problem(f"{parent}.csv", None, None, None,
                        f"a {child} extract as well: replacing {parent} would leave the store's {child} rows "
                        "pointing at the old keys", "partial_replacement")
            )  # fmt: skip
    if "team" in frames and _store_has(engine, "app_user_team"):
        with engine.connect() as connection:
            assigned = {row[0] for row in connection.execute(select(schema.app_user_team.c.team_id))}
        missing = sorted(assigned - set(frames["team"]["id"].dropna().astype(int)))
        for team_id in missing:
            problems.append(
                Problem("team.csv", None, "id", str(team_id),
                        "every team a champion is assigned to (reassign with python -m data.users set-teams)",
                        "assigned_team_missing")
            )  # fmt: skip


def _check_areas(frames: dict[str, pd.DataFrame], engine: Engine, problems: list[Problem]) -> None:
    """Area codes must be the trust's districts and neighbourhoods; people elsewhere count trust-wide only."""
    if "area" in frames:
        known = set(frames["area"]["code"])
    else:
        with engine.connect() as connection:
            known = {row[0] for row in connection.execute(select(schema.area.c.code))}
    for table, columns in (("team", ("lad_code",)), ("staff", ("work_lad_code",)),
                           ("population", ("area_code",)), ("population_age_sex", ("area_code",))):  # fmt: skip
        frame = frames.get(table)
        for column in columns:
            if frame is None or column not in frame.columns:
                continue
            unknown = frame[column].notna() & ~frame[column].isin(known)
            for index in frame.index[unknown]:
                problems.append(
                    Problem(frame.attrs.get("file", f"{table}.csv"), int(frame.attrs["lines"][index]) if "lines" in frame.attrs else None,
                            column, str(frame.at[index, column]),
                            "an area code of the trust's districts (config/trust.yaml boroughs) or their MSOAs",
                            "unknown_area")
                )  # fmt: skip
    person = frames.get("person")
    if person is not None:
        outside = (person["msoa_code"].notna() & ~person["msoa_code"].isin(known)) | (
            person["lad_code"].notna() & ~person["lad_code"].isin(known)
        )
        if outside.any():
            problems.append(
                Problem(person.attrs.get("file", "person.csv"), None, "msoa_code, lad_code", None,
                        f"residence inside the trust's districts: {int(outside.sum())} people live elsewhere; they "
                        "are loaded and counted trust-wide, but in no borough or neighbourhood", "outside_area",
                        "warning")
            )  # fmt: skip
            person.loc[outside, ["msoa_code", "lad_code"]] = None


def _data_period(frames: dict[str, pd.DataFrame]) -> tuple[date | None, date | None]:
    """First and last day of activity in the extracts, widened to whole months."""
    dates: list[pd.Series] = []
    for table, column in (("referral", "received_date"), ("mha_episode", "start_date"),
                          ("restrictive_intervention", "date"), ("outcome", "end_date"), ("feedback", "date"),
                          ("recruitment", "date"), ("staff_event", "date"), ("staff", "snapshot_date")):  # fmt: skip
        if table in frames and column in frames[table].columns:
            dates.append(pd.to_datetime(frames[table][column], errors="coerce").dropna())
    if not dates or all(d.empty for d in dates):
        return None, None
    every = pd.concat(dates)
    first, last = every.min().date(), every.max().date()
    next_month = (last.replace(day=28) + pd.Timedelta(days=4)).replace(day=1)
    return first.replace(day=1), (next_month - pd.Timedelta(days=1))


# ------------------------------------------------------------------------------------------- write


def write(engine: Engine, frames: dict[str, pd.DataFrame], result: LoadResult, facts: dict,
          config: TrustConfig, progress: Progress) -> None:  # fmt: skip
    """One transaction: reference tables, calendar, then every supplied table replaced, then the log."""
    create_schema(engine)
    with engine.begin() as connection:
        period_start, period_end = _calendar_span(connection, result)
        for name, frame in (("age_band", reference.age_band_frame()), ("ethnic_category", reference.ethnic_category_frame()),
                            ("census_ethnic_group", reference.census_ethnic_group_frame()),
                            ("legal_status", reference.legal_status_frame())):  # fmt: skip
            _insert_missing(connection, schema.metadata.tables[name], frame)
        if period_start and period_end:
            progress("calendar")
            _insert_missing(connection, schema.calendar, reference.calendar_frame(period_start, period_end))
            day = schema.calendar.c.date
            connection.execute(
                schema.calendar.update().values(in_period=day.between(period_start, period_end))
            )
        if "area" in frames:
            progress(f"areas ({len(frames['area']):,})")
            _upsert_areas(connection, frames["area"])
            result.row_counts["area"] = len(frames["area"])
        replaced = [t for t in schema.TABLES if t.name in frames and t.name != "area"]
        for table in reversed(replaced):
            progress(f"clearing {table.name}")
            connection.execute(delete(table))
        for table in replaced:
            frame = frames[table.name]
            progress(f"writing {table.name} ({len(frame):,} rows)")
            _insert(connection, table, frame)
            result.row_counts[table.name] = len(frame)
        _write_facts(connection, facts, frames, config, period_start, period_end)
        built = summaries.build(connection)
        progress(f"summary tables ({len(built)}, {sum(built.values()):,} rows)")
        connection.execute(
            insert(schema.load_log),
            {
                "loaded_at": datetime.now(UTC).replace(tzinfo=None),
                "kind": "extracts" if any(t in frames for t in EXTRACT_TABLES) else "census",
                "files": "\n".join(facts["files"]),
                "row_counts": json.dumps(result.row_counts, sort_keys=True),
                "data_start": result.data_start,
                "data_end": result.data_end,
                "loaded_by": _who(),
            },
        )


def _insert_missing(connection: Connection, table, frame: pd.DataFrame) -> None:
    """Reference rows whose key the store lacks (existing rows may be referenced and stay)."""
    key = next(iter(table.primary_key.columns))
    present = {row[0] for row in connection.execute(select(key))}
    missing = frame[~frame[key.name].isin(present)]
    if not missing.empty:
        _insert(connection, table, missing)


def _upsert_areas(connection: Connection, areas: pd.DataFrame) -> None:
    """Areas named afresh; an area the store has and no longer lists stays only while rows refer to it."""
    present = {row[0] for row in connection.execute(select(schema.area.c.code))}
    fresh = areas[~areas["code"].isin(present)]
    for record in areas[areas["code"].isin(present)].to_dict("records"):
        connection.execute(
            schema.area.update().where(schema.area.c.code == record["code"]).values(
                name=record["name"], type=record["type"], parent_code=record["parent_code"])
        )  # fmt: skip
    if not fresh.empty:
        _insert(connection, schema.area, fresh)


def _calendar_span(connection: Connection, result: LoadResult) -> tuple[date | None, date | None]:
    """The calendar covers the new data and whatever the store keeps from earlier loads."""
    existing = connection.execute(select(func.min(schema.calendar.c.date), func.max(schema.calendar.c.date)).where(
        schema.calendar.c.in_period)).first()  # fmt: skip
    starts = [d for d in (result.data_start, existing[0] if existing else None) if d]
    ends = [d for d in (result.data_end, existing[1] if existing else None) if d]
    return (min(starts), max(ends)) if starts and ends else (None, None)


def _insert(connection: Connection, table, frame: pd.DataFrame, chunk: int = 20_000) -> None:
    columns = [c.name for c in table.columns if c.name in frame.columns]
    plain = frame[columns].astype(object).where(frame[columns].notna(), None)
    records = plain.to_dict("records")
    for start in range(0, len(records), chunk):
        connection.execute(insert(table), records[start : start + chunk])


def _write_facts(connection, facts, frames, config, period_start, period_end) -> None:
    values = {
        "trust_name": config.name,
        "boroughs": ",".join(config.boroughs),
        "synthetic": "true"
        if facts.get("synthetic") or _keeps_synthetic_rows(connection, frames)
        else "false",
    }
    if period_start and period_end:
        values |= {"data_start": period_start.isoformat(), "data_end": period_end.isoformat(),
                   "data_as_at": period_end.isoformat()}  # fmt: skip
    if facts.get("population_source"):
        values["population_source"] = facts["population_source"]
    values["generated_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    values["generator"] = "data.load"
    connection.execute(delete(schema.dataset_info).where(schema.dataset_info.c.key.in_(list(values))))
    connection.execute(insert(schema.dataset_info), [{"key": k, "value": v} for k, v in values.items()])


def _keeps_synthetic_rows(connection: Connection, frames: dict[str, pd.DataFrame]) -> bool:
    """True when the store was synthetic and this load leaves some of its data in place (a Census file
    loaded over the demo, say): the label stays until every synthetic table has been replaced."""
    flag = connection.execute(
        select(schema.dataset_info.c.value).where(schema.dataset_info.c.key == "synthetic")
    ).scalar_one_or_none()
    if flag != "true":
        return False
    data_tables = [t for t in (*EXTRACT_TABLES, "population", "population_age_sex") if t != "cto"]
    return any(
        t not in frames
        and connection.execute(select(func.count()).select_from(schema.metadata.tables[t])).scalar_one()
        for t in data_tables
    )


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# ------------------------------------------------------------------------------------------- run


def load(
    engine: Engine,
    *,
    extracts: str | Path | None = None,
    mapping: str | Path | None = None,
    census: str | Path | None = None,
    dry_run: bool = False,
    config: TrustConfig | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> LoadResult:
    """Check everything, then (unless dry_run or anything failed) write it all in one transaction."""
    started = time.perf_counter()
    say = progress or (lambda _message: None)
    config = config or load_trust_config()
    create_schema(engine)
    say("reading and checking the files")
    frames, result, facts = prepare(
        extracts=extracts, mapping=mapping, census=census, config=config, engine=engine, today=today
    )
    if not result.errors and not dry_run:
        write(engine, frames, result, facts, config, say)
    else:
        result.row_counts = {table: len(frame) for table, frame in frames.items()}
    result.seconds = time.perf_counter() - started
    return result


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m data.load",
        description="Check a trust's extracts (and Census 2021 TS021 file) and load them into the store, "
        "all or nothing. See docs/loading-data.md.",
    )
    parser.add_argument(
        "--extracts", metavar="DIR", help="folder of CSV extracts named after the store's tables"
    )
    parser.add_argument(
        "--mapping", metavar="FILE", help="YAML mapping of the warehouse's file and column names and codes"
    )
    parser.add_argument(
        "--census", metavar="FILE", help="Census 2021 TS021 file from Nomis (CSV or zip; MSOA or LTLA level)"
    )
    parser.add_argument(
        "--url", help="SQLAlchemy URL of the store (default: EQUALITY_DB_URL, secrets, or data/demo.db)"
    )
    parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    parser.add_argument("--report", metavar="FILE", default="load-report.csv",
                        help="where to write the problem report as CSV (default: load-report.csv)")  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.extracts is None and args.census is None:
        print("error: nothing to load: give --extracts DIR, --census FILE, or both", file=sys.stderr)
        return 2
    try:
        config = load_trust_config()
        url = args.url or store_settings().url
        engine = make_engine(url)
        print(f"Loading into {describe_url(url)} for {config.name} ({', '.join(config.boroughs)})"
              f"{' — dry run, nothing will be written' if args.dry_run else ''}")  # fmt: skip
        result = load(
            engine, extracts=args.extracts, mapping=args.mapping, census=args.census, dry_run=args.dry_run,
            config=config, progress=lambda message: print(f"  … {message}", flush=True),
        )  # fmt: skip
    except (LoadRefused, MappingError, ConfigError, StoreUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: the store refused the load and nothing was written ({type(exc).__name__}: "
              f"{str(exc).splitlines()[0][:300]})", file=sys.stderr)  # fmt: skip
        return 2
    _print_report(result, args.report)
    if result.errors:
        print(f"Not loaded: {len(result.errors)} problem(s) must be fixed first; the store is unchanged.")
        return 1
    verb = "Would load" if args.dry_run else "Loaded"
    rows = ", ".join(f"{t} {n:,}" for t, n in sorted(result.row_counts.items()))
    print(f"{verb} in {result.seconds:.1f} s: {rows}")
    if result.data_start:
        print(f"Data period: {result.data_start:%d %B %Y} to {result.data_end:%d %B %Y}")
    return 0


def _print_report(result: LoadResult, report_path: str) -> None:
    if result.reconciliation is not None and not result.reconciliation.empty:
        print("Census population by district (file against the district total):")
        print(result.reconciliation.to_string(index=False))
    if not result.problems:
        print("No problems found.")
        return
    report = problems_frame(result.problems)
    counts = report.groupby(["severity", "rule"]).size().rename("rows").reset_index()
    print("Problems by rule:")
    print(counts.to_string(index=False))
    print("First problem of each rule:")
    seen: set[tuple[str, str]] = set()
    for problem in sorted(result.problems, key=lambda p: p.severity != ERROR):
        if (problem.severity, problem.rule) not in seen:
            seen.add((problem.severity, problem.rule))
            print(f"  {problem}")
    try:
        report.to_csv(report_path, index=False)
        print(f"Full report ({len(report):,} rows): {report_path}")
    except OSError as exc:
        print(f"Could not write the report to {report_path}: {exc.strerror}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
