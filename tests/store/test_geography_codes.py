"""Neighbourhood codes (data/geography.py): real ONS 2021 MSOA codes from the files shipped in data/ons
(the Census 2021 TS021 MSOA list and the ONS MSOA 2011 → 2021 → LAD 2022 lookup), each MSOA in its
district, including the new MSOAs of 2021 splits that the lookup lacks.
"""

from __future__ import annotations

import pandas as pd
import pytest

from data import geography

LEEDS = "E08000035"


def test_the_lookup_reads_with_its_byte_order_mark():
    lookup = geography.msoa_lookup()
    assert geography.MSOA_LOOKUP_FILE.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert lookup.columns.tolist() == [
        "msoa11_code",
        "msoa11_name",
        "msoa21_code",
        "msoa21_name",
        "lad_code",
        "lad_name",
    ]
    assert len(lookup) == 7201 and lookup["msoa11_code"].is_unique
    assert lookup["msoa21_code"].nunique() == 7182  # 19 2021 MSOAs merge two 2011 MSOAs


def test_every_2021_msoa_of_england_and_wales_has_a_district():
    every = geography.msoas_2021()
    assert len(every) == 7264 and every["code"].is_unique
    assert every["code"].str.match(geography.MSOA_CODE_PATTERN).all()
    assert every["lad_code"].notna().all()
    assert set(every["lad_code"]) == set(geography.local_authorities()["code"])
    new = every[every["msoa11_codes"].apply(len) == 0]
    assert len(new) == 82  # new MSOAs of splits: not in the lookup
    assert (every["msoa11_codes"].apply(len) == 2).sum() == 19
    # Per district, the MSOA list agrees with the lookup plus the new MSOAs read from their names.
    lookup_counts = geography.msoa_lookup().groupby("lad_code")["msoa21_code"].nunique()
    counts = every.groupby("lad_code").size()
    assert (counts - lookup_counts.reindex(counts.index, fill_value=0)).sum() == 82


def test_leeds_gets_its_107_neighbourhoods_with_real_codes():
    leeds = geography.msoas_for([LEEDS])
    assert leeds.columns.tolist() == ["code", "name", "lad_code", "msoa11_codes"]
    assert len(leeds) == 107 and (leeds["lad_code"] == LEEDS).all()
    assert leeds.iloc[0][["code", "name"]].tolist() == ["E02002330", "Leeds 001"]
    assert leeds["name"].str.match(r"^Leeds \d{3}$").all() and leeds["name"].is_monotonic_increasing
    assert (leeds["msoa11_codes"] == leeds["code"].map(lambda code: (code,))).all()  # unchanged since 2011


def test_districts_come_in_the_order_asked_for():
    both = geography.msoas_for(["E09000028", LEEDS])
    assert both["lad_code"].drop_duplicates().tolist() == ["E09000028", LEEDS]
    assert len(both) == 34 + 107


@pytest.mark.parametrize(
    ("code", "name", "district"),
    [
        ("E02006941", "Southwark 035", "E09000028"),
        ("E02006987", "Croydon 046", "E09000008"),
        ("E02007008", "Lewisham 040", "E09000023"),
        # Census 2021 calls these districts "Kingston upon Hull, City of" and "Bristol, City of".
        (None, "Kingston upon Hull 035", "E06000010"),
        (None, "Bristol 058", "E06000023"),
    ],
)
def test_a_new_msoa_of_a_split_is_placed_by_its_name(code, name, district):
    every = geography.msoas_2021().set_index("name")
    assert every.loc[name, "lad_code"] == district
    assert every.loc[name, "msoa11_codes"] == ()
    if code is not None:
        assert every.loc[name, "code"] == code
        assert code not in set(geography.msoa_lookup()["msoa21_code"])


def test_msoa_districts_by_code_then_by_name():
    districts = geography.msoa_districts(
        pd.Series(["E02002330", "E02006941", "E02999999", "E02999998"]),
        pd.Series(["Leeds 001", "Southwark 035", "Nowhere 001", "leeds 200"]),
    )
    assert districts.tolist() == [LEEDS, "E09000028", None, LEEDS]


def test_a_district_formed_since_2011_has_its_2021_names():
    bucks = geography.msoas_for(["E06000060"])  # 2011: Aylesbury Vale, Chiltern, South Bucks, Wycombe
    assert len(bucks) == 67 and bucks["name"].str.startswith("Buckinghamshire ").all()
    assert bucks["msoa11_codes"].apply(len).min() == 1


def test_unknown_district_codes_are_refused():
    with pytest.raises(ValueError, match="E09999999"):
        geography.msoas_for(["E09999999"])
