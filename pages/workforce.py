"""Workforce: does the workforce reflect the communities it serves, at every band and in every borough?

WRES indicators 1–4 and 9 (and 5–8 from the NHS Staff Survey), each band against the working-age
population as well as the workforce, staff by work borough on the map with bands 8a and above and the
teams behind it, other characteristics, the trend across 31 March snapshots with progress against
targets, and the health-inequalities champions. Figures come from ``reports.workforce``; this page lays
them out. The whole view (tab, year, staff group, borough) is in the URL; only the open tab is fetched.
"""

from __future__ import annotations

from components.guard import require_page

user = require_page("workforce")

import streamlit as st

from components.charts import band_chart, share_trend_chart
from components.copy import page_sections
from components.layout import long_date, synthetic_banner
from components.maps import choropleth
from components.params import choose, remember
from components.store import boundaries, fetch, store_facts
from components.tables import csv_about, show_table
from reports import filters
from reports import workforce as report
from reports.settings import policy

GROUP_LABELS = {"white": "White", "mixed": "Mixed", "asian": "Asian", "black": "Black", "other": "Other"}
STAFF_LABELS = report.STAFF_LABELS
TABS = {"bands": "Bands", "wres": "WRES 2–4 and 9", "boroughs": "By borough",
        "characteristics": "Other characteristics", "trend": "Trend and targets", "champions": "Champions"}  # fmt: skip
SHARE_LABELS = {"bme_pct": "BME %", "bme_lower": "Lower 95% CI", "bme_upper": "Upper 95% CI"}

scope = user.scope
rules = policy()
copy = page_sections("workforce")

st.title("Workforce")
synthetic_banner(store_facts())
community = fetch(report.community_words, scope)
if community == "all-age":
    st.warning("The store holds no population by age, so every comparison with the *working-age* community "
               "below uses residents of **all ages** (Census 2021 TS021 has no age). Load a population by age "
               "and sex to compare with residents aged 16 to 64 (docs/loading-data.md).")  # fmt: skip
st.markdown(copy["intro"])

years_frame = fetch(report.snapshots, scope)
if years_frame.empty:
    st.info("No staff snapshots are loaded in this store.")
    st.stop()
years = list(years_frame["financial_year"])
snapshot_of = dict(zip(years_frame["financial_year"], years_frame["snapshot_date"], strict=True))
boroughs = fetch(filters.boroughs, scope)
borough_names = dict(zip(boroughs["code"], boroughs["name"], strict=True))

# A map click asks for a borough; apply it before the borough box exists (a widget's state cannot change
# after it is drawn in the same run).
pending = st.session_state.pop("workforce_pending_borough", None)
if pending is not None:
    st.session_state["workforce_borough"] = pending
    remember("borough", pending)

year = choose("year", years, years[-1])
staff_filter = choose("staff", list(STAFF_LABELS), "all")
borough = choose("borough", ["", *borough_names], "")
tab = choose("tab", list(TABS), "bands")
first, second, third = st.columns(3)
year = first.selectbox(
    "Snapshot (WRES year)", years, index=years.index(year), key="workforce_year",
    format_func=lambda fy: f"31 March {snapshot_of[fy][:4]} ({fy})",
)  # fmt: skip
staff_filter = second.selectbox(
    "Staff", list(STAFF_LABELS), index=list(STAFF_LABELS).index(staff_filter), key="workforce_staff",
    format_func=STAFF_LABELS.get,
)  # fmt: skip
borough_options = ["", *borough_names]
if "workforce_borough" not in st.session_state:
    st.session_state["workforce_borough"] = borough
borough = third.selectbox(
    "Work borough", borough_options, key="workforce_borough",
    format_func=lambda code: borough_names.get(code, "All boroughs"),
)  # fmt: skip
for name, value in (("year", year), ("staff", staff_filter)):
    remember(name, value)
if borough:
    remember("borough", borough)
elif "borough" in st.query_params:
    del st.query_params["borough"]

snapshot = long_date(snapshot_of[year])
period = f"31 March snapshot {snapshot_of[year]} (WRES year {year})"
who = STAFF_LABELS[staff_filter].lower() + " staff" if staff_filter != "all" else "all staff"
place = borough_names.get(borough, "the trust's boroughs")
view_filters = {
    "staff": STAFF_LABELS[staff_filter],
    "work borough": borough_names.get(borough, "All boroughs"),
}
trust_wide = {"scope": "whole trust (the staff and borough filters do not apply)"}


def download(measure: str, definition: str, counts_of: str, shown_filters: dict, suffix: str) -> dict:
    about = csv_about(measure, definition, period, counts_of=counts_of, filters=shown_filters)
    return {"download": about, "download_suffix": suffix}


def view():
    return fetch(report.view, scope, financial_year=year, staff_filter=staff_filter, borough=borough)


# The URL's tab opens first; the default stays fixed for the session (a changed default resets the tabs).
opening = st.session_state.setdefault("workforce_tab_opening", TABS[tab])
tabs = st.tabs(list(TABS.values()), default=opening, key="workforce_tab", on_change="rerun")
opened = [slug for slug, container in zip(TABS, tabs, strict=True) if container.open]
remember("tab", opened[0] if opened else tab)


def is_open(slug: str) -> bool:
    """Only the open tab's figures are fetched and drawn (every tab when the state is not tracked)."""
    return not opened or slug in opened


# ============================================================================================== Bands
with tabs[0]:
    if is_open("bands"):
        bands = view().bands
        st.subheader(f"WRES 1: BME staff by pay band, {who} working in {place}, {snapshot}")
        st.markdown(bands.sentence)
        st.markdown(bands.senior_sentence)
        band_chart(bands.table, bands.workforce_pct, bands.community_pct, key="workforce_band_chart")
        show_table(
            bands.table,
            labels={"pay_band": "Band", "known": "Staff (ethnicity recorded)", "bme": "BME staff",
                    **SHARE_LABELS, "ratio_workforce": "Ratio to workforce", "vs_workforce": "Against the workforce",
                    "population_pct": "Community BME %", "ratio_population": "Ratio to community",
                    "vs_population": "Against the community"},
            decimals={"ratio_workforce": 2, "ratio_population": 2}, key="workforce_bands",
            **download("WRES 1 BME staff by pay band", "Staff (people) in each pay band at the 31 March snapshot "
                       "by ethnic group; BME share of staff with a recorded ethnic group", "people", view_filters, "by band"),
        )  # fmt: skip
        if st.toggle("Show each broad ethnic group by band", key="workforce_show_groups"):
            show_table(
                fetch(report.groups, scope, financial_year=year, staff_filter=staff_filter, borough=borough),
                labels={"pay_band": "Band",
                        **{column: f"{label} staff" for column, label in GROUP_LABELS.items()},
                        **{f"{column}_pct": f"{label} %" for column, label in GROUP_LABELS.items()}},
                key="workforce_groups",
                **download("Staff by pay band and broad ethnic group", "Staff (people) in each pay band by NHS broad "
                           "ethnic group; shares of staff with a recorded ethnic group", "people", view_filters, "by group"),
            )  # fmt: skip
        overall_text = bands.overall.display_frame(decimals=1).iloc[0]
        st.caption(
            f"Filters: the snapshot, staff group and work borough all apply. Ethnicity not stated or not known: "
            f"{overall_text['not_recorded']} of {overall_text['staff']} staff (left out of the percentages). Ratio to "
            f"community = band BME % ÷ {community} community BME % (White is the reference group throughout)."
        )
        st.markdown(copy["bands"])

# ============================================================================================== WRES 2-4, 9
with tabs[1]:
    if is_open("wres"):
        trust = fetch(report.trust, scope, financial_year=year)
        st.subheader(f"WRES 2, 3 and 4: relative likelihoods, whole trust, year ending {snapshot}")
        st.caption("Whole trust: the staff-group and work-borough filters do not apply to WRES 2 to 9.")
        for indicator, sentence in trust.likelihoods.sentences.items():
            st.markdown(f"**{report.INDICATOR_NAMES[indicator]}.** {sentence}")
        show_table(
            trust.likelihoods.table,
            labels={"indicator": "WRES indicator", "white_events": "White: staff or applicants with the event",
                    "white_total": "White: out of", "white_pct": "White %", "bme_events": "BME: staff or applicants "
                    "with the event", "bme_total": "BME: out of", "bme_pct": "BME %", "value": "Relative likelihood",
                    "lower": "Lower 95% CI (our addition)", "upper": "Upper 95% CI (our addition)"},
            decimals={"value": 2, "lower": 2, "upper": 2}, key="workforce_likelihoods",
            **download("WRES 2 to 4 relative likelihoods", "People appointed from shortlisting (WRES 2), entering a "
                       "formal disciplinary process (WRES 3), accessing non-mandatory training (WRES 4), White and BME",
                       "people", trust_wide, "wres 2-4"),
        )  # fmt: skip
        st.caption(copy["counts"])
        st.markdown(copy["likelihoods"])

        st.subheader("WRES 9: board voting membership against the workforce (whole trust)")
        st.markdown(trust.board.sentence)
        show_table(
            trust.board.table,
            labels={"board_known": "Board voting members (ethnicity recorded)", "board_bme": "BME voting members",
                    "board_pct": "Board BME %", "workforce_known": "Workforce (ethnicity recorded)",
                    "workforce_bme": "BME staff", "workforce_pct": "Workforce BME %",
                    "difference_pp": "Difference (percentage points)"},
            key="workforce_board",
        )  # fmt: skip
        st.markdown(copy["board"])

        st.subheader("WRES 5 to 8: NHS Staff Survey (whole trust)")
        survey = fetch(report.survey, scope, financial_year=year)
        if survey is None:
            st.info(f"NHS Staff Survey results (WRES 5 to 8) for {int(year[:4])} are not loaded.")
        else:
            labels = {"name": "WRES indicator", "white_percent": "White %", "white_respondents": "White respondents",
                      "bme_percent": "BME %", "bme_respondents": "BME respondents"}  # fmt: skip
            if survey.frame[["white_as_published", "bme_as_published"]].notna().any().any():
                labels |= {"white_as_published": "White % as published (respondents not loaded)",
                           "bme_as_published": "BME % as published (respondents not loaded)"}  # fmt: skip
            show_table(survey, labels=labels, key="workforce_survey",
                       **download("WRES 5 to 8 NHS Staff Survey", "Respondents (people) answering each WRES question, "
                                  "White and BME", "people", trust_wide, "wres 5-8"))  # fmt: skip
        st.markdown(copy["survey"])

# ============================================================================================== By borough
with tabs[2]:
    if is_open("boroughs"):
        chosen = view()
        by_borough = chosen.boroughs
        st.subheader(f"{STAFF_LABELS[staff_filter]} by work borough against the borough's {community} residents, {snapshot}")  # fmt: skip
        st.caption("The staff-group filter applies; every borough is shown whichever work borough is chosen.")
        st.markdown(
            f"Boroughs where BME staff are under-represented against {community} residents (whole interval below): "
            + (", ".join(by_borough.under) if by_borough.under else "none") + "."
        )  # fmt: skip
        clicked = choropleth(
            by_borough.table, boundaries().lad, key="workforce_borough_map", value="ratio_population", kind="diverging",
            decimals=2, describe=by_borough.describe, legend_title="BME share of staff ÷ of residents", label_areas=True,
        )  # fmt: skip
        # The pick follows the filter; a choice here moves the filter.
        st.session_state["workforce_borough_pick"] = borough
        st.selectbox(
            "Open a borough's teams (or click it on the map)", borough_options,
            format_func=lambda code: borough_names.get(code, "Choose a borough"), key="workforce_borough_pick",
            on_change=lambda: st.session_state.update(workforce_pending_borough=st.session_state["workforce_borough_pick"]),
        )  # fmt: skip
        # The map keeps its last selection across reruns: act on a click only once.
        if clicked in borough_names and clicked != st.session_state.get("workforce_last_click"):
            st.session_state["workforce_last_click"] = clicked
            if clicked != borough:
                st.session_state["workforce_pending_borough"] = clicked
                st.rerun()
        borough_labels = {"area": "Borough", "known": "Staff (ethnicity recorded)", "bme": "BME staff", **SHARE_LABELS,
                          "population_pct": "Residents BME %", "ratio_population": "Ratio to residents",
                          "vs_population": "Against the community"}  # fmt: skip
        with st.expander("The figures as a table", expanded=False):
            show_table(by_borough.table, labels=borough_labels, decimals={"ratio_population": 2}, key="workforce_boroughs",
                       **download("Staff by work borough", "Staff (people) working in each borough by ethnic group, "
                                  f"against the borough's {community} residents", "people", view_filters, "by borough"))  # fmt: skip
        st.subheader(f"Bands 8a and above (8a to 9 and VSM) in each borough against its {community} residents")  # fmt: skip
        st.markdown(copy["senior"])
        show_table(by_borough.senior, labels=borough_labels, decimals={"ratio_population": 2}, key="workforce_senior",
                   **download("Bands 8a and above by work borough", "Staff (people) in bands 8a to 9 and VSM working in "
                              f"each borough, against the borough's {community} residents", "people", view_filters,
                              "bands 8a+ by borough"))  # fmt: skip
        st.markdown(copy["boroughs"])
        if borough:
            st.subheader(f"Teams working in {borough_names[borough]}, {who}")
            show_table(
                chosen.teams,
                labels={"team": "Team", "service_line": "Service line", "known": "Staff (ethnicity recorded)",
                        "bme": "BME staff", **SHARE_LABELS, "vs_population": "Against the borough's residents"},
                key="workforce_teams",
                **download("Staff by team", f"Staff (people) of each team working in {borough_names[borough]}",
                           "people", view_filters, "by team"),
            )  # fmt: skip

# ============================================================================================== Characteristics
with tabs[3]:
    if is_open("characteristics"):
        st.subheader(f"Sex, disability and age by pay band, {who} working in {place}, {snapshot}")
        st.caption("Filters: the snapshot, staff group and work borough all apply.")
        for characteristic, title, table, names in fetch(report.characteristics, scope, financial_year=year,
                                                         staff_filter=staff_filter, borough=borough):  # fmt: skip
            st.markdown(f"**{title}**")
            labels = {"pay_band": "Band", "staff": "Staff", **{c: f"{n}: staff" for c, n in names.items()},
                      **{f"{c}_pct": f"{n} %" for c, n in names.items()}}  # fmt: skip
            show_table(table, labels=labels, key=f"workforce_{characteristic}",
                       **download(f"Staff by pay band and {title.lower()}", f"Staff (people) in each pay band by "
                                  f"{title.lower()}", "people", view_filters, f"by {title.lower()}"))  # fmt: skip
        st.markdown(copy["characteristics"])

# ============================================================================================== Trend
with tabs[4]:
    if is_open("trend"):
        chosen, trust = view(), fetch(report.trust, scope, financial_year=year)
        st.subheader(f"BME share of {who} working in {place}, each 31 March")
        st.caption("The staff-group and work-borough filters apply to these shares (the snapshot filter does not: "
                   "every snapshot is shown).")  # fmt: skip
        share_labels = {"financial_year": "WRES year", "known_all": "Staff (ethnicity recorded)", "bme_all": "BME staff",
                        "share_all": "BME %", "known_8a_plus": "Bands 8a+ (ethnicity recorded)",
                        "bme_8a_plus": "BME staff 8a+", "share_8a_plus": "Bands 8a+ BME %",
                        "share_8a_plus_lower": "8a+ lower 95% CI", "share_8a_plus_upper": "8a+ upper 95% CI",
                        "share_8c_plus": "Bands 8c+ BME %"}  # fmt: skip
        show_table(chosen.trend, labels=share_labels, key="workforce_trend",
                   **download("BME share of staff by year", "BME staff (people) as a share of staff with a recorded "
                              "ethnic group, all bands, bands 8a+ and 8c+", "people", view_filters, "trend"))  # fmt: skip
        share_trend_chart(chosen.trend, {"share_all": "All bands", "share_8a_plus": "Bands 8a and above",
                                         "share_8c_plus": "Bands 8c and above"}, chosen.community_pct,
                          key="workforce_trend_chart")  # fmt: skip
        st.caption(f"The grey line is the {community} community's BME share ({place}). Suppressed years are left out.")  # fmt: skip
        st.subheader("WRES 2, 3, 4 and 9 each year (whole trust)")
        st.caption("Whole trust: the staff-group and work-borough filters do not apply.")
        show_table(
            trust.trend,
            labels={"financial_year": "WRES year", "wres_2": "WRES 2", "wres_2_lower": "WRES 2 lower",
                    "wres_2_upper": "WRES 2 upper", "wres_3": "WRES 3", "wres_3_lower": "WRES 3 lower",
                    "wres_3_upper": "WRES 3 upper", "wres_4": "WRES 4", "wres_4_lower": "WRES 4 lower",
                    "wres_4_upper": "WRES 4 upper", "wres_9": "WRES 9 (points)"},
            decimals=2, key="workforce_wres_trend",
            **download("WRES 2, 3, 4 and 9 by year", "Relative likelihoods (people) and the board's BME share minus "
                       "the workforce's", "people", trust_wide, "wres trend"),
        )  # fmt: skip
        st.subheader("Targets (whole trust)")
        if trust.targets is None:
            st.info("No targets are loaded.")
        else:
            show_table(
                trust.targets,
                labels={"description": "Target", "target_group": "Group", "baseline": "Baseline", "start_date": "From",
                        "value": "Target value", "due_date": "Due", "expected": "Path expects now",
                        "latest": f"Latest, whole trust ({long_date(trust.as_of)})", "verdict": "Progress"},
                decimals=2, key="workforce_targets",
            )  # fmt: skip
            st.caption(copy["targets"])
        st.markdown(copy["trend"])

# ============================================================================================== Champions
with tabs[5]:
    if is_open("champions"):
        champions = fetch(report.champions, scope, financial_year=year)
        st.subheader(f"Health-inequalities champions, whole trust, {snapshot}")
        st.caption("Whole trust, all staff: the staff-group and work-borough filters do not apply.")
        st.markdown(champions.sentence)
        show_table(
            champions.teams,
            labels={"team": "Team", "service_line": "Service line", "borough": "Borough", "staff": "Staff",
                    "champions": "Champions"},
            key="workforce_champion_teams",
            **download("Health-inequalities champions by team", "Staff (people) and champions in each team",
                       "people", trust_wide, "by team"),
        )  # fmt: skip
        st.markdown(
            "**Teams with no champion:** "
            + (", ".join(champions.without) if champions.without else "none")
            + "."
        )
        show_table(champions.bands, labels={"pay_band": "Band", "staff": "Staff", "champions": "Champions"},
                   key="workforce_champion_bands",
                   **download("Health-inequalities champions by band", "Staff (people) and champions in each pay band",
                              "people", trust_wide, "by band"))  # fmt: skip
        st.markdown(copy["champions"])

with st.expander("About these figures"):
    st.markdown(copy["suppression"])
    st.markdown(rules.describe())
