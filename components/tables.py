"""Tables and downloads: they accept only a ``PublishedTable``, so nothing unsuppressed can be shown
or exported through them (suppression is a stage, not a display trick)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components.layout import is_synthetic
from components.store import store_facts
from measures.disclosure import CsvMetadata, PublishedTable
from reports.settings import policy


def rate_labels(group: str, events: str, ratio: str, **extra: str) -> dict[str, str]:
    """Column headings of a table of rates per 100,000 with ratios (``reports.common.rate_table``)."""
    return {"group": group, "events": events, **extra, "population": "Residents", "value": "Per 100,000",
            "lower": "Lower 95% CI", "upper": "Upper 95% CI", "ratio_value": ratio,
            "ratio_lower": "Ratio lower 95% CI", "ratio_upper": "Ratio upper 95% CI"}  # fmt: skip


def _require_published(table: object) -> PublishedTable:
    if not isinstance(table, PublishedTable):
        raise TypeError(
            "tables render only a PublishedTable (pass figures through measures.disclosure first)"
        )
    return table


def csv_about(
    measure: str,
    definition: str,
    period: str,
    *,
    counts_of: str | None = None,
    filters: Mapping[str, object] | None = None,
    source: str | None = None,
) -> CsvMetadata:
    """What a downloaded CSV says about itself, with the store's extract date, synthetic flag and the
    trust's disclosure rule filled in."""
    facts = store_facts()
    return CsvMetadata(
        measure=measure, definition=definition, period=period, filters=dict(filters or {}),
        policy=policy(), extracted=facts.get("data_as_at") or facts.get("generated_at"),
        synthetic=is_synthetic(facts), counts_of=counts_of, source=source,
    )  # fmt: skip


def show_table(
    table: PublishedTable,
    *,
    labels: Mapping[str, str],
    decimals: int | Mapping[str, int] = 1,
    key: str,
    download: CsvMetadata | None = None,
    download_suffix: str | None = None,
) -> None:
    """Show the published columns named in ``labels`` (in that order, renamed), "*" where suppressed,
    with a CSV download of exactly what is shown: the figures at the precision shown, under a header
    block saying what they are (``download``, see :func:`csv_about`)."""
    table = _require_published(table).select(list(labels))
    shown = table.display_frame(decimals=decimals).rename(columns=dict(labels))
    st.dataframe(shown, hide_index=True, key=f"{key}_table")
    if download is not None:
        export = table.export_frame(decimals=decimals).rename(columns=dict(labels))
        st.download_button(
            "Download CSV", download.header() + export.to_csv(index=False),
            file_name=download.file_name(download_suffix), mime="text/csv",
            key=f"{key}_download", icon=":material/download:",
        )  # fmt: skip
    if table.suppressed_any:
        st.caption(
            f'"*" marks figures based on 1 to {table.policy.threshold - 1} people or events, hidden so that '
            f"no one can be identified; other counts are rounded to the nearest {table.policy.base}."
        )
