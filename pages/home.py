"""Home: what this dashboard holds, for which trust and period, and the headline counts."""

from __future__ import annotations

from components.guard import require_page

user = require_page("home")

import streamlit as st

from components.copy import page_copy
from components.layout import long_date, synthetic_banner
from components.params import choose, remember
from components.store import TRUST, fetch, store_facts
from reports import filters
from reports.data_quality import ethnicity_recording
from reports.home import activity
from reports.settings import policy

scope = user.scope
rules = policy()
facts = store_facts()

trust_name = facts.get("trust_name", TRUST.name)
boroughs = fetch(filters.boroughs, scope)
years = fetch(filters.financial_years, scope)
period = (f"Data from **{long_date(facts['data_start'])}** to **{long_date(facts['data_end'])}**, as at "
          f"{long_date(facts['data_as_at'])}.")  # fmt: skip
champion = user.role == "champion"
# a champion's figures are their teams' only: the page says so, and names no borough it does not cover
if champion:
    teams = fetch(filters.teams, scope)
    st.title("Your team" if len(teams) == 1 else "Your teams")
    synthetic_banner(facts)
    names = ", ".join(f"{n} ({s})" for n, s in zip(teams["name"], teams["service_line"], strict=True))
    st.markdown(f"**{names or 'No team is linked to your login yet.'}**, {trust_name}. Every figure on this page "
                f"counts your team{'s' if len(teams) > 1 else ''} only, not the trust. {period}")  # fmt: skip
else:
    st.title(trust_name)
    synthetic_banner(facts)
    st.markdown(f"Serving **{', '.join(boroughs['name'])}**. {period}")

year_labels = list(years["financial_year"])
financial_year = choose("year", year_labels, year_labels[-1])
financial_year = st.selectbox(
    "Financial year",
    year_labels,
    index=year_labels.index(financial_year),
    help="1 April to 31 March",
    key="home_year",
)
remember("year", financial_year)
position = year_labels.index(financial_year)
headlines = fetch(activity, scope, financial_year=financial_year,
                  previous_year=year_labels[position - 1] if position else "")  # fmt: skip
for column, headline in zip(st.columns(len(headlines)), headlines, strict=True):
    column.metric(headline.label, headline.value, delta=headline.change, delta_color="off", border=True)

st.subheader("Ethnicity recording" + (" in your team" if champion and len(teams) == 1 else ""))
recording = fetch(ethnicity_recording, scope, financial_year=financial_year)
if recording.total == 0:
    st.markdown(f"No referrals in {financial_year} within what you may see.")
elif recording.total is None or recording.unrecorded is None:
    st.markdown(recording.sentence(f"in {financial_year}"))
else:
    st.markdown(
        f"Ethnicity was **not stated or not known for {recording.with_interval()}** of the {recording.what} in "
        f"{financial_year} (about {recording.unrecorded:,} of {recording.total:,} people)."
    )

if not champion:
    st.subheader("Boroughs served")
    st.dataframe(
        boroughs.rename(
            columns={"name": "Borough", "code": "ONS code", "neighbourhoods": "Neighbourhoods (MSOA)"}
        ),
        hide_index=True,
    )
st.markdown(page_copy("home", rounding_base=rules.base, threshold_minus_one=rules.threshold - 1))
