"""My team: one team against its service line and the trust, for every measure with team-level data.

Champions see only their own team(s); equality leads can pick any team. Nothing about other teams
is shown: the comparison query returns no rows for a team outside the user's scope, and the service
line is shown to a champion only when it has at least three teams (so it cannot be differenced to
reveal one other team).
"""

from __future__ import annotations

from components.guard import require_page

user = require_page("my_team")

import streamlit as st

from components.layout import synthetic_banner
from components.params import choose, remember
from components.store import TRUST, fetch, store_facts
from components.tables import show_table
from measures.benchmark import readings, team_benchmark_table
from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy
from queries import overview, team

MIN_TEAMS_FOR_SERVICE_LINE = 3

scope = user.scope
policy = DisclosurePolicy(threshold=TRUST.suppression_threshold, base=TRUST.rounding_base)
catalogue = load_catalogue()

st.title("My team")
synthetic_banner(store_facts())

teams = fetch(team.teams_in_scope, scope)
if teams.empty:
    st.info("No team is linked to your login yet. Ask an administrator to add your team.")
    st.stop()

team_names = dict(zip(teams["id"].astype(str), teams["name"], strict=True))
years = list(fetch(overview.financial_years, scope)["financial_year"])
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
counts = fetch(
    team.team_comparison, scope, team_id=int(team_id), financial_year=year,
    standard_days=TRUST.waiting_standard_days,
)  # fmt: skip
service_teams = counts.loc[counts["level"] == "service_line", "teams"]
show_service_line = user.role != "champion" or (
    not service_teams.empty and int(service_teams.iloc[0]) >= MIN_TEAMS_FOR_SERVICE_LINE
)

st.markdown(
    f"**{row['name']}**: {row['service_line']} service, {row['borough']}. Financial year {year}. "
    f"Each figure is shown with its 95% confidence interval; a team is called higher or lower than the "
    f"trust only when its interval excludes the trust's figure."
)
published = team_benchmark_table(counts, catalogue, policy=policy, show_service_line=show_service_line)
if len(published) == 0:
    st.info(f"No activity for this team in {year}.")
    st.stop()

display = published.display_frame(decimals=1)
frame = published.frame


def figure(level: str) -> list[str]:
    """'12.3 (9.8 to 15.1)' per row, '*' where suppressed."""
    out = []
    for index in frame.index:
        value = display.loc[index, f"{level}_value"]
        if value in ("*", ""):
            out.append(value or "–")
        else:
            out.append(
                f"{value} ({display.loc[index, f'{level}_lower']} to {display.loc[index, f'{level}_upper']})"
            )
    return out


summary = {
    "Measure": list(frame["measure"]),
    "Unit": list(frame["unit"]),
    "This team": figure("team"),
    "Team counts": [
        f"{n} of {d}" for n, d in zip(display["team_numerator"], display["team_denominator"], strict=True)
    ],
}
if show_service_line:
    summary["Service line"] = figure("service_line")
summary["Trust"] = figure("trust")
summary["Reading"] = list(readings(published, catalogue, show_service_line=show_service_line))
st.dataframe(summary, hide_index=True, key="my_team_summary")
if not show_service_line:
    st.caption(
        f"The service line has fewer than {MIN_TEAMS_FOR_SERVICE_LINE} teams, so its figure is not shown "
        "(it could reveal another team's figures)."
    )

with st.expander("Counts and confidence intervals (download)"):
    labels = {"measure": "Measure", "unit": "Unit", "team_numerator": "Team numerator",
              "team_denominator": "Team denominator", "team_value": "Team value", "team_lower": "Team lower 95% CI",
              "team_upper": "Team upper 95% CI"}  # fmt: skip
    if show_service_line:
        labels.update({"service_line_value": "Service line value", "service_line_lower": "Service line lower 95% CI",
                       "service_line_upper": "Service line upper 95% CI"})  # fmt: skip
    labels.update(
        {
            "trust_value": "Trust value",
            "trust_lower": "Trust lower 95% CI",
            "trust_upper": "Trust upper 95% CI",
        }
    )
    show_table(published, labels=labels, key="my_team_counts", download_name=f"team-{team_id}-{year}.csv")
if published.suppressed_any:
    st.caption(
        f'"*" marks figures based on 1 to {policy.threshold - 1} people or events, hidden so that no one can '
        f"be identified; other counts are rounded to the nearest {policy.base}."
    )
