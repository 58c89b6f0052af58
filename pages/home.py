"""Home: what this dashboard holds, for which trust and period, and the headline counts."""

from __future__ import annotations

from components.guard import require_page

user = require_page("home")

import streamlit as st

from components.copy import page_copy
from components.layout import long_date, synthetic_banner
from components.store import TRUST, fetch
from measures.disclosure import DisclosurePolicy, publish_count
from measures.stats import proportion
from queries import overview

scope = user.scope
policy = DisclosurePolicy(threshold=TRUST.suppression_threshold, base=TRUST.rounding_base)
facts = fetch(overview.dataset_facts, scope)

st.title(facts.get("trust_name", TRUST.name))
synthetic_banner(facts)

boroughs = fetch(overview.boroughs, scope)
years = fetch(overview.financial_years, scope)
st.markdown(
    f"Serving **{', '.join(boroughs['name'])}**. Data from **{long_date(facts['data_start'])}** to "
    f"**{long_date(facts['data_end'])}**, as at {long_date(facts['data_as_at'])}."
)

year_labels = list(years["financial_year"])
financial_year = st.selectbox(
    "Financial year", year_labels, index=len(year_labels) - 1, help="1 April to 31 March"
)
position = year_labels.index(financial_year)
counts = fetch(overview.headline_counts, scope, financial_year=financial_year)
previous = (
    fetch(overview.headline_counts, scope, financial_year=year_labels[position - 1]) if position else None
)


def shown(value: int | None) -> str:
    return "*" if value is None else f"{value:,}"


headlines = (
    ("people_in_contact", "People in contact"),
    ("referrals", "Referrals received"),
    ("detentions", "Mental Health Act detentions"),
    ("staff", "Staff on 31 March"),
)
for column, (key, label) in zip(st.columns(len(headlines)), headlines, strict=True):
    published = publish_count(counts[key], threshold=policy.threshold, base=policy.base)
    delta = None
    if previous is not None:
        before = publish_count(previous[key], threshold=policy.threshold, base=policy.base)
        if published is not None and before is not None:
            delta = f"{published - before:+,} on {year_labels[position - 1]}"
    column.metric(label, shown(published), delta=delta, delta_color="off", border=True)

st.subheader("Ethnicity recording")
recording = fetch(overview.ethnicity_recording, scope, financial_year=financial_year)
total = int(recording["people"].sum())
unknown = int(recording.loc[~recording["known"].astype(bool), "people"].sum())
if total:
    estimate = proportion(unknown, total)
    unknown_published = publish_count(unknown, threshold=policy.threshold, base=policy.base)
    if unknown_published is None:
        st.markdown("Ethnicity was not stated or not known for fewer than "
                    f"{policy.threshold} of the people referred in {financial_year}.")  # fmt: skip
    else:
        st.markdown(
            f"Ethnicity was **not stated or not known for {estimate.value:.1%}** of the people referred in "
            f"{financial_year} (95% CI {estimate.lower:.1%} to {estimate.upper:.1%}; about "
            f"{unknown_published:,} of {publish_count(total, threshold=policy.threshold, base=policy.base):,} "
            "people)."
        )
else:
    st.markdown(f"No referrals in {financial_year} within what you may see.")

st.subheader("Boroughs served")
st.dataframe(
    boroughs.rename(
        columns={"name": "Borough", "code": "ONS code", "neighbourhoods": "Neighbourhoods (MSOA)"}
    ),
    hide_index=True,
)
st.markdown(page_copy("home", rounding_base=policy.base, threshold_minus_one=policy.threshold - 1))
