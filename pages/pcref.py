"""PCREF: coercion, experience and outcomes by ethnic group, with the disparities stated honestly.
Figures come from ``reports.pcref``; this page reads the filters and lays them out. The whole view
(section, measure, period, filters, group) is kept in the URL, so a shared link reopens it."""

from __future__ import annotations

from components.guard import require_page

user = require_page("pcref")

import streamlit as st

from components.charts import forest_plot, spc_chart
from components.copy import page_sections
from components.layout import synthetic_banner
from components.params import choose, remember
from components.store import fetch, store_facts
from components.tables import csv_about, rate_labels, show_table
from reports import filters
from reports import pcref as report
from reports.common import RATIO_DECIMALS, period_options
from reports.settings import policy, reference_group

SEXES = {"": "All", "M": "Male", "F": "Female"}
AGE_BANDS = ["", "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
SECTIONS = {"coercion": "Coercion", "outcomes": "Talking Therapies outcomes",
            "experience": "Patient and carer experience", "about": "Things you need to know"}  # fmt: skip

scope = user.scope
rules = policy()
reference = reference_group()
copy = page_sections("pcref", threshold_minus_one=rules.threshold - 1, rounding_base=rules.base,
                     reference=reference)  # fmt: skip

st.title("PCREF core measures")
synthetic_banner(store_facts())

# ---------------------------------------------------------------------------------------------- filters
years = fetch(filters.financial_years, scope)
boroughs = fetch(filters.boroughs, scope)
borough_names = {"": "All boroughs", **dict(zip(boroughs["code"], boroughs["name"], strict=True))}
periods = period_options(years)
service_lines = ["", *fetch(filters.service_lines, scope)]
by_age_sex = fetch(filters.age_sex_available, scope)
unavailable = (
    None
    if by_age_sex
    else "Unavailable: the store holds no population by age and sex (Census TS021 has none)"
)


def pick(column, label, name, options, default, **kwargs):
    """A select box whose starting value comes from the URL (checked against ``options``)."""
    options = list(options)
    start = choose(name, options, default)
    return column.selectbox(label, options, index=options.index(start), key=f"pcref_{name}", **kwargs)


row1 = st.columns([2, 1, 1, 1, 1])
period_label = pick(row1[0], "Period", "period", periods, years["financial_year"].iloc[-1],
                    help="A financial year, or the 12 months to the end of a month")  # fmt: skip
borough = pick(row1[1], "Borough", "borough", borough_names, "", format_func=borough_names.get)
service_line = pick(
    row1[2], "Service line", "line", service_lines, "", format_func=lambda s: s or "All services"
)
sex = pick(row1[3], "Sex", "sex", SEXES, "", format_func=SEXES.get, disabled=not by_age_sex, help=unavailable)
age_band = pick(row1[4], "Age", "age", AGE_BANDS, "", format_func=lambda a: a or "All ages",
                disabled=not by_age_sex, help=unavailable)  # fmt: skip
if not by_age_sex:
    sex, age_band = "", ""
period_start, period_end = periods[period_label]
year = period_label
period = {"period_start": period_start, "period_end": period_end}
selection = {**period, "borough": borough, "sex": sex, "age_band": age_band, "service_line": service_line}
shown_filters = {name: value for name, value in (("borough", borough_names[borough] if borough else ""),
                 ("service line", service_line), ("sex", SEXES[sex] if sex else ""), ("age", age_band)) if value}  # fmt: skip
where = ", ".join(shown_filters.values()) or "whole trust"

section = choose("tab", list(SECTIONS), "coercion")
# The URL's tab opens first. The tabs keep one identity for the session (a changed default would be a new
# widget, which resets them), so the URL's tab is their starting value rather than their default. Only the
# open tab is computed and drawn.
if "pcref_tab" not in st.session_state:
    st.session_state["pcref_tab"] = SECTIONS[section]
tabs = st.tabs(list(SECTIONS.values()), key="pcref_tab", on_change="rerun")
opened = [name for name, tab in zip(SECTIONS, tabs, strict=True) if tab.open]
section = opened[0] if opened else section
coercion_tab, outcomes_tab, experience_tab, about_tab = tabs
# each choice kept in the URL, with its default: (value, default); a closed tab's choices stay as the URL has them
view = {"tab": (section, "coercion"), "period": (period_label, None), "borough": (borough, ""),
        "line": (service_line, ""), "sex": (sex, ""), "age": (age_band, "")}  # fmt: skip


def download(measure_name: str, definition: str, counts_of: str, suffix: str):
    """The CSV header block: what the figures are, for which period and filters."""
    return {"download": csv_about(measure_name, definition, year, counts_of=counts_of, filters=shown_filters),
            "download_suffix": suffix}  # fmt: skip


# --------------------------------------------------------------------------------------------- coercion
with coercion_tab:
    if section == "coercion":  # only the open tab is computed and drawn
        left, right = st.columns([2, 2])
        measure = pick(
            left,
            "Measure",
            "measure",
            report.COERCION,
            "detentions",
            format_func=lambda m: report.COERCION[m][0],
        )
        ri_type = "any"
        if measure == "restrictive":
            ri_type = pick(right, "Type", "type", report.RI_LABELS, "any", format_func=report.RI_LABELS.get)
        whole = fetch(
            report.view, scope, measure=measure, ri_type=ri_type, period_label=f"in {year}", **selection
        )
        figures = whole.coercion
        events_noun, people_noun = figures.events_noun, figures.people_noun

        st.subheader(f"{figures.title}, {year} ({where})")
        for sentence in (figures.sentence, figures.events_sentence):
            if sentence:
                st.markdown(f"**{sentence}**")
        st.caption(copy["counts"].format(events=events_noun, people=people_noun, reference=reference))
        event_labels = rate_labels(
            "Ethnic group", events_noun.capitalize(), f"Ratio to {reference} ({events_noun})"
        )
        people_labels = {"group": "Ethnic group", "people": people_noun.capitalize(), "population": "Residents",
                         "people_value": "Per 100,000", "people_lower": "Lower 95% CI", "people_upper": "Upper 95% CI",
                         "people_ratio_value": f"Ratio to {reference} (people)", "people_ratio_lower": "Ratio lower 95% CI",
                         "people_ratio_upper": "Ratio upper 95% CI"}  # fmt: skip
        st.markdown(
            f"**Broad ethnic groups: {events_noun} per 100,000 residents** (ratios compared with {reference})"
        )
        show_table(figures.broad, labels=event_labels, decimals=RATIO_DECIMALS, key="pcref_broad",
                   **download(figures.title, whole.definition, "events", f"{measure} events by group"))  # fmt: skip
        st.markdown(
            f"**Broad ethnic groups: {people_noun} per 100,000 residents** (ratios compared with {reference})"
        )
        show_table(figures.broad, labels=people_labels, decimals=RATIO_DECIMALS, key="pcref_broad_people",
                   **download(figures.title, whole.definition, "people", f"{measure} people by group"))  # fmt: skip
        forest_plot(figures.broad, label="group", value="people_ratio_value", lower="people_ratio_lower",
                    upper="people_ratio_upper", title=f"Ratio of {people_noun} per resident to {reference} (95% CI)",
                    key="pcref_broad_forest")  # fmt: skip
        with st.expander(f"Detailed ethnic groups (ratios compared with {reference})"):
            show_table(figures.detailed, labels={**event_labels, "people": people_noun.capitalize(),
                                                 "people_ratio_value": f"Ratio to {reference} (people)"},
                       decimals=RATIO_DECIMALS, key="pcref_detailed",
                       **download(figures.title, whole.definition, "events and people", f"{measure} detailed groups"))  # fmt: skip
        st.caption(f"{figures.recording.sentence('in this selection')} They are left out of the rates.")
        if figures.mapped:
            st.page_link("pages/areas.py", label="See this measure on the borough map", icon=":material/map:",
                         query_params={"measure": figures.measure_id, "year": year, "group": "Black"})  # fmt: skip

        st.subheader(f"Year by year: each group's ratio to {reference}")
        groups = whole.trend_groups()  # broad groups by name, then detailed groups by NHS code
        trend_group = pick(
            st, "Group (broad or detailed)", "group", groups, filters.BLACK_GROUP, format_func=groups.get
        )
        trend, trend_name = whole.trend(trend_group), groups[trend_group]
        show_table(trend, labels={"financial_year": "Financial year", "events": events_noun.capitalize(),
                                  "ratio_value": f"Ratio to {reference} ({events_noun})", "ratio_lower": "Lower 95% CI",
                                  "ratio_upper": "Upper 95% CI", "people": people_noun.capitalize(),
                                  "people_ratio_value": f"Ratio to {reference} (people)",
                                  "people_ratio_lower": "Lower 95% CI ", "people_ratio_upper": "Upper 95% CI "},
                   decimals=RATIO_DECIMALS, key="pcref_yearly",
                   **download(figures.title, whole.definition, "events and people", f"{measure} {trend_name} by year"))  # fmt: skip
        forest_plot(trend, label="financial_year", value="people_ratio_value", lower="people_ratio_lower",
                    upper="people_ratio_upper", key="pcref_yearly_forest",
                    title=f"{trend_name} to {reference}: ratio of {people_noun} per resident, by financial year (95% CI)")  # fmt: skip
        st.caption(copy["yearly"].format(where=where))
        if trend_group not in filters.BROAD_GROUPS:
            st.caption(copy["yearly_detailed"])

        # keyed: an expander that moves (a caption more above it) would otherwise close when a choice reruns the page
        with st.expander("Age-standardised rates (ESP2013)", key="pcref_standardised_open"):
            standard = {**period, "borough": borough, "sex": sex, "service_line": service_line}
            standardised = fetch(report.standardised, scope, measure=measure, ri_type=ri_type, **standard)
            if standardised is None:
                st.info(copy["no_standardised"])
            else:
                labels = {"broad_group": "Ethnic group", "events": events_noun.capitalize(),
                          "value": "Standardised per 100,000", "lower": "Lower 95% CI", "upper": "Upper 95% CI",
                          "ratio_value": f"Ratio to {reference} (approx.)", "ratio_lower": "Ratio lower 95% CI",
                          "ratio_upper": "Ratio upper 95% CI"}  # fmt: skip
                show_table(standardised, labels=labels, decimals=RATIO_DECIMALS, key="pcref_standardised",
                           **download(figures.title, whole.definition, "events", f"{measure} standardised"))  # fmt: skip
                detailed = fetch(
                    report.standardised, scope, measure=measure, ri_type=ri_type, detailed=True, **standard
                )
                st.markdown(f"**Detailed ethnic groups**, each compared with all {reference} people")
                detailed_labels = {
                    "group": "Ethnic group",
                    **{k: v for k, v in labels.items() if k != "broad_group"},
                }
                show_table(detailed, labels=detailed_labels, decimals=RATIO_DECIMALS, key="pcref_standardised_detailed",
                           **download(figures.title, whole.definition, "events", f"{measure} standardised detailed"))  # fmt: skip
                st.caption(copy["standardised"])

        if user.role == "equality_lead":
            with st.expander("By team or ward (equality leads)", key="pcref_teams_open"):
                team_labels = {"team": "Team or ward", "service_line": "Service line", "events": events_noun.capitalize(),
                               "black_events": "Of which Black people", "unrecorded_events": "Ethnicity not recorded",
                               "bed_days": "Occupied bed days"}  # fmt: skip
                if "obd_rate" in whole.teams.columns:
                    team_labels["obd_rate"] = "Per 1,000 bed days"
                show_table(whole.teams, labels=team_labels, key="pcref_teams",
                           **download(figures.title, whole.definition, "events", f"{measure} by team"))  # fmt: skip
                st.caption(whole.teams_note)

        st.subheader("Month by month")
        spc_group = pick(st, "Group", "spc", list(filters.BROAD_GROUPS), filters.BLACK_GROUP)
        series = whole.monthly(spc_group)
        spc_chart(series.series, x="month_start", value="rate", improvement=series.improvement,
                  title=f"{spc_group} people: {events_noun} per 100,000 residents, per month ({where})",
                  unit="Per 100,000", key="pcref_spc_rate", polarity=series.polarity, picture=True,
                  subject=f"The latest month's rate for {spc_group} people")  # fmt: skip
        if spc_group != reference:
            spc_chart(series.series, x="month_start", value="ratio", improvement="neutral",
                      title=f"Ratio of the {spc_group} rate to the {reference} rate ({events_noun}), per month",
                      unit="Ratio", key="pcref_spc_ratio", polarity="neutral", subject="The latest month's ratio", picture=True)  # fmt: skip
        view.update(measure=(measure, "detentions"), type=(ri_type, "any"), group=(trend_group, filters.BLACK_GROUP),
                    spc=(spc_group, filters.BLACK_GROUP))  # fmt: skip

# --------------------------------------------------------------------------------------------- outcomes
with outcomes_tab:
    if section == "outcomes":  # only the open tab is computed and drawn
        outcomes = fetch(report.outcomes, scope, **selection)
        st.subheader(f"NHS Talking Therapies outcomes, courses finishing in {year} ({where})")
        if not outcomes.tables:
            st.info("No finished courses for this selection.")
        if outcomes.sentences:  # recovery, each group against the reference group, before the tables
            st.markdown("\n".join(f"- **{sentence}**" for sentence in outcomes.sentences))
        for measure_id, title, definition, label, denominator, table in outcomes.tables:
            st.markdown(f"**{title}**: {definition}")
            show_table(
                table,
                labels={"group": "Ethnic group", "numerator": label, "denominator": denominator.capitalize(), "value": "%",
                        "lower": "Lower 95% CI", "upper": "Upper 95% CI", "ratio_value": f"Relative to {reference}",
                        "ratio_lower": "Lower 95% CI ", "ratio_upper": "Upper 95% CI "},
                decimals=RATIO_DECIMALS, key=f"pcref_{measure_id}",
                **download(title, definition, "events", "by group"),
            )  # fmt: skip

# --------------------------------------------------------------------------------------------- experience
with experience_tab:
    if section == "experience":  # only the open tab is computed and drawn
        st.subheader(f"Patient and carer feedback, {year}")
        respondent = st.radio("Respondents", ["patient", "carer"], horizontal=True, key="pcref_respondent",
                              index=["patient", "carer"].index(choose("respondent", ["patient", "carer"], "patient")),
                              format_func=str.capitalize)  # fmt: skip
        view["respondent"] = (respondent, "patient")
        feedback = fetch(report.experience, scope, **period, respondent=respondent, borough=borough)
        if sex or age_band or service_line:
            st.caption(copy["experience_filters"])
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
                           **download(f"{respondent.capitalize()} feedback", "Positive answers of all answers", "events",
                                      "all questions"))  # fmt: skip
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
    if section == "about":  # only the open tab is computed and drawn
        st.markdown(copy["about"])
        st.caption(
            f"Data from {store_facts().get('data_start')} to {store_facts().get('data_end')}. "
            f"Reference group for every ethnicity ratio: {reference} (set by the trust)."
        )

for name, (value, default) in view.items():
    if value != default or name in st.query_params:
        remember(name, value)
