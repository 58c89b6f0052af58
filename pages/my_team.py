"""My team: one team against its service line and the trust, for every measure with team-level data.

Champions see only their own team(s); equality leads can pick any team. Figures come from
``reports.team``, which shows nothing about other teams.
"""

from __future__ import annotations

from components.guard import require_page

user = require_page("my_team")

import streamlit as st

from components.layout import synthetic_banner
from components.params import choose, remember
from components.store import fetch, store_facts
from components.tables import show_table
from reports import filters
from reports import team as report

scope = user.scope

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
st.markdown(
    f"**{row['name']}**: {row['service_line']} service, {row['borough']}. Financial year {year}. "
    f"Each figure is shown with its 95% confidence interval; a team is called higher or lower than the "
    f"trust only when its interval excludes the trust's figure."
)
figures = fetch(
    report.comparison, scope, team_id=int(team_id), financial_year=year, champion=user.role == "champion"
)
if len(figures.table) == 0:
    st.info(f"No activity for this team in {year}.")
    st.stop()

st.dataframe(figures.summary, hide_index=True, key="my_team_summary")
if not figures.show_service_line:
    st.caption(
        f"The service line has fewer than {report.MIN_TEAMS_FOR_SERVICE_LINE} teams, so its figure is not shown "
        "(it could reveal another team's figures)."
    )

with st.expander("Counts and confidence intervals (download)"):
    labels = {"measure": "Measure", "unit": "Unit", "team_numerator": "Team numerator",
              "team_denominator": "Team denominator", "team_value": "Team value", "team_lower": "Team lower 95% CI",
              "team_upper": "Team upper 95% CI"}  # fmt: skip
    if figures.show_service_line:
        labels.update({"service_line_value": "Service line value", "service_line_lower": "Service line lower 95% CI",
                       "service_line_upper": "Service line upper 95% CI"})  # fmt: skip
    labels.update(
        {
            "trust_value": "Trust value",
            "trust_lower": "Trust lower 95% CI",
            "trust_upper": "Trust upper 95% CI",
        }
    )
    show_table(figures.table, labels=labels, key="my_team_counts", download_name=f"team-{team_id}-{year}.csv")
if figures.table.suppressed_any:
    st.caption(
        f'"*" marks figures based on 1 to {figures.table.policy.threshold - 1} people or events, hidden so that no '
        f"one can be identified; other counts are rounded to the nearest {figures.table.policy.base}."
    )
