"""Board overview: the handful of measures that matter, on one screen, with honest verdicts (trend,
change on last year, target, England), an executive summary built from the same objects, and the board
pack (PDF) built on the server from the same figures."""

from __future__ import annotations

from components.guard import require_page

user = require_page("overview")

import streamlit as st

from components.board import headline_tiles
from components.charts import spc_chart
from components.copy import page_sections
from components.layout import is_synthetic, long_date, page_style, synthetic_label
from components.maps import static_choropleth
from components.params import choose, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import show_table
from reports import areas, filters
from reports.board_pack import build_board_pack
from reports.data_quality import ethnicity_recording
from reports.headlines import compute_headlines, executive_summary_for, map_benchmarks
from reports.settings import policy, reference_group

scope = user.scope
facts = store_facts()
years = list(fetch(filters.financial_years, scope)["financial_year"])
rules, reference = policy(), reference_group()
BLACK = filters.BLACK_GROUP
year = choose("year", years, years[-1])
presenting = choose("present", ["0", "1"], "0") == "1"
page_style("overview", *(["overview-present"] if presenting else []))

st.title(f"Board overview: {facts.get('trust_name', TRUST.name)}")
if is_synthetic(facts):
    if presenting:  # one line, so the verdicts stay on the first screen
        st.markdown(
            "**Synthetic data**: a generated demonstration trust, not real patients, staff or census counts."
        )
    else:
        st.warning(synthetic_label(facts), icon=":material/science:")

if not presenting:
    left, right = st.columns([1, 3])
    year = left.selectbox("Financial year", years, index=years.index(year), key="overview_year")
    right.toggle("Presentation mode (large type, no menus)", key="overview_present_toggle", value=False)
    if st.session_state.get("overview_present_toggle"):
        remember("present", "1")
        st.rerun()
remember("year", year)

headlines = fetch(
    compute_headlines, scope, financial_year=year, headline_ids=TRUST.headline_measures,
    threshold=TRUST.suppression_threshold, base=TRUST.rounding_base, reference_code=TRUST.reference_group,
)  # fmt: skip
summary = executive_summary_for(headlines)
recording = fetch(ethnicity_recording, scope, financial_year=year)
copy = page_sections("overview", reference=reference, recording=recording.sentence(f"in {year}"),
                     policy=rules.describe())  # fmt: skip
period = f"**{year}**: {long_date(facts['data_start'])} to {long_date(facts['data_end'])} data"


def show_summary() -> None:
    st.subheader(f"Executive summary, {year}")
    st.markdown("\n".join(f"- {sentence}" for sentence in summary))


if presenting:
    headline_tiles(headlines)
    if st.button("Leave presentation mode", key="overview_leave"):
        remember("present", "0")
        st.rerun()
    show_summary()
else:
    st.markdown(f"{period}. Every ratio compares with {reference} people unless the tile says otherwise.")
    show_summary()
    headline_tiles(headlines)
    st.markdown(copy["how_to_read"])

st.subheader("Each headline in full")
for start in range(0, len(headlines), 2):
    for column, headline in zip(st.columns(2), headlines[start : start + 2], strict=False):
        with column.container(border=True):
            st.markdown(f"**{headline.title}**: {headline.compares}. {headline.counts}")
            st.caption(
                f"{headline.subject}: {headline.group_value}. {headline.reference}: {headline.reference_value}. "
                f"Ratio {headline.ratio_text}."
            )
            st.markdown("\n".join(f"- {sentence}" for sentence in headline.sentences))
            if (
                headline.trend is not None
                and headline.spc is not None
                and headline.spc.last_index is not None
            ):
                spc_chart(
                    headline.trend, x="month_start", value="ratio", improvement=headline.spc.improvement,
                    title=f"Monthly ratio, Black to {reference}, {year} (1 is parity)",
                    unit=f"Ratio to {reference}", key=f"overview_spc_{headline.measure_id}", height=190, picture=True,
                )  # fmt: skip

st.subheader("Things you need to know")
st.markdown(
    copy["know"] + ("\n- **The data are synthetic** (a demonstration trust)." if is_synthetic(facts) else "")
)

st.subheader("On the map")
map_titles = areas.measure_titles()
map_measure = choose("map", list(map_titles), list(map_titles)[1])
if not presenting:
    map_measure = st.selectbox("Measure", list(map_titles), index=list(map_titles).index(map_measure),
                               format_func=map_titles.get, key="overview_map_measure")  # fmt: skip
remember("map", map_measure)
rates = fetch(areas.area_table, scope, measure_id=map_measure, financial_year=year, broad_group=BLACK)
benchmarks = {f"Compared with {b.name}": b for b in map_benchmarks(rates.table, map_measure, year)}
views = [*benchmarks, "Quantiles (fifths of the boroughs' rates)"]
view = choose("map_view", views, views[0])
if not presenting:
    view = st.radio(
        "Colour the boroughs", views, index=views.index(view), horizontal=True, key="overview_map_view"
    )
remember("map_view", view)
chosen = benchmarks.get(view)
st.caption(
    f"{map_titles[map_measure]}: the rate for Black residents of each borough, per 100,000 Black residents, {year}. "
    + rates.summary
)
static_choropleth(
    rates.table, boundaries().projected.lad, legend_title="Rate per 100,000 Black residents",
    describe=rates.describe.str.split("; ").str[0], title=f"{map_titles[map_measure]} by borough, {year}",
    benchmark=None if chosen is None else chosen.value, benchmark_name="" if chosen is None else chosen.name,
    benchmark_text="" if chosen is None else chosen.text,
    legend_note="Colours compare each borough's 95% confidence interval with the benchmark (Fingertips' method)."
    if chosen is not None else "Colours are fifths of the boroughs' rates: they rank boroughs, not test them.",
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
