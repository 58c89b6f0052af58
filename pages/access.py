"""Service access by community: who reaches services (people referred, accepted and seen per 100,000
residents), by which route, how fast, and who drops out, for every characteristic in the data, for
intersections of up to three characteristics and for priority communities (configured, or built here
from filters). Figures come from ``reports.access``; this page reads the view from the URL and lays out
published figures only. Only the open tab is computed."""

from __future__ import annotations

from components.guard import require_page

user = require_page("access")

import streamlit as st

from components.charts import forest_plot, route_mix_chart, spc_chart
from components.copy import page_copy
from components.layout import is_synthetic, long_date, synthetic_banner
from components.maps import static_choropleth
from components.params import choose, link_with, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import csv_about, show_table
from reports import access as report
from reports import areas, filters
from reports.settings import policy

LABELS, COMMUNITIES = report.LABELS, report.COMMUNITIES
SECTIONS = {"access": "Access", "routes": "Routes in", "timeliness": "Timeliness", "engagement": "Engagement",
            "intersections": "Intersections", "trend": "Trend", "teams": "Teams"}  # fmt: skip
if user.role != "equality_lead":
    del SECTIONS["teams"]
rules, scope, facts = policy(), user.scope, store_facts()
standard = TRUST.waiting_standard_days
view: dict[str, tuple[str, str]] = {}  # URL parameter: (value, default)

st.title("Service access")
synthetic_banner(facts)


def pick(column, label, name, options, default, **kwargs):
    """A select box starting from the URL's value (checked against ``options``), kept in the URL."""
    options = list(options)
    value = column.selectbox(label, options, index=options.index(choose(name, options, default)),
                             key=f"access_{name}", **kwargs)  # fmt: skip
    view[name] = (value, default)
    return value


def pick_many(column, label, name, options, **kwargs):
    """A multiselect starting from the URL's values ('|'-separated; unknown ones dropped with a warning)."""
    raw = [v for v in st.query_params.get(name, "").split("|") if v]
    if any(v not in options for v in raw):
        st.warning(f"The link asked for an unknown {name}; it is ignored.", icon=":material/link_off:")
    values = column.multiselect(label, list(options), default=[v for v in raw if v in options],
                                key=f"access_{name}", **kwargs)  # fmt: skip
    view[name] = ("|".join(values), "")
    return tuple(values)


# ---------------------------------------------------------------------------------------------- filters
boroughs = fetch(filters.boroughs, scope)
borough_names = {"": "All boroughs", **dict(zip(boroughs["code"], boroughs["name"], strict=True))}
years = list(fetch(filters.financial_years, scope)["financial_year"])
lines = ["", *fetch(filters.service_lines, scope)]
cols = st.columns([1, 1, 1, 1.4])
year = pick(cols[0], "Financial year", "year", years, years[-1])
borough = pick(cols[1], "Borough", "borough", borough_names, "", format_func=borough_names.get)
line = pick(cols[2], "Service line", "line", lines, "", format_func=lambda s: s or "All services")
characteristic = pick(
    cols[3], "Compare by", "by", report.characteristics(), "broad_group", format_func=LABELS.get
)
custom: tuple = ()
if characteristic == COMMUNITIES:
    st.caption("Priority communities come from the trust's configuration. Build another from filters (a person "
               "belongs when every filter matches); it is added to the tables and kept in the link.")  # fmt: skip
    build = st.columns(len(report.BUILD_ATTRIBUTES))
    values = {**report.BUILD_VALUES, "borough": tuple(borough_names.values())[1:]}
    custom = tuple((a, pick_many(build[i], label, f"c_{a}", values[a], format_func=lambda v, a=a: report.group_name(a, v)))
                   for i, (a, label) in enumerate(report.BUILD_ATTRIBUTES.items()))  # fmt: skip
where = borough_names[borough] if borough else "the trust's boroughs"
service = line or "all services"
selection = {"financial_year": year, "borough": borough, "service_line": line}
shown_filters = {
    k: v for k, v in (("borough", borough_names[borough] if borough else ""), ("service line", line)) if v
}
group_title = "Community" if characteristic == COMMUNITIES else LABELS[characteristic]
by_words = LABELS[characteristic].lower()


def download(measure: str, definition: str, counts_of: str, suffix: str) -> dict:
    return {"download": csv_about(measure, definition, year, counts_of=counts_of, filters=shown_filters),
            "download_suffix": suffix}  # fmt: skip


figures = fetch(report.report, scope, characteristic=characteristic, custom=custom, **selection)
if figures is None:
    st.info(f"No referrals were received in {year} for {service} in {where}.")
    st.stop()
reference = figures.reference
ratio_title = f"Ratio to {reference}"
for note in figures.notes:
    st.caption(note)

section = choose("tab", list(SECTIONS), "access")
st.tabs(list(SECTIONS.values()), default=SECTIONS[section], key="access_tab", on_change="rerun")
opened = st.session_state.get("access_tab") or SECTIONS[section]
section = next(name for name, label in SECTIONS.items() if label == opened)
view["tab"] = (section, "access")


def share_labels(key: str, count: str, count_title: str, denominator: str, denominator_title: str) -> dict:
    return {"group": group_title, denominator: denominator_title, count: count_title, f"{key}": "%",
            f"{key}_lower": "Lower 95% CI", f"{key}_upper": "Upper 95% CI", f"{key}_ratio": ratio_title,
            f"{key}_ratio_lower": "Ratio lower 95% CI", f"{key}_ratio_upper": "Ratio upper 95% CI"}  # fmt: skip


def sentences(key: str) -> None:
    if figures.sentences.get(key):
        st.markdown("\n".join(f"- {s}" for s in figures.sentences[key]))


# ---------------------------------------------------------------------------------------------- access
if section == "access":
    measure = pick(st, "Measure", "measure", report.MEASURES, "people_referred",
                   format_func=lambda m: report.MEASURES[m][0])  # fmt: skip
    title = report.MEASURES[measure][0]
    if figures.has_population:
        st.subheader(f"{title} per 100,000 residents by {by_words}, {year}: against {reference}")
        st.caption(f"{service.capitalize()}; people living in {where}. Counts people (each person once).")
        labels = {"group": group_title, measure: title, "population": "Residents", f"{measure}_rate": "Per 100,000",
                  f"{measure}_rate_lower": "Lower 95% CI", f"{measure}_rate_upper": "Upper 95% CI",
                  f"{measure}_rate_ratio": ratio_title, f"{measure}_rate_ratio_lower": "Ratio lower 95% CI",
                  f"{measure}_rate_ratio_upper": "Ratio upper 95% CI"}  # fmt: skip
        show_table(figures.people, labels=labels, key="access_rates",
                   **download(f"{title} per 100,000 residents by {by_words}", f"{title}, per 100,000 residents; "
                              f"ratios to {reference}", "people", "by group"))  # fmt: skip
        forest_plot(figures.people, label="group", value=f"{measure}_rate_ratio", lower=f"{measure}_rate_ratio_lower",
                    upper=f"{measure}_rate_ratio_upper", title=f"{title}: ratio to {reference}", key="access_forest")  # fmt: skip
        sentences(measure)
    else:
        st.subheader(
            f"{title} by {by_words}, {year}: counts, and the share accepted and seen against {reference}"
        )
        st.markdown(f"No population denominator is loaded for {by_words}, so no rate per 100,000 can be given. "
                    "Each group's people referred are counted, with the share of them accepted and seen.")  # fmt: skip
    for key, count in (("accepted_share", "people_accepted"), ("seen_share", "people_seen")):
        what = "accepted" if key == "accepted_share" else "seen"
        st.markdown(f"**Share of the people referred who were {what} (%), against {reference}.**")
        show_table(figures.people, labels=share_labels(key, count, f"People {what}", "people_referred", "People referred"),
                   key=f"access_{key}", **download(f"People {what} (% of people referred) by {by_words}",
                   f"People {what} as a % of people referred; ratios to {reference}", "people", f"{what} by group"))  # fmt: skip
    if characteristic in ("broad_group", "ethnic_category") and not borough and not line:
        st.markdown("**On the map: referrals per 100,000 residents by borough (all services).**")
        map_group = pick(st, "Ethnic group on the map", "map_group", report.MAP_GROUPS, "All")
        rates_map = fetch(areas.area_table, scope, measure_id="referrals_rate", financial_year=year,
                          broad_group="" if map_group == "All" else map_group)  # fmt: skip
        shown_map = rates_map.table.display_frame(decimals=1)
        on_areas = {
            "measure": "referrals_rate",
            "year": year,
            "group": "" if map_group == "All" else map_group,
        }
        static_choropleth(rates_map.table, boundaries().projected.lad, legend_title="Referrals per 100,000",
                          title=f"Referrals per 100,000 residents by borough, {year}",
                          describe=shown_map["value"] + " referrals per 100,000 (95% CI " + shown_map["lower"]
                          + " to " + shown_map["upper"] + ")",
                          links={code: link_with("/areas", **on_areas, borough=code)
                                 for code in rates_map.table.frame["area_code"]})  # fmt: skip
        st.markdown(f"Click a borough to open its neighbourhoods (MSOAs) on the Areas page, or [open the Areas page]"
                    f"({link_with('/areas', **on_areas)}).")  # fmt: skip

# ---------------------------------------------------------------------------------------------- routes
if section == "routes":
    st.subheader(f"How people were referred, by {by_words}, {year}: against {reference}")
    everyone = figures.everyone.display_frame().iloc[0]
    st.markdown(f"**Police or criminal-justice route.** Across everyone in the selection, {report.shown_share(everyone['police_pct'])} of "
                "referrals came from the police or the criminal justice system (counts referrals, not people).")  # fmt: skip
    sentences("police")
    show_table(figures.people, labels=share_labels("police_pct", "source_police", "From police or criminal justice",
                                                   "referrals", "Referrals"),
               key="access_police", **download(f"Police or criminal-justice route by {by_words}",
               f"Referrals from the police or criminal justice, % of referrals; ratios to {reference}", "events",
               "police route by group"))  # fmt: skip
    st.markdown("**All routes in (% of each group's referrals).**")
    show_table(figures.people, labels={"group": group_title, "referrals": "Referrals",
                                       **{f"{c}_pct": f"% {n}" for c, n in report.SOURCES.items()}},
               key="access_mix", **download(f"Routes in by {by_words}", "Referrals by route in, % of referrals",
                                            "events", "routes by group"))  # fmt: skip
    route_mix_chart(figures.people, report.SOURCES)

# ---------------------------------------------------------------------------------------------- waits
if section == "timeliness":
    st.subheader(f"Referral to first contact, by {by_words}, {year}: against {reference}")
    everyone = figures.everyone_waits.display_frame().iloc[0]
    st.markdown(f"Across everyone in the selection, the median wait from referral to first contact was "
                f"**{everyone['median'] or 'not shown'} days**, and **{report.shown_share(everyone['within_pct'])}** of accepted "
                f"referrals were seen within {standard} days (counts referrals).")  # fmt: skip
    if figures.waits is None:
        st.info(
            f"Waits are not kept by {by_words}; choose ethnic group, sex, age band, deprivation or borough."
        )
    else:
        sentences("within")
        show_table(figures.waits, labels={"group": group_title, "waited": "Referrals seen",
                                          "median": "Median days to first contact"}, decimals={"median": 1},
                   key="access_median", **download(f"Median days to first contact by {by_words}",
                   "Median days from referral to first contact, accepted referrals seen", "events", "median wait"))  # fmt: skip
        show_table(figures.waits, labels=share_labels("within_pct", "within", f"Seen within {standard} days",
                                                      "accepted", "Accepted referrals"),
                   key="access_within", **download(f"Seen within {standard} days by {by_words}",
                   f"Accepted referrals seen within {standard} days, %; ratios to {reference}", "events", "within standard"))  # fmt: skip
        st.caption(
            f"A median is not shown for fewer than {rules.threshold} referrals. Age is the age at each referral."
        )

# ---------------------------------------------------------------------------------------------- engagement
if section == "engagement":
    st.subheader(f"Engagement, by {by_words}, {year}: against {reference}")
    for key, count, count_title, denominator, denominator_title, what in (
        ("dna_pct", "dna", "Not attended", "booked", "Booked appointments", "Did not attend (% of booked appointments)"),
        ("discharged_pct", "discharged_before_treatment", "Discharged before treatment", "seen_referrals",
         "Referrals seen", "Discharged before treatment (% of referrals seen at least once)"),
    ):  # fmt: skip
        st.markdown(f"**{what}.**")
        sentences(key.removesuffix("_pct"))
        show_table(figures.people, labels=share_labels(key, count, count_title, denominator, denominator_title),
                   key=f"access_{key}", **download(f"{what} by {by_words}", f"{what}; ratios to {reference}",
                                                   "events", key.removesuffix("_pct")))  # fmt: skip
    st.markdown(f"**{report.TALKING_THERAPIES}: recovery (% of finished courses that started at caseness), "
                f"against {reference}.**")  # fmt: skip
    sentences("recovery")
    show_table(figures.talking, labels=share_labels("recovery_pct", "recovered", "Recovered", "at_caseness",
                                                    "Finished at caseness"),
               key="access_recovery", **download(f"Talking Therapies recovery by {by_words}", "Recovered, % of "
               f"finished courses at caseness; ratios to {reference}", "events", "recovery"))  # fmt: skip
    st.caption("The national ambition for recovery is 50%. Outcomes follow the course's end date, not the referral's; "
               "the service-line filter does not apply (every course is Talking Therapies).")  # fmt: skip

# ---------------------------------------------------------------------------------------------- intersections
if section == "intersections":
    crossable = list(report.CROSSABLE)
    left, middle, right, last = st.columns(4)
    cross_measure = pick(left, "Measure", "x_measure", report.CROSS_MEASURES, "people_referred",
                         format_func=report.CROSS_MEASURES.get)  # fmt: skip
    first = pick(middle, "First characteristic", "x1", crossable, "broad_group", format_func=LABELS.get)
    second = pick(right, "Second", "x2", ["", *crossable], "sex", format_func=lambda c: LABELS.get(c, "None"))
    third = pick(
        last, "Third", "x3", ["", *crossable], "age_band", format_func=lambda c: LABELS.get(c, "None")
    )
    dims = tuple(dict.fromkeys(d for d in (first, second, third) if d))
    if {"broad_group", "ethnic_category"} <= set(dims):
        st.info("Choose broad or detailed ethnic groups, not both.")
    else:
        crossed = fetch(report.intersections, scope, dims=dims, measure=cross_measure, **selection)
        names = " × ".join(LABELS[d].lower() for d in dims)
        unit = "per 100,000 residents" if crossed.value == "rate" else "%"
        st.subheader(
            f"{report.CROSS_MEASURES[cross_measure]} by {names}, {year} ({unit}): each against everyone in the selection"
        )
        labels = {d: LABELS[d] for d in dims} | {c: c.replace("_", " ").capitalize() for c in crossed.counts}
        if crossed.value == "rate":
            labels |= {"population": "Residents", "rate": "Per 100,000", "rate_lower": "Lower 95% CI",
                       "rate_upper": "Upper 95% CI"}  # fmt: skip
        else:
            labels |= {"share": "%", "share_lower": "Lower 95% CI", "share_upper": "Upper 95% CI"}
        if f"{crossed.value}_ratio" in crossed.table.frame:
            labels |= {f"{crossed.value}_ratio": "Ratio to everyone", f"{crossed.value}_ratio_lower": "Ratio lower 95% CI",
                       f"{crossed.value}_ratio_upper": "Ratio upper 95% CI"}  # fmt: skip
        elif cross_measure in report.MEASURES:
            st.caption("No population denominator for one of these characteristics: each cell is a share of everyone "
                       "in the selection, not a rate.")  # fmt: skip
        st.markdown("\n".join(f"- {s}" for s in crossed.sentences))
        show_table(crossed.table, labels=labels, key="access_cross",
                   **download(f"{report.CROSS_MEASURES[cross_measure]} by {names}", "Each cell against everyone in the selection",
                              "people" if cross_measure in report.MEASURES else "events", "intersection"))  # fmt: skip
        st.caption("Cells are published with each characteristic's totals, so no hidden cell can be worked out from "
                   "them; further cells are hidden where one could be (secondary suppression).")  # fmt: skip

# ---------------------------------------------------------------------------------------------- trend
if section == "trend":
    chosen = pick(st, "Group", "group", figures.groups, figures.groups[0])
    trend = fetch(report.trend, scope, group=chosen, characteristic=characteristic, borough=borough, service_line=line,
                  custom=custom)  # fmt: skip
    st.subheader(f"People referred each month: {chosen} ({trend.unit.lower()})")
    if trend.series is None:
        st.info(trend.reason)
    else:
        spc_chart(trend.series, x="month_start", value=trend.value, improvement="neutral", title=f"{chosen}: "
                  f"{trend.unit.lower()}", unit=trend.unit, key="access_spc", polarity="neutral",
                  subject=f"The latest month for {chosen}")  # fmt: skip
        if not trend.has_rate:
            st.caption(
                "No population denominator for this group, so the chart shows counts of people, not a rate."
            )
        if trend.series.suppressed_any:
            st.caption(
                f"Months with 1 to {rules.threshold - 1} people are hidden (gaps) and left out of the limits."
            )
    st.caption("Every financial year in the data; the year filter does not apply to the trend.")

# ---------------------------------------------------------------------------------------------- teams
if section == "teams":
    st.subheader(f"Teams: people referred by {by_words}, {year}")
    if characteristic == COMMUNITIES:
        st.caption("Priority communities overlap, so teams are shown by broad ethnic group.")
    team_dim, teams_table = fetch(report.teams, scope, characteristic=characteristic, **selection)
    show_table(teams_table, labels={"team": "Team", team_dim: LABELS[team_dim], "people_referred": "People referred"},
               key="access_teams", **download(f"People referred by team and {LABELS[team_dim].lower()}",
                                              "People referred to each team", "people", "teams"))  # fmt: skip

for name, (value, default) in view.items():
    if value != default or name in st.query_params:
        if value:
            remember(name, value)
        elif name in st.query_params:
            del st.query_params[name]

with st.expander("Things you need to know"):
    st.markdown(page_copy("access", year=year, data_start=long_date(facts.get("data_start", "2000-01-01")),
                          data_end=long_date(facts.get("data_end", "2000-01-01")),
                          synthetic_note="All figures are synthetic (a generated demonstration trust)." if is_synthetic(facts) else "",
                          population_source=facts.get("population_source", "Census 2021"), reference=reference or "—",
                          unrecorded=figures.recording.amount(), suppression=rules.describe(), standard_days=standard))  # fmt: skip
