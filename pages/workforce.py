"""Workforce: does the workforce reflect the communities it serves, at every band and in every borough?

WRES indicators 1–4 and 9 (and 5–8 as published by the NHS Staff Survey), each band against the
working-age population as well as the workforce, staff by work borough on the map with the teams behind
it, other characteristics, the trend across 31 March snapshots with progress against targets, and the
health-inequalities champions. Every figure passes disclosure control in ``measures.workforce``.
"""

from __future__ import annotations

from components.guard import require_page

user = require_page("workforce")

import re

import altair as alt
import pandas as pd
import streamlit as st

from components.copy import page_copy
from components.layout import long_date, synthetic_banner
from components.maps import choropleth
from components.params import choose, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import show_table
from measures import workforce as wf
from measures.disclosure import DisclosurePolicy, PublishedTable, Totals, publish_table
from measures.narrative import describe_ratio
from measures.stats import Estimate
from queries import overview
from queries import workforce as q

STAFF_LABELS = {"all": "All staff", "clinical": "Clinical", "non_clinical": "Non-clinical"}
INDICATOR_NAMES = {
    2: "WRES 2: appointed from shortlisting (White vs BME)",
    3: "WRES 3: entering a formal disciplinary process (BME vs White)",
    4: "WRES 4: accessing non-mandatory training and CPD (White vs BME)",
}
LIKELIHOOD_WORDS = {  # subject, reference, outcome for describe_ratio
    2: ("White applicants", "BME applicants", "appointed from shortlisting"),
    3: ("BME staff", "White staff", "entering a formal disciplinary process"),
    4: ("White staff", "BME staff", "accessing non-mandatory training and CPD"),
}
SURVEY_NAMES = {
    5: "5: harassment, bullying or abuse from patients, relatives or the public",
    6: "6: harassment, bullying or abuse from staff",
    7: "7: equal opportunities for career progression or promotion",
    8: "8: discrimination from a manager, team leader or colleague",
}
CHARACTERISTICS = {
    "sex": ("Sex", ["F", "M", "X"], {"F": "Female", "M": "Male", "X": "Not known or other"}),
    "disability": ("Disability", ["Yes", "No", "Not known"], {"Yes": "Disabled", "No": "Not disabled"}),
    "age_band": ("Age band", ["0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"], {}),
}
GROUP_LABELS = {"white": "White", "mixed": "Mixed", "asian": "Asian", "black": "Black", "other": "Other"}

scope = user.scope
policy = DisclosurePolicy(threshold=TRUST.suppression_threshold, base=TRUST.rounding_base)


def copy(section: str) -> str:
    """One section of content/workforce.md (sections start with <!-- section: name -->)."""
    parts = re.split(r"<!-- section: ([a-z_]+) -->", page_copy("workforce"))
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    return sections[section]


def sorted_bands(frame: pd.DataFrame, column: str = "pay_band") -> pd.DataFrame:
    order = sorted(range(len(frame)), key=lambda i: wf.band_sort_key(frame[column].iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


def shown(table: PublishedTable, column: str, row: int = 0) -> float | None:
    """A published figure, or None where it is suppressed or missing."""
    if column in table.mask.columns and bool(table.mask[column].iloc[row]):
        return None
    value = table.frame[column].iloc[row]
    return None if pd.isna(value) else float(value)


def pct(value: float | None) -> str:
    return "suppressed" if value is None else f"{value:.1f}%"


st.title("Workforce")
synthetic_banner(store_facts())
st.markdown(copy("intro"))

years_frame = fetch(q.snapshot_years, scope)
if years_frame.empty:
    st.info("No staff snapshots are loaded in this store.")
    st.stop()
years = list(years_frame["financial_year"])
snapshot_of = dict(zip(years_frame["financial_year"], years_frame["snapshot_date"], strict=True))
boroughs = fetch(overview.boroughs, scope)
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
place = borough_names.get(borough, "the trust's boroughs")

# ---------------------------------------------------------------------------------------------- shared data
population = fetch(q.population_counts, scope)
population_wide = wf.group_wide(population.rename(columns={"population": "staff"}), "area_code")
if borough:
    population_wide_here = population_wide[population_wide["area_code"] == borough]
else:
    population_wide_here = population_wide
population_share = wf.share(population_wide_here["bme"].sum(), population_wide_here["white"].sum())
band_long = fetch(q.band_counts, scope, financial_year=year, staff_filter=staff_filter, borough=borough)
band_wide = sorted_bands(wf.group_wide(band_long, "pay_band"))
workforce_share = wf.share(band_wide["bme"].sum(), band_wide["white"].sum())

overall = publish_table(
    pd.DataFrame(
        {
            "bme": [int(band_wide["bme"].sum())],
            "known": [int(band_wide["bme"].sum() + band_wide["white"].sum())],
            "not_recorded": [int(band_wide["not_recorded"].sum())],
            "staff": [int(band_wide["staff"].sum())],
            "bme_pct": [None if workforce_share is None else workforce_share * 100],
        }
    ),
    counts=["bme", "known", "not_recorded", "staff"],
    derived={"bme_pct": ("bme", "known")},
    policy=policy,
)
overall_text = overall.display_frame(decimals=1).iloc[0]

tabs = st.tabs(
    ["Bands", "WRES 2–4 and 9", "By borough", "Other characteristics", "Trend and targets", "Champions"]
)

# ============================================================================================== Bands
with tabs[0]:
    st.subheader(f"WRES 1: BME staff by pay band, {who}, {snapshot}")
    bands = wf.representation_table(
        band_wide,
        key="pay_band",
        workforce_share=workforce_share,
        population_share=population_share,
        policy=policy,
    )
    frame = bands.frame
    verdicts = frame["vs_population"]
    counted = {v: int((verdicts == v).sum()) for v in (wf.REFLECTS, wf.UNDER, wf.OVER)}
    hidden = int((verdicts == "").sum())
    st.markdown(
        f"**{pct(shown(overall, 'bme_pct'))}** of {who} with a recorded ethnic group are BME, against "
        f"**{pct(None if population_share is None else population_share * 100)}** of working-age residents of "
        f"{place}. Pay bands against the community, judged by each band's 95% confidence interval: "
        f"under-represented {counted[wf.UNDER]}, reflecting it {counted[wf.REFLECTS]}, above it "
        f"{counted[wf.OVER]}, too few staff to show {hidden} (of {len(frame)} bands)."
    )
    chart_data = pd.DataFrame(
        {
            "Band": frame["pay_band"].astype(str),
            "BME %": frame["bme_pct"].astype(float),
            "Lower": frame["bme_lower"].astype(float),
            "Upper": frame["bme_upper"].astype(float),
            "Against the community": frame["vs_population"].replace("", "not shown (small numbers)"),
        }
    )
    order = list(chart_data["Band"])
    y = alt.Y("Band:N", sort=order, title=None)
    x_scale = alt.Scale(domain=[0, 100])
    interval = (
        alt.Chart(chart_data)
        .mark_rule(strokeWidth=2, color="#425563")
        .encode(
            y=y,
            x=alt.X("Lower:Q", scale=x_scale, title="BME staff (% of staff with a recorded ethnic group)"),
            x2="Upper:Q",
        )
    )
    dots = alt.Chart(chart_data).mark_point(filled=True, size=90).encode(
        y=y,
        x=alt.X("BME %:Q", scale=x_scale),
        color=alt.Color(
            "Against the community:N",
            scale=alt.Scale(
                domain=[wf.UNDER, wf.REFLECTS, wf.OVER, "not shown (small numbers)"],
                range=["#d5281b", "#005eb8", "#007f3b", "#768692"],
            ),
            legend=alt.Legend(orient="bottom"),
        ),
        shape=alt.Shape("Against the community:N", legend=None),
        tooltip=["Band", alt.Tooltip("BME %:Q", format=".1f"), alt.Tooltip("Lower:Q", format=".1f"),
                 alt.Tooltip("Upper:Q", format=".1f"), "Against the community"],
    )  # fmt: skip
    marked = chart_data[chart_data["BME %"].isna()].assign(label="* too few to show")
    missing = (
        alt.Chart(marked)
        .mark_text(align="left", dx=4, color="#768692")
        .encode(y=y, x=alt.value(0), text="label:N")
    )
    references = pd.DataFrame(
        {
            "Reference": ["Whole workforce", "Working-age community"],
            "Percent": [
                shown(overall, "bme_pct"),
                None if population_share is None else population_share * 100,
            ],
        }
    ).dropna()
    lines = (
        alt.Chart(references)
        .mark_rule(strokeWidth=2)
        .encode(
            x="Percent:Q",
            strokeDash=alt.StrokeDash(
                "Reference:N",
                scale=alt.Scale(domain=["Whole workforce", "Working-age community"], range=[[6, 4], [1, 0]]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=["Reference", alt.Tooltip("Percent:Q", format=".1f")],
        )
    )
    st.altair_chart(
        (lines + interval + dots + missing).properties(height=28 * len(chart_data) + 40),
        width="stretch",
        key="workforce_band_chart",
    )
    show_table(
        bands,
        labels={
            "pay_band": "Band",
            "known": "Staff (ethnicity recorded)",
            "white": "White staff",
            "bme": "BME staff",
            "bme_pct": "BME %",
            "bme_lower": "Lower 95% CI",
            "bme_upper": "Upper 95% CI",
            "ratio_workforce": "Ratio to workforce",
            "vs_workforce": "Against the workforce",
            "population_pct": "Community BME %",
            "ratio_population": "Ratio to community",
            "vs_population": "Against the community",
        },
        decimals={"ratio_workforce": 2, "ratio_population": 2},
        key="workforce_bands",
        download_name=f"wres1-bands-{year}-{staff_filter}.csv",
    )
    with st.expander("Each broad ethnic group by band"):
        show_table(
            bands,
            labels={
                "pay_band": "Band",
                "known": "Staff (ethnicity recorded)",
                **{column: f"{label} staff" for column, label in GROUP_LABELS.items()},
                **{f"{column}_pct": f"{label} %" for column, label in GROUP_LABELS.items()},
            },
            key="workforce_groups",
            download_name=f"wres1-groups-{year}-{staff_filter}.csv",
        )
    st.caption(
        f"Ethnicity not stated or not known: {overall_text['not_recorded']} of {overall_text['staff']} staff "
        "(left out of the percentages). Ratio to community = band BME % ÷ working-age community BME %."
    )
    st.markdown(copy("bands"))

# ============================================================================================== WRES 2-4, 9
with tabs[1]:
    st.subheader(f"WRES 2, 3 and 4: relative likelihoods, year ending {snapshot}")
    likelihood_counts = fetch(q.likelihood_counts, scope, financial_year=year)
    likelihoods = wf.likelihood_table(likelihood_counts, policy)
    for row, indicator in enumerate(likelihoods.frame["indicator"]):
        indicator = int(indicator)
        subject, reference, outcome = LIKELIHOOD_WORDS[indicator]
        if shown(likelihoods, "value", row) is None:
            sentence = (
                "The figure is suppressed: at least one of the four counts it rests on is between 1 and "
                f"{policy.threshold - 1}, or a group has no one in it."
            )
        else:
            estimate = Estimate(
                value=shown(likelihoods, "value", row),
                lower=shown(likelihoods, "lower", row),
                upper=shown(likelihoods, "upper", row),
                method="relative likelihood",
                numerator=None,
                denominator=None,
                confidence=0.95,
            )
            sentence = describe_ratio(estimate, subject=subject, reference=reference, outcome=outcome)
        st.markdown(f"**{INDICATOR_NAMES[indicator]}.** {sentence}")
    show_table(
        likelihoods.select(["indicator", "white_events", "white_total", "white_pct", "bme_events", "bme_total",
                            "bme_pct", "value", "lower", "upper"]),
        labels={"indicator": "WRES indicator", "white_events": "White: events", "white_total": "White: out of",
                "white_pct": "White %", "bme_events": "BME: events", "bme_total": "BME: out of", "bme_pct": "BME %",
                "value": "Relative likelihood", "lower": "Lower 95% CI (our addition)",
                "upper": "Upper 95% CI (our addition)"},
        decimals={"value": 2, "lower": 2, "upper": 2},
        key="workforce_likelihoods",
        download_name=f"wres2-4-{year}.csv",
    )  # fmt: skip
    st.caption(
        "Events: WRES 2 appointed (out of shortlisted applicants); WRES 3 staff entering a formal disciplinary "
        "process and WRES 4 staff accessing non-mandatory training (out of the 31 March headcount)."
    )
    st.markdown(copy("likelihoods"))

    st.subheader("WRES 9: board voting membership against the workforce")
    whole_band = band_wide
    if staff_filter != "all" or borough:
        whole = fetch(q.band_counts, scope, financial_year=year, staff_filter="all", borough="")
        whole_band = wf.group_wide(whole, "pay_band")
    board = wf.board_table(
        fetch(q.board_counts, scope, financial_year=year),
        int(whole_band["bme"].sum()),
        int(whole_band["white"].sum()),
        policy,
    )
    difference = shown(board, "difference_pp")
    board_text = board.display_frame(decimals=1).iloc[0]
    if difference is None:
        st.markdown(
            f"**WRES 9 is suppressed for {year}.** The board has about {board_text['board_known']} voting "
            f"members with a recorded ethnic group, and the number who are BME (or White) is between 1 and "
            f"{policy.threshold - 1}: the board's percentage, and so the difference from the workforce "
            f"({board_text['workforce_pct']}% BME), would identify them."
        )
    else:
        direction = "less" if difference < 0 else "more" if difference > 0 else "as"
        st.markdown(
            f"The board's voting membership is **{board_text['board_pct']}% BME** against "
            f"{board_text['workforce_pct']}% of the whole workforce: a difference of **{difference:+.1f} "
            f"percentage points** (the board is {direction} ethnically diverse"
            f"{' than' if direction != 'as' else ' as'} the workforce)."
        )
    show_table(
        board,
        labels={"board_known": "Board voting members (ethnicity recorded)", "board_bme": "BME voting members",
                "board_pct": "Board BME %", "workforce_known": "Workforce (ethnicity recorded)",
                "workforce_bme": "BME staff", "workforce_pct": "Workforce BME %",
                "difference_pp": "Difference (percentage points)"},
        key="workforce_board",
    )  # fmt: skip
    st.markdown(copy("board"))

    st.subheader("WRES 5 to 8: NHS Staff Survey")
    survey = fetch(q.staff_survey, scope)
    survey_year = int(year[:4])
    if survey.empty or survey_year not in set(survey["year"]):
        st.info(f"NHS Staff Survey results (WRES 5 to 8) for {survey_year} are not loaded.")
    else:
        survey_table = wf.survey_table(survey, survey_year, policy)
        survey_named = publish_table(
            survey_table.frame.assign(indicator=survey_table.frame["indicator"].map(SURVEY_NAMES)),
            counts=["white_respondents", "bme_respondents"],
            derived={"white_percent": "white_respondents", "bme_percent": "bme_respondents"},
            policy=policy,
        )
        show_table(
            survey_named,
            labels={"indicator": "WRES indicator", "white_percent": "White %", "white_respondents": "White respondents",
                    "bme_percent": "BME %", "bme_respondents": "BME respondents"},
            key="workforce_survey",
            download_name=f"wres5-8-{survey_year}.csv",
        )  # fmt: skip
    st.markdown(copy("survey"))

# ============================================================================================== By borough
with tabs[2]:
    st.subheader(f"Staff by work borough against the borough's working-age residents, {snapshot}")
    borough_long = fetch(q.borough_counts, scope, financial_year=year, staff_filter=staff_filter)
    borough_wide = wf.group_wide(borough_long, "area_code")
    borough_wide = borough_wide[borough_wide["area_code"].isin(borough_names)].sort_values("area_code")
    borough_pop = population_wide.set_index("area_code")
    pop_share = borough_wide["area_code"].map(
        borough_pop["bme"] / (borough_pop["bme"] + borough_pop["white"])
    )
    borough_wide = borough_wide.assign(area=borough_wide["area_code"].map(borough_names))
    by_borough = wf.representation_table(
        borough_wide,
        key="area_code",
        workforce_share=workforce_share,
        population_share=pop_share,
        policy=policy,
    )
    text = by_borough.display_frame(decimals=1)
    describe = (
        "Staff " + text["bme_pct"] + "% BME (95% CI " + text["bme_lower"] + " to " + text["bme_upper"] + "); "
        "residents "
        + text["population_pct"]
        + "% BME; ratio "
        + by_borough.display_frame(decimals=2)["ratio_population"]
    )
    under = [
        a
        for a, v in zip(by_borough.frame["area"], by_borough.frame["vs_population"], strict=True)
        if v == wf.UNDER
    ]
    st.markdown(
        "Boroughs where BME staff are under-represented against working-age residents (whole interval below): "
        + (", ".join(under) if under else "none")
        + "."
    )
    clicked = choropleth(
        by_borough,
        boundaries().lad,
        key="workforce_borough_map",
        value="ratio_population",
        kind="diverging",
        decimals=2,
        describe=describe,
        legend_title="BME share of staff ÷ of residents",
        label_areas=True,
    )
    st.session_state["workforce_borough_pick"] = borough  # follows the filter; a choice here moves the filter
    st.selectbox(
        "Open a borough's teams (or click it on the map)",
        borough_options,
        format_func=lambda code: borough_names.get(code, "Choose a borough"),
        key="workforce_borough_pick",
        on_change=lambda: st.session_state.update(
            workforce_pending_borough=st.session_state["workforce_borough_pick"]
        ),
    )
    # The map keeps its last selection across reruns: act on a click only once.
    if clicked in borough_names and clicked != st.session_state.get("workforce_last_click"):
        st.session_state["workforce_last_click"] = clicked
        if clicked != borough:
            st.session_state["workforce_pending_borough"] = clicked
            st.rerun()
    with st.expander("The figures as a table", expanded=False):
        show_table(
            by_borough,
            labels={"area": "Borough", "known": "Staff (ethnicity recorded)", "bme": "BME staff",
                    "bme_pct": "Staff BME %", "bme_lower": "Lower 95% CI", "bme_upper": "Upper 95% CI",
                    "population_pct": "Residents BME %", "ratio_population": "Ratio to residents",
                    "vs_population": "Against the community"},
            decimals={"ratio_population": 2},
            key="workforce_boroughs",
            download_name=f"workforce-boroughs-{year}.csv",
        )  # fmt: skip
    st.markdown(copy("boroughs"))
    if borough:
        st.subheader(f"Teams working in {borough_names[borough]}")
        teams_long = fetch(
            q.team_counts, scope, financial_year=year, borough=borough, staff_filter=staff_filter
        )
        teams_long = teams_long.assign(
            team=teams_long["team"].fillna("No team (corporate services)"),
            service_line=teams_long["service_line"].fillna("Corporate"),
        ).drop(columns=["team_id", "champions"])
        teams_wide = wf.group_wide(teams_long, ["service_line", "team"]).sort_values(["service_line", "team"])
        borough_share = pop_share[borough_wide["area_code"] == borough]
        team_table = wf.representation_table(
            teams_wide,
            key="team",
            workforce_share=workforce_share,
            population_share=None if borough_share.empty else float(borough_share.iloc[0]),
            policy=policy,
        )
        show_table(
            team_table,
            labels={"team": "Team", "service_line": "Service line", "known": "Staff (ethnicity recorded)",
                    "bme": "BME staff", "bme_pct": "BME %", "bme_lower": "Lower 95% CI", "bme_upper": "Upper 95% CI",
                    "vs_population": "Against the borough's residents"},
            key="workforce_teams",
            download_name=f"workforce-teams-{borough}-{year}.csv",
        )  # fmt: skip

# ============================================================================================== Characteristics
with tabs[3]:
    st.subheader(f"Sex, disability and age by pay band, {who}, {snapshot}")
    characteristic_long = fetch(
        q.characteristic_counts, scope, financial_year=year, staff_filter=staff_filter, borough=borough
    )
    for characteristic, (title, categories, names) in CHARACTERISTICS.items():
        table, columns = wf.characteristic_table(characteristic_long, characteristic, categories, policy)
        st.markdown(f"**{title}**")
        labels = {"pay_band": "Band", "staff": "Staff"}
        for column, category in columns.items():
            labels[column] = f"{names.get(category, category)}: staff"
        for column, category in columns.items():
            labels[f"{column}_pct"] = f"{names.get(category, category)} %"
        show_table(
            table,
            labels=labels,
            key=f"workforce_{characteristic}",
            download_name=f"workforce-{characteristic}-{year}.csv",
        )
    st.markdown(copy("characteristics"))

# ============================================================================================== Trend
with tabs[4]:
    st.subheader("Each indicator across the 31 March snapshots")
    trend = wf.trend_table(
        fetch(q.band_counts, scope, financial_year="", staff_filter="all", borough=""),
        fetch(q.likelihood_counts, scope, financial_year=""),
        fetch(q.board_counts, scope, financial_year=""),
        policy,
    )
    show_table(
        trend,
        labels={"financial_year": "WRES year", "share_all": "Workforce BME %", "share_8a_plus": "Bands 8a+ BME %",
                "share_8c_plus": "Bands 8c+ BME %", "wres_2": "WRES 2", "wres_3": "WRES 3", "wres_4": "WRES 4",
                "wres_9": "WRES 9 (points)"},
        decimals={"wres_2": 2, "wres_3": 2, "wres_4": 2},
        key="workforce_trend",
        download_name="workforce-trend.csv",
    )  # fmt: skip
    with st.expander("Confidence intervals and counts"):
        show_table(
            trend,
            labels={"financial_year": "WRES year", "bme_all": "BME staff", "white_all": "White staff",
                    "share_all_lower": "Workforce BME % lower", "share_all_upper": "Workforce BME % upper",
                    "bme_8a_plus": "BME staff 8a+", "white_8a_plus": "White staff 8a+",
                    "share_8a_plus_lower": "8a+ lower", "share_8a_plus_upper": "8a+ upper",
                    "bme_8c_plus": "BME staff 8c+", "white_8c_plus": "White staff 8c+",
                    "wres_2_lower": "WRES 2 lower", "wres_2_upper": "WRES 2 upper",
                    "wres_3_lower": "WRES 3 lower", "wres_3_upper": "WRES 3 upper",
                    "wres_4_lower": "WRES 4 lower", "wres_4_upper": "WRES 4 upper"},
            decimals=2,
            key="workforce_trend_detail",
        )  # fmt: skip
    lines = trend.frame[["financial_year", "share_all", "share_8a_plus", "share_8c_plus"]].melt(
        "financial_year", var_name="series", value_name="percent"
    )
    lines["series"] = lines["series"].map(
        {
            "share_all": "Whole workforce",
            "share_8a_plus": "Bands 8a and above",
            "share_8c_plus": "Bands 8c and above",
        }
    )
    lines["percent"] = lines["percent"].astype(float)
    community = None if population_share is None else population_share * 100
    trend_chart = (
        alt.Chart(lines.dropna())
        .mark_line(point=True)
        .encode(
            x=alt.X("financial_year:N", title="WRES year"),
            y=alt.Y("percent:Q", title="BME staff (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["financial_year", "series", alt.Tooltip("percent:Q", format=".1f")],
        )
    )
    if community is not None:
        rule = (
            alt.Chart(pd.DataFrame({"percent": [community]})).mark_rule(color="#425563").encode(y="percent:Q")
        )
        trend_chart = trend_chart + rule
    st.altair_chart(trend_chart, width="stretch", key="workforce_trend_chart")
    st.caption(
        "The grey line is the working-age community's BME share. Suppressed years are left out of the lines."
    )

    st.subheader("Targets")
    target_rows = fetch(q.targets, scope)
    if target_rows.empty:
        st.info("No targets are loaded.")
    else:
        latest_row = len(trend.frame) - 1
        as_of = snapshot_of[trend.frame["financial_year"].iloc[latest_row]]
        records = []
        for _, target in target_rows.iterrows():
            column = wf.TARGET_MEASURES.get(target["measure"])
            baseline = None if pd.isna(target["baseline"]) else float(target["baseline"])
            latest = None
            progress = wf.TargetProgress(
                None, None, "cannot be judged", "the dashboard does not compute this measure"
            )
            if column is not None:
                scale = wf.target_scale(column, baseline, float(target["value"]))
                value = shown(trend, column, latest_row)
                latest = None if value is None else value * scale
                progress = wf.target_progress(
                    baseline=baseline, target=float(target["value"]), start=target["start_date"],
                    due=target["due_date"], latest=latest, as_of=as_of,
                )  # fmt: skip
            records.append(
                {
                    "description": target["description"] or target["measure"],
                    "target_group": target["target_group"],
                    "baseline": baseline,
                    "start_date": target["start_date"] or "",
                    "value": float(target["value"]),
                    "due_date": target["due_date"],
                    "expected": progress.expected,
                    "latest": progress.latest,
                    "verdict": progress.verdict + (f" ({progress.reason})" if progress.reason else ""),
                }
            )
        targets_table = publish_table(
            pd.DataFrame(records).astype({"baseline": float, "expected": float, "latest": float}),
            counts=[],
            public=["baseline", "value", "expected", "latest"],
            policy=policy,
        )
        show_table(
            targets_table,
            labels={"description": "Target", "target_group": "Group", "baseline": "Baseline",
                    "start_date": "From", "value": "Target value", "due_date": "Due", "expected": "Path expects now",
                    "latest": f"Latest ({long_date(as_of)})", "verdict": "Progress"},
            decimals=2,
            key="workforce_targets",
        )  # fmt: skip
        st.caption(
            "Shares are shown as the target gives them (0.35 means 35%). The latest value is the published "
            "figure; where it is suppressed the target cannot be judged."
        )
    st.markdown(copy("trend"))

# ============================================================================================== Champions
with tabs[5]:
    st.subheader(f"Health-inequalities champions, {snapshot}")
    champion_teams = fetch(q.champion_teams, scope, financial_year=year)
    champion_table = publish_table(
        champion_teams.drop(columns="team_id"),
        counts=["staff", "champions"],
        policy=policy,
        totals=[Totals(by=(), columns=("champions",))],
    )
    champion_total = (
        publish_table(
            pd.DataFrame({"champions": [int(champion_teams["champions"].sum())]}),
            counts=["champions"],
            policy=policy,
        )
        .display_frame()
        .iloc[0]["champions"]
    )
    with_champions = int((champion_teams["champions"] > 0).sum())
    without = champion_teams.loc[champion_teams["champions"] == 0, "team"].tolist()
    st.markdown(
        f"**{champion_total}** champions across **{with_champions}** of {len(champion_teams)} teams; "
        f"**{len(without)}** teams have none."
    )
    show_table(
        champion_table,
        labels={"team": "Team", "service_line": "Service line", "borough": "Borough", "staff": "Staff",
                "champions": "Champions"},
        key="workforce_champion_teams",
        download_name=f"champions-by-team-{year}.csv",
    )  # fmt: skip
    st.markdown("**Teams with no champion:** " + (", ".join(without) if without else "none") + ".")
    champion_bands = sorted_bands(fetch(q.champion_bands, scope, financial_year=year))
    show_table(
        publish_table(
            champion_bands, counts=["staff", "champions"], policy=policy, totals=[Totals(by=(), columns=("champions",))]
        ),
        labels={"pay_band": "Band", "staff": "Staff", "champions": "Champions"},
        key="workforce_champion_bands",
        download_name=f"champions-by-band-{year}.csv",
    )  # fmt: skip
    st.markdown(copy("champions"))

with st.expander("About these figures"):
    st.markdown(copy("suppression"))
    st.markdown(policy.describe())
