"""The board overview's headline tiles: what the ratio compares, the ratio with its interval, and every
verdict in words (trend, change on last year, target, England), so nothing is told by colour alone and
no label is cut short (the text wraps; nothing is truncated)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import streamlit as st

from measures.narrative import IMPROVING, OFF_TRACK, WORSENING
from reports.headlines import Headline


def big_figure(headline: Headline) -> str:
    """The tile's big number: the ratio to 1 decimal (2 below 1), '*' suppressed, '–' not computable."""
    if headline.ratio is None:
        return "*"
    if headline.ratio.value is None:
        return "–"
    return f"{headline.ratio.value:.{2 if headline.ratio.value < 1 else 1}f}×"


def _tile_class(headline: Headline) -> str:
    kinds = {headline.trend_verdict.kind, headline.change_verdict.kind, headline.target_verdict.kind}
    if OFF_TRACK in kinds or WORSENING in kinds:
        return "board-tile off-track"
    return "board-tile improving" if IMPROVING in kinds else "board-tile"


def tile_html(headline: Headline, index: int) -> str:
    """One tile as HTML; each verdict is a list item marked ``data-verdict`` (the browser test finds them)."""
    ci = (
        "too few to show"
        if headline.ratio is None
        else headline.ratio_text.split(" (", 1)[1].rstrip(")")
        if " (" in headline.ratio_text
        else ""
    )
    values = f"{headline.group_value} vs {headline.reference_value}"
    last_year = headline.previous_year or "last year"
    change = headline.change_verdict.label.replace(f" on {last_year}", "").replace(f" than {last_year}", "")
    labels = [
        ("Trend", headline.trend_verdict.label or "Yearly measure"),
        (f"vs {last_year}", change),
        ("Target", headline.target_verdict.label),
        ("England", headline.england_verdict.label.removeprefix("England: ")),
    ]
    items = "".join(
        f'<li data-verdict="{index}"><span class="kind">{escape(kind)}:</span> {escape(label)}</li>'
        for kind, label in labels
        if label
    )
    return (
        f'<div class="{_tile_class(headline)}" data-headline="{escape(headline.measure_id)}">'
        f"<h3>{escape(headline.title)}</h3>"
        f'<p class="compares">{escape(headline.compares)}</p>'
        f'<p class="figure">{escape(big_figure(headline))}</p>'
        f'<p class="ci">{escape(ci)}; {escape(values)}</p>'
        f"<ul>{items}</ul></div>"
    )


def headline_tiles(headlines: Sequence[Headline]) -> None:
    """Every headline's tile in one grid (five across in presentation mode)."""
    tiles = "".join(tile_html(h, i) for i, h in enumerate(headlines))
    st.html(f'<div class="board-tiles">{tiles}</div>')
