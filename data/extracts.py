"""Read a trust's warehouse extracts, map them onto the store's tables, and check every row.

Nothing here writes to the store: :func:`read_extracts` returns the tables ready to load and every
:class:`~data.problems.Problem` found, so that ``python -m data.load`` can refuse the whole load (and
write a report a data team can fix at source) before it touches anything.

The extracts are CSV files named after the store's record-level tables (``person.csv`` …) with the data
dictionary's column names. A mapping file (YAML, see ``docs/loading-data.md``) lets a warehouse's own
shapes load unchanged: another file name, renamed columns, recoded values, a date format, an encoding,
constant columns, and text identifiers (``P000123``) turned into the store's integer keys.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Table

from data import reference, schema, vocabulary
from data.problems import ERROR, WARNING, Problem
from measures import ethnicity

#: Record-level tables a trust supplies, in load order (parents first). ``cto`` is the MHSDS CTO
#: table: its rows are stored in ``mha_episode`` under the store-only legal status ``CTO``.
EXTRACT_TABLES: tuple[str, ...] = (
    "team",
    "person",
    "referral",
    "mha_episode",
    "cto",
    "restrictive_intervention",
    "bed_day",
    "outcome",
    "feedback",
    "feedback_action",
    "staff",
    "recruitment",
    "staff_event",
    "staff_survey",
    "target",
)
#: Tables a trust may also supply instead of the Census loader and the offline geography.
OPTIONAL_TABLES: tuple[str, ...] = ("area", "population", "population_age_sex")

#: The columns of the CTO extract (stored as mha_episode rows).
CTO_COLUMNS: tuple[str, ...] = ("id", "person_id", "team_id", "start_date", "end_date", "age_band")

#: Key domains: a parent key and the columns that refer to it. Text identifiers in the parent become
#: integers 1, 2, … and every reference is translated the same way.
KEY_DOMAINS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("team", "id"): (
        ("referral", "team_id"), ("mha_episode", "team_id"), ("cto", "team_id"),
        ("restrictive_intervention", "team_id"), ("bed_day", "team_id"), ("outcome", "team_id"),
        ("feedback", "team_id"), ("feedback_action", "team_id"), ("staff", "team_id"),
    ),
    ("person", "id"): (
        ("referral", "person_id"), ("mha_episode", "person_id"), ("cto", "person_id"),
        ("restrictive_intervention", "person_id"), ("outcome", "person_id"),
    ),
    ("referral", "id"): (("outcome", "referral_id"),),
    ("staff", "staff_id"): (("staff_event", "staff_id"),),
}  # fmt: skip
#: Own identifiers nothing refers to: text values are numbered 1, 2, … within the file.
OWN_IDS: tuple[tuple[str, str], ...] = (
    ("mha_episode", "id"), ("cto", "id"), ("restrictive_intervention", "id"), ("outcome", "id"),
    ("feedback", "id"), ("feedback_action", "id"), ("recruitment", "id"), ("staff_event", "id"), ("target", "id"),
)  # fmt: skip

#: Columns with a store default when a trust's extract lacks them (stated in the report as a warning).
DEFAULTS: dict[tuple[str, str], Any] = {
    ("person", "religion"): "Not stated",
    ("person", "sexual_orientation"): "Not stated",
    ("person", "disability"): "Not known",
    ("person", "first_language"): "Not known",
    ("person", "interpreter_needed"): False,
    ("staff", "hi_champion"): False,
    ("staff", "board_member"): False,
    ("staff", "board_voting"): False,
    ("staff", "executive"): False,
}

#: Tables whose dates may lie ahead (a target's due date); every other date must not be in the future.
FUTURE_DATES_ALLOWED = frozenset({"target"})
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})
_AGE_BAND_NAMES = set(reference.AGE_BAND_NAMES)


class MappingError(ValueError):
    """The mapping file is unreadable or names something that does not exist; the message says what."""


@dataclass(frozen=True)
class FileMapping:
    """How one extract file maps onto a store table."""

    table: str
    file: str
    encoding: str | None = None
    date_format: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # store column -> file column
    recode: Mapping[str, Mapping[str, Any]] = field(
        default_factory=dict
    )  # store column -> {file value: value}
    constants: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractMapping:
    """The whole mapping file: how each extract maps, and whether the data are synthetic."""

    files: dict[str, FileMapping]
    synthetic: bool = False


@dataclass
class Extracts:
    """What :func:`read_extracts` found: the tables ready to write, and every problem."""

    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    files: dict[str, Path]


# ------------------------------------------------------------------------------------------- mapping


def read_mapping(path: str | Path | None) -> ExtractMapping:
    """The mapping file, checked against the store's tables and columns (MappingError otherwise)."""
    if path is None:
        return ExtractMapping(files={})
    mapping_path = Path(path)
    try:
        raw = yaml.safe_load(mapping_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise MappingError(f"Mapping file not found: {mapping_path}") from None
    except yaml.YAMLError as exc:
        raise MappingError(f"Mapping file {mapping_path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise MappingError(f"{mapping_path}: expected a YAML mapping with a 'files' section")
    unknown_keys = set(raw) - {"files", "dataset"}
    if unknown_keys:
        raise MappingError(
            f"{mapping_path}: unknown section(s) {sorted(unknown_keys)}; expected 'files', 'dataset'"
        )
    files: dict[str, FileMapping] = {}
    for table, spec in (raw.get("files") or {}).items():
        if table not in EXTRACT_TABLES + OPTIONAL_TABLES:
            raise MappingError(
                f"{mapping_path}: files.{table} is not a table the loader reads; "
                f"expected one of {', '.join(EXTRACT_TABLES + OPTIONAL_TABLES)}"
            )
        spec = spec or {}
        if not isinstance(spec, dict):
            raise MappingError(f"{mapping_path}: files.{table} must be a mapping")
        bad = set(spec) - {"file", "encoding", "date_format", "columns", "recode", "constants"}
        if bad:
            raise MappingError(f"{mapping_path}: files.{table} has unknown key(s) {sorted(bad)}")
        known = set(_store_columns(table))
        for section in ("columns", "recode", "constants"):
            entries = spec.get(section) or {}
            if not isinstance(entries, dict):
                raise MappingError(f"{mapping_path}: files.{table}.{section} must be a mapping")
            strays = sorted(set(entries) - known - {"age"})
            if strays:
                raise MappingError(
                    f"{mapping_path}: files.{table}.{section} names column(s) {strays} that the store's "
                    f"{table} table does not have; its columns are {', '.join(sorted(known))}"
                )
        for column, codes in (spec.get("recode") or {}).items():
            for key, value in (codes or {}).items():
                if not isinstance(key, str) or not isinstance(value, (str, bool)) or value is None:
                    raise MappingError(
                        f"{mapping_path}: files.{table}.recode.{column}: {key!r}: {value!r} — quote codes in "
                        "recode (write '02': '10', not 02: 10), or YAML reads them as numbers or yes/no"
                    )
        files[table] = FileMapping(
            table=table,
            file=str(spec.get("file") or f"{table}.csv"),
            encoding=spec.get("encoding"),
            date_format=spec.get("date_format"),
            columns={str(k): str(v) for k, v in (spec.get("columns") or {}).items()},
            recode={
                str(k): {str(a): b for a, b in (v or {}).items()}
                for k, v in (spec.get("recode") or {}).items()
            },
            constants=dict(spec.get("constants") or {}),
        )
    dataset = raw.get("dataset") or {}
    # dataset.note is free text for people reading the file; only dataset.synthetic is read
    return ExtractMapping(files=files, synthetic=bool(dataset.get("synthetic", False)))


def _store_table(table: str) -> Table:
    return schema.mha_episode if table == "cto" else schema.metadata.tables[table]


def _store_columns(table: str) -> tuple[str, ...]:
    if table == "cto":
        return CTO_COLUMNS
    return tuple(c.name for c in schema.metadata.tables[table].columns)


# ------------------------------------------------------------------------------------------- reading


def read_csv(path: Path, label: str, encoding: str | None, problems: list[Problem]) -> pd.DataFrame | None:
    """A CSV as text columns. UTF-8 with or without a byte-order mark, else cp1252 (Windows exports)."""
    raw = path.read_bytes()
    if not raw.strip():
        problems.append(
            Problem(label, None, None, None, "a CSV file with a header line and rows", "empty_file")
        )
        return None
    candidates = [encoding] if encoding else ["utf-8-sig", "cp1252"]
    for candidate in candidates:
        try:
            text = raw.decode(candidate)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    else:
        problems.append(Problem(label, None, None, None, f"text in {' or '.join(candidates)}", "encoding"))
        return None
    text = text.lstrip("\ufeff")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        problems.append(Problem(label, None, None, None, "at least one row under the header", "empty_file"))
        return None
    return frame


def read_extracts(directory: str | Path, mapping: ExtractMapping, *, today: date | None = None) -> Extracts:
    """Read every extract present in ``directory``, apply the mapping and check every row."""
    folder = Path(directory)
    today = today or date.today()
    problems: list[Problem] = []
    raw: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    for table in EXTRACT_TABLES + OPTIONAL_TABLES:
        spec = mapping.files.get(table) or FileMapping(table=table, file=f"{table}.csv")
        path = folder / spec.file
        if not path.exists():
            if table in mapping.files:
                problems.append(
                    Problem(
                        spec.file,
                        None,
                        None,
                        None,
                        f"the {table} extract named in the mapping",
                        "missing_file",
                    )
                )
            continue
        files[table] = path
        frame = read_csv(path, spec.file, spec.encoding, problems)
        if frame is not None:
            raw[table] = _apply_mapping(frame, spec, problems)
    tables = {
        table: _typed(table, frame, mapping.files.get(table), problems, today) for table, frame in raw.items()
    }
    tables = {t: f for t, f in tables.items() if f is not None}
    _check_copies(tables, problems)  # before numbering, so the report names the file's own ids
    _number_keys(tables, problems)
    _check_keys(tables, problems)
    _check_plausible(tables, problems)
    _check_relied_on(tables, problems)
    return Extracts(tables=tables, problems=problems, files=files)


def _apply_mapping(frame: pd.DataFrame, spec: FileMapping, problems: list[Problem]) -> pd.DataFrame:
    """Rename mapped columns to the store's names, add constants, and recode values."""
    renamed = {source: store for store, source in spec.columns.items()}
    missing = [source for source in renamed if source not in frame.columns]
    for source in missing:
        problems.append(
            Problem(
                spec.file,
                1,
                source,
                None,
                f"column {source!r} (mapped to {renamed[source]})",
                "missing_column",
            )
        )
    frame = frame.rename(columns={s: t for s, t in renamed.items() if s in frame.columns})
    for column, value in spec.constants.items():
        frame[column] = "" if value is None else str(value)
    for column, codes in spec.recode.items():
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v, codes=codes: str(codes[v]) if v in codes else v)
    frame.attrs["file"] = spec.file
    return frame


# ------------------------------------------------------------------------------------------- types


def _line_numbers(frame: pd.DataFrame) -> pd.Series:
    """CSV line of each row: the header is line 1."""
    return pd.Series(frame.index + 2, index=frame.index)


def _typed(
    table: str, frame: pd.DataFrame, spec: FileMapping | None, problems: list[Problem], today: date
) -> pd.DataFrame | None:
    """Typed columns for one table; every unparseable, missing or unknown value becomes a Problem."""
    label = frame.attrs.get("file", f"{table}.csv")
    columns = _store_columns(table)
    store = _store_table(table)
    lines = _line_numbers(frame)
    if "age_band" in columns and "age_band" not in frame.columns and "age" in frame.columns:
        frame["age_band"] = _age_bands(frame["age"], label, lines, problems)
    for column in columns:
        if column not in frame.columns and (table, column) in DEFAULTS:
            frame[column] = str(DEFAULTS[(table, column)])
            problems.append(
                Problem(label, None, column, None, f"a {column} column; every row given {DEFAULTS[(table, column)]!r}",
                        "default_used", WARNING)
            )  # fmt: skip
    absent = [c for c in columns if c not in frame.columns and not store.columns[c].nullable]
    for column in absent:
        problems.append(
            Problem(
                label,
                1,
                column,
                None,
                f"a column named {column!r} (see docs/data-dictionary.md)",
                "missing_column",
            )
        )
    if absent:
        return None
    extra = sorted(set(frame.columns) - set(columns) - {"age"})
    if extra:
        problems.append(
            Problem(
                label,
                1,
                ", ".join(extra),
                None,
                "only the store's columns; these were not loaded",
                "ignored_columns",
                WARNING,
            )
        )
    out = pd.DataFrame(index=frame.index)
    date_format = spec.date_format if spec else None
    for column in columns:
        sql_column = store.columns[column]
        values = (
            frame[column].astype(str).str.strip()
            if column in frame.columns
            else pd.Series("", index=frame.index)
        )
        # "NA" is a local ethnic sub-code (African), so coded columns take only empty or NULL as blank
        null_words = (
            ["NULL"]
            if (table, column) in vocabulary.ETHNIC_CATEGORY_COLUMNS
            else ["NULL", "NA", "N/A", "NAN"]
        )
        blank = values.eq("") | values.str.upper().isin(null_words)
        if not sql_column.nullable:
            for index in values.index[blank]:
                if (table, column) not in vocabulary.ETHNIC_CATEGORY_COLUMNS:
                    problems.append(
                        Problem(
                            label,
                            int(lines[index]),
                            column,
                            "",
                            "a value (the column may not be empty)",
                            "required",
                        )
                    )
        out[column] = _parse_column(
            table, column, sql_column.type, values, blank, label, lines, date_format, problems, today
        )
    out.attrs["file"] = label
    out.attrs["lines"] = lines
    return out


def _parse_column(
    table, column, sql_type, values, blank, label, lines, date_format, problems, today
) -> pd.Series:
    def bad(mask: pd.Series, expected: str, rule: str) -> None:
        for index in values.index[mask]:
            problems.append(Problem(label, int(lines[index]), column, values[index], expected, rule))

    if (table, column) in vocabulary.ETHNIC_CATEGORY_COLUMNS:
        codes = []
        for index, value in values.items():
            try:
                codes.append(ethnicity.normalise_code(None if blank[index] else value))
            except ValueError:
                problems.append(Problem(label, int(lines[index]), column, value,
                                        "an NHS ethnic category code (A–S, Z or 99; local sub-codes such as CA roll up)", "code_unknown"))  # fmt: skip
                codes.append(None)
        return pd.Series(codes, index=values.index, dtype=object)
    if isinstance(sql_type, Boolean):
        lowered = values.str.lower()
        ok = lowered.isin(TRUE_WORDS | FALSE_WORDS)
        bad(~ok & ~blank, "true or false (also yes/no, y/n, 1/0)", "type")
        return lowered.map(lambda v: True if v in TRUE_WORDS else False if v in FALSE_WORDS else None)
    if isinstance(sql_type, (Date, DateTime)):
        parsed = _parse_dates(values, date_format)
        bad(
            parsed.isna() & ~blank,
            f"a date ({date_format or 'YYYY-MM-DD or DD/MM/YYYY'})",
            "date_unparseable",
        )
        future = parsed.notna() & (parsed.dt.date > today) & (table not in FUTURE_DATES_ALLOWED)
        bad(future, f"a date no later than today ({today.isoformat()})", "date_in_future")
        return parsed.dt.date.where(parsed.notna(), None)
    if isinstance(sql_type, Integer):
        numbers = pd.to_numeric(values.where(~blank), errors="coerce")
        whole = numbers.notna() & (numbers == numbers.round())
        text_ids = (
            (table, column) in KEY_DOMAINS
            or any((table, column) in refs for refs in KEY_DOMAINS.values())
            or (table, column) in OWN_IDS
        )
        if text_ids:  # numbered later when they are text; "8.0" from a spreadsheet is the id 8
            return values.str.replace(_WHOLE_NUMBER, r"\1", regex=True).where(~blank, None)
        bad(~whole & ~blank, "a whole number", "type")
        return numbers.where(whole).astype("Int64")
    if isinstance(sql_type, Float):
        numbers = pd.to_numeric(values.where(~blank), errors="coerce")
        bad(numbers.isna() & ~blank, "a number", "type")
        return numbers
    # text: check vocabularies and reference codes
    text = values.where(~blank, None)
    entry = vocabulary.vocabulary("mha_episode" if table == "cto" else table, column)
    if entry is not None and entry.closed:
        unknown = text.notna() & ~text.isin(entry.values)
        bad(
            unknown,
            f"one of {', '.join(entry.values)} (recode local values in the mapping file)",
            "code_unknown",
        )
    if table == "mha_episode" and column == "legal_status":
        legacy = text.isin([reference.CTO_CODE, "17A"])
        bad(
            legacy,
            "an MHSDS legal status code; CTOs belong in the CTO extract (cto.csv)",
            "cto_in_legal_status",
        )
        unknown = text.notna() & ~text.isin(vocabulary.MHSDS_LEGAL_STATUS_CODES) & ~legacy
        bad(
            unknown,
            "an MHSDS legal status code (01–20, 31, 32, 35–38, 98, 99; see docs/legal-status.md)",
            "code_unknown",
        )
    if column == "age_band":
        bad(
            text.notna() & ~text.isin(_AGE_BAND_NAMES),
            f"an age band: {', '.join(reference.AGE_BAND_NAMES)}",
            "code_unknown",
        )
    if column == "sex" and table in ("population_age_sex",):
        bad(text.notna() & ~text.isin(["M", "F"]), "M or F", "code_unknown")
    return text


_WHOLE_NUMBER = r"^(\d+)\.0+$"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_UK = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def _parse_dates(values: pd.Series, date_format: str | None) -> pd.Series:
    """Dates as given by the mapping's format, else ISO (YYYY-MM-DD) or UK (DD/MM/YYYY); never US order."""
    if date_format:
        return pd.to_datetime(values, format=date_format, errors="coerce")
    iso = pd.to_datetime(values.where(values.str.match(_ISO)).str[:10], format="%Y-%m-%d", errors="coerce")
    uk = pd.to_datetime(values.where(values.str.match(_UK)), format="%d/%m/%Y", errors="coerce")
    return iso.fillna(uk)


def _age_bands(ages: pd.Series, label: str, lines: pd.Series, problems: list[Problem]) -> pd.Series:
    numbers = pd.to_numeric(ages, errors="coerce")
    bands = []
    for index, age in numbers.items():
        if pd.isna(age) or age < 0 or age > 120:
            problems.append(
                Problem(
                    label,
                    int(lines[index]),
                    "age",
                    ages[index],
                    "an age in whole years, 0 to 120",
                    "implausible",
                )
            )
            bands.append("")
            continue
        bands.append(next(band for band, low, high, *_ in reference.AGE_BANDS if low <= age <= high))
    return pd.Series(bands, index=ages.index)


# ------------------------------------------------------------------------------------------- keys


def _number_keys(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Turn text identifiers into integer keys, consistently across parent and child files."""
    for (parent, key), references in KEY_DOMAINS.items():
        if parent not in tables:
            for child, column in references:
                if child in tables:
                    tables[child][column] = _as_int(tables[child][column])
            continue
        ids = tables[parent][key]
        numeric = pd.to_numeric(ids, errors="coerce")
        if numeric.notna().all() and (numeric == numeric.round()).all():
            lookup = {value: int(n) for value, n in zip(ids, numeric, strict=True)}
        else:
            lookup = {value: number for number, value in enumerate(pd.unique(ids.dropna()), start=1)}
        tables[parent][key] = ids.map(lookup).astype("Int64")
        for child, column in references:
            if child in tables:
                values = tables[child][column]
                mapped = values.map(lookup)
                unknown = values.notna() & mapped.isna()
                label = tables[child].attrs.get("file", f"{child}.csv")
                lines = tables[child].attrs["lines"]
                for index in values.index[unknown]:
                    problems.append(Problem(label, int(lines[index]), column, str(values[index]),
                                            f"an id present in the {parent} extract", "unknown_reference"))  # fmt: skip
                tables[child][column] = mapped.astype("Int64")
    for table, column in OWN_IDS:
        if table in tables:
            values = tables[table][column]
            numeric = pd.to_numeric(values, errors="coerce")
            if not (numeric.notna().all() and (numeric == numeric.round()).all()):
                numeric = pd.Series(range(1, len(values) + 1), index=values.index)
                tables[table].attrs["renumbered"] = column
            tables[table][column] = numeric.astype("Int64")


def _as_int(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("Int64")


def _check_keys(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Duplicate primary keys in any file."""
    for table, frame in tables.items():
        store = _store_table(table)
        key = [c.name for c in store.primary_key.columns] if table != "cto" else ["id"]
        if not key or any(k not in frame.columns for k in key):
            continue
        duplicated = frame.duplicated(subset=key, keep="first") & frame[key].notna().all(axis=1)
        label, lines = frame.attrs.get("file", table), frame.attrs["lines"]
        for index in frame.index[duplicated]:
            value = ", ".join(str(frame.at[index, k]) for k in key)
            problems.append(
                Problem(
                    label,
                    int(lines[index]),
                    "+".join(key),
                    value,
                    "a key used once in the file",
                    "duplicate_key",
                )
            )


def _check_plausible(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Values of the right type but impossible: negative counts, scores out of range, ends before starts."""
    rules: list[tuple[str, str, Any, str]] = [
        ("referral", "attended_count", lambda s: s >= 0, "a count of 0 or more"),
        ("referral", "dna_count", lambda s: s >= 0, "a count of 0 or more"),
        (
            "bed_day",
            "occupied_bed_days",
            lambda s: (s >= 0) & (s <= 31 * 200),
            "occupied bed days in a month, 0 or more",
        ),
        ("feedback", "score", lambda s: s.between(1, 5), "a score from 1 (worst) to 5 (best)"),
        ("staff_survey", "percent", lambda s: s.between(0, 100), "a percentage from 0 to 100"),
        ("staff_survey", "indicator", lambda s: s.between(5, 8), "WRES indicator 5, 6, 7 or 8"),
        ("population", "count", lambda s: s >= 0, "a count of 0 or more"),
        ("population_age_sex", "count", lambda s: s >= 0, "a count of 0 or more"),
        ("team", "beds", lambda s: s >= 0, "a number of beds, 0 or more"),
        ("person", "imd_decile", lambda s: s.between(1, 10), "an IMD decile from 1 to 10"),
        (
            "population",
            "census_ethnic_group",
            lambda s: s.between(1, 19),
            "a Census 2021 ethnic group code 1 to 19",
        ),
        (
            "population_age_sex",
            "census_ethnic_group",
            lambda s: s.between(1, 19),
            "a Census 2021 ethnic group code 1 to 19",
        ),
    ]
    for table, column, ok, expected in rules:
        if table in tables and column in tables[table].columns:
            frame = tables[table]
            values = pd.to_numeric(frame[column], errors="coerce")
            failing = values.notna() & ~ok(values).fillna(False).astype(bool)
            for index in frame.index[failing]:
                problems.append(
                    Problem(
                        frame.attrs["file"],
                        int(frame.attrs["lines"][index]),
                        column,
                        str(frame.at[index, column]),
                        expected,
                        "implausible",
                    )
                )
    for table, start, end in (("referral", "received_date", "discharge_date"), ("referral", "received_date", "first_contact_date"),
                              ("mha_episode", "start_date", "end_date"), ("cto", "start_date", "end_date")):  # fmt: skip
        if table in tables:
            frame = tables[table]
            both = frame[start].notna() & frame[end].notna()
            before = both & (
                pd.to_datetime(frame[end], errors="coerce") < pd.to_datetime(frame[start], errors="coerce")
            )
            for index in frame.index[before]:
                problems.append(Problem(frame.attrs["file"], int(frame.attrs["lines"][index]), end, str(frame.at[index, end]),
                                        f"a date on or after {start} ({frame.at[index, start]})", "implausible"))  # fmt: skip


def _check_copies(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Identical rows under different ids: a warehouse join that duplicated records (a warning)."""
    # only where each row is one event of one person; identical survey, recruitment or restraint rows occur
    for table in ("referral", "mha_episode", "cto", "outcome"):
        if table not in tables:
            continue
        frame = tables[table]
        content = [c for c in frame.columns if c != "id"]
        copies = frame.duplicated(subset=content, keep="first")
        if copies.any():
            first = frame.index[copies][0]
            problems.append(
                Problem(frame.attrs["file"], int(frame.attrs["lines"][first]), "id", str(frame.at[first, "id"]),
                        f"rows that differ in more than their id ({int(copies.sum())} rows repeat an earlier row "
                        "under another id: they are loaded, but check the extract for a duplicating join)",
                        "duplicate_rows", WARNING)
            )  # fmt: skip


def _check_relied_on(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Warn when a value the pages select on matches no row (its measure would read 0%)."""
    for entry in vocabulary.VOCABULARIES:
        frame = tables.get(entry.table)
        if frame is None or entry.column not in frame.columns:
            continue
        present = set(frame[entry.column].dropna())
        for value in entry.relied_on:
            if value not in present:
                problems.append(
                    Problem(frame.attrs["file"], None, entry.column, value,
                            f"at least one row with {entry.column} = {value!r}: the pages select on it, and without "
                            "it the measure reads 0 (recode the warehouse's own value in the mapping file)",
                            "relied_on_value_missing", WARNING)
                )  # fmt: skip


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """The report a data team can fix at source: one row per problem, errors first."""
    rows = [p.as_dict() for p in problems]
    frame = pd.DataFrame(rows, columns=["severity", "file", "line", "column", "value", "expected", "rule"])
    if frame.empty:
        return frame
    frame["order"] = frame["severity"].map({ERROR: 0, WARNING: 1})
    return (
        frame.sort_values(["order", "file", "line"], kind="stable")
        .drop(columns="order")
        .reset_index(drop=True)
    )
