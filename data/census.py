"""Census 2021 TS021 (ethnic group) populations, read from the files Nomis publishes, checked and
reconciled against each district's total.

Nomis's bulk download of TS021 (``census2021-ts021.zip``,
https://www.nomisweb.co.uk/sources/census_2021_bulk) holds one CSV per geography level. This module reads
the MSOA member (``census2021-ts021-msoa.csv``) or the lower-tier local authority member
(``census2021-ts021-ltla.csv``), given as the CSV or as the zip (some zips name their members
``...-msoa..csv``; both are accepted). The header is ``date``, ``geography``, ``geography code``,
``Ethnic group: Total: All usual residents``, the five broad groups ``Ethnic group: <broad>`` and the 19
detailed groups ``Ethnic group: <broad>: <detailed>``; other TS tables end each header with
``; measures: Value``, which is ignored. The 19 detailed columns become the Census 2021 codes 1–19 of
``measures.ethnicity.CENSUS_CATEGORIES`` (the store's ``census_ethnic_group`` table).

Every row is checked (counts are whole numbers of people; the 19 detailed groups add up to the total,
the five broad groups add up to the total and each broad group's detailed groups add up to it), and every
problem is reported with its file, line, column, value and what was expected (``data.problems.Problem``)
rather than stopping at the first.

Only the trust's districts are kept. An MSOA's district comes from the ONS MSOA (2011) → MSOA (2021) →
LAD (2022) lookup, or for the new MSOAs of 2021 splits (absent from the lookup) from its name
(``data.geography.msoa_districts``). Each district is then **reconciled**: how many MSOAs it has (from
the national TS021 MSOA file shipped in ``data/ons``) against how many the file gave, and the residents
in the file against the district's total (from an LTLA file if one is given, else the sum over all the
district's MSOAs in the national file). A file that holds 12 of Leeds' 107 MSOAs would otherwise give
rates six times too high without anyone noticing.

Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
Contains OS data © Crown copyright and database right.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from data import geography
from data.problems import ERROR, WARNING, Problem
from measures.ethnicity import CENSUS_CATEGORIES

SOURCE_LABEL = "Census 2021 TS021 (ONS, via Nomis)"
LEVELS = ("msoa", "ltla")
ID_COLUMNS = ("date", "geography", "geography code")
TOTAL_COLUMN = "Ethnic group: Total: All usual residents"
#: A district whose residents in the file differ from its total by more than this share is an error
#: (MSOAs missing or figures edited); a smaller difference is a warning.
TOTAL_TOLERANCE = 0.005

_MEASURES_SUFFIX = re.compile(r"\s*;\s*measures\s*:\s*value\s*$", re.IGNORECASE)
_MEMBER = re.compile(r"(?:^|/)census2021-ts021-(msoa|ltla)\.\.?csv$", re.IGNORECASE)
_LEVEL_OF_CODE = {"msoa": r"^[EW]02\d{6}$", "ltla": r"^(?:E0[6-9]|W06)\d{6}$"}
#: Nomis labels that differ from the description after the colon in ``CENSUS_CATEGORIES``.
_ALIASES = {"other mixed or multiple ethnic groups": 12}

COUNT_COLUMNS = ["area_code", "area_name", "lad_code", "census_ethnic_group", "count"]
RECONCILIATION_COLUMNS = [
    "lad_code",
    "lad_name",
    "msoas_expected",
    "msoas_found",
    "total_in_file",
    "district_total",
    "difference",
    "district_total_source",
]


class CensusFileError(ValueError):
    """The file cannot be read as a TS021 file at all; the message names the file and the reason."""


@dataclass(frozen=True)
class CensusPopulation:
    """A TS021 file cut to the trust's districts, with its checks.

    ``counts``: one row per area and Census 2021 ethnic group (1–19): ``area_code``, ``area_name``,
    ``lad_code``, ``census_ethnic_group``, ``count``. ``reconciliation``: one row per requested district:
    ``lad_code``, ``lad_name``, ``msoas_expected`` and ``msoas_found`` (MSOA level only), ``total_in_file``,
    ``district_total``, ``difference`` (file minus district total) and ``district_total_source``.
    ``problems``: everything found, errors first. Rows with a cell that is not a count are left out of
    ``counts``; rows that do not add up are kept, but ``ok`` is then False: do not load such a file.
    """

    level: str
    source: str
    counts: pd.DataFrame
    reconciliation: pd.DataFrame
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def area_totals(self) -> pd.Series:
        """Usual residents per area (the sum of its 19 groups), indexed by area code."""
        return self.counts.groupby("area_code", sort=True)["count"].sum()


@dataclass(frozen=True)
class _Layout:
    """Where the columns of a TS021 file are (header names as written in the file)."""

    code: str
    name: str
    total: str
    broad: dict[str, str]  # broad key (asian, black, mixed, white, other) -> header
    detailed: dict[int, str]  # census code 1..19 -> header
    unknown: tuple[str, ...]


# ------------------------------------------------------------------------------------------- reading


def read_ts021(
    source: str | Path,
    lad_codes: Sequence[str],
    *,
    level: str | None = None,
    district_totals: str | Path | None = None,
    national_file: str | Path | None = None,
) -> CensusPopulation:
    """Read a Nomis TS021 MSOA or LTLA file (CSV, or the bulk zip) for the districts ``lad_codes``.

    ``level`` ("msoa" or "ltla") chooses the member of a zip holding both (default: MSOA) and is checked
    against the file's area codes. ``district_totals`` may name a TS021 LTLA file (CSV or zip) whose totals
    the districts are reconciled with; by default they are the sums over each district's MSOAs in the
    national TS021 MSOA file shipped in ``data/ons`` (``national_file`` overrides that file, for tests).

    Raises ``CensusFileError`` (a ValueError) for a missing, empty, non-UTF-8 or non-TS021 file, or one
    missing required columns; ValueError for unknown district codes. Every other problem is reported in
    ``problems``.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    codes = tuple(
        dict.fromkeys(
            str(code).strip() for code in ([lad_codes] if isinstance(lad_codes, str) else lad_codes)
        )
    )
    if not codes:
        raise ValueError("At least one local authority district code is needed")
    names = geography.borough_names(codes)
    label, text, member_level = _read_text(Path(source), level)
    frame, layout = _parse(label, text)
    problems: list[Problem] = [
        Problem(label, 1, column, None, "a TS021 column", "unknown_column", WARNING)
        for column in layout.unknown
    ]
    file_level = _file_level(label, frame, layout, level or member_level)
    frame, row_problems = _check_rows(label, frame, layout, file_level)
    problems += row_problems

    if file_level == "msoa":
        frame["lad_code"] = geography.msoa_districts(frame["code"], frame["name"]).to_numpy()
        unplaced = frame["lad_code"].isna()
        problems += [
            Problem(label, int(row.line), layout.code, row.code, "an MSOA in the ONS lookup or a name "
                    "'<district> <number>'", "unknown_area", WARNING)
            for row in frame[unplaced].itertuples()
        ]  # fmt: skip
    else:
        frame["lad_code"] = frame["code"]
    kept = frame[frame["lad_code"].isin(codes)].copy()

    counts = _long_counts(kept, layout)
    if district_totals is not None:
        totals = read_ts021(district_totals, codes, level="ltla", national_file=national_file)
        problems += [p for p in totals.problems if p.rule != "district_total"]
        district_total = totals.reconciliation.set_index("lad_code")["total_in_file"]
        total_source = f"TS021 LTLA file {totals.source}"
    else:
        national = Path(national_file) if national_file else geography.TS021_MSOA_FILE
        district_total = _national_district_totals(str(national))
        total_source = f"sum of the district's MSOAs in {national.name}"
    reconciliation, reconcile_problems = _reconcile(
        label, kept, layout, file_level, names, district_total, total_source, national_file
    )
    problems += reconcile_problems
    problems.sort(key=lambda p: (p.severity != ERROR, p.line is None, p.line or 0))
    return CensusPopulation(
        level=file_level,
        source=label,
        counts=counts,
        reconciliation=reconciliation,
        problems=tuple(problems),
    )


def _read_text(path: Path, level: str | None) -> tuple[str, str, str | None]:
    """(label for messages, the CSV text, the level its file name gives) from a CSV or a Nomis zip."""
    if not path.is_file():
        raise CensusFileError(f"Census file not found: {path}")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = {
                match.group(1).lower(): name for name in archive.namelist() if (match := _MEMBER.search(name))
            }
            wanted = level or ("msoa" if "msoa" in members else "ltla")
            if wanted not in members:
                raise CensusFileError(
                    f"{path.name} has no census2021-ts021-{wanted}.csv member (it has: "
                    f"{', '.join(archive.namelist()) or 'nothing'})"
                )
            label = f"{path.name}:{members[wanted]}"
            data = archive.read(members[wanted])
        member_level: str | None = wanted
    else:
        label = path.name
        data = path.read_bytes()
        match = _MEMBER.search(path.name)
        member_level = match.group(1).lower() if match else None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CensusFileError(f"{label} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV") from None
    return label, text, member_level


def _parse(label: str, text: str) -> tuple[pd.DataFrame, _Layout]:
    if not text.strip():
        raise CensusFileError(f"{label} is empty")
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False, encoding=None
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CensusFileError(f"{label} is not a readable CSV file: {exc}") from None
    frame.columns = [_MEASURES_SUFFIX.sub("", str(column)).strip() for column in frame.columns]
    layout = _layout(label, list(frame.columns))
    frame.insert(0, "line", np.arange(len(frame)) + 2)  # line 1 is the header
    blank = frame.drop(columns="line").apply(lambda column: column.str.strip() == "").all(axis=1)
    frame = frame[~blank]
    if frame.empty:
        raise CensusFileError(f"{label} has a header but no rows")
    return frame.reset_index(drop=True), layout


def _category_key(text: str) -> str:
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1)
def _categories() -> dict[tuple[str, str], int]:
    """(broad key, detailed label) → Census 2021 code, from ``CENSUS_CATEGORIES``."""
    out = {}
    for category in CENSUS_CATEGORIES:
        detailed = category.description.split(":", 1)[1]
        out[(category.census_broad_group.casefold(), _category_key(detailed))] = category.code
    for label, code in _ALIASES.items():
        broad = next(c.census_broad_group for c in CENSUS_CATEGORIES if c.code == code)
        out[(broad.casefold(), label)] = code
    return out


def _broad_key(label: str) -> str:
    """ "Black, Black British, Black Welsh, Caribbean or African" → "black"."""
    return re.split(r"[\s,]+", label.strip(), maxsplit=1)[0].casefold()


def _layout(label: str, columns: list[str]) -> _Layout:
    by_key = {_category_key(column): column for column in columns}
    if len(by_key) < len(columns):
        duplicated = sorted(
            {c for c in columns if sum(_category_key(x) == _category_key(c) for x in columns) > 1}
        )
        raise CensusFileError(f"{label} repeats the column(s): {', '.join(duplicated)}")
    ids = {name: by_key.get(name) for name in ID_COLUMNS}
    total = by_key.get(_category_key(TOTAL_COLUMN))
    broad: dict[str, str] = {}
    detailed: dict[int, str] = {}
    unknown = []
    known = _categories()
    for column in columns:
        parts = [part.strip() for part in column.split(":")]
        if _category_key(column) in ids or column == total:
            continue
        if parts[0].casefold() == "ethnic group" and len(parts) == 2:
            broad[_broad_key(parts[1])] = column
            continue
        if parts[0].casefold() == "ethnic group" and len(parts) >= 3:
            code = known.get((_broad_key(parts[1]), _category_key(":".join(parts[2:]))))
            if code is not None:
                detailed[code] = column
                continue
        unknown.append(column)
    expected_broad = {c.census_broad_group.casefold() for c in CENSUS_CATEGORIES}
    missing = [name for name, column in ids.items() if column is None and name != "date"]
    missing += [] if total else [TOTAL_COLUMN]
    missing += [f"Ethnic group: {b} (broad group)" for b in sorted(expected_broad - set(broad))]
    missing += [
        f"Ethnic group: {c.description} (detailed group {c.code})"
        for c in CENSUS_CATEGORIES
        if c.code not in detailed
    ]
    if missing:
        raise CensusFileError(
            f"{label} is not a Census 2021 TS021 file as Nomis publishes it: missing column(s) "
            + "; ".join(missing)
        )
    broad = {key: column for key, column in broad.items() if key in expected_broad}
    unknown += [column for key, column in broad.items() if key not in expected_broad]
    return _Layout(
        code=str(ids["geography code"]),
        name=str(ids["geography"]),
        total=str(total),
        broad=broad,
        detailed=dict(sorted(detailed.items())),
        unknown=tuple(unknown),
    )


def _file_level(label: str, frame: pd.DataFrame, layout: _Layout, hint: str | None) -> str:
    codes = frame[layout.code].str.strip()
    shares = {level: codes.str.match(pattern).mean() for level, pattern in _LEVEL_OF_CODE.items()}
    detected = max(shares, key=shares.get)
    if shares[detected] < 0.5:
        raise CensusFileError(
            f"{label} holds neither MSOAs (E02…/W02…) nor local authority districts (E06–E09…/W06…): "
            f"first geography code {codes.iloc[0]!r}"
        )
    if hint is not None and hint != detected:
        raise CensusFileError(
            f"{label} was read as the {hint} level but its geography codes are {detected} codes"
        )
    return detected


# ------------------------------------------------------------------------------------------- checking


def _check_rows(
    label: str, frame: pd.DataFrame, layout: _Layout, level: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row; return the rows usable as counts (as integers) and the problems found."""
    problems: list[Problem] = []
    frame = frame.copy()
    frame["code"] = frame[layout.code].str.strip()
    frame["name"] = frame[layout.name].str.strip()

    wrong_code = ~frame["code"].str.match(_LEVEL_OF_CODE[level])
    problems += [
        Problem(label, int(row.line), layout.code, row.code, f"an {level.upper()} code", "geography_code")
        for row in frame[wrong_code].itertuples()
    ]
    repeated = frame["code"].duplicated() & ~wrong_code
    problems += [
        Problem(label, int(row.line), layout.code, row.code, "each area once", "duplicate_area")
        for row in frame[repeated].itertuples()
    ]

    count_columns = [layout.total, *layout.broad.values(), *layout.detailed.values()]
    usable = ~(wrong_code | repeated)
    for column in count_columns:
        values = frame[column].str.strip()
        bad = ~values.str.fullmatch(r"\d+")
        problems += [
            Problem(label, int(line), column, value, "a whole number of people, 0 or more", "count")
            for line, value in zip(frame.loc[bad, "line"], frame.loc[bad, column], strict=True)
        ]
        usable &= ~bad
        frame[column] = pd.to_numeric(values.where(~bad, None), errors="coerce").astype("Int64")
    frame = frame[usable].copy()
    for column in count_columns:
        frame[column] = frame[column].astype(np.int64)

    total = frame[layout.total]
    detailed_sum = frame[list(layout.detailed.values())].sum(axis=1)
    broad_sum = frame[list(layout.broad.values())].sum(axis=1)
    problems += _sum_problems(
        label, frame, layout.total, total, detailed_sum, "the sum of the 19 detailed groups", "detailed_sum"
    )
    problems += _sum_problems(
        label, frame, layout.total, total, broad_sum, "the sum of the 5 broad groups", "broad_sum"
    )
    by_broad: dict[str, list[str]] = {}
    for category in CENSUS_CATEGORIES:
        by_broad.setdefault(category.census_broad_group.casefold(), []).append(layout.detailed[category.code])
    for key, column in layout.broad.items():
        group_sum = frame[by_broad[key]].sum(axis=1)
        problems += _sum_problems(
            label,
            frame,
            column,
            frame[column],
            group_sum,
            f"the sum of its {len(by_broad[key])} detailed groups",
            "group_sum",
        )
    return frame, problems


def _sum_problems(label, frame, column, values, expected, what, rule) -> list[Problem]:
    differs = values != expected
    return [
        Problem(label, int(line), column, str(value), f"{want} ({what})", rule)
        for line, value, want in zip(
            frame.loc[differs, "line"], values[differs], expected[differs], strict=True
        )
    ]


def _long_counts(frame: pd.DataFrame, layout: _Layout) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in zip(COUNT_COLUMNS, [str, str, str, np.int64, np.int64], strict=True)
            }
        )
    wide = frame.set_index(["code", "name", "lad_code"])[list(layout.detailed.values())]
    wide.columns = list(layout.detailed)
    long = wide.stack().rename("count").reset_index()
    long.columns = COUNT_COLUMNS
    long["census_ethnic_group"] = long["census_ethnic_group"].astype(np.int64)
    long["count"] = long["count"].astype(np.int64)
    return long.sort_values(["lad_code", "area_code", "census_ethnic_group"]).reset_index(drop=True)


# -------------------------------------------------------------------------------------- reconciling


@lru_cache(maxsize=4)
def _national_msoas(path: str) -> pd.DataFrame:
    """Every MSOA of a national TS021 MSOA file: ``code``, ``lad_code``, ``total``."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [_MEASURES_SUFFIX.sub("", str(column)).strip() for column in frame.columns]
    out = pd.DataFrame(
        {
            "code": frame["geography code"].str.strip(),
            "lad_code": geography.msoa_districts(frame["geography code"], frame["geography"]).to_numpy(),
            "total": pd.to_numeric(frame[TOTAL_COLUMN], errors="coerce"),
        }
    )
    return out


def _national_district_totals(path: str) -> pd.Series:
    return _national_msoas(path).groupby("lad_code")["total"].sum().astype(np.int64)


def _reconcile(label, kept, layout, level, names, district_total, total_source, national_file):
    national = _national_msoas(str(Path(national_file) if national_file else geography.TS021_MSOA_FILE))
    expected_msoas = national.groupby("lad_code")["code"].nunique()
    found = kept.groupby("lad_code")["code"].nunique()
    in_file = kept.groupby("lad_code")[layout.total].sum()
    rows, problems = [], []
    for code, name in names.items():
        total = int(district_total[code]) if code in district_total.index else None
        present = int(in_file.get(code, 0))
        row = {
            "lad_code": code,
            "lad_name": name,
            "msoas_expected": int(expected_msoas.get(code, 0)) if level == "msoa" else None,
            "msoas_found": int(found.get(code, 0)) if level == "msoa" else None,
            "total_in_file": present if code in found.index else None,
            "district_total": total,
            "difference": present - total if (total is not None and code in found.index) else None,
            "district_total_source": total_source if total is not None else None,
        }
        rows.append(row)
        problems += _district_problems(label, level, row)
    frame = pd.DataFrame(rows, columns=RECONCILIATION_COLUMNS)
    for column in ("msoas_expected", "msoas_found", "total_in_file", "district_total", "difference"):
        frame[column] = frame[column].astype("Int64")
    return frame, problems


def _district_problems(label: str, level: str, row: dict) -> list[Problem]:
    district = f"{row['lad_name']} ({row['lad_code']})"
    if row["total_in_file"] is None:
        return [Problem(label, None, None, None, f"rows for {district}", "district_missing")]
    problems = []
    what = f"{row['total_in_file']:,} residents"
    if level == "msoa" and row["msoas_found"] < row["msoas_expected"]:
        problems.append(
            Problem(
                label,
                None,
                None,
                f"{district}: {row['msoas_found']} of its {row['msoas_expected']} MSOAs, {what}",
                f"all {row['msoas_expected']} MSOAs"
                + (f" ({row['district_total']:,} residents)" if row["district_total"] is not None else ""),
                "district_incomplete",
            )
        )
    elif row["difference"]:
        share = abs(row["difference"]) / max(row["district_total"], 1)
        problems.append(
            Problem(
                label,
                None,
                None,
                f"{district}: {what} (difference {row['difference']:+,}, {share:.2%})",
                f"{row['district_total']:,} residents ({row['district_total_source']})",
                "district_total",
                ERROR if share > TOTAL_TOLERANCE else WARNING,
            )
        )
    return problems
