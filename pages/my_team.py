"""My team: one team by ethnic group against its own service line and every team with the measure, for
the measures that fit the team's service, with a quarterly trend.

Champions see only their own team(s); equality leads can pick any team. Figures come from
``reports.team``, which shows nothing about other teams. The view (team, year, measure) is in the URL.
"""

from __future__ import annotations

from components.guard import require_page

user = require_page("my_team")

import streamlit as st

from components.copy import page_copy
from components.layout import synthetic_banner
from components.params import choose, remember
from components.store import fetch, store_facts
from components.tables import csv_about, show_table
from components.team_charts import quarterly_chart
from reports import filters
from reports import team as report
from reports.settings import catalogue, policy

scope = user.scope
champion = user.role == "champion"
rules = policy()

st.title("My team")
synthetic_banner(store_facts())

teams = fetch(filters.teams, scope)
if teams.empty:
    st.info("No team is linked to your login yet. Ask an administrator to add your team.")
    st.stop()

team_names = dict(zip(teams["id"].astype(str), teams["name"], strict=True))
years = list(fetch(filters.financial_years, scope)["financial_year"])
left, right = st.columns([3, 1])
chosen_team = choose("team", list(team_names), str(teams["id"].iloc[0]))
chosen_year = choose("year", years, years[-1])
team_id = left.selectbox(
    "Team", list(team_names), index=list(team_names).index(chosen_team), format_func=team_names.get,
    disabled=len(team_names) == 1, key="my_team_team",
)  # fmt: skip
year = right.selectbox("Financial year", years, index=years.index(chosen_year), key="my_team_year")
remember("team", team_id)
remember("year", year)

row = teams.set_index(teams["id"].astype(str)).loc[team_id]
figures = fetch(report.comparison, scope, team_id=int(team_id), financial_year=year, champion=champion)
reference = figures.reference
st.markdown(
    f"**{row['name']}**: {row['service_line']} service, {row['borough']}. Financial year {year}. Each figure "
    f"has its 95% confidence interval. The team is compared with its own service line (all "
    f"{row['service_line']} teams in the trust) and, by ethnic group, with {reference} people (the trust's "
    "reference group) in the same team; a difference is called clear only when the interval excludes the "
    "other figure."
)
st.markdown(figures.recording.sentence(f"in {year}"))
if len(figures) == 0:
    st.info(f"No activity for this team in {year}.")
    st.stop()

st.subheader(f"Every measure for this service: the team against its service line, {year}")
st.dataframe(figures.summary, hide_index=True, key="my_team_summary")
if figures.service_line_hidden:
    hidden = ", ".join(catalogue()[m].title for m in figures.service_line_hidden)
    st.caption(
        f"Service-line figure not shown for {hidden}: fewer than {report.MIN_TEAMS_FOR_SERVICE_LINE} of its teams "
        "have these figures, so it could reveal another team's. These are compared with all teams instead."
    )
for title, reason in figures.not_applicable:
    st.caption(f"**{title}** is not shown for this service. {reason}")

# ------------------------------------------------------------------------------------- by ethnic group
measures = [m for m in figures.measures if not report.per_bed_day(m)]
if measures:
    measure_id = choose("measure", measures, measures[0])
    measure_id = st.selectbox("Measure by ethnic group", measures, index=measures.index(measure_id),
                              format_func=lambda m: catalogue()[m].title, key="my_team_measure")  # fmt: skip
    remember("measure", measure_id)
    info = catalogue()[measure_id]
    st.subheader(f"{info.title} by ethnic group, against {reference} people in this team, {year}")
    groups = fetch(report.breakdown, scope, team_id=int(team_id), financial_year=year, measure_id=measure_id,
                   champion=champion, overview_hidden=figures.hidden_cells(measure_id))  # fmt: skip
    if groups.table is None:
        st.info(groups.withheld or "No figures by ethnic group for this measure.")
    else:
        st.dataframe(groups.text, hide_index=True, key="my_team_groups")
        st.caption(f"Counts are {report.COUNTS_OF[measure_id]} (events, not people). Groups are NHS broad ethnic "
                   f"groups; each is compared with {reference} people in the same team.")  # fmt: skip
        with st.expander("Detailed ethnic groups in this team, where numbers allow"):
            if groups.detailed is not None:
                show_table(groups.detailed, labels={"category": "Ethnic category", "numerator": "Numerator",
                                                    "denominator": "Denominator", "value": info.unit,
                                                    "lower": "Lower 95% CI", "upper": "Upper 95% CI"},
                           key="my_team_detailed")  # fmt: skip
        with st.expander("Counts and confidence intervals (download)"):
            show_table(
                groups.table,
                labels={"level": "Level", "group": "Ethnic group", "numerator": "Numerator",
                        "denominator": "Denominator", "value": info.unit, "lower": "Lower 95% CI",
                        "upper": "Upper 95% CI"},
                key="my_team_counts",
                download=csv_about(info.title, info.definition, year, counts_of="events",
                                   filters={"team": row["name"], "compared with": row["service_line"]}),
                download_suffix="by group",
            )  # fmt: skip
else:
    measure_id = figures.measures[0]
    info = catalogue()[measure_id]

# ------------------------------------------------------------------------------------- quarterly trend
trend_measures = list(figures.measures)
trend_id = choose("trend", trend_measures, measure_id)
trend_id = st.selectbox("Quarterly trend of", trend_measures, index=trend_measures.index(trend_id),
                        format_func=lambda m: catalogue()[m].title, key="my_team_trend")  # fmt: skip
remember("trend", trend_id)
series = fetch(report.trend, scope, team_id=int(team_id), measure_id=trend_id, champion=champion)
st.subheader(
    f"{catalogue()[trend_id].title}: quarter by quarter over the last three years, everyone in the team"
)
if series is None:
    st.info("No quarterly figures for this measure.")
else:
    quarterly_chart(series.table, unit=series.unit, key="my_team_trend_chart")
    if not series.service_line_shown:
        st.caption("The service line's line is not shown: too few of its teams have this measure.")

with st.expander("About these figures"):
    st.markdown(page_copy("my_team", rounding_base=rules.base, threshold_minus_one=rules.threshold - 1,
                          min_denominator=report.MIN_DENOMINATOR, reference=reference))  # fmt: skip
