"""PCREF: coercion, experience and outcomes by ethnic group, with the disparities stated honestly.
Figures come from ``reports.pcref``; this page reads the filters and lays them out."""

from __future__ import annotations

from components.guard import require_page

user = require_page("pcref")

import streamlit as st

from components.charts import forest_plot, spc_chart
from components.copy import page_copy
from components.layout import synthetic_banner
from components.params import choose, remember
from components.store import fetch, store_facts
from components.tables import rate_labels, show_table
from reports import filters
from reports import pcref as report
from reports.common import RATIO_DECIMALS, period_options
from reports.settings import policy, reference_group

SEXES = {"": "All", "M": "Male", "F": "Female"}
AGE_BANDS = ["", "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]

scope = user.scope
rules = policy()
reference = reference_group()

st.title("PCREF core measures")
synthetic_banner(store_facts())

years = fetch(filters.financial_years, scope)
boroughs = fetch(filters.boroughs, scope)
borough_names = {"": "All boroughs", **dict(zip(boroughs["code"], boroughs["name"], strict=True))}
periods = period_options(years)
service_lines = ["", *fetch(filters.service_lines, scope)]
row1 = st.columns([2, 1, 1, 1, 1])
period_label = row1[0].selectbox(
    "Period", list(periods), index=list(periods).index(choose("period", list(periods), years["financial_year"].iloc[-1])),
    key="pcref_period", help="A financial year, or the 12 months to the end of a month",
)  # fmt: skip
borough = row1[1].selectbox("Borough", list(borough_names), format_func=borough_names.get,
                            index=list(borough_names).index(choose("borough", list(borough_names), "")), key="pcref_borough")  # fmt: skip
service_line = row1[2].selectbox("Service line", service_lines, format_func=lambda s: s or "All services",
                                 key="pcref_service_line")  # fmt: skip
by_age_sex = fetch(filters.age_sex_available, scope)
unavailable = (
    None
    if by_age_sex
    else "Unavailable: the store holds no population by age and sex (Census TS021 has none)"
)
sex = row1[3].selectbox("Sex", list(SEXES), format_func=SEXES.get, key="pcref_sex", disabled=not by_age_sex,
                        help=unavailable)  # fmt: skip
age_band = row1[4].selectbox("Age", AGE_BANDS, format_func=lambda a: a or "All ages", key="pcref_age",
                             disabled=not by_age_sex, help=unavailable)  # fmt: skip
remember("period", period_label)
remember("borough", borough)
period_start, period_end = periods[period_label]
year = period_label
period = {"period_start": period_start, "period_end": period_end}
selection = {**period, "borough": borough, "sex": sex, "age_band": age_band, "service_line": service_line}

coercion_tab, outcomes_tab, experience_tab, about_tab = st.tabs(
    ["Coercion", "Talking Therapies outcomes", "Patient and carer experience", "Things you need to know"]
)

# --------------------------------------------------------------------------------------------- coercion
with coercion_tab:
    left, right = st.columns([2, 2])
    measure = left.selectbox(
        "Measure", list(report.COERCION), format_func=lambda m: report.COERCION[m][0], key="pcref_measure"
    )
    ri_type = "any"
    if measure == "restrictive":
        ri_type = right.selectbox(
            "Type", list(report.RI_LABELS), format_func=report.RI_LABELS.get, key="pcref_ri_type"
        )
    figures = fetch(report.coercion, scope, measure=measure, ri_type=ri_type, **selection)

    st.subheader(f"{figures.title}, {year}")
    if figures.sentence:
        st.markdown(f"**{figures.sentence}**")
    labels = rate_labels("Ethnic group", "Events", f"Rate ratio to {reference}", people="People")
    st.markdown(f"**Broad ethnic groups** (ratios compared with {reference})")
    show_table(figures.broad, labels=labels, decimals=RATIO_DECIMALS, key="pcref_broad",
               download_name=f"pcref-{measure}-{year}-broad.csv")  # fmt: skip
    forest_plot(figures.broad, label="group", value="ratio_value", lower="ratio_lower", upper="ratio_upper",
                title=f"Rate ratio to {reference} (95% CI)", key="pcref_broad_forest")  # fmt: skip
    with st.expander(f"Detailed ethnic groups (ratios compared with {reference})"):
        show_table(figures.detailed, labels=labels, decimals=RATIO_DECIMALS, key="pcref_detailed",
                   download_name=f"pcref-{measure}-{year}-detailed.csv")  # fmt: skip
    st.caption(f"{figures.recording.sentence('in this selection')} They are left out of the rates.")
    if figures.mapped:
        st.page_link("pages/areas.py", label="See this measure on the borough map", icon=":material/map:",
                     query_params={"measure": figures.measure_id, "year": year, "group": "Black"})  # fmt: skip

    with st.expander("Age-standardised rates (ESP2013)"):
        standardised = fetch(report.standardised, scope, measure=measure, ri_type=ri_type, **period,
                             borough=borough, sex=sex, service_line=service_line)  # fmt: skip
        if standardised is None:
            st.info("Age-standardised rates are unavailable: the store holds no population by age and sex "
                    "(Census 2021 TS021 has ethnic group only). See docs/loading-data.md.")  # fmt: skip
        else:
            show_table(
                standardised,
                labels={"broad_group": "Ethnic group", "events": "Events", "value": "Standardised per 100,000",
                        "lower": "Lower 95% CI", "upper": "Upper 95% CI", "ratio_value": f"Ratio to {reference} (approx.)",
                        "ratio_lower": "Ratio lower 95% CI", "ratio_upper": "Ratio upper 95% CI"},
                decimals=RATIO_DECIMALS, key="pcref_standardised", download_name=f"pcref-{measure}-{year}-standardised.csv",
            )  # fmt: skip
            st.caption(
                "Directly standardised to the 2013 European Standard Population (85 and over merged), Dobson "
                "intervals; not shown below 10 events. The ratio's interval is a common approximation, not an "
                "OHID-endorsed method. The age filter does not apply here (standardisation uses every age)."
            )

    if user.role == "equality_lead":
        with st.expander("By team or ward (equality leads)"):
            show_table(
                fetch(report.by_team, scope, measure=measure, ri_type=ri_type, **period, service_line=service_line),
                labels={"team": "Team or ward", "service_line": "Service line", "events": "Events",
                        "black_events": "Of which Black people", "unrecorded_events": "Ethnicity not recorded",
                        "bed_days": "Occupied bed days", "obd_rate": "Per 1,000 bed days"},
                key="pcref_teams", download_name=f"pcref-{measure}-{year}-teams.csv",
            )  # fmt: skip

    st.subheader("Month by month")
    groups = list(filters.BROAD_GROUPS)
    group = st.selectbox("Group", groups, index=groups.index(filters.BLACK_GROUP), key="pcref_spc_group")
    trend = fetch(report.monthly, scope, measure=measure, group=group, ri_type=ri_type, borough=borough, sex=sex,
                  age_band=age_band, service_line=service_line)  # fmt: skip
    spc_chart(trend.series, x="month_start", value="rate", improvement=trend.improvement,
                       title=f"{group} people: {figures.title.lower()} per 100,000 residents, per month",
                       unit="Per 100,000", key="pcref_spc_rate", polarity=trend.polarity,
                       subject=f"The latest month's rate for {group} people")  # fmt: skip
    if group != reference:
        spc_chart(trend.series, x="month_start", value="ratio", improvement="neutral",
                  title=f"Ratio of the {group} rate to the {reference} rate, per month", unit="Ratio",
                  key="pcref_spc_ratio", polarity="neutral", subject="The latest month's ratio")  # fmt: skip

# --------------------------------------------------------------------------------------------- outcomes
with outcomes_tab:
    outcomes = fetch(report.outcomes, scope, **selection)
    st.subheader(f"NHS Talking Therapies outcomes, courses finishing in {year}")
    if not outcomes.tables:
        st.info("No finished courses for this selection.")
    for measure_id, title, definition, label, denominator, table in outcomes.tables:
        st.markdown(f"**{title}**: {definition}")
        show_table(
            table,
            labels={"group": "Ethnic group", "numerator": label, "denominator": denominator.capitalize(), "value": "%",
                    "lower": "Lower 95% CI", "upper": "Upper 95% CI", "ratio_value": f"Relative to {reference}",
                    "ratio_lower": "Lower 95% CI ", "ratio_upper": "Upper 95% CI "},
            decimals=RATIO_DECIMALS, key=f"pcref_{measure_id}", download_name=f"{measure_id}-{year}.csv",
        )  # fmt: skip
    if outcomes.sentence:
        st.markdown(outcomes.sentence)

# --------------------------------------------------------------------------------------------- experience
with experience_tab:
    st.subheader(f"Patient and carer feedback, {year}")
    respondent = st.radio("Respondents", ["patient", "carer"], horizontal=True, key="pcref_respondent",
                          format_func=str.capitalize)  # fmt: skip
    feedback = fetch(report.experience, scope, **period, respondent=respondent, borough=borough)
    if feedback is None:
        st.info("No feedback for this selection.")
    else:
        share_labels = {"group": "Ethnic group", "numerator": "Positive answers", "denominator": "Answers",
                        "value": "% positive", "lower": "Lower 95% CI", "upper": "Upper 95% CI",
                        "ratio_value": f"Relative to {reference}", "ratio_lower": "Lower 95% CI ",
                        "ratio_upper": "Upper 95% CI "}  # fmt: skip
        if feedback.overall is not None:
            st.markdown("**All questions**: the share of answers that were positive")
            show_table(feedback.overall, labels=share_labels, decimals=RATIO_DECIMALS, key="pcref_feedback_overall",
                       download_name=f"feedback-{respondent}-{year}.csv")  # fmt: skip
        with st.expander("By question"):
            question_labels = {
                k: v for k, v in share_labels.items() if k not in ("ratio_lower", "ratio_upper")
            }
            for number, (question, table) in enumerate(feedback.questions):
                st.markdown(f"**{question}**")
                show_table(table, labels={**question_labels, "numerator": "Positive"}, decimals=RATIO_DECIMALS,
                           key=f"pcref_question_{number}")  # fmt: skip
    st.subheader("You said, we did")
    actions = fetch(report.feedback_actions, scope)
    st.dataframe(
        actions.rename(columns={"date": "Agreed", "theme": "Theme", "you_said": "You said", "we_did": "We did",
                                "team": "Team"}),
        hide_index=True, key="pcref_actions",
    )  # fmt: skip

with about_tab:
    st.markdown(page_copy("pcref", threshold_minus_one=rules.threshold - 1, rounding_base=rules.base))
    st.caption(
        f"Data from {store_facts().get('data_start')} to {store_facts().get('data_end')}. "
        f"Reference group for every ethnicity ratio: {reference} (set by the trust)."
    )
