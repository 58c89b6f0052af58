"""Areas: a measure on the borough map; click (or choose) a borough to see its neighbourhoods, its
teams and the breakdown by community. The view lives in the URL, so a board paper can link to it, and
each area on a map is a link to its drill-down. Figures come from ``reports.areas``; this page lays
them out."""

from __future__ import annotations

from components.guard import require_page

user = require_page("areas")

import streamlit as st

from components.access import may_open
from components.layout import synthetic_banner
from components.maps import static_choropleth
from components.params import choose, link_with, remember
from components.store import boundaries, fetch, store_facts
from components.tables import csv_about, rate_labels, show_table
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


def about(level: str):
    """What a downloaded table says about itself."""
    return csv_about(title, definition, year, counts_of="events", filters={"group": group, "by": level})


def by_community(*, borough: str, place: str, heading: str, msoa: str = "") -> None:
    """Rates by broad ethnic group at this level of the drill-down, against the reference group."""
    st.subheader(heading)
    community = fetch(report.community, scope, measure_id=measure_id, financial_year=year, borough=borough,
                      place=place, msoa=msoa)  # fmt: skip
    show_table(community.table, labels=rate_labels("Ethnic group", "Events", f"Ratio to {community.reference}"),
               decimals=RATIO_DECIMALS, key=f"areas_community_{msoa or borough or 'trust'}",
               download=about(f"ethnic group in {place}"), download_suffix=f"{place} by group")  # fmt: skip
    if community.sentence:
        st.markdown(community.sentence)
    st.caption(
        f"{community.recording.sentence('here in this year')} They are left out of the rates. Groups are NHS broad "
        f"ethnic groups; ratios compare each with {community.reference} (the trust's reference group)."
    )


def team_links(teams) -> None:
    """Each team opens its own page (for those who may open it), for the same year."""
    if may_open(user.role, "my_team") and len(teams):
        frame = teams.frame
        st.markdown("Open a team: " + " · ".join(f"[{n}](/my_team?team={i}&year={year})"
                                                 for i, n in zip(frame["id"], frame["name"], strict=True)))  # fmt: skip


def pick_neighbourhood() -> None:
    """The neighbourhood chosen in the list goes into the URL before the page runs again."""
    chosen = st.session_state["areas_msoa_pick"]
    if chosen:
        st.query_params["msoa"] = chosen
    else:
        st.query_params.pop("msoa", None)


def neighbourhood_sentence(rates, code: str) -> str:
    """The neighbourhood's published rate against its borough's, as the map's tooltip words it."""
    rows = rates.table.frame.index[rates.table.frame["area_code"] == code]
    return f"This neighbourhood: **{rates.describe.loc[rows[0]]}**." if len(rows) else ""


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
shapes = boundaries().projected  # British National Grid: the maps are drawn on the server
if not borough:
    # ------------------------------------------------------------------ the trust's boroughs
    st.subheader(f"{title}: {who}, {year}")
    rates = fetch(
        report.area_table, scope, measure_id=measure_id, financial_year=year, broad_group=broad_group
    )
    st.markdown(rates.summary)
    static_choropleth(rates.table, shapes.lad, describe=rates.describe, legend_title="Per 100,000 residents",
                      title=f"{title} by borough, {year}",
                      links={code: link_with(borough=code, msoa="") for code in borough_names})  # fmt: skip
    chosen = st.selectbox(
        "Open a borough (or click it on the map)", ["", *borough_names],
        format_func=lambda code: borough_names.get(code, "Choose a borough"), key="areas_borough_pick",
    )  # fmt: skip
    if chosen:
        remember("borough", chosen)
        st.rerun()
    with st.expander("The figures as a table"):
        show_table(rates.table, labels=AREA_LABELS, key="areas_boroughs", download=about("borough"),
                   download_suffix="by borough")  # fmt: skip
    by_community(borough="", place="the trust's area", heading="By community, across the trust")
else:
    # ------------------------------------------------------------------ one borough
    name = borough_names[borough]
    if not single and st.button("← All boroughs", key="areas_back"):
        for key in ("borough", "msoa"):
            st.query_params.pop(key, None)
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
    static_choropleth(rates.table, msoa_shapes, describe=rates.describe, legend_title="Per 100,000 residents",
                      title=f"{title} by neighbourhood in {name}, {year}", label_areas=False,
                      links={code: link_with(msoa=code) for code in msoa_shapes["code"]})  # fmt: skip
    if not undrawn.empty:
        st.caption("Not drawn (new 2021 neighbourhoods with no offline outline; counted in the borough and in the "
                   f"table): {', '.join(undrawn['name'])}")  # fmt: skip
    names_of = dict(msoa_names)
    msoa = choose("msoa", ["", *names_of], "")
    # the URL leads (a click on the map opens a link with the neighbourhood in it); choosing writes the URL
    st.session_state["areas_msoa_pick"] = msoa
    st.selectbox("Open a neighbourhood (or click it on the map)", ["", *names_of], key="areas_msoa_pick",
                 format_func=lambda code: names_of.get(code, f"All of {name}"), on_change=pick_neighbourhood)  # fmt: skip
    with st.expander("The figures as a table"):
        show_table(rates.table, labels=AREA_LABELS, key="areas_msoas", download=about(f"neighbourhood of {name}"),
                   download_suffix=f"{name} by neighbourhood")  # fmt: skip
    if not msoa:
        by_community(borough=borough, place=name, heading="By community")
        st.subheader("Teams based here")
        teams_here = fetch(report.borough_teams, scope, borough=borough, financial_year=year)
        show_table(teams_here, labels={"name": "Team", "service_line": "Service line", "referrals": "Referrals received",
                                       "detentions": "Detentions started"}, key="areas_teams")  # fmt: skip
        team_links(teams_here)
    else:
        # ------------------------------------------------------------------ one neighbourhood
        place = f"{names_of[msoa]} ({name})"
        st.subheader(f"{place}: {title}, {who}, {year}")
        st.markdown(neighbourhood_sentence(rates, msoa))
        by_community(borough=borough, place=place, heading=f"By community in {names_of[msoa]}", msoa=msoa)
        st.subheader("Teams serving its residents")
        serving = fetch(report.area_teams, scope, borough=borough, financial_year=year, msoa=msoa)
        show_table(serving, labels={"name": "Team", "service_line": "Service line",
                                    "referrals": "Referrals of residents", "detentions": "Detentions of residents"},
                   key="areas_msoa_teams")  # fmt: skip
        team_links(serving)

with st.expander("About these figures"):
    st.markdown(
        f"**{title}.** {definition}\n\n"
        f"Rates are per 100,000 residents ({store_facts().get('population_source', 'Census 2021 TS021')}), "
        f"by where people live, with 95% confidence intervals (Byar's method; exact below 10 events). "
        f"A gap is called clear only when its confidence interval excludes 1. {rules.describe()}"
    )
