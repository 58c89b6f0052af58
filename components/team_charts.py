"""The team page's quarterly trend (Altair): the team's published figure quarter by quarter, with its
95% confidence interval as a band, and its service line's beside it when that may be shown. Draws only a
``PublishedTable``: a suppressed quarter is a gap, not a point."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from measures.disclosure import PublishedTable

LEVEL_WORDS = {"team": "This team", "service_line": "Service line"}


def quarterly_chart(table: PublishedTable, *, unit: str, key: str, height: int = 300) -> None:
    """One line per level (team, service line) over quarters, the team's interval shaded."""
    if not isinstance(table, PublishedTable):
        raise TypeError("charts draw only a PublishedTable (pass figures through measures.disclosure first)")
    frame = table.frame
    data = pd.DataFrame({
        "quarter": frame["quarter"].astype(str).to_numpy(),
        "level": frame["level"].map(LEVEL_WORDS).to_numpy(),
        **{c: frame[c].astype(float).where(~table.mask[c].to_numpy()).to_numpy() for c in ("value", "lower", "upper")},
    })  # fmt: skip
    base = alt.Chart(data).encode(x=alt.X("quarter:N", title=None, sort=None))
    band = (
        base.transform_filter(alt.datum.level == "This team")
        .mark_area(opacity=0.2, color="#005EB8")
        .encode(y=alt.Y("lower:Q", title=unit), y2="upper:Q")
    )
    lines = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=unit),
        color=alt.Color("level:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=list(LEVEL_WORDS.values()), range=["#005EB8", "#768692"])),
        tooltip=["quarter", "level", alt.Tooltip("value:Q", format=",.1f"), alt.Tooltip("lower:Q", format=",.1f"),
                 alt.Tooltip("upper:Q", format=",.1f")],
    )  # fmt: skip
    st.altair_chart(alt.layer(band, lines).properties(height=height), width="stretch", key=key)
