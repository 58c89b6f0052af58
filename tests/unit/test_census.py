"""Census 2021 TS021 loader (data/census.py) on the real Nomis file shipped in data/ons.

Figures are ONS's own (Census 2021 TS021 by MSOA, Nomis bulk download): Lambeth 317,658 usual residents,
Leeds 811,939 over its 107 MSOAs. Cut, re-encoded, zipped or damaged copies are written to a temporary
folder from the real file's own lines, so the layout under test is always Nomis's.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from data import census, geography
from data.census import CensusFileError, read_ts021
from data.problems import Problem
from measures.ethnicity import CENSUS_CATEGORIES

NATIONAL = geography.TS021_MSOA_FILE
LEEDS, LAMBETH, SOUTHWARK = "E08000035", "E09000022", "E09000028"
TOTAL = "Ethnic group: Total: All usual residents"


def _lines() -> list[str]:
    return NATIONAL.read_text(encoding="utf-8").splitlines(keepends=True)


def _cut(path: Path, keep, *, bom: bool = False, header=None) -> Path:
    """Write the header and the national file's lines for which ``keep(code, name)`` is true."""
    lines = _lines()
    rows = [line for line in lines[1:] if keep(*_code_and_name(line))]
    text = (header or lines[0]) + "".join(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _code_and_name(line: str) -> tuple[str, str]:
    cells = next(csv.reader([line]))
    return cells[2], cells[1]


def _leeds(code: str, name: str) -> bool:
    return name.startswith("Leeds ")


@pytest.fixture(scope="module")
def national() -> census.CensusPopulation:
    return read_ts021(NATIONAL, [LEEDS, LAMBETH, SOUTHWARK])


# ------------------------------------------------------------------------------------------ the real file


def test_the_real_file_gives_onss_district_totals(national):
    assert national.level == "msoa" and national.ok and national.problems == ()
    totals = national.counts.groupby("lad_code")["count"].sum()
    assert totals[LAMBETH] == 317_658
    assert totals[LEEDS] == 811_939
    rec = national.reconciliation.set_index("lad_code")
    assert rec.loc[LEEDS, ["msoas_expected", "msoas_found", "total_in_file", "district_total"]].tolist() == [
        107,
        107,
        811_939,
        811_939,
    ]
    assert (rec["difference"] == 0).all()
    assert rec.loc[LAMBETH, "lad_name"] == "Lambeth"


def test_counts_are_long_with_the_census_codes(national):
    counts = national.counts
    assert counts.columns.tolist() == ["area_code", "area_name", "lad_code", "census_ethnic_group", "count"]
    assert str(counts["count"].dtype) == "int64" and str(counts["census_ethnic_group"].dtype) == "int64"
    assert sorted(counts["census_ethnic_group"].unique()) == list(range(1, 20))
    assert (counts.groupby("area_code").size() == 19).all()
    assert counts["area_code"].str.match(r"^E02\d{6}$").all()


#: Nomis's detailed headers (after "Ethnic group: ") and the Census 2021 code each must become.
ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
NOMIS_DETAILED = {
    1: f"{ASIAN}: Bangladeshi",
    2: f"{ASIAN}: Chinese",
    3: f"{ASIAN}: Indian",
    4: f"{ASIAN}: Pakistani",
    5: f"{ASIAN}: Other Asian",
    6: f"{BLACK}: African",
    7: f"{BLACK}: Caribbean",
    8: f"{BLACK}: Other Black",
    9: f"{MIXED}: White and Asian",
    10: f"{MIXED}: White and Black African",
    11: f"{MIXED}: White and Black Caribbean",
    12: f"{MIXED}: Other Mixed or Multiple ethnic groups",
    13: "White: English, Welsh, Scottish, Northern Irish or British",
    14: "White: Irish",
    15: "White: Gypsy or Irish Traveller",
    16: "White: Roma",
    17: "White: Other White",
    18: "Other ethnic group: Arab",
    19: "Other ethnic group: Any other ethnic group",
}


def test_each_detailed_column_goes_to_its_census_code(national):
    assert set(NOMIS_DETAILED) == {category.code for category in CENSUS_CATEGORIES}
    raw = pd.read_csv(NATIONAL).set_index("geography code")
    counts = national.counts.set_index(["area_code", "census_ethnic_group"])["count"]
    for area in ("E02002330", "E02006941"):  # Leeds 001; Southwark 035 (new in 2021, not in the lookup)
        for code, header in NOMIS_DETAILED.items():
            assert counts[(area, code)] == raw.loc[area, f"Ethnic group: {header}"], (area, header)


def test_a_new_msoa_of_a_split_counts_in_its_borough_by_its_name(national):
    assert "E02000809" not in set(geography.msoa_lookup()["msoa21_code"])  # the 2011 code of Southwark 003
    southwark = national.counts[national.counts["lad_code"] == SOUTHWARK]
    assert "Southwark 035" in set(southwark["area_name"])
    assert southwark["area_code"].nunique() == 34


def test_every_district_of_england_and_wales_reconciles():
    every = geography.local_authorities()["code"].tolist()
    result = read_ts021(NATIONAL, every)
    assert result.ok and len(result.reconciliation) == 331
    assert (result.reconciliation["difference"] == 0).all()
    assert result.counts["area_code"].nunique() == 7264
    # The MSOAs add up to 59,597,771; the Nomis country file says 59,597,542 (ONS's perturbation
    # keeps each level's own figures, so they differ slightly across levels).
    assert result.counts["count"].sum() == 59_597_771


# ------------------------------------------------------------------------------------ reconciliation


def test_a_file_with_12_of_leeds_107_msoas_is_reported(tmp_path):
    first_12 = {code for code, name in map(_code_and_name, _lines()[1:]) if name.startswith("Leeds ")}
    first_12 = set(sorted(first_12)[:12])
    path = _cut(tmp_path / "census2021-ts021-msoa.csv", lambda code, name: code in first_12)
    result = read_ts021(path, [LEEDS])
    row = result.reconciliation.iloc[0]
    assert (row["msoas_expected"], row["msoas_found"], row["district_total"]) == (107, 12, 811_939)
    assert row["difference"] == row["total_in_file"] - 811_939 and row["difference"] < -700_000
    assert not result.ok
    (problem,) = result.errors
    assert problem.rule == "district_incomplete" and "12 of its 107 MSOAs" in problem.value
    assert "811,939" in problem.expected


def test_a_requested_district_absent_from_the_file_is_an_error(tmp_path):
    path = _cut(tmp_path / "leeds.csv", _leeds)
    result = read_ts021(path, [LEEDS, LAMBETH])
    assert [p.rule for p in result.errors] == ["district_missing"]
    assert "Lambeth (E09000022)" in result.errors[0].expected
    assert result.reconciliation.set_index("lad_code").loc[LAMBETH, "msoas_found"] == 0


def test_totals_from_an_ltla_file_small_differences_warn_large_ones_fail(tmp_path):
    ltla = _ltla_file(tmp_path / "census2021-ts021-ltla.csv", {LEEDS: 3, LAMBETH: 10_000})
    result = read_ts021(NATIONAL, [LEEDS, LAMBETH], district_totals=ltla)
    rec = result.reconciliation.set_index("lad_code")
    assert rec.loc[LEEDS, "district_total"] == 811_942 and rec.loc[LEEDS, "difference"] == -3
    assert "census2021-ts021-ltla.csv" in rec.loc[LEEDS, "district_total_source"]
    by_rule = {(p.rule, p.severity): p for p in result.problems}
    assert "Leeds" in by_rule[("district_total", "warning")].value
    assert "Lambeth" in by_rule[("district_total", "error")].value


# ----------------------------------------------------------------------------------------- row checks


def test_a_row_that_does_not_add_up_is_reported_with_line_and_column(tmp_path):
    path = _cut(tmp_path / "leeds.csv", _leeds)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = next(csv.reader([lines[4]]))
    header = next(csv.reader([lines[0]]))
    african = header.index("Ethnic group: Black, Black British, Black Welsh, Caribbean or African: African")
    cells[african] = str(int(cells[african]) + 5)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    lines[4] = out.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    result = read_ts021(path, [LEEDS])
    assert not result.ok
    problems = {(p.rule, p.line, p.column) for p in result.errors}
    assert ("detailed_sum", 5, TOTAL) in problems
    assert (
        "group_sum",
        5,
        "Ethnic group: Black, Black British, Black Welsh, Caribbean or African",
    ) in problems
    detailed = next(p for p in result.errors if p.rule == "detailed_sum")
    assert detailed.file == "leeds.csv" and detailed.value == cells[3]
    assert detailed.expected.startswith(f"{int(cells[3]) + 5} ")
    assert all(p.line == 5 for p in result.errors)


@pytest.mark.parametrize("bad", ["-3", "12.5", "", "n/a"])
def test_a_cell_that_is_not_a_count_is_reported_and_its_row_left_out(tmp_path, bad):
    path = _cut(tmp_path / "leeds.csv", _leeds)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = next(csv.reader([lines[2]]))
    cells[10] = bad
    lines[2] = ",".join(f'"{c}"' if "," in c else c for c in cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = read_ts021(path, [LEEDS])
    count_problems = [p for p in result.errors if p.rule == "count"]
    assert [(p.line, p.value) for p in count_problems] == [(3, bad)]
    assert count_problems[0].column == next(csv.reader([lines[0]]))[10]
    assert result.counts["area_code"].nunique() == 106
    assert isinstance(count_problems[0].as_dict(), dict) and count_problems[0].as_dict()["line"] == 3


def test_a_repeated_area_is_an_error(tmp_path):
    path = _cut(tmp_path / "leeds.csv", _leeds)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    result = read_ts021(path, [LEEDS])
    assert [(p.rule, p.line) for p in result.errors] == [("duplicate_area", len(lines) + 1)]
    assert result.counts["area_code"].nunique() == 107


# ------------------------------------------------------------------------------------ file variations


def test_with_and_without_a_byte_order_mark(tmp_path):
    plain = read_ts021(_cut(tmp_path / "plain.csv", _leeds), [LEEDS])
    marked = read_ts021(_cut(tmp_path / "bom.csv", _leeds, bom=True), [LEEDS])
    assert plain.ok and marked.ok
    pd.testing.assert_frame_equal(plain.counts, marked.counts)


def test_a_nomis_zip_with_a_doubled_dot_member(tmp_path):
    member = _cut(tmp_path / "member.csv", _leeds).read_bytes()
    path = tmp_path / "census2021-ts021.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("census2021-ts021-msoa..csv", member)
        archive.writestr("census2021-ts021-ctry.csv", "date,geography,geography code\n")
        archive.writestr("metadata/census2021-ts021.txt", "about")
    result = read_ts021(path, [LEEDS])
    assert result.ok and result.level == "msoa"
    assert result.source == "census2021-ts021.zip:census2021-ts021-msoa..csv"
    assert result.counts["count"].sum() == 811_939
    with pytest.raises(CensusFileError, match=r"no census2021-ts021-ltla\.csv member"):
        read_ts021(path, [LEEDS], level="ltla")


def test_headers_with_measures_suffix_and_other_case(tmp_path):
    header = next(csv.reader([_lines()[0]]))
    renamed = [
        column if column in ("date", "geography", "geography code") else f"{column.upper()}; measures: Value"
        for column in header
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(renamed)
    result = read_ts021(_cut(tmp_path / "suffix.csv", _leeds, header=out.getvalue()), [LEEDS])
    assert result.ok and result.counts["count"].sum() == 811_939
    assert result.reconciliation.iloc[0]["difference"] == 0


def test_ltla_level(tmp_path):
    path = _ltla_file(tmp_path / "census2021-ts021-ltla.csv", {})
    result = read_ts021(path, [LEEDS, LAMBETH])
    assert result.level == "ltla" and result.ok
    assert result.counts["area_code"].unique().tolist() == [LEEDS, LAMBETH]
    assert result.area_totals().to_dict() == {LEEDS: 811_939, LAMBETH: 317_658}
    rec = result.reconciliation
    assert rec["msoas_expected"].isna().all() and (rec["difference"] == 0).all()
    zipped = tmp_path / "census2021-ts021.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(path, "census2021-ts021-ltla.csv")
    assert read_ts021(zipped, [LEEDS]).level == "ltla"  # the only member the zip has


# --------------------------------------------------------------------------------------------- refusals


def test_an_empty_file_is_refused(tmp_path):
    empty = tmp_path / "census2021-ts021-msoa.csv"
    empty.write_bytes(b"")
    with pytest.raises(CensusFileError, match=r"census2021-ts021-msoa\.csv is empty"):
        read_ts021(empty, [LEEDS])
    empty.write_text(_lines()[0], encoding="utf-8")
    with pytest.raises(CensusFileError, match="header but no rows"):
        read_ts021(empty, [LEEDS])


def test_missing_columns_are_refused_by_name(tmp_path):
    frame = pd.read_csv(NATIONAL, nrows=3).drop(columns="Ethnic group: White: Roma")
    path = tmp_path / "no-roma.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(CensusFileError, match=r"no-roma\.csv .*missing column\(s\).*White: Roma"):
        read_ts021(path, [LEEDS])


def test_other_refusals(tmp_path):
    with pytest.raises(CensusFileError, match="not found"):
        read_ts021(tmp_path / "absent.csv", [LEEDS])
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(_lines()[0].encode() + "2021,Ynys Môn 001,W02000001".encode("latin-1") + b"\n")
    with pytest.raises(CensusFileError, match="not UTF-8"):
        read_ts021(latin, [LEEDS])
    with pytest.raises(ValueError, match="E09999999"):
        read_ts021(NATIONAL, ["E09999999"])
    with pytest.raises(CensusFileError, match="read as the ltla level"):
        read_ts021(NATIONAL, [LEEDS], level="ltla")


def test_problem_is_a_small_generic_record():
    problem = Problem("f.csv", 3, "col", "x", "a number", "count")
    assert problem.severity == "error"
    assert problem.as_dict() == {
        "file": "f.csv",
        "line": 3,
        "column": "col",
        "value": "x",
        "expected": "a number",
        "rule": "count",
        "severity": "error",
    }
    assert "line 3" in str(problem)
    with pytest.raises(ValueError):
        Problem("f.csv", None, None, None, "x", "r", "fatal")


# ---------------------------------------------------------------------------------------------- helpers


def _ltla_file(path: Path, add: dict[str, int]) -> Path:
    """An LTLA-level TS021 file in Nomis's layout, made by summing the real MSOA rows of each district;
    ``add`` puts extra people in a district's White British cell (and its totals)."""
    raw = pd.read_csv(NATIONAL)
    raw["lad_code"] = geography.msoa_districts(raw["geography code"], raw["geography"]).to_numpy()
    counts = raw.drop(columns=["date", "geography", "geography code"]).groupby("lad_code").sum()
    for code, extra in add.items():
        for column in (
            TOTAL,
            "Ethnic group: White",
            "Ethnic group: White: English, Welsh, Scottish, Northern Irish or British",
        ):
            counts.loc[code, column] += extra
    names = geography.local_authorities().set_index("code")["name"]
    frame = counts.reset_index().rename(columns={"lad_code": "geography code"})
    frame.insert(0, "geography", frame["geography code"].map(names))
    frame.insert(0, "date", 2021)
    frame[raw.columns.drop("lad_code")].to_csv(path, index=False)
    return path
