"""Page furniture shared by every page: the synthetic-data label and the data period line."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import streamlit as st

STATIC = Path(__file__).resolve().parent.parent / "static"

SYNTHETIC_LABEL = (
    "**Synthetic data.** Every figure on this dashboard comes from a generated demonstration trust: no "
    "real patients, staff or census counts. Patterns were built in to show what the dashboard can find."
)


#: The label when generated service and staff data sit on a real Census population (a worked example).
SYNTHETIC_ON_CENSUS_LABEL = (
    "**Synthetic data.** Every service and workforce figure comes from a generated demonstration trust: no "
    "real patients or staff. The resident populations are real (Census 2021, ONS), so rates mix the two."
)


def is_synthetic(facts: dict[str, str]) -> bool:
    return str(facts.get("synthetic", "")).lower() == "true"


def synthetic_label(facts: dict[str, str]) -> str:
    """The synthetic label that fits the store: is its population real Census figures or generated too?"""
    real_population = str(facts.get("population_source", "")).startswith("Census 2021")
    return SYNTHETIC_ON_CENSUS_LABEL if real_population else SYNTHETIC_LABEL


@cache
def _stylesheet(name: str) -> str:
    return (STATIC / f"{name}.css").read_text(encoding="utf-8")


def page_style(*names: str) -> None:
    """Apply stylesheets from ``static/`` (e.g. "base", the caption contrast every page needs)."""
    css = "\n".join(_stylesheet(name) for name in ("base", *names))
    st.html(f"<style>{css}</style>")  # style only: Streamlit applies it without taking space


def synthetic_banner(facts: dict[str, str]) -> None:
    """Show the synthetic-data label wherever synthetic figures are shown (and apply the base style:
    every data page calls this first)."""
    page_style()
    if is_synthetic(facts):
        st.warning(synthetic_label(facts), icon=":material/science:")


def long_date(value: str | date) -> str:
    """'31 March 2026' from an ISO date string or a date."""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {day.strftime('%B %Y')}"
