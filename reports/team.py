"""My team: one team by ethnic group against its own service line and every team with the measure, for the
measures that fit the team's service, with a quarterly trend.

Disclosure control (docs/disclosure.md): the team, its service line and all teams are published together
(``publish_linked``) with their links declared: broad groups add up to the level's total, detailed
categories to their broad group, and the team is part of its service line, which is part of all teams
(``complete=False``: the other teams are not shown). Every percentage and rate is computed from the
published counts. A champion sees a service line's figure for a measure only when at least
``MIN_TEAMS_FOR_SERVICE_LINE`` of its teams have that measure, decided measure by measure (restrictive
interventions come from wards only, so a service line of three teams may have two wards), so the service
line minus their team is never one other team. The queries return nothing for a team outside the scope."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures.benchmark import NOT_COMPARED, compare_with_benchmark, reading
from measures.disclosure import Percentage, PublishedTable, Rate, Rollup, TableSpec, publish_linked
from measures.ethnicity import KNOWN_BROAD_GROUPS, NHS_CATEGORIES, NOT_KNOWN, NOT_STATED, category
from queries import team
from queries.scope import Scope
from reports.data_quality import Recording, team_recording
from reports.settings import catalogue, policy, reference_group, trust

MIN_TEAMS_FOR_SERVICE_LINE = 3
#: The quarterly trend shows the last three years.
TREND_QUARTERS = 12
#: Percentages are not shown on fewer than this many (published) people or events.
MIN_DENOMINATOR = 10
ALL = "All"
GROUP_ORDER = (ALL, *KNOWN_BROAD_GROUPS, NOT_STATED, NOT_KNOWN)
LEVELS = ("team", "service_line", "trust")
COUNTS = ["numerator", "denominator"]

#: What each measure with team-level data counts: always events, named.
COUNTS_OF = {
    "dna_rate_pct": "appointments",
    "referral_route_police_pct": "referrals",
    "seen_within_standard_pct": "accepted referrals",
    "discharged_before_treatment_pct": "referrals seen",
    "talking_therapies_recovery_pct": "finished courses",
    "talking_therapies_reliable_improvement_pct": "finished courses",
    "talking_therapies_reliable_deterioration_pct": "finished courses",
    "feedback_positive_pct": "answers",
    "restraint_physical_per_obd": "incidents",
    "restraint_prone_per_obd": "incidents",
    "restraint_mechanical_per_obd": "incidents",
    "seclusion_per_obd": "incidents",
    "segregation_per_obd": "incidents",
    "rapid_tranquillisation_per_obd": "incidents",
}

#: Measures a service is not judged on, with the reason the page gives.
NOT_FOR_SERVICE = {
    "Talking Therapies": {
        "referral_route_police_pct": "Talking Therapies takes self-referrals and GP referrals; the police "
        "route is not a route into it.",
        "seen_within_standard_pct": "Talking Therapies has its own national waiting standards (6 and 18 "
        "weeks to start treatment), not the trust's {days}-day standard.",
    },
    "Crisis and home treatment": {
        "seen_within_standard_pct": "Crisis teams answer within hours (4-hour and 24-hour responses), not "
        "against the trust's {days}-day standard.",
    },
}
NOT_FOR_SETTING = {
    "inpatient": {
        "seen_within_standard_pct": "Admission to a ward is not a wait to be seen; the trust's {days}-day "
        "standard is for community teams.",
        "dna_rate_pct": "Wards do not book appointments that patients can miss.",
    },
}


def not_applicable(service_line: str, setting: str) -> dict[str, str]:
    """Measures that do not fit a team's service, each with the reason."""
    days = trust().waiting_standard_days
    rules = {**NOT_FOR_SETTING.get(setting, {}), **NOT_FOR_SERVICE.get(service_line, {})}
    return {measure_id: reason.format(days=days) for measure_id, reason in rules.items()}


def per_bed_day(measure_id: str) -> bool:
    return measure_id.endswith("_per_obd")


@dataclass(frozen=True)
class TeamComparison:
    """One team in one year, published. ``tables`` holds long tables (measure_id, level, kind, group,
    numerator, denominator, value, lower, upper) of each measure's All rows: "pct" (percentages) and "obd"
    (ward measures per 1,000 occupied bed days); :func:`breakdown` gives one measure by ethnic group.
    ``summary`` is the overview as text, one row per measure. ``service_line_hidden`` lists the measures
    whose service-line figure this user may not see; ``not_applicable`` the measures left out, and why."""

    team_name: str
    service_line: str
    measures: tuple[str, ...]
    tables: dict[str, PublishedTable]
    summary: pd.DataFrame
    service_line_hidden: tuple[str, ...]
    not_applicable: tuple[tuple[str, str], ...]
    recording: Recording
    reference: str

    def __len__(self) -> int:
        return len(self.measures)

    @property
    def table(self) -> PublishedTable | None:
        """The percentage table (every level and group), for the download."""
        return self.tables["pct"] if "pct" in self.tables else self.tables.get("obd")

    def measure_table(self, measure_id: str) -> PublishedTable:
        """One measure's rows (its All row at every level) of the published tables."""
        table = self.tables["obd" if per_bed_day(measure_id) else "pct"]
        return table.filter_rows(table.frame["measure_id"] == measure_id)

    def hidden_cells(self, measure_id: str) -> tuple[str, ...]:
        """The measure's suppressed All cells, as 'level:column' (for :func:`breakdown`)."""
        table = self.measure_table(measure_id)
        return tuple(
            f"{level}:{column}"
            for index, level in zip(table.frame.index, table.frame["level"], strict=True)
            for column in COUNTS
            if bool(table.mask.loc[index, column])
        )


def _figure(per_obd: bool) -> Percentage | Rate:
    if per_obd:
        return Rate("value", "numerator", "denominator", per=1000, lower="lower", upper="upper")
    return Percentage("value", "numerator", "denominator", lower="lower", upper="upper",
                      min_denominator=MIN_DENOMINATOR)  # fmt: skip


def _long_tables(counts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Broad groups with an All row per measure and level, and the detailed categories (zeros filled)."""
    keys = ["measure_id", "level"]
    present = counts[keys].drop_duplicates()
    totals = counts.groupby(keys, as_index=False)[COUNTS].sum().assign(kind="all", group=ALL)
    coded = counts[counts["ethnic_category"] != ""].copy()
    coded["code"] = coded["ethnic_category"].map(lambda c: category(c).code)
    coded["group"] = coded["code"].map(lambda c: category(c).broad_group)
    coded_keys = coded[keys].drop_duplicates()
    broad = coded_keys.merge(pd.DataFrame({"group": GROUP_ORDER[1:]}), how="cross")
    broad = broad.merge(coded.groupby([*keys, "group"], as_index=False)[COUNTS].sum(), how="left")
    broad = broad.fillna({c: 0 for c in COUNTS}).assign(kind="broad")
    long = pd.concat([totals.merge(present), broad], ignore_index=True)
    long["order"] = long["group"].map({g: i for i, g in enumerate(GROUP_ORDER)})
    long["level_order"] = long["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    long = long.sort_values(["measure_id", "level_order", "order"]).drop(columns=["order", "level_order"])
    codes = pd.DataFrame([(c.code, c.description, c.broad_group, c.sort_order) for c in NHS_CATEGORIES],
                         columns=["code", "category", "broad_group", "sort_order"])  # fmt: skip
    detailed = coded_keys.merge(codes, how="cross")
    detailed = detailed.merge(coded.groupby([*keys, "code"], as_index=False)[COUNTS].sum(), how="left")
    detailed = (
        detailed.fillna({c: 0 for c in COUNTS}).sort_values([*keys, "sort_order"]).drop(columns="sort_order")
    )
    for frame in (long, detailed):
        frame[COUNTS] = frame[COUNTS].astype("int64")
    return long.reset_index(drop=True), detailed.reset_index(drop=True)


def _level_links(name: str, on: list[str]) -> list[Rollup]:
    """The team is part of its service line, which is part of all teams; the other teams are not shown."""
    pairs = (("service_line", "team"), ("trust", "service_line"), ("trust", "team"))
    return [Rollup(name, name, on=on, total_where={"level": total}, parts_where={"level": part}, complete=False)
            for total, part in pairs]  # fmt: skip


def _publish(long: pd.DataFrame, detailed: pd.DataFrame) -> dict[str, PublishedTable]:
    """Every table of the team's page in one linked publication; figures from the published counts."""
    obd = long["measure_id"].map(per_bed_day)
    tables: dict[str, TableSpec] = {}
    links: list[Rollup] = []
    for name, rows in (("pct", long[~obd]), ("obd", long[obd])):
        if rows.empty:
            continue
        tables[name] = TableSpec(rows.reset_index(drop=True), counts=COUNTS,
                                 keys=["measure_id", "level", "kind", "group"], figures=[_figure(name == "obd")])  # fmt: skip
        links.append(Rollup(name, name, on=["measure_id", "level"], total_where={"kind": "all"},
                            parts_where={"kind": "broad"}))  # fmt: skip
        links += _level_links(name, ["measure_id", "kind", "group"])
    if not detailed.empty:
        tables["detailed"] = TableSpec(detailed, counts=COUNTS, keys=["measure_id", "level", "code"],
                                       figures=[_figure(False)])  # fmt: skip
        links.append(Rollup("pct", "detailed", on={"measure_id": "measure_id", "level": "level",
                                                   "broad_group": "group"}, total_where={"kind": "broad"}))  # fmt: skip
        links += _level_links("detailed", ["measure_id", "code"])
    return publish_linked(tables, links, policy=policy())


def comparison(
    engine: Engine, scope: Scope, team_id: int, financial_year: str, champion: bool
) -> TeamComparison:
    """The team against its service line and all teams with each measure, by ethnic group, published.
    Empty (no measures) for a team outside the scope."""
    teams = team.teams_in_scope(engine, scope)
    row = teams[teams["id"] == int(team_id)]
    recording = team_recording(engine, scope, int(team_id), financial_year)
    if row.empty:
        return TeamComparison("", "", (), {}, pd.DataFrame(), (), (), recording, reference_group())
    name, service_line, setting = (row[c].iloc[0] for c in ("name", "service_line", "setting"))
    skip = not_applicable(service_line, setting)
    counts = team.team_groups(engine, scope, int(team_id), financial_year, trust().waiting_standard_days)
    counts = counts[counts["measure_id"].isin(COUNTS_OF) & ~counts["measure_id"].isin(skip)]
    team_denominators = counts[counts["level"] == "team"].groupby("measure_id")["denominator"].sum()
    measures = tuple(m for m in COUNTS_OF if team_denominators.get(m, 0) > 0)
    counts = counts[counts["measure_id"].isin(measures)]
    service_teams = counts[counts["level"] == "service_line"].groupby("measure_id")["teams"].max()
    hidden = tuple(
        m for m in measures if champion and int(service_teams.get(m, 0)) < MIN_TEAMS_FOR_SERVICE_LINE
    )
    counts = counts[~((counts["level"] == "service_line") & counts["measure_id"].isin(hidden))]
    skipped = tuple((catalogue()[m].title, reason) for m, reason in skip.items())
    if not measures:
        return TeamComparison(
            name, service_line, (), {}, pd.DataFrame(), (), skipped, recording, reference_group()
        )
    long, _ = _long_tables(counts)
    tables = _publish(long[long["kind"] == "all"], pd.DataFrame())
    result = TeamComparison(name, service_line, measures, tables, pd.DataFrame(), hidden, skipped, recording,
                            reference_group())  # fmt: skip
    return TeamComparison(**{**result.__dict__, "summary": _summary(result)})


@dataclass(frozen=True)
class Breakdown:
    """One measure by ethnic group for one team, its service line and all teams, published: ``table``
    (broad groups with the All row), ``detailed`` (the team's NHS ethnic categories), ``text`` (a row per
    broad group), or ``withheld`` saying why a level's breakdown is not shown."""

    measure_id: str
    table: PublishedTable | None
    detailed: PublishedTable | None
    text: pd.DataFrame
    withheld: str = ""


def breakdown(
    engine: Engine, scope: Scope, team_id: int, financial_year: str, measure_id: str, champion: bool,
    overview_hidden: tuple[str, ...] = (),
) -> Breakdown:  # fmt: skip
    """The measure by ethnic group, published with its totals (the All rows the overview shows), the
    levels linked to each other and the team's detailed categories linked to its broad groups.
    ``overview_hidden`` names the overview's hidden All cells of this measure (``TeamComparison.hidden_cells``):
    if protecting a group needed a total that the overview shows to be hidden, the breakdown is withheld
    rather than the overview undone. Nothing for a team outside the scope or a measure without groups."""
    teams = team.teams_in_scope(engine, scope)
    row = teams[teams["id"] == int(team_id)]
    if row.empty or measure_id not in COUNTS_OF or per_bed_day(measure_id):
        return Breakdown(measure_id, None, None, pd.DataFrame())
    if measure_id in not_applicable(row["service_line"].iloc[0], row["setting"].iloc[0]):
        return Breakdown(measure_id, None, None, pd.DataFrame())
    counts = team.team_groups(engine, scope, int(team_id), financial_year, trust().waiting_standard_days)
    counts = counts[counts["measure_id"] == measure_id]
    service = counts.loc[counts["level"] == "service_line", "teams"]
    if champion and (service.empty or int(service.max()) < MIN_TEAMS_FOR_SERVICE_LINE):
        counts = counts[counts["level"] != "service_line"]
    if counts.loc[counts["level"] == "team", "denominator"].sum() == 0:
        return Breakdown(measure_id, None, None, pd.DataFrame())
    long, detailed = _long_tables(counts)
    published = _publish(long, detailed[detailed["level"] == "team"].reset_index(drop=True))
    table = published["pct"]
    totals = table.frame.index[table.frame["kind"] == "all"]
    for index in totals:
        level = table.frame.loc[index, "level"]
        for column in COUNTS:
            if bool(table.mask.loc[index, column]) and f"{level}:{column}" not in overview_hidden:
                return Breakdown(measure_id, None, None, pd.DataFrame(), WITHHELD)
    result = Breakdown(measure_id, table, published.get("detailed"), pd.DataFrame())
    return Breakdown(measure_id, table, result.detailed, _by_group(result, reference_group()))


WITHHELD = "Not shown: protecting the smallest groups would need a total shown above to be hidden."


# --------------------------------------------------------------------------------------------- as text


def _num(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _cell(shown: pd.Series, mask: pd.Series) -> str:
    """'12.3 (9.8 to 15.1)', '*' where suppressed, '–' where there is no figure."""
    if bool(mask["value"]):
        return "*"
    if shown["value"] in ("", None):
        return "–"
    return f"{shown['value']} ({shown['lower']} to {shown['upper']})"


def _rows(table: PublishedTable, kind: str) -> dict[str, pd.DataFrame]:
    """Per level, the published rows of one kind ('all' or 'broad'), with their display text."""
    frame, shown, mask = table.frame, table.display_frame(), table.mask
    out = {}
    for level in LEVELS:
        rows = frame.index[(frame["level"] == level) & (frame["kind"] == kind)]
        if len(rows):
            out[level] = pd.DataFrame({"frame": [frame.loc[i] for i in rows], "shown": [shown.loc[i] for i in rows],
                                       "mask": [mask.loc[i] for i in rows]}, index=frame.loc[rows, "group"])  # fmt: skip
    return out


def _benchmark(levels: dict[str, pd.DataFrame], group: str) -> tuple[str | None, float | None]:
    """The service line when shown, else all teams: (its name, its published value)."""
    for level, words in (("service_line", "the service line"), ("trust", "all teams")):
        if level in levels and group in levels[level].index:
            row = levels[level].loc[group]
            if not bool(row["mask"]["value"]):
                return words, _num(row["frame"]["value"])
    return None, None


def _summary(result: TeamComparison) -> pd.DataFrame:
    """One row per measure: the team's figure, counts, service line, all teams, and the reading."""
    rows = []
    for measure_id in result.measures:
        info = catalogue()[measure_id]
        levels = _rows(result.measure_table(measure_id), "all")
        team_row = levels["team"].iloc[0]
        benchmark, value = _benchmark(levels, ALL)
        verdict = compare_with_benchmark(
            _num(team_row["frame"]["lower"]), _num(team_row["frame"]["upper"]), value
        )
        rows.append({
            "Measure": info.title, "Unit": info.unit, "Counts": COUNTS_OF[measure_id],
            "This team": _cell(team_row["shown"], team_row["mask"]),
            "Team counts": f"{team_row['shown']['numerator']} of {team_row['shown']['denominator']}",
            "Service line": (_cell(levels["service_line"].iloc[0]["shown"], levels["service_line"].iloc[0]["mask"])
                             if "service_line" in levels else "not shown"),
            "All teams": _cell(levels["trust"].iloc[0]["shown"], levels["trust"].iloc[0]["mask"]),
            "Reading": "Too few to compare" if verdict == NOT_COMPARED or benchmark is None
            else reading(verdict, info.polarity, benchmark),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _by_group(result: Breakdown, reference: str) -> pd.DataFrame:
    """A row per broad group: the team, service line and all teams, and the team's reading against the
    reference group in the same team (from published figures only)."""
    info = catalogue()[result.measure_id]
    levels = _rows(result.table, "broad")
    if "team" not in levels:
        return pd.DataFrame()
    team_rows = levels["team"]
    ref_value = None
    if reference in team_rows.index and not bool(team_rows.loc[reference]["mask"]["value"]):
        ref_value = _num(team_rows.loc[reference]["frame"]["value"])
    rows = []
    for group in team_rows.index:
        row = team_rows.loc[group]
        entry = {"Ethnic group": group, "This team": _cell(row["shown"], row["mask"]),
                 "Team counts": f"{row['shown']['numerator']} of {row['shown']['denominator']}"}  # fmt: skip
        for level, heading in (("service_line", "Service line"), ("trust", "All teams")):
            if level in levels and group in levels[level].index:
                other = levels[level].loc[group]
                entry[heading] = _cell(other["shown"], other["mask"])
        if group == reference:
            entry[f"Against {reference} people in this team"] = "Reference group"
        elif group in KNOWN_BROAD_GROUPS:
            verdict = compare_with_benchmark(
                _num(row["frame"]["lower"]), _num(row["frame"]["upper"]), ref_value
            )
            entry[f"Against {reference} people in this team"] = (
                "Too few to compare" if verdict == NOT_COMPARED
                else reading(verdict, info.polarity, f"{reference} people")
            )  # fmt: skip
        else:
            entry[f"Against {reference} people in this team"] = "Ethnicity not recorded"
        rows.append(entry)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class Trend:
    """The team's (and, when shown, its service line's) quarterly figures for one measure, published."""

    table: PublishedTable  # level, quarter, numerator, denominator, value, lower, upper
    unit: str
    service_line_shown: bool


def trend(engine: Engine, scope: Scope, team_id: int, measure_id: str, champion: bool) -> Trend | None:
    """Quarter by quarter, the last ``TREND_QUARTERS`` held, for one measure; None outside the scope or
    without data.
    Published with the quarters linked to each other across levels and to each year's total."""
    if measure_id not in COUNTS_OF:
        return None
    counts = team.team_quarters(engine, scope, int(team_id), trust().waiting_standard_days)
    counts = counts[counts["measure_id"] == measure_id].drop(columns="measure_id")
    if counts.empty or counts.loc[counts["level"] == "team", "denominator"].sum() == 0:
        return None
    recent = sorted(set(counts["quarter"]))[-TREND_QUARTERS:]
    counts = counts[counts["quarter"].isin(recent)]
    service = counts[counts["level"] == "service_line"]
    shown = not champion or (not service.empty and int(service["teams"].min()) >= MIN_TEAMS_FOR_SERVICE_LINE)
    if not shown:
        counts = counts[counts["level"] == "team"]
    counts = counts.assign(financial_year=counts["quarter"].str.split(" ").str[0]).sort_values(
        ["level", "quarter"]
    )
    years = counts.groupby(["level", "financial_year"], as_index=False)[COUNTS].sum()
    figure = _figure(per_bed_day(measure_id))
    published = publish_linked(
        {
            "quarters": TableSpec(counts.drop(columns="teams").reset_index(drop=True), counts=COUNTS,
                                  keys=["level", "quarter"], figures=[figure]),
            "years": TableSpec(years, counts=COUNTS, keys=["level", "financial_year"], figures=[figure]),
        },
        [Rollup("years", "quarters", on=["level", "financial_year"]),
         Rollup("quarters", "quarters", on=["quarter"], total_where={"level": "service_line"},
                parts_where={"level": "team"}, complete=False)],
        policy=policy(),
    )  # fmt: skip
    return Trend(published["quarters"], catalogue()[measure_id].unit, shown)
