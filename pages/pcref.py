"""PCREF: coercion, experience and outcomes by ethnic group, with the disparities stated honestly."""

from __future__ import annotations

from components.guard import require_page

user = require_page("pcref")


from datetime import date

import pandas as pd
import streamlit as st

from components.charts import forest_plot, spc_chart
from components.copy import page_copy
from components.layout import synthetic_banner
from components.params import choose, remember
from components.store import TRUST, fetch, store_facts
from components.tables import show_table
from measures.benchmark import group_proportion_table, group_rate_table, standardised_rate_table
from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy, publish_count, publish_table
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS, WHITE, category
from measures.narrative import describe_ratio, describe_spc
from measures.stats import crude_rates, rate_ratio, relative_likelihood
from queries import overview, pcref
from queries import team as team_queries

PER = 100_000
SEXES = {"": "All", "M": "Male", "F": "Female"}
AGE_BANDS = ["", "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
COERCION = {
    "detentions": ("Mental Health Act detentions", "detained", "mha_detentions_crude_rate"),
    "ctos": ("Community treatment orders", "placed on a community treatment order", "cto_crude_rate"),
    "s136": ("Section 136 (police place of safety)", "detained under section 136", "s136_crude_rate"),
    "restrictive": ("Restrictive interventions", "subject to a restrictive intervention", None),
}
RI_LABELS = {
    "any": "Any restrictive intervention",
    "physical": "Physical restraint",
    "prone": "Prone restraint",
    "mechanical": "Mechanical restraint",
    "seclusion": "Seclusion",
    "segregation": "Segregation",
    "rapid_tranquillisation": "Rapid tranquillisation",
}


def period_options(years: pd.DataFrame) -> dict[str, tuple[date, date]]:
    """Financial years, then rolling 12-month windows ending at each month-end of the latest year."""
    options = {
        fy: (first, last)
        for fy, first, last in zip(
            years["financial_year"], years["first_day"], years["last_day"], strict=True
        )
    }
    latest_end = pd.Timestamp(years["last_day"].iloc[-1])
    for months_back in range(1, 12):
        end = (latest_end - pd.DateOffset(months=months_back)) + pd.offsets.MonthEnd(0)
        start = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
        options[f"12 months to {end:%b %Y}"] = (start.date(), end.date())
    return options


scope = user.scope
policy = DisclosurePolicy(threshold=TRUST.suppression_threshold, base=TRUST.rounding_base)
catalogue = load_catalogue()
reference_code = TRUST.reference_group
reference_name = category(reference_code).description.replace(
    ": ", " "
)  # "White: British" -> "White British"

st.title("PCREF core measures")
synthetic_banner(store_facts())

years = fetch(overview.financial_years, scope)
boroughs = fetch(overview.boroughs, scope)
borough_names = {"": "All boroughs", **dict(zip(boroughs["code"], boroughs["name"], strict=True))}
year_labels = list(years["financial_year"])

periods = period_options(years)
service_lines = ["", *sorted(fetch(team_queries.teams_in_scope, scope)["service_line"].unique())]
row1 = st.columns([2, 1, 1, 1, 1])
period_label = row1[0].selectbox(
    "Period", list(periods), index=list(periods).index(choose("period", list(periods), year_labels[-1])),
    key="pcref_period", help="A financial year, or the 12 months to the end of a month",
)  # fmt: skip
borough = row1[1].selectbox("Borough", list(borough_names), format_func=borough_names.get,
                            index=list(borough_names).index(choose("borough", list(borough_names), "")), key="pcref_borough")  # fmt: skip
service_line = row1[2].selectbox("Service line", service_lines, format_func=lambda s: s or "All services",
                                 key="pcref_service_line")  # fmt: skip
sex = row1[3].selectbox("Sex", list(SEXES), format_func=SEXES.get, key="pcref_sex")
age_band = row1[4].selectbox("Age", AGE_BANDS, format_func=lambda a: a or "All ages", key="pcref_age")
remember("period", period_label)
remember("borough", borough)
period_start, period_end = periods[period_label]
year = period_label
filters = {"borough": borough, "sex": sex, "age_band": age_band}
event_filters = {**filters, "service_line": service_line}

coercion_tab, outcomes_tab, experience_tab, about_tab = st.tabs(
    ["Coercion", "Talking Therapies outcomes", "Patient and carer experience", "Things you need to know"]
)


def _with_names(frame: pd.DataFrame, code_column: str) -> pd.DataFrame:
    return frame.assign(group=[category(c).description for c in frame[code_column]])


# --------------------------------------------------------------------------------------------- coercion
with coercion_tab:
    left, right = st.columns([2, 2])
    measure = left.selectbox(
        "Measure", list(COERCION), format_func=lambda m: COERCION[m][0], key="pcref_measure"
    )
    ri_type = "any"
    if measure == "restrictive":
        ri_type = right.selectbox("Type", list(RI_LABELS), format_func=RI_LABELS.get, key="pcref_ri_type")
    title, outcome_words, map_measure = COERCION[measure]
    if measure == "restrictive":
        title = RI_LABELS[ri_type]

    events = fetch(pcref.coercion_events, scope, measure=measure, period_start=period_start, period_end=period_end,
                   ri_type=ri_type, **event_filters)  # fmt: skip
    population = fetch(pcref.population, scope, **filters)
    by_code = population[population["level"] == "code"].set_index("grp")["population"]
    by_broad = population[population["level"] == "broad"].set_index("grp")["population"]

    coded = events.set_index("ethnic_category")
    detailed = pd.DataFrame({"code": [c for c in by_code.index if category(c).known]})
    detailed["events"] = [int(coded["events"].get(c, 0)) for c in detailed["code"]]
    detailed["population"] = [int(by_code[c]) for c in detailed["code"]]
    detailed = _with_names(detailed, "code")
    broad = pd.DataFrame({"group": list(KNOWN_BROAD_GROUPS)})
    broad_of = {c: category(c).broad_group for c in coded.index}
    broad["events"] = [
        int(coded.loc[[c for c, b in broad_of.items() if b == g], "events"].sum()) for g in broad["group"]
    ]
    broad["population"] = [int(by_broad.get(g, 0)) for g in broad["group"]]
    broad["people"] = [
        int(coded.loc[[c for c, b in broad_of.items() if b == g], "people"].sum()) for g in broad["group"]
    ]
    detailed["people"] = [int(coded["people"].get(c, 0)) for c in detailed["code"]]
    unrecorded = int(coded.loc[[c for c in coded.index if not category(c).known], "events"].sum())
    total_events = int(coded["events"].sum())

    st.subheader(f"{title}, {year}")
    black = broad.set_index("group").loc[BLACK]
    reference_row = detailed[detailed["code"] == reference_code]
    if not reference_row.empty:
        ratio = rate_ratio(int(black["events"]), int(black["population"]), int(reference_row["events"].iloc[0]),
                           int(reference_row["population"].iloc[0]))  # fmt: skip
        checked = publish_table(
            pd.DataFrame({"black": [int(black["events"])], "reference": [int(reference_row["events"].iloc[0])]}),
            counts=["black", "reference"], policy=policy,
        )  # fmt: skip
        if checked.suppressed_any:
            st.markdown(
                f"Too few events to compare Black people with {reference_name} people for this selection."
            )
        else:
            st.markdown(
                "**"
                + describe_ratio(
                    ratio, subject="Black people", reference=f"{reference_name} people", outcome=outcome_words
                )
                + "**"
            )

    broad_table = group_rate_table(broad, reference=WHITE, policy=policy, per=PER, extra_counts=("people",))
    detailed_table = group_rate_table(detailed[["group", "events", "population", "people"]],
                                      reference=category(reference_code).description, policy=policy, per=PER,
                                      extra_counts=("people",))  # fmt: skip
    labels = {"group": "Ethnic group", "events": "Events", "people": "People", "population": "Residents",
              "value": "Per 100,000",
              "lower": "Lower 95% CI", "upper": "Upper 95% CI", "ratio_value": "Rate ratio",
              "ratio_lower": "Ratio lower 95% CI", "ratio_upper": "Ratio upper 95% CI"}  # fmt: skip
    ratio_decimals = {"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2}
    st.markdown("**Broad ethnic groups** (ratios compared with White)")
    show_table(broad_table, labels=labels, decimals=ratio_decimals, key="pcref_broad",
               download_name=f"pcref-{measure}-{year}-broad.csv")  # fmt: skip
    forest_plot(broad_table, label="group", value="ratio_value", lower="ratio_lower", upper="ratio_upper",
                title="Rate ratio to White (95% CI)", key="pcref_broad_forest")  # fmt: skip
    with st.expander(f"Detailed ethnic groups (ratios compared with {reference_name})"):
        show_table(detailed_table, labels=labels, decimals=ratio_decimals, key="pcref_detailed",
                   download_name=f"pcref-{measure}-{year}-detailed.csv")  # fmt: skip

    shown_unrecorded = publish_count(unrecorded, threshold=policy.threshold, base=policy.base)
    share = f"{unrecorded / total_events:.0%}" if total_events and shown_unrecorded is not None else "a few"
    st.caption(
        f"Ethnicity was not stated or not known for {share} of these events "
        f"({'fewer than ' + str(policy.threshold) if shown_unrecorded is None else f'about {shown_unrecorded:,}'}); "
        "they are left out of the rates."
    )
    if map_measure:
        st.page_link("pages/areas.py", label="See this measure on the borough map", icon=":material/map:",
                     query_params={"measure": map_measure, "year": year, "group": "Black"})  # fmt: skip

    with st.expander("Age-standardised rates (ESP2013)"):
        cells = fetch(pcref.standardisation_cells, scope, measure=measure, period_start=period_start,
                      period_end=period_end, ri_type=ri_type, borough=borough, sex=sex, service_line=service_line)  # fmt: skip
        standardised = standardised_rate_table(cells, reference=WHITE, policy=policy)
        show_table(
            standardised,
            labels={
                "broad_group": "Ethnic group",
                "events": "Events",
                "value": "Standardised per 100,000",
                "lower": "Lower 95% CI",
                "upper": "Upper 95% CI",
                "ratio_value": "Ratio to White (approx.)",
                "ratio_lower": "Ratio lower 95% CI",
                "ratio_upper": "Ratio upper 95% CI",
            },
            decimals=ratio_decimals,
            key="pcref_standardised",
            download_name=f"pcref-{measure}-{year}-standardised.csv",
        )
        st.caption(
            "Directly standardised to the 2013 European Standard Population (85 and over merged), Dobson "
            "intervals; not shown below 10 events. The ratio's interval is a common approximation, not an "
            "OHID-endorsed method. The age filter does not apply here (standardisation uses every age)."
        )

    if user.role == "equality_lead":
        with st.expander("By team or ward (equality leads)"):
            teams = fetch(pcref.coercion_by_team, scope, measure=measure, period_start=period_start,
                          period_end=period_end, ri_type=ri_type, service_line=service_line)  # fmt: skip
            wards = teams["bed_days"] > 0
            teams["obd_rate"] = float("nan")
            if wards.any():
                rates = crude_rates(teams.loc[wards, "events"], teams.loc[wards, "bed_days"], per=1000)
                teams.loc[wards, "obd_rate"] = rates["value"].to_numpy(dtype=float)
            team_table = publish_table(
                teams, counts=["events", "black_events", "unrecorded_events", "bed_days"],
                derived={"obd_rate": ("events", "bed_days")}, policy=policy,
            )  # fmt: skip
            show_table(
                team_table,
                labels={
                    "team": "Team or ward",
                    "service_line": "Service line",
                    "events": "Events",
                    "black_events": "Of which Black people",
                    "unrecorded_events": "Ethnicity not recorded",
                    "bed_days": "Occupied bed days",
                    "obd_rate": "Per 1,000 bed days",
                },
                key="pcref_teams",
                download_name=f"pcref-{measure}-{year}-teams.csv",
            )

    st.subheader("Month by month")
    monthly = fetch(pcref.monthly_events, scope, measure=measure, ri_type=ri_type, **event_filters)
    wide = (
        monthly.pivot(index="month_start", columns="broad_group", values="events").fillna(0).astype("int64")
    )
    group = st.selectbox(
        "Group", list(KNOWN_BROAD_GROUPS), index=KNOWN_BROAD_GROUPS.index(BLACK), key="pcref_spc_group"
    )
    pop_group, pop_white = int(by_broad.get(group, 0)), int(by_broad.get(WHITE, 0))
    series = pd.DataFrame(
        {"month": wide.index, "events": wide[group].to_numpy(), "white": wide[WHITE].to_numpy()}
    )
    series["rate"] = series["events"] / pop_group * PER if pop_group else float("nan")
    white_rate = series["white"] / pop_white * PER if pop_white else float("nan")
    series["ratio"] = (series["rate"] / white_rate).where(series["white"] > 0)
    published_series = publish_table(
        series,
        counts=["events", "white"],
        derived={"rate": ("events",), "ratio": ("events", "white")},
        policy=policy,
    )
    polarity = catalogue[map_measure].polarity if map_measure else "lower_is_better"
    improvement = catalogue[map_measure].improvement if map_measure else "decrease"
    result = spc_chart(published_series, x="month", value="rate", improvement=improvement,
                       title=f"{group} people: {title.lower()} per 100,000 residents, per month",
                       unit="Per 100,000", key="pcref_spc_rate")  # fmt: skip
    st.markdown(describe_spc(result, polarity, subject=f"The latest month's rate for {group} people"))
    if group != WHITE:
        ratio_result = spc_chart(published_series, x="month", value="ratio", improvement="neutral",
                                 title=f"Ratio of the {group} rate to the White rate, per month", unit="Ratio",
                                 key="pcref_spc_ratio")  # fmt: skip
        st.markdown(describe_spc(ratio_result, "neutral", subject="The latest month's ratio"))

# --------------------------------------------------------------------------------------------- outcomes
with outcomes_tab:
    outcomes = fetch(pcref.talking_therapies_outcomes, scope, period_start=period_start, period_end=period_end,
                     **event_filters)  # fmt: skip
    outcomes = outcomes.loc[outcomes["ethnic_category"].map(lambda c: category(c).known).astype(bool)]
    outcomes = outcomes.assign(broad=[category(c).broad_group for c in outcomes["ethnic_category"]])
    by_group = outcomes.groupby("broad", as_index=False)[["finished", "caseness", "recovered", "improved",
                                                           "deteriorated"]].sum().rename(columns={"broad": "group"})  # fmt: skip
    st.subheader(f"NHS Talking Therapies outcomes, courses finishing in {year}")
    if by_group.empty or WHITE not in set(by_group["group"]):
        st.info("No finished courses for this selection.")
    else:
        for measure_id, numerator, denominator, label in (
            ("talking_therapies_recovery_pct", "recovered", "caseness", "Recovery"),
            ("talking_therapies_reliable_improvement_pct", "improved", "finished", "Reliable improvement"),
            (
                "talking_therapies_reliable_deterioration_pct",
                "deteriorated",
                "finished",
                "Reliable deterioration",
            ),
        ):
            table = group_proportion_table(by_group, numerator=numerator, denominator=denominator, reference=WHITE,
                                           policy=policy)  # fmt: skip
            st.markdown(f"**{catalogue[measure_id].title}**: {catalogue[measure_id].definition}")
            show_table(
                table,
                labels={
                    "group": "Ethnic group",
                    "numerator": label,
                    "denominator": denominator.capitalize(),
                    "value": "%",
                    "lower": "Lower 95% CI",
                    "upper": "Upper 95% CI",
                    "ratio_value": "Relative to White",
                    "ratio_lower": "Lower 95% CI ",
                    "ratio_upper": "Upper 95% CI ",
                },
                decimals={"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2},
                key=f"pcref_{measure_id}",
                download_name=f"{measure_id}-{year}.csv",
            )
        rows = by_group.set_index("group")
        if (
            BLACK in rows.index
            and not publish_table(
                rows.loc[[BLACK, WHITE], ["recovered"]].reset_index(drop=True),
                counts=["recovered"],
                policy=policy,
            ).suppressed_any
        ):
            likelihood = relative_likelihood(int(rows.loc[BLACK, "recovered"]), int(rows.loc[BLACK, "caseness"]),
                                             int(rows.loc[WHITE, "recovered"]), int(rows.loc[WHITE, "caseness"]))  # fmt: skip
            st.markdown(describe_ratio(likelihood, subject="Black people who finished a course",
                                       reference="White people", outcome="recovered at the end of treatment"))  # fmt: skip

# --------------------------------------------------------------------------------------------- experience
with experience_tab:
    answers = fetch(pcref.feedback, scope, period_start=period_start, period_end=period_end, borough=borough)
    st.subheader(f"Patient and carer feedback, {year}")
    if answers.empty:
        st.info("No feedback for this selection.")
    else:
        respondent = st.radio("Respondents", ["patient", "carer"], horizontal=True, key="pcref_respondent",
                              format_func=str.capitalize)  # fmt: skip
        chosen = answers[
            (answers["respondent_type"] == respondent) & answers["broad_group"].isin(KNOWN_BROAD_GROUPS)
        ]
        overall = (
            chosen.groupby("broad_group", as_index=False)[["positive", "answers"]]
            .sum()
            .rename(columns={"broad_group": "group"})
        )
        if WHITE in set(overall["group"]):
            table = group_proportion_table(overall, numerator="positive", denominator="answers", reference=WHITE,
                                           policy=policy)  # fmt: skip
            st.markdown("**All questions**: the share of answers that were positive")
            show_table(
                table,
                labels={
                    "group": "Ethnic group",
                    "numerator": "Positive answers",
                    "denominator": "Answers",
                    "value": "% positive",
                    "lower": "Lower 95% CI",
                    "upper": "Upper 95% CI",
                    "ratio_value": "Relative to White",
                    "ratio_lower": "Lower 95% CI ",
                    "ratio_upper": "Upper 95% CI ",
                },
                decimals={"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2},
                key="pcref_feedback_overall",
                download_name=f"feedback-{respondent}-{year}.csv",
            )
        with st.expander("By question"):
            for number, question in enumerate(sorted(chosen["question"].unique())):
                rows = chosen[chosen["question"] == question].groupby("broad_group", as_index=False)[
                    ["positive", "answers"]
                ].sum().rename(columns={"broad_group": "group"})  # fmt: skip
                if WHITE not in set(rows["group"]):
                    continue
                st.markdown(f"**{question}**")
                show_table(
                    group_proportion_table(
                        rows, numerator="positive", denominator="answers", reference=WHITE, policy=policy
                    ),
                    labels={
                        "group": "Ethnic group",
                        "numerator": "Positive",
                        "denominator": "Answers",
                        "value": "% positive",
                        "lower": "Lower 95% CI",
                        "upper": "Upper 95% CI",
                        "ratio_value": "Relative to White",
                    },
                    decimals={"ratio_value": 2},
                    key=f"pcref_question_{number}",
                )
    st.subheader("You said, we did")
    actions = fetch(pcref.feedback_actions, scope)
    st.dataframe(
        actions.rename(
            columns={
                "date": "Agreed",
                "theme": "Theme",
                "you_said": "You said",
                "we_did": "We did",
                "team": "Team",
            }
        ),
        hide_index=True,
        key="pcref_actions",
    )

with about_tab:
    st.markdown(page_copy("pcref", threshold_minus_one=policy.threshold - 1, rounding_base=policy.base))
    st.caption(
        f"Data from {store_facts().get('data_start')} to {store_facts().get('data_end')}. "
        f"Reference group for detailed ethnic groups: {category(reference_code).description} (configurable)."
    )
