"""Home: what this dashboard holds, for which trust and period, and the headline counts."""

from __future__ import annotations

from components.guard import require_page

user = require_page("home")

import streamlit as st

from components.copy import page_copy
from components.layout import long_date, synthetic_banner
from components.store import TRUST, fetch, store_facts
from reports import filters
from reports.data_quality import ethnicity_recording
from reports.home import activity
from reports.settings import policy

scope = user.scope
rules = policy()
facts = store_facts()

st.title(facts.get("trust_name", TRUST.name))
synthetic_banner(facts)

boroughs = fetch(filters.boroughs, scope)
years = fetch(filters.financial_years, scope)
st.markdown(
    f"Serving **{', '.join(boroughs['name'])}**. Data from **{long_date(facts['data_start'])}** to "
    f"**{long_date(facts['data_end'])}**, as at {long_date(facts['data_as_at'])}."
)

year_labels = list(years["financial_year"])
financial_year = st.selectbox(
    "Financial year", year_labels, index=len(year_labels) - 1, help="1 April to 31 March"
)
position = year_labels.index(financial_year)
headlines = fetch(activity, scope, financial_year=financial_year,
                  previous_year=year_labels[position - 1] if position else "")  # fmt: skip
for column, headline in zip(st.columns(len(headlines)), headlines, strict=True):
    column.metric(headline.label, headline.value, delta=headline.change, delta_color="off", border=True)

st.subheader("Ethnicity recording")
recording = fetch(ethnicity_recording, scope, financial_year=financial_year)
if recording.total in (None, 0):
    st.markdown(f"No referrals in {financial_year} within what you may see.")
elif recording.unrecorded is None:
    st.markdown(recording.sentence(f"in {financial_year}"))
else:
    st.markdown(
        f"Ethnicity was **not stated or not known for {recording.with_interval()}** of the people referred in "
        f"{financial_year} (about {recording.unrecorded:,} of {recording.total:,} people)."
    )

st.subheader("Boroughs served")
st.dataframe(
    boroughs.rename(
        columns={"name": "Borough", "code": "ONS code", "neighbourhoods": "Neighbourhoods (MSOA)"}
    ),
    hide_index=True,
)
st.markdown(page_copy("home", rounding_base=rules.base, threshold_minus_one=rules.threshold - 1))
