"""Board overview: the handful of measures that matter, on one screen, with honest signals, and the
board pack (PDF) built on the server from the same figures."""

from __future__ import annotations

from components.guard import require_page

user = require_page("overview")

import streamlit as st

from components.charts import sparkline
from components.layout import is_synthetic, long_date, synthetic_label
from components.maps import choropleth
from components.params import choose, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import show_table
from reports import areas, filters
from reports.board_pack import build_board_pack
from reports.data_quality import ethnicity_recording
from reports.headlines import compute_headlines
from reports.settings import policy, reference_group

VARIATION_ICONS = {
    "common_cause": ":material/horizontal_rule: No sign of real change",
    "improvement_high": ":material/trending_up: Real change: improving",
    "improvement_low": ":material/trending_down: Real change: improving",
    "concern_high": ":material/trending_up: Real change: getting worse",
    "concern_low": ":material/trending_down: Real change: getting worse",
    "neutral_high": ":material/trending_up: Real change: higher",
    "neutral_low": ":material/trending_down: Real change: lower",
}

scope = user.scope
facts = store_facts()
years = list(fetch(filters.financial_years, scope)["financial_year"])
rules, reference = policy(), reference_group()
BLACK = filters.BLACK_GROUP
year = choose("year", years, years[-1])
presenting = choose("present", ["0", "1"], "0") == "1"

if presenting:
    st.markdown(
        "<style>section[data-testid='stSidebar']{display:none}"
        ".stMainBlockContainer{max-width:100%;padding-top:1rem}"
        "p, li, [data-testid='stMarkdownContainer']{font-size:1.35rem !important}"
        "h1{font-size:3rem !important}</style>",
        unsafe_allow_html=True,
    )

st.title(f"Board overview: {facts.get('trust_name', TRUST.name)}")
if is_synthetic(facts):
    st.warning(synthetic_label(facts), icon=":material/science:")

if not presenting:
    left, right = st.columns([1, 3])
    year = left.selectbox("Financial year", years, index=years.index(year), key="overview_year")
    right.toggle("Presentation mode (large type, no menus)", key="overview_present_toggle", value=False)
    if st.session_state.get("overview_present_toggle"):
        remember("present", "1")
        st.rerun()
else:
    if st.button("Leave presentation mode", key="overview_leave"):
        remember("present", "0")
        st.rerun()
remember("year", year)

headlines = fetch(
    compute_headlines, scope, financial_year=year, headline_ids=TRUST.headline_measures,
    threshold=TRUST.suppression_threshold, base=TRUST.rounding_base, reference_code=TRUST.reference_group,
)  # fmt: skip

st.markdown(f"**{year}**, {long_date(facts['data_start'])} to {long_date(facts['data_end'])} data.")
for start in range(0, len(headlines), 3):
    for column, headline in zip(st.columns(3), headlines[start : start + 3], strict=False):
        with column.container(border=True):
            st.markdown(f"**{headline.title}**")
            if headline.ratio is None:
                big = "*"  # suppressed
            elif headline.ratio.value is None:
                big = "–"  # no ratio can be computed (e.g. no events in the reference group)
            else:
                big = f"{headline.ratio.value:.1f}×"
            st.metric(
                f"{headline.subject} compared with {headline.reference}",
                big,
                help="Ratio of rates (or of percentages), with its 95% confidence interval below. "
                "'*' means too few to show.",
            )
            st.caption(f"{headline.group_value} vs {headline.reference_value}; ratio {headline.ratio_text}")
            st.markdown(headline.sentence)
            if headline.spc is not None:
                st.markdown(VARIATION_ICONS.get(headline.spc.variation, "Not enough data for a trend"))
                if headline.trend is not None:
                    sparkline(
                        headline.trend,
                        x="month_start",
                        value="rate",
                        key=f"overview_spark_{headline.measure_id}",
                    )
            st.caption(headline.spc_sentence)

st.subheader("Things you need to know")
recording = fetch(ethnicity_recording, scope, financial_year=year)
st.markdown(
    f"- {recording.sentence(f'in {year}')} They are left out of the rates by ethnic group.\n"
    f"- Every ratio by ethnicity compares with {reference} people (the trust's reference group). Ratios are called "
    f"a difference only when their 95% confidence interval excludes 1; a trend is called a change only when a "
    f"Making Data Count rule is met (statistical process control).\n"
    f"- {rules.describe()} The same rules apply to the board pack and downloads.\n"
    + ("- **The data are synthetic** (a demonstration trust).\n" if is_synthetic(facts) else "")
)
st.subheader("On the map")
map_titles = areas.measure_titles()
map_measure = choose("map", list(map_titles), list(map_titles)[1])
if not presenting:
    map_measure = st.selectbox("Measure", list(map_titles), index=list(map_titles).index(map_measure),
                               format_func=map_titles.get, key="overview_map_measure")  # fmt: skip
remember("map", map_measure)
rates = fetch(areas.area_table, scope, measure_id=map_measure, financial_year=year, broad_group=BLACK)
st.caption(f"{map_titles[map_measure]}: Black residents of each borough, {year}.")
choropleth(
    rates.table, boundaries().lad, key="overview_map", legend_title="Black residents, per 100,000",
    describe=rates.describe.str.split("; ").str[0], label_areas=True, height=380,
)  # fmt: skip
with st.expander("The map as a table"):
    show_table(rates.table, labels={"area": "Borough", "events": "Events", "population": "Black residents",
                                    "value": "Per 100,000", "lower": "Lower 95% CI", "upper": "Upper 95% CI"},
               key="overview_map_table")  # fmt: skip
st.page_link("pages/areas.py", label="Open the Areas page to drill into neighbourhoods", icon=":material/map:",
             query_params={"measure": map_measure, "year": year, "group": BLACK})  # fmt: skip

if not presenting:
    st.download_button(
        "Board pack (PDF)",
        data=lambda: build_board_pack_for_download(),
        file_name=f"board-pack-{year}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="overview_board_pack",
        on_click="ignore",
    )


def build_board_pack_for_download() -> bytes:
    from components.store import current_store

    _settings, engine = current_store()
    return build_board_pack(
        engine, scope, financial_year=year, config=TRUST, facts=facts, headlines=headlines
    )
