"""My team: one team against its service line and the trust, for every measure with team-level data.

Nothing about other teams is shown: the comparison query returns no rows for a team outside the
scope, and a champion sees the service-line figure only when it has at least three teams (so it
cannot be differenced to reveal one other team)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures.benchmark import readings, team_benchmark_table
from measures.disclosure import PublishedTable
from queries import team
from queries.scope import Scope
from reports.settings import catalogue, policy, trust

MIN_TEAMS_FOR_SERVICE_LINE = 3


@dataclass(frozen=True)
class TeamComparison:
    table: PublishedTable
    summary: pd.DataFrame  # text per measure: figure (CI), counts, service line, trust, reading
    show_service_line: bool


def _figures(display: pd.DataFrame, level: str) -> list[str]:
    """'12.3 (9.8 to 15.1)' per row, '*' where suppressed, '–' where there is no figure."""
    out = []
    for index in display.index:
        value = display.loc[index, f"{level}_value"]
        if value in ("*", ""):
            out.append(value or "–")
        else:
            out.append(
                f"{value} ({display.loc[index, f'{level}_lower']} to {display.loc[index, f'{level}_upper']})"
            )
    return out


def comparison(
    engine: Engine, scope: Scope, team_id: int, financial_year: str, champion: bool
) -> TeamComparison:
    counts = team.team_comparison(engine, scope, team_id, financial_year, trust().waiting_standard_days)
    service_teams = counts.loc[counts["level"] == "service_line", "teams"]
    show_service_line = not champion or (
        not service_teams.empty and int(service_teams.iloc[0]) >= MIN_TEAMS_FOR_SERVICE_LINE
    )
    table = team_benchmark_table(counts, catalogue(), policy=policy(), show_service_line=show_service_line)
    display = table.display_frame(decimals=1)
    summary = {
        "Measure": list(table.frame["measure"]),
        "Unit": list(table.frame["unit"]),
        "This team": _figures(display, "team"),
        "Team counts": [
            f"{n} of {d}" for n, d in zip(display["team_numerator"], display["team_denominator"], strict=True)
        ],
    }
    if show_service_line:
        summary["Service line"] = _figures(display, "service_line")
    summary["Trust"] = _figures(display, "trust")
    summary["Reading"] = list(readings(table, catalogue(), show_service_line=show_service_line))
    return TeamComparison(table, pd.DataFrame(summary), show_service_line)
