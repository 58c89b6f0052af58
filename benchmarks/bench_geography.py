"""Benchmark of the offline geography build (data/boundaries.py) and the Census 2021 TS021 loader
(data/census.py), on the real ONS files shipped in data/ons (docs/geography.md).

Run:  .venv/bin/python benchmarks/bench_geography.py [--repeat 5] [--sweep]

Not a timed test: prints the figures against the targets, so a slow machine does not fail a build.
Targets: build from scratch under 15 s; cached load under 0.5 s; ``json.dumps(geojson_for(...))`` under
200 KB for the four demo boroughs' districts and under 300 KB for one borough's MSOAs (Croydon, 44 MSOAs,
is the largest demo borough; Leeds, 107 MSOAs, is reported too). ``--sweep`` shows how the size and the
vertex count change with the simplification tolerance, for tuning ``SIMPLIFY_TOLERANCE``. The TS021 part
times reading the national MSOA file (7,264 MSOAs) for the demo boroughs and Leeds, and for every district
of England and Wales, and prints the district totals (Leeds 811,939; Lambeth 317,658).

Uses a temporary cache folder, so the project's ``data/cache/`` is left alone. No network access.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import_start = time.perf_counter()
import shapely  # noqa: E402

from data import boundaries, census, geography  # noqa: E402
from data.boundaries import build_boundaries, geojson_for, load_boundaries  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - import_start

DEMO = ("E09000008", "E09000022", "E09000023", "E09000028")  # Croydon, Lambeth, Lewisham, Southwark
LEEDS = ("E08000035",)
KB = 1024


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def size(frame) -> tuple[int, int]:
    """Bytes of ``json.dumps(geojson_for(frame))`` (default separators) and with compact separators."""
    collection = geojson_for(frame)
    return len(json.dumps(collection).encode()), len(json.dumps(collection, separators=(",", ":")).encode())


def line(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("ok" if ok else "OVER TARGET")
    print(f"  {label:<44} {value:>16}   {target:<10} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sweep", action="store_true", help="sizes for several simplification tolerances")
    args = parser.parse_args()

    print(
        f"tolerance {boundaries.SIMPLIFY_TOLERANCE}°, {boundaries.PRECISION} decimals, GEOS {shapely.geos_version}"
    )
    print("time")
    line("import data.boundaries (geopandas, shapely)", f"{IMPORT_SECONDS:.2f} s")
    with tempfile.TemporaryDirectory() as cache:
        for name, codes in (("demo boroughs", DEMO), ("Leeds", LEEDS)):
            boundaries.clear_memory_cache()
            seconds, _ = timed(lambda codes=codes: load_boundaries(codes, cache_dir=cache))
            line(f"build from scratch + write cache: {name}", f"{seconds:.2f} s", "< 15 s", seconds < 15)

            def from_file(codes=codes) -> None:
                boundaries.clear_memory_cache()
                load_boundaries(codes, cache_dir=cache)

            seconds = best_of(args.repeat, from_file)
            line(f"cached load from file: {name}", f"{seconds * 1000:.0f} ms", "< 0.5 s", seconds < 0.5)
            seconds = best_of(args.repeat, lambda codes=codes: load_boundaries(codes, cache_dir=cache))
            line(f"cached load from memory: {name}", f"{seconds * 1000:.1f} ms")
        boundaries.clear_memory_cache()
        demo = load_boundaries(DEMO, cache_dir=cache)
        leeds = load_boundaries(LEEDS, cache_dir=cache)

    line("MSOAs not drawn (new in 2021): demo boroughs", ", ".join(demo.undrawn["name"]) or "none")

    seconds = best_of(args.repeat, lambda: json.dumps(geojson_for(demo.msoa)))
    line("geojson_for + json.dumps: demo MSOAs (148)", f"{seconds * 1000:.1f} ms")

    print("size of json.dumps(geojson_for(...)) (compact separators in brackets)")
    rows = [("districts: four demo boroughs", demo.lad, 200)]
    for code, name in zip(demo.lad["code"], demo.lad["name"], strict=True):
        frame = demo.msoa[demo.msoa["parent_code"] == code]
        rows.append((f"MSOAs: {name} ({len(frame)})", frame, 300))
    rows += [(f"MSOAs: Leeds ({len(leeds.msoa)})", leeds.msoa, 300), ("district: Leeds", leeds.lad, None)]
    for label, frame, target in rows:
        plain, compact = size(frame)
        value = f"{plain / KB:.1f} KB ({compact / KB:.1f})"
        if target is None:
            line(label, value)
        else:
            line(label, value, f"< {target} KB", plain < target * KB)

    print("Census 2021 TS021 (national MSOA file)")
    for label, codes in (("demo boroughs + Leeds", (*DEMO, *LEEDS)), ("all 331 districts", None)):
        codes = codes or tuple(geography.local_authorities()["code"])

        def read(codes=codes) -> None:
            census._national_msoas.cache_clear()  # include the reconciliation's read of the national file
            census.read_ts021(geography.TS021_MSOA_FILE, codes)

        seconds = best_of(args.repeat, read)
        line(f"read_ts021: {label}", f"{seconds * 1000:.0f} ms")
    result = census.read_ts021(geography.TS021_MSOA_FILE, (*DEMO, *LEEDS))
    for row in result.reconciliation.itertuples():
        line(f"{row.lad_name} ({row.msoas_found} MSOAs)", f"{row.total_in_file:,}")

    if args.sweep:
        print("tolerance sweep (vertices and size of the Leeds MSOAs; Croydon MSOAs)")
        for tolerance in (0.0, 0.0001, 0.0002, 0.0005, 0.001, 0.002):
            leeds_t = build_boundaries(LEEDS, tolerance=tolerance)
            croydon_t = build_boundaries(("E09000008",), tolerance=tolerance)
            vertices = int(shapely.get_num_coordinates(leeds_t.msoa.geometry.to_numpy()).sum())
            print(
                f"  {tolerance:<8} Leeds {vertices:>5} vertices {size(leeds_t.msoa)[0] / KB:>6.1f} KB"
                f"   Croydon {size(croydon_t.msoa)[0] / KB:>6.1f} KB"
            )


if __name__ == "__main__":
    main()
