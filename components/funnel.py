"""Funnel plots of published figures (Altair): each unit's figure against its size, with control limits
around the benchmark (about 95% and 99.8% of units would fall inside by chance alone).

Takes a ``PublishedTable``: a suppressed figure is not a point, and points are placed at the published
(rounded) denominator, so the chart's data carry nothing the table does not show."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from measures.disclosure import PublishedTable


def funnel_plot(
    table: PublishedTable, limits: pd.DataFrame, *, target: float | None, x: str, label: str, x_title: str,
    y_title: str, key: str, height: int = 380,
) -> None:  # fmt: skip
    """Each row of ``table`` at (``x``, value), labelled by ``label``, with the funnel ``limits`` (columns
    denominator, lower/upper 95% and 99.8%) and the benchmark ``target`` as a rule."""
    if not isinstance(table, PublishedTable):
        raise TypeError(
            "funnel plots draw only a PublishedTable (pass figures through measures.disclosure first)"
        )
    frame = table.frame
    shown = ~(table.mask["value"].to_numpy() | table.mask[x].to_numpy())
    points = pd.DataFrame({
        "unit": frame[label].astype(str).to_numpy(), "size": frame[x].astype("Float64").astype(float).to_numpy(),
        "value": frame["value"].astype(float).to_numpy(),
        "position": frame["position"].astype(str).to_numpy() if "position" in frame else "",
    })[shown].dropna(subset=["size", "value"])  # fmt: skip
    layers = []
    if not limits.empty:
        long = limits.melt("denominator", var_name="limit", value_name="bound")
        long["band"] = long["limit"].str.split(" ").str[1]
        long["side"] = long["limit"].str.split(" ").str[0]
        layers.append(
            alt.Chart(long).mark_line(strokeDash=[4, 3]).encode(
                x=alt.X("denominator:Q", title=x_title), y=alt.Y("bound:Q", title=y_title),
                detail="limit:N",
                color=alt.Color("band:N", title="Control limit", scale=alt.Scale(domain=["95%", "99.8%"],
                                                                                 range=["#768692", "#425563"])),
            )
        )  # fmt: skip
    if target is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color="#005EB8").encode(y="target:Q")
        )
    layers.append(
        alt.Chart(points).mark_circle(size=70, opacity=0.9).encode(
            x=alt.X("size:Q", title=x_title), y=alt.Y("value:Q", title=y_title),
            shape=alt.Shape("position:N", title="Against the benchmark", legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("unit:N", title="Unit"), alt.Tooltip("size:Q", title=x_title, format=","),
                     alt.Tooltip("value:Q", title=y_title, format=",.1f"), alt.Tooltip("position:N", title="Where")],
        )
    )  # fmt: skip
    st.altair_chart(alt.layer(*layers).properties(height=height), width="stretch", key=key)
