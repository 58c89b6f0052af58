"""Choropleth maps of published figures, with a legend that does not rely on colour alone: an SVG
picture drawn on the server (the default: a trust's boroughs, or a borough's neighbourhoods, need no
panning, and each area can be a link that drills down), or an interactive pydeck map.

- Input is a ``PublishedTable`` (figures that have passed disclosure control) and area shapes from
  ``data.boundaries``; a suppressed area gets its own fill and says "suppressed" in its tooltip,
  legend and table, never a value.
- Comparison colours (the default wherever a benchmark is given): each area is clearly higher than,
  clearly lower than, or not clearly different from the benchmark (the trust, or England), judged by the
  area's 95% confidence interval as Fingertips does; the legend says so in words.
- Sequential colours (ColorBrewer Blues, colour-blind safe) in quantile classes for rates and counts,
  as an option; diverging colours (ColorBrewer RdBu) centred on 1 for ratios.
- No request leaves the machine: pydeck maps have no base map (deck.gl draws the areas alone, on a
  plain background set in ``static/base.css``; docs/design.md), and labels are drawn by deck.gl's
  TextLayer from the browser's own fonts. The SVG map needs nothing from the browser but SVG: no WebGL
  context, which in a browser without a graphics card took a second or more to start.
- Every map shows the OGL attribution. The caller adds the data-table alternative and a one-sentence
  summary (see ``pages/areas.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from itertools import pairwise

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from data.boundaries import geojson_for
from data.geography import OGL_ATTRIBUTION
from measures.benchmark import HIGHER, LOWER, SIMILAR, compare_with_benchmark
from measures.disclosure import PublishedTable

#: pydeck's own marker for "no map style"; Streamlit then draws no base map at all (no maplibre, no
#: style or tile request), instead of its default Carto tiles from the internet
NO_BASE_MAP = "__MAP_STYLE__"
SEQUENTIAL = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
DIVERGING = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
DIVERGING_BREAKS = (0.5, 0.8, 1.25, 2.0)  # symmetric on a log scale around 1
SUPPRESSED_FILL = "#768692"
NO_DATA_FILL = "#ffffff"
SUPPRESSED, NO_DATA = "suppressed", "no data"
#: Fingertips-style comparison colours (no judgement of better or worse): dark blue higher, light blue
#: lower, yellow no clear difference.
COMPARISON_FILLS = {HIGHER: "#08519c", SIMILAR: "#ffd84d", LOWER: "#9ecae1"}


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    areas: int


def _rgba(colour: str, alpha: int = 215) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def _spread(palette: tuple[str, ...], n: int) -> tuple[str, ...]:
    """``n`` colours spread evenly across a palette (light to dark)."""
    if n >= len(palette):
        return palette
    if n == 1:
        return (palette[len(palette) // 2],)
    return tuple(palette[round(i * (len(palette) - 1) / (n - 1))] for i in range(n))


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def classify(
    values: pd.Series, status: pd.Series, *, kind: str, decimals: int = 1
) -> tuple[pd.Series, list[LegendEntry]]:
    """Fill colour per area and the legend. ``status`` is 'value', 'suppressed' or 'no data'.

    Sequential maps use up to five quantile classes of the shown values (fewer when values repeat);
    diverging maps use fixed classes around 1 (halved, reduced, similar, raised, doubled).
    """
    shown = values[status == "value"].astype(float)
    fills = pd.Series(NO_DATA_FILL, index=values.index, dtype=object)
    fills[status == SUPPRESSED] = SUPPRESSED_FILL
    entries: list[LegendEntry] = []
    if not shown.empty:
        if kind == "diverging":
            breaks = list(DIVERGING_BREAKS)
            palette = DIVERGING
            labels = [f"under {breaks[0]}", f"{breaks[0]} to {breaks[1]}", f"{breaks[1]} to {breaks[2]}",
                      f"{breaks[2]} to {breaks[3]}", f"{breaks[3]} or more"]  # fmt: skip
        else:
            classes = max(1, min(len(SEQUENTIAL), shown.nunique()))
            quantiles = np.unique(np.quantile(shown, np.linspace(0, 1, classes + 1)))
            breaks = list(quantiles[1:-1])
            palette = _spread(SEQUENTIAL, len(breaks) + 1)
            edges = [float(quantiles[0]), *breaks, float(quantiles[-1])]
            texts = [_fmt(edge, decimals) for edge in edges]
            labels = [a if a == b else f"{a} to {b}" for a, b in pairwise(texts)]
        index = np.searchsorted(np.array(breaks, dtype=float), shown.to_numpy(), side="right")
        index = np.minimum(index, len(palette) - 1)
        fills[shown.index] = [palette[i] for i in index]
        counts = np.bincount(index, minlength=len(palette))
        entries = [LegendEntry(palette[i], labels[i], int(counts[i])) for i in range(len(palette))]
    entries.append(
        LegendEntry(SUPPRESSED_FILL, 'Suppressed ("*": too few to show)', int((status == SUPPRESSED).sum()))
    )
    entries.append(LegendEntry(NO_DATA_FILL, "No data", int((status == NO_DATA).sum())))
    return fills, entries


def classify_by_comparison(
    lower: pd.Series, upper: pd.Series, status: pd.Series, *, benchmark: float, benchmark_name: str,
    benchmark_text: str,
) -> tuple[pd.Series, list[LegendEntry]]:  # fmt: skip
    """Fill colour per area by its comparison with the benchmark: clearly higher (the whole 95% CI above
    it), clearly lower (the whole CI below) or no clear difference; suppressed areas are never compared."""
    fills = pd.Series(NO_DATA_FILL, index=status.index, dtype=object)
    fills[status == SUPPRESSED] = SUPPRESSED_FILL
    verdicts = pd.Series("", index=status.index, dtype=object)
    for i in status.index[status == "value"]:
        verdicts[i] = compare_with_benchmark(float(lower[i]), float(upper[i]), benchmark)
    labels = {
        HIGHER: f"Clearly higher than {benchmark_name} ({benchmark_text}): the whole 95% CI is above it",
        SIMILAR: f"No clear difference from {benchmark_name}: the 95% CI includes it",
        LOWER: f"Clearly lower than {benchmark_name}: the whole 95% CI is below it",
    }
    entries = []
    for verdict, colour in COMPARISON_FILLS.items():
        fills[verdicts == verdict] = colour
        entries.append(LegendEntry(colour, labels[verdict], int((verdicts == verdict).sum())))
    entries.append(
        LegendEntry(SUPPRESSED_FILL, 'Suppressed ("*": too few to show)', int((status == SUPPRESSED).sum()))
    )
    entries.append(LegendEntry(NO_DATA_FILL, "No data", int((status == NO_DATA).sum())))
    return fills, entries


def legend_html(entries: list[LegendEntry], title: str) -> str:
    """The legend as HTML: a swatch, the range in words and the number of areas, so it reads without colour."""
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:0.5em;margin:0.15em 0">'
        f'<span style="display:inline-block;width:1.2em;height:1.2em;background:{e.colour};'
        f'border:1px solid #425563"></span><span>{e.label} ({e.areas} area{"s" if e.areas != 1 else ""})</span></div>'
        for e in entries
        if e.areas or e.colour not in (NO_DATA_FILL, SUPPRESSED_FILL)
    )
    return f'<div style="font-size:0.9em"><strong>{title}</strong>{rows}</div>'


def _view_state(shapes: gpd.GeoDataFrame, height: int | None = None, width: int = 520) -> pdk.ViewState:
    """Centre and zoom so that every shape fits: with ``height`` (and an assumed ``width``, the narrowest
    the map column is drawn), the zoom fits both, so nothing is clipped at the top or bottom."""
    minx, miny, maxx, maxy = shapes.total_bounds
    if height is not None:
        stretch = 1 / max(math.cos(math.radians((miny + maxy) / 2)), 0.1)  # Web Mercator at this latitude
        fit = min(width / max(maxx - minx, 1e-3), height / max((maxy - miny) * stretch, 1e-3))
        zoom = max(1.0, min(14.0, math.log2(fit * 360 / 512) - 0.25))
        return pdk.ViewState(
            longitude=(minx + maxx) / 2, latitude=(miny + maxy) / 2, zoom=zoom, pitch=0, bearing=0
        )
    span = max(maxx - minx, (maxy - miny) * 1.6, 1e-3)
    zoom = max(1.0, min(14.0, math.log2(360 / span) - 0.3))
    return pdk.ViewState(
        longitude=(minx + maxx) / 2, latitude=(miny + maxy) / 2, zoom=zoom, pitch=0, bearing=0
    )


def area_status(table: PublishedTable, value: str) -> pd.Series:
    """'suppressed' where disclosure control hid the value, 'no data' where there is none, else 'value'."""
    frame = table.frame
    suppressed = table.mask[value] if value in table.mask.columns else pd.Series(False, index=frame.index)
    status = pd.Series("value", index=frame.index, dtype=object)
    status[frame[value].isna()] = NO_DATA
    status[suppressed.to_numpy()] = SUPPRESSED
    return status


@dataclass(frozen=True)
class _Colours:
    """Per area of a published table: code, fill colour, tooltip text and label; and the legend."""

    codes: list[str]
    fills: list[str]
    texts: list[str]
    labels: list[str]
    entries: list[LegendEntry]


def _colours(
    table: PublishedTable, *, code: str, value: str, describe: pd.Series, kind: str, decimals: int,
    benchmark: float | None, benchmark_name: str, benchmark_text: str, lower: str, upper: str,
) -> _Colours:  # fmt: skip
    """The colours of :func:`choropleth` and :func:`static_choropleth`, worked out once."""
    if not isinstance(table, PublishedTable):
        raise TypeError("maps draw only a PublishedTable (pass figures through measures.disclosure first)")
    frame = table.frame
    status = area_status(table, value)
    if benchmark is not None:
        fills, entries = classify_by_comparison(frame[lower], frame[upper], status, benchmark=benchmark,
                                                benchmark_name=benchmark_name, benchmark_text=benchmark_text)  # fmt: skip
    else:
        fills, entries = classify(frame[value], status, kind=kind, decimals=decimals)
    texts = [
        "Suppressed: too few to show" if s == SUPPRESSED else "No data" if s == NO_DATA else str(d)
        for s, d in zip(status, describe, strict=True)
    ]
    labels = [
        "*" if s == SUPPRESSED else "no data" if s == NO_DATA else _fmt(float(v), decimals)
        for s, v in zip(status, frame[value], strict=True)
    ]
    return _Colours(frame[code].astype(str).tolist(), list(fills), texts, labels, entries)


def static_choropleth(
    table: PublishedTable, shapes: gpd.GeoDataFrame, *, code: str = "area_code", value: str = "value",
    describe: pd.Series, legend_title: str, kind: str = "sequential", decimals: int = 1, width: int = 560,
    height: int = 420,
    benchmark: float | None = None, benchmark_name: str = "the trust", benchmark_text: str = "",
    lower: str = "lower", upper: str = "upper", legend_note: str = "", title: str = "",
    links: Mapping[str, str] | None = None, label_areas: bool = True,
) -> None:  # fmt: skip
    """The same map as :func:`choropleth`, drawn on the server as an SVG picture: the same colours,
    legend, labels and tooltips (hover an area). ``links`` (area code → URL) make each area a link, the
    drill-down a click opens; the page's own selectors remain the keyboard path."""
    colours = _colours(table, code=code, value=value, describe=describe, kind=kind, decimals=decimals,
                       benchmark=benchmark, benchmark_name=benchmark_name, benchmark_text=benchmark_text,
                       lower=lower, upper=upper)  # fmt: skip
    shown = shapes[shapes["code"].isin(colours.codes)]
    if shown.crs is None or shown.crs.to_epsg() != 27700:  # pass ``Boundaries.projected`` shapes to skip this
        shown = shown.to_crs(27700)
    left, right = st.columns([3, 2] if benchmark is not None else [4, 1])
    svg = map_svg(shown, colours, width=width, height=height, title=title or legend_title, links=links,
                  label_areas=label_areas)  # fmt: skip
    left.markdown(svg, unsafe_allow_html=True)  # st.html's sanitiser drops SVG
    note = f'<div style="font-size:0.9em;margin-top:0.4em">{legend_note}</div>' if legend_note else ""
    right.markdown(legend_html(colours.entries, legend_title) + note, unsafe_allow_html=True)
    st.caption(OGL_ATTRIBUTION)


def map_svg(
    shapes: gpd.GeoDataFrame, colours: _Colours, *, width: int, height: int, title: str,
    links: Mapping[str, str] | None = None, label_areas: bool = True,
) -> str:  # fmt: skip
    """SVG of areas in a projected CRS (metres), fitted within ``width`` × ``height`` pixels: one path per
    area with its fill and a <title> tooltip, wrapped in a link where ``links`` gives one; with
    ``label_areas``, each area's name and value as a label with a white halo (too many for
    neighbourhoods: their figures are in the tooltip and the table)."""
    minx, miny, maxx, maxy = shapes.total_bounds
    margin = 8
    scale = min((width - 2 * margin) / max(maxx - minx, 1.0), (height - 2 * margin) / max(maxy - miny, 1.0))
    width, height = int((maxx - minx) * scale + 2 * margin), int((maxy - miny) * scale + 2 * margin)
    fill = dict(zip(colours.codes, colours.fills, strict=True))
    text = dict(zip(colours.codes, colours.texts, strict=True))
    label = dict(zip(colours.codes, colours.labels, strict=True))
    links = links or {}

    def point(x: float, y: float) -> str:
        return f"{(x - minx) * scale + margin:.1f},{(maxy - y) * scale + margin:.1f}"

    def rings(geometry) -> list:
        polygons = getattr(geometry, "geoms", [geometry])
        return [ring for polygon in polygons for ring in (polygon.exterior, *polygon.interiors)]

    paths, labels = [], []
    for area, name, geometry in zip(shapes["code"], shapes["name"], shapes.geometry, strict=True):
        simple = geometry.simplify(1.0 / scale)  # finer than a pixel is not drawn
        d = " ".join("M" + " L".join(point(x, y) for x, y in ring.coords) + " Z" for ring in rings(simple))
        tooltip = f"{escape(str(name))}: {escape(text[area])}"
        path = (
            f'<path d="{d}" fill="{fill[area]}" fill-rule="evenodd" stroke="#425563" stroke-width="1">'
            f"<title>{tooltip}</title></path>"
        )
        if area in links:
            path = f'<a href="{escape(links[area])}" target="_self" aria-label="Open {tooltip}">{path}</a>'
        paths.append(path)
        if label_areas:
            anchor = geometry.representative_point()
            x, y = point(anchor.x, anchor.y).split(",")
            labels.append(
                f'<text x="{x}" y="{y}" text-anchor="middle" font-size="13" fill="#212b32" stroke="#ffffff" '
                f'stroke-width="3" paint-order="stroke" pointer-events="none">{escape(str(name))}'
                f'<tspan x="{x}" dy="1.2em">{escape(label[area])}</tspan></text>'
            )
    role = (
        "group" if links else "img"
    )  # a picture's children are hidden from screen readers; links must not be
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="area-map" role="{role}" aria-label="{escape(title)}" '
        f'width="100%" viewBox="0 0 {width} {height}" style="max-width:{width}px;font-family:sans-serif">'
        f"<title>{escape(title)}</title>{''.join(paths)}{''.join(labels)}</svg>"
    )


def choropleth(
    table: PublishedTable,
    shapes: gpd.GeoDataFrame,
    *,
    key: str,
    code: str = "area_code",
    value: str = "value",
    describe: pd.Series,
    legend_title: str,
    kind: str = "sequential",
    decimals: int = 1,
    label_areas: bool = False,
    height: int = 460,
    benchmark: float | None = None,
    benchmark_name: str = "the trust",
    benchmark_text: str = "",
    lower: str = "lower",
    upper: str = "upper",
    legend_note: str = "",
) -> str | None:
    """Draw the map and its legend; return the code of the area the user clicked, if any.

    ``describe`` holds, per row of ``table``, the tooltip text (value, CI and counts as published).
    With a ``benchmark`` (a published figure, e.g. the trust's rate), areas are coloured by comparison
    with it (Fingertips' convention, :func:`classify_by_comparison`); without one, in quantile classes.
    ``legend_note`` is a line under the legend (e.g. what the values are a rate of).
    """
    colours = _colours(table, code=code, value=value, describe=describe, kind=kind, decimals=decimals,
                       benchmark=benchmark, benchmark_name=benchmark_name, benchmark_text=benchmark_text,
                       lower=lower, upper=upper)  # fmt: skip
    entries, labels_text = colours.entries, colours.labels
    properties = pd.DataFrame({"code": colours.codes, "fill": [_rgba(c) for c in colours.fills],
                               "text": colours.texts})  # fmt: skip
    shapes = shapes[shapes["code"].isin(properties["code"])]
    collection = geojson_for(shapes[["code", "name", "geometry"]], properties, key="code")
    layer_id = f"{key}-areas"
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            id=layer_id,
            data=collection,
            pickable=True,
            stroked=True,
            filled=True,
            auto_highlight=True,
            get_fill_color="properties.fill",
            get_line_color=[66, 85, 99, 255],
            line_width_min_pixels=1,
        )
    ]
    if label_areas:
        points = shapes.to_crs(27700).representative_point().to_crs(4326)
        shown = dict(zip(properties["code"], labels_text, strict=True))
        labels = pd.DataFrame(
            {
                "position": [[p.x, p.y] for p in points],
                "label": [
                    f"{n}\n{shown.get(c, '')}" for n, c in zip(shapes["name"], shapes["code"], strict=True)
                ],
            }
        )
        layers.append(
            pdk.Layer(
                "TextLayer",
                id=f"{key}-labels",
                data=labels,
                get_position="position",
                get_text="label",
                get_size=13,
                get_color=[33, 43, 50, 255],
                background=True,
                get_background_color=[255, 255, 255, 200],
                pickable=False,
            )
        )
    deck = pdk.Deck(
        layers=layers,
        initial_view_state=_view_state(shapes, height),
        map_style=NO_BASE_MAP,
        map_provider=None,
        tooltip={"html": "<b>{name}</b><br/>{text}", "style": {"fontSize": "0.85em"}},
    )
    left, right = st.columns([3, 2] if benchmark is not None else [4, 1])
    with left:
        event = st.pydeck_chart(
            deck, on_select="rerun", selection_mode="single-object", key=key, height=height
        )
    note = f'<div style="font-size:0.9em;margin-top:0.4em">{legend_note}</div>' if legend_note else ""
    right.markdown(legend_html(entries, legend_title) + note, unsafe_allow_html=True)
    st.caption(OGL_ATTRIBUTION)
    return selected_code(event, layer_id)


def selected_code(event, layer_id: str) -> str | None:
    """The area code of the clicked feature in a pydeck selection event (None when nothing is selected)."""
    try:
        objects = event["selection"]["objects"].get(layer_id) or []
    except (KeyError, TypeError, AttributeError):
        return None
    for picked in objects:
        if isinstance(picked, dict):
            found = picked.get("code") or (picked.get("properties") or {}).get("code")
            if found:
                return str(found)
    return None
