"""Board overview: the handful of measures that matter, on one screen, with honest signals, and the
board pack (PDF) built on the server from the same figures."""

from __future__ import annotations

from components.guard import require_page

user = require_page("overview")

import altair as alt
import streamlit as st

from components.layout import SYNTHETIC_LABEL, is_synthetic, long_date
from components.maps import choropleth
from components.params import choose, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import show_table
from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy, Totals, publish_count, publish_table
from measures.ethnicity import BLACK
from measures.stats import crude_rates, proportion
from queries import area, overview
from reports.board_pack import build_board_pack
from reports.headlines import compute_headlines

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
years = list(fetch(overview.financial_years, scope)["financial_year"])
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
    st.warning(SYNTHETIC_LABEL, icon=":material/science:")

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
                    trend = headline.trend.frame.assign(
                        rate=headline.trend.frame["rate"].where(~headline.trend.mask["rate"].to_numpy())
                    )
                    st.altair_chart(
                        alt.Chart(trend).mark_line(color="#005EB8").encode(
                            x=alt.X("month_start:T", title=None, axis=alt.Axis(labels=False, ticks=False)),
                            y=alt.Y("rate:Q", title=None, axis=alt.Axis(labels=False, ticks=False)),
                        ).properties(height=70),
                        key=f"overview_spark_{headline.measure_id}",
                    )  # fmt: skip
            st.caption(headline.spc_sentence)

st.subheader("Things you need to know")
recording = fetch(overview.ethnicity_recording, scope, financial_year=year)
total, unknown = (
    int(recording["people"].sum()),
    int(recording.loc[~recording["known"].astype(bool), "people"].sum()),
)
unknown_shown = publish_count(unknown, threshold=TRUST.suppression_threshold, base=TRUST.rounding_base)
completeness = (
    f"Ethnicity was not stated or not known for {proportion(unknown, total).value:.1%} of people referred in {year}."
    if total and unknown_shown is not None
    else f"Ethnicity was recorded for almost everyone referred in {year}."
)
st.markdown(
    f"- {completeness} They are left out of the rates by ethnic group.\n"
    f"- Ratios are called a difference only when their 95% confidence interval excludes 1; a trend is called a "
    f"change only when a Making Data Count rule is met (statistical process control).\n"
    f'- Counts from 1 to {TRUST.suppression_threshold - 1} are shown as "*" and others are rounded to the '
    f"nearest {TRUST.rounding_base}; the same rules apply to the board pack and downloads.\n"
    + ("- **The data are synthetic** (a demonstration trust).\n" if is_synthetic(facts) else "")
)
st.subheader("On the map")
map_titles = {m: load_catalogue()[m].title for m in area.AREA_MEASURES}
map_measure = choose("map", list(map_titles), area.AREA_MEASURES[1])
if not presenting:
    map_measure = st.selectbox("Measure", list(map_titles), index=list(map_titles).index(map_measure),
                               format_func=map_titles.get, key="overview_map_measure")  # fmt: skip
remember("map", map_measure)
counts = fetch(
    area.area_counts, scope, measure_id=map_measure, financial_year=year, level="lad", broad_group=BLACK
)
estimates = crude_rates(counts["events"], counts["population"])
boroughs = fetch(overview.boroughs, scope)
names = dict(zip(boroughs["code"], boroughs["name"], strict=True))
rates = publish_table(
    counts.assign(area=counts["area_code"].map(names), value=estimates["value"], lower=estimates["lower"],
                  upper=estimates["upper"]),
    counts=["events"], derived={("value", "lower", "upper"): ("events",)}, public=["population"],
    policy=DisclosurePolicy(threshold=TRUST.suppression_threshold, base=TRUST.rounding_base), totals=[Totals(by=())],
)  # fmt: skip
shown = rates.display_frame(decimals=1)
st.caption(f"{map_titles[map_measure]}: Black residents of each borough, {year}.")
choropleth(
    rates, boundaries().lad, key="overview_map", legend_title="Black residents, per 100,000",
    describe=shown["value"] + " per 100,000 (95% CI " + shown["lower"] + " to " + shown["upper"] + ")",
    label_areas=True, height=380,
)  # fmt: skip
with st.expander("The map as a table"):
    show_table(rates, labels={"area": "Borough", "events": "Events", "population": "Black residents",
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
