"""Charts of published figures (Altair): NHS Making Data Count SPC charts and forest plots of ratios.

Both take a ``PublishedTable``, so a suppressed figure is a gap in the chart, never a point. Icons
are given in words as well (variation and assurance), so the charts do not rely on colour alone.
"""

from __future__ import annotations

from html import escape

import altair as alt
import pandas as pd
import streamlit as st

from measures.disclosure import PublishedTable
from measures.narrative import describe_spc
from measures.spc import COLOURS, SpcResult, xmr
from measures.workforce import OVER, REFLECTS, UNDER

POINT_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: high",
    "special_cause_neutral_low": "Special cause: low",
}
VARIATION_WORDS = {
    "common_cause": "common cause variation only (no sign of real change)",
    "improvement_high": "special cause: improvement (higher)",
    "improvement_low": "special cause: improvement (lower)",
    "concern_high": "special cause: concern (higher)",
    "concern_low": "special cause: concern (lower)",
    "neutral_high": "special cause: higher (neither better nor worse)",
    "neutral_low": "special cause: lower (neither better nor worse)",
}
ASSURANCE_WORDS = {
    "pass": "the target is consistently met",
    "fail": "the target is consistently missed",
    "hit_and_miss": "the target is met and missed at random (no assurance)",
}


def _require(table: object) -> PublishedTable:
    if not isinstance(table, PublishedTable):
        raise TypeError("charts draw only a PublishedTable (pass figures through measures.disclosure first)")
    return table


def spc_chart(
    table: PublishedTable,
    *,
    x: str,
    value: str,
    improvement: str,
    title: str,
    unit: str,
    key: str,
    target: float | None = None,
    height: int = 280,
    polarity: str | None = None,
    subject: str | None = None,
    picture: bool = False,
) -> SpcResult:
    """An XmR chart of a published monthly series, with the variation and assurance verdicts in words.

    Suppressed months are missing points: they are left out of the mean and limits, as Making Data
    Count leaves out missing values. With ``subject``, the verdict follows in a sentence. With
    ``picture``, the chart is an SVG drawn on the server (no chart library to start in the browser: the
    board's overview draws nine), with the same lines, colours and a tooltip per point.
    """
    table = _require(table)
    frame = table.frame
    values = (
        frame[value].astype(float).where(~table.mask[value].to_numpy())
        if value in table.mask
        else frame[value]
    )
    series = pd.Series(values.to_numpy(dtype=float), index=pd.to_datetime(frame[x]))
    result = xmr(series, improvement=improvement, target=target)
    data = result.to_frame()
    data["x"] = pd.to_datetime(data["x"])
    data["type"] = data["point_type"].map(POINT_LABELS)
    if picture:
        st.markdown(spc_svg(data, title=title, unit=unit, height=height), unsafe_allow_html=True)
    else:
        _spc_altair(data, title=title, unit=unit, target=target, height=height, key=key)
    words = [f"**Variation:** {VARIATION_WORDS.get(result.variation, 'not enough data')}"]
    if result.assurance:
        words.append(f"**Assurance:** {ASSURANCE_WORDS[result.assurance]}")
    if result.warning:
        words.append(result.warning)
    st.caption(" · ".join(words))
    if subject is not None:  # the verdict in a sentence, worded for the measure's polarity
        st.markdown(describe_spc(result, polarity or improvement, subject=subject))
    return result


def _spc_altair(data: pd.DataFrame, *, title: str, unit: str, target, height: int, key: str) -> None:
    base = alt.Chart(data).encode(x=alt.X("x:T", title=None))
    layers = [
        base.mark_line(color="#a6a6a6").encode(y=alt.Y("value:Q", title=unit)),
        base.mark_line(color="#425563").encode(y="mean:Q"),
        base.mark_line(color="#425563", strokeDash=[4, 4]).encode(y="upper:Q"),
        base.mark_line(color="#425563", strokeDash=[4, 4]).encode(y="lower:Q"),
        base.mark_circle(size=55, opacity=1).encode(
            y="value:Q",
            color=alt.Color(
                "type:N",
                title="Point",
                scale=alt.Scale(
                    domain=list(POINT_LABELS.values()),
                    range=[COLOURS[t] for t in POINT_LABELS],
                ),
            ),
            tooltip=[
                alt.Tooltip("x:T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title=unit, format=",.1f"),
                alt.Tooltip("type:N", title="Point"),
                alt.Tooltip("rule:N", title="Rule"),
            ],
        ),
    ]
    if target is not None:
        layers.append(
            base.mark_line(color=COLOURS.get("target", "#de1b1b"), strokeDash=[2, 2]).encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(title=title, height=height)
    st.altair_chart(chart, key=key)


def spc_svg(data: pd.DataFrame, *, title: str, unit: str, height: int, width: int = 560) -> str:
    """An XmR chart as SVG from :meth:`SpcResult.to_frame` rows (x, value, mean, upper, lower, target,
    point_type, rule): the values in grey, the mean solid and the limits dashed, each point coloured by its type
    with a tooltip (month, value, type and the rule that flagged it), the first, middle and last months under the axis and a key to the point colours in words."""
    left, right, top, bottom = 56, 10, 26, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    columns = [c for c in ("value", "mean", "upper", "lower", "target") if c in data]
    numbers = pd.concat([data[c] for c in columns]).astype(float).dropna()
    low, high = (float(numbers.min()), float(numbers.max())) if len(numbers) else (0.0, 1.0)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 0.5)
    low, high = low - pad, high + pad
    n = len(data)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (high - v) / (high - low)

    def polylines(column: str, style: str) -> str:
        runs, run = [], []
        for i, v in enumerate(data[column].astype(float)):
            if pd.isna(v):
                runs, run = [*runs, run], []
            else:
                run.append((f"{x(i):.1f}", f"{y(v):.1f}"))
        return "".join(
            f'<polyline points="{" ".join(f"{px},{py}" for px, py in _corners(r))}" fill="none" {style}/>'
            for r in [*runs, run]
            if r
        )

    ticks = "".join(
        f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e8edee"/>'
        f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{v:,.2f}</text>'
        for v in (low + pad, (low + high) / 2, high - pad)
    )
    months = [i for i in sorted({0, n // 2, n - 1}) if n]
    anchor = {0: "start", n - 1: "end"}  # the first and last month stay inside the picture
    labels = "".join(
        f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="{anchor.get(i, "middle")}">'
        f"{pd.Timestamp(data['x'].iloc[i]):%b %Y}</text>"
        for i in months
    )
    lines = polylines("value", 'stroke="#a6a6a6" stroke-width="1.5"') + polylines(
        "mean", 'stroke="#425563" stroke-width="1.5"'
    )
    for column in ("upper", "lower"):
        lines += polylines(column, 'stroke="#425563" stroke-dasharray="4 4"')
    if "target" in data and data["target"].notna().any():
        lines += polylines("target", f'stroke="{COLOURS.get("target", "#de1b1b")}" stroke-dasharray="2 2"')
    rules = data["rule"] if "rule" in data else pd.Series(None, index=data.index, dtype=object)
    points = "".join(
        f'<circle cx="{x(i):.1f}" cy="{y(float(v)):.1f}" r="4" fill="{COLOURS[kind]}">'
        f"<title>{pd.Timestamp(when):%b %Y}: {float(v):,.2f} ({escape(POINT_LABELS[kind])}"
        f"{'' if pd.isna(rule) else f'; rule: {escape(str(rule))}'})</title></circle>"
        for i, (when, v, kind, rule) in enumerate(
            zip(data["x"], data["value"], data["point_type"], rules, strict=True)
        )
        if not pd.isna(v) and kind in POINT_LABELS
    )
    shown = [k for k in POINT_LABELS if k in set(data["point_type"].dropna())]
    key = (
        "".join(
            f'<circle cx="{left + 180 * i + 5}" cy="{height - 9}" r="5" fill="{COLOURS[k]}"/>'
            f'<text x="{left + 180 * i + 14}" y="{height - 4}">{escape(POINT_LABELS[k])}</text>'
            for i, k in enumerate(shown)
        )
        + f'<text x="{width - right}" y="{height - 4}" text-anchor="end">solid line: mean; dashed: limits</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="100%" '
        f'viewBox="0 0 {width} {height}" style="max-width:{width}px;font-family:sans-serif;font-size:14px">'
        f'<title>{escape(title)}</title><text x="0" y="15" font-size="15" font-weight="bold">{escape(title)}</text>'
        f'<text x="0" y="{top + plot_h / 2:.0f}" transform="rotate(-90 10 {top + plot_h / 2:.0f})" '
        f'text-anchor="middle">{escape(unit)}</text>{ticks}{labels}{lines}{points}{key}</svg>'
    )


def _corners(points: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A polyline's points without those in the middle of a level stretch (the same height as the points
    either side): the same line, drawn with fewer points (a mean or limit is level for months on end)."""
    return [
        point
        for i, point in enumerate(points)
        if i in (0, len(points) - 1) or not points[i - 1][1] == point[1] == points[i + 1][1]
    ]


def forest_plot(
    table: PublishedTable,
    *,
    label: str,
    value: str,
    lower: str,
    upper: str,
    title: str,
    key: str,
    reference: float = 1.0,
    axis_title: str = "Ratio (log scale)",
) -> None:
    """Ratios with their CIs on a log scale, a line at ``reference``; suppressed rows are listed, not drawn."""
    table = _require(table)
    hidden = (
        table.mask[value].to_numpy() if value in table.mask else pd.Series(False, index=table.frame.index)
    )
    frame = table.frame.loc[~hidden & table.frame[value].notna(), [label, value, lower, upper]].copy()
    frame.columns = ["label", "value", "lower", "upper"]
    if frame.empty:
        st.caption("No ratios can be shown for this selection.")
        return
    # The Vega-Lite spec Altair would build for this chart, written out: building it through Altair (schema
    # validation, hashing its data) took most of a page's run for two small charts, on every rerun.
    order = [str(name) for name in table.frame[label]]
    label_axis = {"field": "label", "type": "nominal", "sort": order, "title": None}
    spec = {
        "title": title,
        "height": {"step": 32},
        "layer": [
            {
                "mark": {"type": "rule", "color": "#425563"},
                "encoding": {
                    "x": {
                        "field": "lower",
                        "type": "quantitative",
                        "scale": {"type": "log"},
                        "title": axis_title,
                    },
                    "x2": {"field": "upper"},
                    "y": label_axis,
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 70, "color": "#005EB8"},
                "encoding": {
                    "x": {"field": "value", "type": "quantitative"},
                    "y": label_axis,
                    "tooltip": [
                        {"field": "label", "type": "nominal", "title": "Group"},
                        *(
                            {"field": field, "type": "quantitative", "format": ".2f", "title": name}
                            for field, name in (
                                ("value", "Ratio"),
                                ("lower", "Lower 95% CI"),
                                ("upper", "Upper 95% CI"),
                            )
                        ),
                    ],
                },
            },
            {
                "data": {"values": [{"ref": float(reference)}]},
                "mark": {"type": "rule", "color": "#de1b1b", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "ref", "type": "quantitative"}},
            },
        ],
    }
    frame["label"] = frame["label"].astype(str)
    st.vega_lite_chart(frame.reset_index(drop=True), spec, key=key)
    suppressed = list(table.frame.loc[hidden, label]) if hasattr(hidden, "__len__") else []
    if len(suppressed):
        st.caption(f"Not shown (too few to show): {', '.join(map(str, suppressed))}.")


def route_mix_chart(table: PublishedTable, sources: dict[str, str]) -> None:
    """Each group's referrals by route in, as a stacked bar of published percentages (``<source>_pct``)."""
    table = _require(table)
    data = table.frame.melt(
        id_vars="group", value_vars=[f"{c}_pct" for c in sources], var_name="route", value_name="percent"
    ).dropna(subset=["percent"])
    data["route"] = data["route"].str.removesuffix("_pct").map(sources)
    st.altair_chart(
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None),
            x=alt.X("percent:Q", title="% of referrals", stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color("route:N", title="Route in", sort=list(sources.values())),
            order=alt.Order("route:N"),
            tooltip=["group", "route", alt.Tooltip("percent:Q", format=".1f")],
        ),
        width="stretch",
    )


def band_chart(
    table: PublishedTable, workforce_pct: float | None, community_pct: float | None, key: str
) -> None:
    """WRES 1: each band's BME % with its CI, coloured by its verdict against the community, with the whole
    workforce (dashed) and the working-age community (solid) as lines. Suppressed bands are marked, not drawn."""
    frame = _require(table).frame
    not_shown = "not shown (small numbers)"
    data = pd.DataFrame({"Band": frame["pay_band"].astype(str), "BME %": frame["bme_pct"].astype(float),
                         "Lower": frame["bme_lower"].astype(float), "Upper": frame["bme_upper"].astype(float),
                         "Against the community": frame["vs_population"].replace("", not_shown)})  # fmt: skip
    y = alt.Y("Band:N", sort=list(data["Band"]), title=None)
    x_scale = alt.Scale(domain=[0, 100])
    interval = alt.Chart(data).mark_rule(strokeWidth=2, color="#425563").encode(
        y=y, x=alt.X("Lower:Q", scale=x_scale, title="BME staff (% of staff with a recorded ethnic group)"), x2="Upper:Q"
    )  # fmt: skip
    colours = {UNDER: "#d5281b", REFLECTS: "#005eb8", OVER: "#007f3b", not_shown: "#768692"}
    dots = alt.Chart(data).mark_point(filled=True, size=90).encode(
        y=y, x=alt.X("BME %:Q", scale=x_scale),
        color=alt.Color("Against the community:N", legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        shape=alt.Shape("Against the community:N", legend=None),
        tooltip=["Band", alt.Tooltip("BME %:Q", format=".1f"), alt.Tooltip("Lower:Q", format=".1f"),
                 alt.Tooltip("Upper:Q", format=".1f"), "Against the community"],
    )  # fmt: skip
    missing = alt.Chart(data[data["BME %"].isna()].assign(label="* too few to show")).mark_text(
        align="left", dx=4, color="#768692"
    ).encode(y=y, x=alt.value(0), text="label:N")  # fmt: skip
    references = pd.DataFrame({"Reference": ["Whole workforce", "Working-age community"],
                               "Percent": [workforce_pct, community_pct]}).dropna()  # fmt: skip
    lines = alt.Chart(references).mark_rule(strokeWidth=2).encode(
        x="Percent:Q", tooltip=["Reference", alt.Tooltip("Percent:Q", format=".1f")],
        strokeDash=alt.StrokeDash("Reference:N", legend=alt.Legend(orient="bottom", title=None),
                                  scale=alt.Scale(domain=["Whole workforce", "Working-age community"], range=[[6, 4], [1, 0]])),
    )  # fmt: skip
    chart = (lines + interval + dots + missing).properties(height=28 * len(data) + 40)
    st.altair_chart(chart, width="stretch", key=key)


def share_trend_chart(
    table: PublishedTable, series: dict[str, str], community_pct: float | None, key: str
) -> None:
    """Published percentages across years (one line per column in ``series``), with the community's share
    as a grey rule; suppressed years are left out of the lines."""
    frame = _require(table).frame
    shown = frame[["financial_year", *series]].copy()
    for column in series:
        shown[column] = shown[column].astype(float).where(~table.mask[column].to_numpy())
    lines = shown.melt("financial_year", var_name="series", value_name="percent")
    lines["series"] = lines["series"].map(series)
    chart = alt.Chart(lines.dropna()).mark_line(point=True).encode(
        x=alt.X("financial_year:N", title="WRES year"),
        y=alt.Y("percent:Q", title="BME staff (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["financial_year", "series", alt.Tooltip("percent:Q", format=".1f")],
    )  # fmt: skip
    if community_pct is not None:
        rule = (
            alt.Chart(pd.DataFrame({"percent": [community_pct]}))
            .mark_rule(color="#425563")
            .encode(y="percent:Q")
        )
        chart = chart + rule
    st.altair_chart(chart, width="stretch", key=key)


def sparkline(table: PublishedTable, *, x: str, value: str, key: str, height: int = 70) -> None:
    """A small line of a published monthly series, without axes (a tile's trend); gaps where suppressed.
    Only figures computed from the published counts may be drawn: a legacy figure computed from the true
    counts (``basis == "true"``) would ship them to the browser, so it is refused."""
    frame = _require(table).frame
    if table.basis.get(value) == "true":
        raise ValueError(f"{value!r} was computed from the true counts; publish it with figures=[...] first")
    data = frame.assign(**{value: frame[value].where(~table.mask[value].to_numpy())})[[x, value]]
    st.altair_chart(
        alt.Chart(data).mark_line(color="#005EB8").encode(
            x=alt.X(f"{x}:T", title=None, axis=alt.Axis(labels=False, ticks=False)),
            y=alt.Y(f"{value}:Q", title=None, axis=alt.Axis(labels=False, ticks=False)),
        ).properties(height=height),
        key=key,
    )  # fmt: skip
