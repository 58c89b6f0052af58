"""Areas: a measure on the borough map; click (or choose) a borough to see its neighbourhoods, its
teams and the breakdown by community. The view lives in the URL, so a board paper can link to it.
Figures come from ``reports.areas``; this page lays them out."""

from __future__ import annotations

from components.guard import require_page

user = require_page("areas")

import streamlit as st

from components.layout import synthetic_banner
from components.maps import choropleth
from components.params import choose, remember
from components.store import boundaries, fetch, store_facts
from components.tables import rate_labels, show_table
from reports import areas as report
from reports import filters
from reports.common import RATIO_DECIMALS
from reports.settings import policy

ALL_GROUPS = "All"
AREA_LABELS = {"area": "Area", "area_code": "Code", "events": "Events", "population": "Residents",
               "value": "Per 100,000", "lower": "Lower 95% CI", "upper": "Upper 95% CI"}  # fmt: skip

scope = user.scope
rules = policy()
titles = report.measure_titles()

st.title("Areas")
synthetic_banner(store_facts())

boroughs = fetch(filters.boroughs, scope)
borough_names = dict(zip(boroughs["code"], boroughs["name"], strict=True))
years = list(fetch(filters.financial_years, scope)["financial_year"])
group_options = [ALL_GROUPS, *filters.BROAD_GROUPS]

measure_id = choose("measure", list(titles), list(titles)[1])
year = choose("year", years, years[-1])
group = choose("group", group_options, ALL_GROUPS)
# a one-district trust has no borough map to compare: it opens on its neighbourhoods
single = next(iter(borough_names)) if len(borough_names) == 1 else ""
borough = choose("borough", ["", *borough_names], single) or single

first, second, third = st.columns([3, 1, 1])
measure_id = first.selectbox(
    "Measure", list(titles), index=list(titles).index(measure_id), format_func=titles.get, key="areas_measure"
)
year = second.selectbox("Financial year", years, index=years.index(year), key="areas_year")
group = third.selectbox(
    "Ethnic group", group_options, index=group_options.index(group), key="areas_group",
    help="Rates for one broad ethnic group: its events per 100,000 of its population",
)  # fmt: skip
for name, value in (("measure", measure_id), ("year", year), ("group", group)):
    remember(name, value)

title, definition = report.measure_definition(measure_id)
broad_group = "" if group == ALL_GROUPS else group
who = "everyone" if group == ALL_GROUPS else f"{group} people"
shapes = boundaries()
if not borough:
    # ------------------------------------------------------------------ the trust's boroughs
    st.subheader(f"{title}: {who}, {year}")
    rates = fetch(
        report.area_table, scope, measure_id=measure_id, financial_year=year, broad_group=broad_group
    )
    st.markdown(rates.summary)
    clicked = choropleth(rates.table, shapes.lad, key="areas_borough_map", describe=rates.describe,
                         legend_title="Per 100,000 residents", label_areas=True)  # fmt: skip
    chosen = st.selectbox(
        "Open a borough (or click it on the map)", ["", *borough_names],
        format_func=lambda code: borough_names.get(code, "Choose a borough"), key="areas_borough_pick",
    )  # fmt: skip
    target = clicked if clicked in borough_names else chosen
    if target:
        remember("borough", target)
        st.rerun()
    with st.expander("The figures as a table"):
        show_table(rates.table, labels=AREA_LABELS, key="areas_boroughs",
                   download_name=f"{measure_id}-boroughs-{year}.csv")  # fmt: skip
else:
    # ------------------------------------------------------------------ one borough
    name = borough_names[borough]
    if not single and st.button("← All boroughs", key="areas_back"):
        del st.query_params["borough"]
        st.rerun()
    st.subheader(f"{name}: {title}, {who}, {year}")
    msoa_shapes = shapes.msoa[shapes.msoa["parent_code"] == borough]
    undrawn = shapes.undrawn[shapes.undrawn["parent_code"] == borough]
    msoa_names = tuple(zip(msoa_shapes["code"], msoa_shapes["name"], strict=True)) + tuple(
        zip(undrawn["code"], undrawn["name"], strict=True)
    )
    rates = fetch(report.area_table, scope, measure_id=measure_id, financial_year=year, level="msoa",
                  borough=borough, broad_group=broad_group, names=msoa_names, benchmark_name=name)  # fmt: skip
    st.markdown(rates.summary)
    choropleth(rates.table, msoa_shapes, key="areas_msoa_map", describe=rates.describe,
               legend_title="Per 100,000 residents")  # fmt: skip
    if not undrawn.empty:
        st.caption("Not drawn (new 2021 neighbourhoods with no offline outline; counted in the borough and in the "
                   f"table): {', '.join(undrawn['name'])}")  # fmt: skip
    with st.expander("The figures as a table"):
        show_table(
            rates.table,
            labels=AREA_LABELS,
            key="areas_msoas",
            download_name=f"{measure_id}-{borough}-{year}.csv",
        )

    st.subheader("By community")
    community = fetch(
        report.community, scope, measure_id=measure_id, financial_year=year, borough=borough, place=name
    )
    show_table(community.table, labels=rate_labels("Ethnic group", "Events", f"Ratio to {community.reference}"),
               decimals=RATIO_DECIMALS, key="areas_community",
               download_name=f"{measure_id}-{borough}-{year}-by-community.csv")  # fmt: skip
    if community.sentence:
        st.markdown(community.sentence)
    st.caption(
        f"{community.recording.sentence('in this borough and year')} They are left out of the rates. Groups are "
        f"NHS broad ethnic groups; ratios compare each with {community.reference} (the trust's reference group)."
    )

    st.subheader("Teams based here")
    show_table(
        fetch(report.borough_teams, scope, borough=borough, financial_year=year),
        labels={"name": "Team", "service_line": "Service line", "referrals": "Referrals received",
                "detentions": "Detentions started"},
        key="areas_teams",
    )  # fmt: skip

with st.expander("About these figures"):
    st.markdown(
        f"**{title}.** {definition}\n\n"
        f"Rates are per 100,000 residents ({store_facts().get('population_source', 'Census 2021 TS021')}), "
        f"by where people live, with 95% confidence intervals (Byar's method; exact below 10 events). "
        f"A gap is called clear only when its confidence interval excludes 1. {rules.describe()}"
    )
