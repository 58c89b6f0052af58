"""Workforce: does the workforce reflect the communities it serves, at every band and in every borough?

WRES indicators 1–4 and 9 (and 5–8 as published by the NHS Staff Survey), each band against the
working-age population as well as the workforce, staff by work borough on the map with the teams behind
it, other characteristics, the trend across 31 March snapshots with progress against targets, and the
health-inequalities champions. Figures come from ``reports.workforce``; this page lays them out.
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
from components.tables import show_table
from reports import filters
from reports import workforce as report
from reports.settings import policy

GROUP_LABELS = {"white": "White", "mixed": "Mixed", "asian": "Asian", "black": "Black", "other": "Other"}
STAFF_LABELS = report.STAFF_LABELS

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
who = STAFF_LABELS[staff_filter].lower() if staff_filter != "all" else "all staff"
figures = fetch(report.report, scope, financial_year=year, staff_filter=staff_filter, borough=borough)

tabs = st.tabs(
    ["Bands", "WRES 2–4 and 9", "By borough", "Other characteristics", "Trend and targets", "Champions"]
)

# ============================================================================================== Bands
with tabs[0]:
    bands = figures.bands
    st.subheader(f"WRES 1: BME staff by pay band, {who}, {snapshot}")
    st.markdown(bands.sentence)
    band_chart(bands.table, bands.workforce_pct, bands.community_pct, key="workforce_band_chart")
    show_table(
        bands.table,
        labels={"pay_band": "Band", "known": "Staff (ethnicity recorded)", "white": "White staff", "bme": "BME staff",
                "bme_pct": "BME %", "bme_lower": "Lower 95% CI", "bme_upper": "Upper 95% CI",
                "ratio_workforce": "Ratio to workforce", "vs_workforce": "Against the workforce",
                "population_pct": "Community BME %", "ratio_population": "Ratio to community",
                "vs_population": "Against the community"},
        decimals={"ratio_workforce": 2, "ratio_population": 2}, key="workforce_bands",
        download_name=f"wres1-bands-{year}-{staff_filter}.csv",
    )  # fmt: skip
    with st.expander("Each broad ethnic group by band"):
        show_table(
            bands.table,
            labels={"pay_band": "Band", "known": "Staff (ethnicity recorded)",
                    **{column: f"{label} staff" for column, label in GROUP_LABELS.items()},
                    **{f"{column}_pct": f"{label} %" for column, label in GROUP_LABELS.items()}},
            key="workforce_groups", download_name=f"wres1-groups-{year}-{staff_filter}.csv",
        )  # fmt: skip
    overall_text = bands.overall.display_frame(decimals=1).iloc[0]
    st.caption(
        f"Ethnicity not stated or not known: {overall_text['not_recorded']} of {overall_text['staff']} staff "
        f"(left out of the percentages). Ratio to community = band BME % ÷ {community} community BME %."
    )
    st.markdown(copy["bands"])

# ============================================================================================== WRES 2-4, 9
with tabs[1]:
    st.subheader(f"WRES 2, 3 and 4: relative likelihoods, year ending {snapshot}")
    likelihoods = figures.likelihoods
    for indicator, sentence in likelihoods.sentences.items():
        st.markdown(f"**{report.INDICATOR_NAMES[indicator]}.** {sentence}")
    show_table(
        likelihoods.table.select(["indicator", "white_events", "white_total", "white_pct", "bme_events", "bme_total",
                                  "bme_pct", "value", "lower", "upper"]),
        labels={"indicator": "WRES indicator", "white_events": "White: events", "white_total": "White: out of",
                "white_pct": "White %", "bme_events": "BME: events", "bme_total": "BME: out of", "bme_pct": "BME %",
                "value": "Relative likelihood", "lower": "Lower 95% CI (our addition)",
                "upper": "Upper 95% CI (our addition)"},
        decimals={"value": 2, "lower": 2, "upper": 2}, key="workforce_likelihoods", download_name=f"wres2-4-{year}.csv",
    )  # fmt: skip
    st.caption(
        "Events: WRES 2 appointed (out of shortlisted applicants); WRES 3 staff entering a formal disciplinary "
        "process and WRES 4 staff accessing non-mandatory training (out of the 31 March headcount)."
    )
    st.markdown(copy["likelihoods"])

    st.subheader("WRES 9: board voting membership against the workforce")
    st.markdown(figures.board.sentence)
    show_table(
        figures.board.table,
        labels={"board_known": "Board voting members (ethnicity recorded)", "board_bme": "BME voting members",
                "board_pct": "Board BME %", "workforce_known": "Workforce (ethnicity recorded)",
                "workforce_bme": "BME staff", "workforce_pct": "Workforce BME %",
                "difference_pp": "Difference (percentage points)"},
        key="workforce_board",
    )  # fmt: skip
    st.markdown(copy["board"])

    st.subheader("WRES 5 to 8: NHS Staff Survey")
    if figures.survey is None:
        st.info(f"NHS Staff Survey results (WRES 5 to 8) for {int(year[:4])} are not loaded.")
    else:
        show_table(
            figures.survey,
            labels={"indicator": "WRES indicator", "white_percent": "White %", "white_respondents": "White respondents",
                    "bme_percent": "BME %", "bme_respondents": "BME respondents"},
            key="workforce_survey", download_name=f"wres5-8-{int(year[:4])}.csv",
        )  # fmt: skip
    st.markdown(copy["survey"])

# ============================================================================================== By borough
with tabs[2]:
    by_borough = figures.boroughs
    st.subheader(f"Staff by work borough against the borough's {community} residents, {snapshot}")
    st.markdown(
        f"Boroughs where BME staff are under-represented against {community} residents (whole interval below): "
        + (", ".join(by_borough.under) if by_borough.under else "none") + "."
    )  # fmt: skip
    clicked = choropleth(
        by_borough.table, boundaries().lad, key="workforce_borough_map", value="ratio_population", kind="diverging",
        decimals=2, describe=by_borough.describe, legend_title="BME share of staff ÷ of residents", label_areas=True,
    )  # fmt: skip
    st.session_state["workforce_borough_pick"] = borough  # follows the filter; a choice here moves the filter
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
    with st.expander("The figures as a table", expanded=False):
        show_table(
            by_borough.table,
            labels={"area": "Borough", "known": "Staff (ethnicity recorded)", "bme": "BME staff",
                    "bme_pct": "Staff BME %", "bme_lower": "Lower 95% CI", "bme_upper": "Upper 95% CI",
                    "population_pct": "Residents BME %", "ratio_population": "Ratio to residents",
                    "vs_population": "Against the community"},
            decimals={"ratio_population": 2}, key="workforce_boroughs", download_name=f"workforce-boroughs-{year}.csv",
        )  # fmt: skip
    st.markdown(copy["boroughs"])
    if borough:
        st.subheader(f"Teams working in {borough_names[borough]}")
        show_table(
            fetch(report.borough_teams, scope, financial_year=year, borough=borough, staff_filter=staff_filter),
            labels={"team": "Team", "service_line": "Service line", "known": "Staff (ethnicity recorded)",
                    "bme": "BME staff", "bme_pct": "BME %", "bme_lower": "Lower 95% CI", "bme_upper": "Upper 95% CI",
                    "vs_population": "Against the borough's residents"},
            key="workforce_teams", download_name=f"workforce-teams-{borough}-{year}.csv",
        )  # fmt: skip

# ============================================================================================== Characteristics
with tabs[3]:
    st.subheader(f"Sex, disability and age by pay band, {who}, {snapshot}")
    for characteristic, title, table, names in figures.characteristics:
        st.markdown(f"**{title}**")
        labels = {"pay_band": "Band", "staff": "Staff", **{c: f"{n}: staff" for c, n in names.items()},
                  **{f"{c}_pct": f"{n} %" for c, n in names.items()}}  # fmt: skip
        show_table(table, labels=labels, key=f"workforce_{characteristic}",
                   download_name=f"workforce-{characteristic}-{year}.csv")  # fmt: skip
    st.markdown(copy["characteristics"])

# ============================================================================================== Trend
with tabs[4]:
    trend = figures.trend
    st.subheader("Each indicator across the 31 March snapshots")
    st.caption("Whole trust, all staff: the filters above do not apply to the trend.")
    show_table(
        trend.table,
        labels={"financial_year": "WRES year", "share_all": "Workforce BME %", "share_8a_plus": "Bands 8a+ BME %",
                "share_8c_plus": "Bands 8c+ BME %", "wres_2": "WRES 2", "wres_3": "WRES 3", "wres_4": "WRES 4",
                "wres_9": "WRES 9 (points)"},
        decimals={"wres_2": 2, "wres_3": 2, "wres_4": 2}, key="workforce_trend", download_name="workforce-trend.csv",
    )  # fmt: skip
    with st.expander("Confidence intervals and counts"):
        show_table(
            trend.table,
            labels={"financial_year": "WRES year", "bme_all": "BME staff", "white_all": "White staff",
                    "share_all_lower": "Workforce BME % lower", "share_all_upper": "Workforce BME % upper",
                    "bme_8a_plus": "BME staff 8a+", "white_8a_plus": "White staff 8a+",
                    "share_8a_plus_lower": "8a+ lower", "share_8a_plus_upper": "8a+ upper",
                    "bme_8c_plus": "BME staff 8c+", "white_8c_plus": "White staff 8c+",
                    "wres_2_lower": "WRES 2 lower", "wres_2_upper": "WRES 2 upper",
                    "wres_3_lower": "WRES 3 lower", "wres_3_upper": "WRES 3 upper",
                    "wres_4_lower": "WRES 4 lower", "wres_4_upper": "WRES 4 upper"},
            decimals=2, key="workforce_trend_detail",
        )  # fmt: skip
    share_trend_chart(trend.table, {"share_all": "Whole workforce", "share_8a_plus": "Bands 8a and above",
                                    "share_8c_plus": "Bands 8c and above"}, trend.community_pct,
                      key="workforce_trend_chart")  # fmt: skip
    st.caption(
        f"The grey line is the {community} community's BME share across all the trust's boroughs. Suppressed years "
        "are left out of the lines."
    )
    st.subheader("Targets")
    if trend.targets is None:
        st.info("No targets are loaded.")
    else:
        show_table(
            trend.targets,
            labels={"description": "Target", "target_group": "Group", "baseline": "Baseline", "start_date": "From",
                    "value": "Target value", "due_date": "Due", "expected": "Path expects now",
                    "latest": f"Latest ({long_date(trend.as_of)})", "verdict": "Progress"},
            decimals=2, key="workforce_targets",
        )  # fmt: skip
        st.caption(
            "Shares are shown as the target gives them (0.35 means 35%). The latest value is the published "
            "figure; where it is suppressed the target cannot be judged."
        )
    st.markdown(copy["trend"])

# ============================================================================================== Champions
with tabs[5]:
    champions = figures.champions
    st.subheader(f"Health-inequalities champions, {snapshot}")
    st.markdown(champions.sentence)
    show_table(
        champions.teams,
        labels={"team": "Team", "service_line": "Service line", "borough": "Borough", "staff": "Staff",
                "champions": "Champions"},
        key="workforce_champion_teams", download_name=f"champions-by-team-{year}.csv",
    )  # fmt: skip
    st.markdown(
        "**Teams with no champion:** " + (", ".join(champions.without) if champions.without else "none") + "."
    )
    show_table(champions.bands, labels={"pay_band": "Band", "staff": "Staff", "champions": "Champions"},
               key="workforce_champion_bands", download_name=f"champions-by-band-{year}.csv")  # fmt: skip
    st.markdown(copy["champions"])

with st.expander("About these figures"):
    st.markdown(copy["suppression"])
    st.markdown(rules.describe())
