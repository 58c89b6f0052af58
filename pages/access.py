"""Service access by community: who reaches services (people referred, accepted and seen per 100,000
residents), by which route, how fast, and who drops out, for every characteristic in the data and for
the trust's priority communities. Figures come from ``reports.access``; this page reads the filters and
lays them out (only published figures)."""

from __future__ import annotations

from components.guard import require_page

user = require_page("access")

import streamlit as st

from components.charts import forest_plot, route_mix_chart, spc_chart
from components.copy import page_copy
from components.layout import is_synthetic, long_date, synthetic_banner
from components.maps import choropleth
from components.params import choose, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import rate_labels, show_table
from reports import access as report
from reports import areas, filters
from reports.common import RATIO_DECIMALS
from reports.settings import policy

LABELS, COMMUNITIES = report.LABELS, report.COMMUNITIES
rules = policy()
scope = user.scope
facts = store_facts()

st.title("Service access")
synthetic_banner(facts)

# ---------------------------------------------------------------------------------------------- filters
boroughs = fetch(filters.boroughs, scope)
borough_names = dict(zip(boroughs["code"], boroughs["name"], strict=True))
years = list(fetch(filters.financial_years, scope)["financial_year"])
lines = fetch(filters.service_lines, scope)
characteristics = report.characteristics()

year = choose("year", years, years[-1])
borough = choose("borough", ["", *borough_names], "")
line = choose("line", ["", *lines], "")
characteristic = choose("by", characteristics, "broad_group")

cols = st.columns([1, 1, 1, 1.4])
year = cols[0].selectbox("Financial year", years, index=years.index(year), key="access_year")
borough = cols[1].selectbox(
    "Borough", ["", *borough_names], index=["", *borough_names].index(borough),
    format_func=lambda c: borough_names.get(c, "All boroughs"), key="access_borough",
)  # fmt: skip
line = cols[2].selectbox(
    "Service line", ["", *lines], index=["", *lines].index(line),
    format_func=lambda s: s or "All services", key="access_line",
)  # fmt: skip
characteristic = cols[3].selectbox(
    "Compare by", characteristics, index=characteristics.index(characteristic), format_func=LABELS.get,
    key="access_by",
)  # fmt: skip
for name, value in (("year", year), ("borough", borough), ("line", line), ("by", characteristic)):
    if value:
        remember(name, value)
    elif name in st.query_params:
        del st.query_params[name]

where = borough_names.get(borough, "the trust's boroughs")
service = line or "all services"
standard = TRUST.waiting_standard_days
selection = {"financial_year": year, "borough": borough, "service_line": line}
group_title = "Community" if characteristic == COMMUNITIES else LABELS[characteristic]
by_words = LABELS[characteristic].lower()


def percent_labels(count: str, count_title: str, denominator: str, denominator_title: str, what: str) -> dict:
    return {"group": group_title, count: count_title, denominator: denominator_title, "value": what,
            "lower": "Lower 95% CI", "upper": "Upper 95% CI", "comparison": "Against everyone"}  # fmt: skip


figures = fetch(report.report, scope, characteristic=characteristic, **selection)
if figures is None:
    st.info(f"No referrals were received in {year} for {service} in {where}.")
    st.stop()

tabs = ["Access", "Routes in", "Timeliness", "Engagement", "Intersections", "Trend"]
if user.role == "equality_lead":
    tabs.append("Teams")
tab = dict(zip(tabs, st.tabs(tabs), strict=True))

# ---------------------------------------------------------------------------------------------- access
with tab["Access"]:
    measure = st.radio("Measure", list(report.MEASURES), format_func=lambda m: report.MEASURES[m][0],
                       horizontal=True, key="access_measure")  # fmt: skip
    title = report.MEASURES[measure][0]
    st.subheader(f"{title} per 100,000 residents by {by_words}, {year}")
    st.caption(f"{service.capitalize()}; people living in {where}.")
    if measure in figures.rates:
        rates = figures.rates[measure]
        show_table(rates.table, labels=rate_labels(group_title, title, rates.ratio_title), decimals=RATIO_DECIMALS,
                   key="access_rates", download_name=f"access-{measure}-{characteristic}-{year}.csv")  # fmt: skip
        forest_plot(rates.table, label="group", value="ratio_value", lower="ratio_lower", upper="ratio_upper",
                    title=f"{title}: {rates.ratio_title[:1].lower()}{rates.ratio_title[1:]}", key="access_forest")  # fmt: skip
        if rates.sentences:
            st.markdown("\n".join(f"- {s}" for s in rates.sentences))
        if figures.without_population:
            st.caption(
                f"{', '.join(figures.without_population)}: defined by first language or religion, which the "
                "population table does not hold, so no rate per 100,000 can be given; see their share of people "
                "referred below."
            )
    if measure in figures.shares:
        st.markdown(
            "**Share of people referred.** "
            + ("Each community's share of the people referred, against its share across the whole trust."
               if figures.has_population else
               "No population denominator is loaded for this characteristic, so each group is shown as a share "
               "of the people referred (not a rate), against its share across the whole trust.")
        )  # fmt: skip
        labels = percent_labels(measure, title, "everyone", "Everyone", "% of everyone")
        show_table(figures.shares[measure], labels={**labels, "comparison": "Against the trust-wide share"},
                   key="access_shares", download_name=f"access-share-{measure}-{characteristic}-{year}.csv")  # fmt: skip

    if characteristic in ("broad_group", "ethnic_category") and not borough:
        st.markdown("**On the map: referrals per 100,000 residents by borough.**")
        map_group = st.selectbox("Ethnic group on the map", list(report.MAP_GROUPS), key="access_map_group")
        rates_map = fetch(areas.area_table, scope, measure_id="referrals_rate", financial_year=year,
                          broad_group="" if map_group == "All" else map_group)  # fmt: skip
        shown_map = rates_map.table.display_frame(decimals=1)
        choropleth(
            rates_map.table, boundaries().lad, key="access_map", legend_title="Referrals per 100,000", label_areas=True,
            describe=shown_map["value"] + " referrals per 100,000 (95% CI " + shown_map["lower"] + " to "
            + shown_map["upper"] + ")",
        )  # fmt: skip
        group_param = "" if map_group == "All" else f"&group={map_group}"
        st.markdown(
            f"[Open the Areas page for neighbourhood (MSOA) drill-down](/areas?measure=referrals_rate&year={year}"
            f"{group_param})"
        )

# ---------------------------------------------------------------------------------------------- routes
with tab["Routes in"]:
    st.subheader(f"How people were referred, by {by_words}, {year}")
    st.markdown(
        f"**Police or criminal-justice route.** Across everyone, {figures.everyone_police_pct:.1f}% of referrals "
        "came from the police or the criminal justice system. Groups marked higher have a 95% confidence interval "
        "wholly above that."
    )
    if figures.over_represented:
        st.warning("Over-represented on the police or criminal-justice route: " + ", ".join(figures.over_represented)
                   + ".", icon=":material/local_police:")  # fmt: skip
    show_table(
        figures.police,
        labels=percent_labels("source_police", "From police or criminal justice", "referrals", "Referrals",
                              "% from police or criminal justice"),
        key="access_police", download_name=f"access-police-route-{characteristic}-{year}.csv",
    )  # fmt: skip
    st.markdown("**All routes in (% of each group's referrals).**")
    show_table(
        figures.routes,
        labels={"group": "Group", "referrals": "Referrals", **{f"{c}_pct": f"% {n}" for c, n in report.SOURCES.items()}},
        key="access_mix", download_name=f"access-routes-{characteristic}-{year}.csv",
    )  # fmt: skip
    route_mix_chart(figures.routes, report.SOURCES)

# ---------------------------------------------------------------------------------------------- waits
with tab["Timeliness"]:
    st.subheader(f"Referral to first contact, by {by_words}, {year}")
    if figures.everyone_median is not None:
        st.markdown(
            f"Across everyone, the median wait from referral to first contact was **{figures.everyone_median:.0f} "
            f"days**, and **{figures.everyone_within_pct:.1f}%** of accepted referrals were seen within {standard} days."
        )  # fmt: skip
    show_table(
        figures.median_waits,
        labels={"group": "Group", "waited": "Referrals seen", "median": "Median days to first contact"},
        decimals={"median": 1}, key="access_median", download_name=f"access-median-wait-{characteristic}-{year}.csv",
    )  # fmt: skip
    show_table(
        figures.within_standard,
        labels=percent_labels("seen_within_standard", f"Seen within {standard} days", "accepted_referrals",
                              "Accepted referrals", f"% seen within {standard} days"),
        key="access_within", download_name=f"access-within-standard-{characteristic}-{year}.csv",
    )  # fmt: skip

# ---------------------------------------------------------------------------------------------- engagement
with tab["Engagement"]:
    st.subheader(f"Engagement, by {by_words}, {year}")
    st.markdown("**Did not attend (% of booked appointments).**")
    show_table(
        figures.dna, labels=percent_labels("dna", "Not attended", "booked", "Booked appointments", "% not attended"),
        key="access_dna", download_name=f"access-dna-{characteristic}-{year}.csv",
    )  # fmt: skip
    st.markdown("**Discharged before treatment (% of referrals seen at least once).**")
    show_table(
        figures.discharged,
        labels=percent_labels("discharged_before_treatment", "Discharged before treatment", "seen_referrals",
                              "Referrals seen", "% discharged before treatment"),
        key="access_dropout", download_name=f"access-discharged-before-treatment-{characteristic}-{year}.csv",
    )  # fmt: skip
    st.markdown(f"**{report.TALKING_THERAPIES}: recovery (% of finished courses that started at caseness).**")
    show_table(
        figures.recovery,
        labels=percent_labels("recovered", "Recovered", "at_caseness", "Finished at caseness", "% recovered"),
        key="access_recovery", download_name=f"access-tt-recovery-{characteristic}-{year}.csv",
    )  # fmt: skip
    st.caption(
        "The national ambition for recovery is 50%. Outcomes follow the course's end date, not the referral's."
    )
    if figures.talking_therapies is not None:
        st.markdown(f"**{report.TALKING_THERAPIES}: people referred per 100,000 residents.**")
        talking = figures.talking_therapies
        show_table(talking.table, labels=rate_labels("Group", "People referred", talking.ratio_title),
                   decimals=RATIO_DECIMALS, key="access_tt_rates",
                   download_name=f"access-tt-rates-{characteristic}-{year}.csv")  # fmt: skip

# ---------------------------------------------------------------------------------------------- intersections
with tab["Intersections"]:
    plain = [c for c in LABELS if c != COMMUNITIES]
    left, right = st.columns(2)
    first = left.selectbox("First characteristic", plain, index=plain.index("broad_group"),
                           format_func=LABELS.get, key="access_x_first")  # fmt: skip
    others = [c for c in plain if c != first]
    second = right.selectbox("Second characteristic", others, index=others.index("age_band"),
                             format_func=LABELS.get, key="access_x_second")  # fmt: skip
    crossed, has_population = fetch(report.intersections, scope, first=first, second=second, **selection)
    st.subheader(f"People referred by {LABELS[first].lower()} and {LABELS[second].lower()}, {year}")
    labels = {first: LABELS[first], second: LABELS[second], "people_referred": "People referred"}
    if has_population:
        st.caption("Each cell's rate per 100,000 residents, and its ratio to everyone outside the cell.")
        labels |= {
            k: v
            for k, v in rate_labels("", "", "Ratio to everyone else").items()
            if k not in ("group", "events")
        }
    else:
        st.caption(
            "No population denominator is loaded for at least one of these characteristics: each cell is shown "
            f"as a share of its {LABELS[first].lower()} group's people referred."
        )
        labels |= {
            "value": f"% of the {LABELS[first].lower()} group",
            "lower": "Lower 95% CI",
            "upper": "Upper 95% CI",
        }
    show_table(crossed, labels=labels, decimals={**RATIO_DECIMALS, "value": 1, "lower": 1, "upper": 1},
               key="access_cross", download_name=f"access-{first}-by-{second}-{year}.csv")  # fmt: skip
    st.caption(
        "Cells are suppressed when small, and further cells are hidden where a hidden one could be worked out "
        "from its row or column total (secondary suppression)."
    )

# ---------------------------------------------------------------------------------------------- trend
with tab["Trend"]:
    chosen = st.selectbox("Group", list(figures.groups), key="access_trend_group")
    trend = fetch(
        report.trend, scope, group=chosen, characteristic=characteristic, borough=borough, service_line=line
    )
    st.subheader(f"People referred each month: {chosen}")
    spc_chart(trend.series, x="month_start", value=trend.value, improvement="neutral", title=f"{chosen}: "
              f"{trend.unit.lower()}", unit=trend.unit, key="access_spc", polarity="neutral",
              subject=f"The latest month for {chosen}")  # fmt: skip
    if not trend.has_rate:
        st.caption(
            "No population denominator for this group, so the chart shows counts of people, not a rate."
        )
    if trend.series.suppressed_any:
        st.caption(
            f"Months with 1 to {rules.threshold - 1} people are hidden (gaps in the chart) and left out of the limits."
        )

# ---------------------------------------------------------------------------------------------- teams
if "Teams" in tab:
    with tab["Teams"]:
        st.subheader(f"Teams: people referred by {by_words}, {year}")
        if characteristic == COMMUNITIES:
            st.caption("Priority communities overlap, so teams are shown by broad ethnic group.")
        team_dim, teams_table = fetch(report.teams, scope, characteristic=characteristic, **selection)
        show_table(
            teams_table,
            labels={"team": "Team", team_dim: LABELS[team_dim], "people_referred": "People referred",
                    "value": "% of the team's people", "lower": "Lower 95% CI", "upper": "Upper 95% CI"},
            key="access_teams", download_name=f"access-teams-{team_dim}-{year}.csv",
        )  # fmt: skip

# ---------------------------------------------------------------------------------------------- notes
with st.expander("Things you need to know"):
    st.markdown(
        page_copy(
            "access", year=year, data_start=long_date(facts.get("data_start", "2000-01-01")),
            data_end=long_date(facts.get("data_end", "2000-01-01")),
            synthetic_note="All figures are synthetic (a generated demonstration trust)." if is_synthetic(facts) else "",
            population_source=facts.get("population_source", "Census 2021"), unrecorded=figures.recording.amount(),
            suppression=rules.describe(), standard_days=standard,
        )
    )  # fmt: skip
