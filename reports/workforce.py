"""Workforce figures: WRES 1 by band against the workforce and the working-age community, WRES 2–4
and 9, the staff survey (WRES 5–8), staff by work borough and team, other characteristics, the trend
across 31 March snapshots with progress against targets, and the health-inequalities champions.
Used by the Workforce page, the board's headlines and the board pack alike."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Engine

from measures import workforce as wf
from measures.disclosure import (
    CellRef,
    DisclosurePolicy,
    Equation,
    PublishedTable,
    Rollup,
    TableSpec,
    Totals,
    publish_linked,
    publish_table,
)
from measures.ethnicity import WHITE
from measures.narrative import describe_ratio
from measures.stats import Estimate, relative_likelihood
from queries import overview
from queries import workforce as q
from queries.scope import Scope
from reports.common import kept_per_load
from reports.settings import outcome, policy

STAFF_LABELS = {"all": "All staff", "clinical": "Clinical", "non_clinical": "Non-clinical"}
INDICATOR_NAMES = {
    2: "WRES 2: appointed from shortlisting (White vs BME)",
    3: "WRES 3: entering a formal disciplinary process (BME vs White)",
    4: "WRES 4: accessing non-mandatory training and CPD (White vs BME)",
}
#: Subject, reference and catalogue id (for the outcome words) of each WRES relative likelihood.
LIKELIHOOD_WORDS = {
    2: ("White applicants", "BME applicants", "wres_2_shortlisting_relative_likelihood"),
    3: ("BME staff", "White staff", "wres_3_disciplinary_relative_likelihood"),
    4: ("White staff", "BME staff", "wres_4_training_relative_likelihood"),
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


def shown(table: PublishedTable, column: str, row: int = 0) -> float | None:
    """A published figure, or None where it is suppressed or missing."""
    if column in table.mask.columns and bool(table.mask[column].iloc[row]):
        return None
    value = table.frame[column].iloc[row]
    return None if pd.isna(value) or value == "" else float(value)


def _pct(value: float | None) -> str:
    return "suppressed" if value is None else f"{value:.1f}%"


def _sorted_bands(frame: pd.DataFrame, column: str = "pay_band") -> pd.DataFrame:
    order = sorted(range(len(frame)), key=lambda i: wf.band_sort_key(frame[column].iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


def snapshots(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The 31 March snapshots in scope, oldest first: financial_year, snapshot_date."""
    return q.snapshot_years(engine, scope)


def community_is_all_ages(engine: Engine, scope: Scope) -> bool:
    """True when the store has no population by age, so the "working-age" community is in fact residents
    of all ages (Census TS021 alone has no age); the page must then say so."""
    frame = q.population_counts(engine, scope)
    return "age_basis" in frame.columns and frame["age_basis"].eq("all ages").any()


def community_words(engine: Engine, scope: Scope) -> str:
    """How the comparison community is named in every sentence: "working-age" (16 to 64), or "all-age"
    when the store holds no population by age."""
    return "all-age" if community_is_all_ages(engine, scope) else "working-age"


# ---------------------------------------------------------------------------------------------- headlines


@dataclass(frozen=True)
class Likelihoods:
    """WRES 2, 3 and 4: the published table, each published ratio and its sentence."""

    table: PublishedTable
    estimates: dict[int, Estimate | None]
    sentences: dict[int, str]


def _likelihoods(table: PublishedTable, rules: DisclosurePolicy) -> Likelihoods:
    estimates: dict[int, Estimate | None] = {}
    sentences: dict[int, str] = {}
    for row, indicator in enumerate(table.frame["indicator"]):
        indicator = int(indicator)
        subject, reference, measure_id = LIKELIHOOD_WORDS[indicator]
        value = shown(table, "value", row)
        if value is None:
            estimates[indicator] = None
            sentences[indicator] = (
                "The figure is suppressed: at least one of the four counts it rests on is between 1 and "
                f"{rules.threshold - 1}, or a group has no one in it."
            )
            continue
        estimates[indicator] = Estimate(value, shown(table, "lower", row), shown(table, "upper", row),
                                        "relative likelihood from the published counts (log-method CI, our addition to WRES)",
                                        None, None, 0.95)  # fmt: skip
        sentences[indicator] = describe_ratio(
            estimates[indicator], subject=subject, reference=reference, outcome=outcome(measure_id)
        )
    return Likelihoods(table, estimates, sentences)


def likelihoods(
    engine: Engine, scope: Scope, financial_year: str, rules: DisclosurePolicy | None = None
) -> Likelihoods:
    """WRES 2, 3 and 4 exactly as the Workforce page publishes them (the same tables, links and
    suppression), for the board's headlines and the board pack."""
    rules = rules or policy()
    return _likelihoods(
        kept_per_load(_trust_tables, engine, scope, financial_year, rules)["likelihoods"], rules
    )


@dataclass(frozen=True)
class SeniorShare:
    """The BME share of bands 8a and above (whole trust, all staff) against the working-age community."""

    share_text: str
    community_text: str
    ratio: Estimate | None
    sentence: str | None  # None when suppressed


def senior_share(
    engine: Engine, scope: Scope, financial_year: str, rules: DisclosurePolicy | None = None
) -> SeniorShare:
    """Bands 8a and above as the Workforce page publishes them (its trend row for the year), against the
    community; the ratio is computed from the published counts."""
    rules = rules or policy()
    trend = kept_per_load(_trust_tables, engine, scope, financial_year, rules)["trust_trend"]
    years = list(trend.frame["financial_year"])
    population = q.population_counts(engine, scope)
    bme_people = int(population.loc[population["broad_group"] != WHITE, "population"].sum())
    people = int(population["population"].sum())
    if financial_year not in years or not people:
        return SeniorShare("*", "*", None, None)
    row = years.index(financial_year)
    share, bme, known = (shown(trend, c, row) for c in ("share_8a_plus", "bme_8a_plus", "known_8a_plus"))
    if share is None or bme is None or not known:
        return SeniorShare("*", "*", None, None)
    lower, upper = shown(trend, "share_8a_plus_lower", row), shown(trend, "share_8a_plus_upper", row)
    community = bme_people / people
    verdict = wf.representation_verdict(lower, upper, community * 100)
    sentence = (
        f"BME staff are {share:.1f}% of bands 8a and above (95% CI {lower:.1f}% to {upper:.1f}%) against "
        f"{community:.1%} of the {community_words(engine, scope)} community: {verdict}."
    )
    ratio = relative_likelihood(int(bme), int(known), bme_people, people)
    return SeniorShare(f"{share:.1f}%", f"{community:.1%}", ratio, sentence)


@dataclass(frozen=True)
class Bands:
    """WRES 1 by band, and the sentence above it."""

    table: PublishedTable
    overall: PublishedTable  # bme, known, not_recorded, staff, bme_pct (the whole selection)
    workforce_pct: float | None
    community_pct: float | None
    sentence: str
    senior_sentence: str  # bands 8a and above of the selection against the community


@dataclass(frozen=True)
class Board:
    table: PublishedTable
    sentence: str


@dataclass(frozen=True)
class Boroughs:
    table: PublishedTable
    describe: pd.Series
    under: tuple[str, ...]
    senior: PublishedTable  # bands 8a and above in each borough against the borough's community


@dataclass(frozen=True)
class Trend:
    """Every 31 March snapshot: the BME shares for the chosen staff group and work borough (``table``),
    WRES 2, 3, 4 and 9 for the whole trust (``wres``: always trust-wide), and the community's BME share
    (the borough's, or all boroughs') as the comparator. Targets are trust-wide and judged against the
    whole trust's figures."""

    table: PublishedTable
    wres: PublishedTable
    community_pct: float | None
    targets: PublishedTable | None
    as_of: str | None
    filtered: bool  # True when the shares are for a staff group or borough, not the whole trust


@dataclass(frozen=True)
class Champions:
    teams: PublishedTable
    bands: PublishedTable
    sentence: str
    without: tuple[str, ...]


@dataclass(frozen=True)
class Workforce:
    bands: Bands
    likelihoods: Likelihoods
    board: Board
    survey: PublishedTable | None
    boroughs: Boroughs
    characteristics: tuple[tuple[str, str, PublishedTable, dict[str, str]], ...]
    trend: Trend
    champions: Champions
    teams: PublishedTable | None  # teams working in the chosen borough
    groups: PublishedTable  # each broad ethnic group by band


# ---------------------------------------------------------------------------------------------- the page
#
# The page's tables are published in four groups, each with the links a reader could use inside it:
# the trust's figures (WRES 2-4 and 9, the whole workforce and its trend: one per year, shared by every
# view), the chosen view (bands, boroughs, bands 8a and above, the shares' trend, a borough's teams), the
# other characteristics of the view, and the champions (one per year). Across groups the only links
# are a view against the whole trust (the view does not cover it) and totals published in both.


def _wide_bands(long: pd.DataFrame) -> pd.DataFrame:
    return _sorted_bands(wf.group_wide(long, "pay_band"))


def _totals(wide: pd.DataFrame) -> tuple[int, int]:
    """(BME, known) staff of a wide table."""
    return int(wide["bme"].sum()), int(wide["bme"].sum() + wide["white"].sum())


def _population_wide(population: pd.DataFrame) -> pd.DataFrame:
    return wf.group_wide(population.rename(columns={"population": "staff"}), "area_code").set_index(
        "area_code"
    )


def _share_of(population: pd.DataFrame, borough: str = "") -> float | None:
    wide = _population_wide(population)
    if borough:
        wide = wide[wide.index == borough]
    return wf.share(wide["bme"].sum(), wide["white"].sum())


def _year(frame: pd.DataFrame, financial_year: str) -> pd.DataFrame:
    return frame[frame["financial_year"] == financial_year]


@dataclass(frozen=True)
class TrustFigures:
    """The whole trust's figures for one WRES year (the page's filters never apply to them): WRES 2-4, the
    board (WRES 9), the whole workforce, and every year's WRES figures and shares (``trend``) with the
    targets judged against them."""

    likelihoods: Likelihoods
    board: Board
    workforce: PublishedTable  # one row: bme, known, not_recorded, staff, bme_pct
    trend: PublishedTable
    targets: PublishedTable | None
    as_of: str | None


def _trust_tables(engine, scope, financial_year, rules) -> dict[str, PublishedTable]:
    years = q.band_counts(engine, scope, "", "all", "")
    likelihood_years = q.likelihood_counts(engine, scope, "")
    board_years = q.board_counts(engine, scope, "")
    this_year = _year(likelihood_years, financial_year)
    wide = _wide_bands(_year(years, financial_year))
    bme, known = _totals(wide)
    likelihood, links = wf.likelihood_spec(this_year)
    specs = {
        "trust": wf.overall_spec(wide),
        "likelihoods": likelihood,
        "board": wf.board_spec(_year(board_years, financial_year), bme, known),
        "trust_trend": wf.trend_spec(years, likelihood_years, board_years),
    }
    year = {"financial_year": financial_year}
    three = {"indicator": 3}
    links += [Rollup("trust", "board", columns={"workforce_bme": "bme", "workforce_known": "known"}),
              Rollup("trust_trend", "trust", total_where=year, columns={"bme": "bme_all", "known": "known_all"}),
              Rollup("trust_trend", "board", total_where=year, columns=["board_bme", "board_white", "board_known"])]  # fmt: skip
    for indicator in sorted(wf.LIKELIHOOD_ORDER):
        links.append(Rollup("trust_trend", "likelihoods", total_where=year, parts_where={"indicator": indicator},
                            columns={c: f"w{indicator}_{c}" for c in wf.LIKELIHOOD_COUNTS}))  # fmt: skip
    if int(_year(likelihood_years, financial_year).query("indicator == 3")["total"].sum()) == known and known:
        links += [
            Rollup("trust", "likelihoods", parts_where=three, columns={"bme_total": "bme"}),
            Equation(((1, CellRef("trust", {}, "known")), (-1, CellRef("likelihoods", three, "white_total")),
                      (-1, CellRef("likelihoods", three, "bme_total"))), label="WRES 3 headcount = known staff"),
            Rollup("likelihoods", "likelihoods", total_where=three, parts_where={"indicator": 4},
                   columns=["white_total", "bme_total"]),
        ]  # fmt: skip

    def extras(out) -> dict[str, dict]:
        return {"board": wf.board_extras(out["board"]), "trust_trend": wf.trend_extras(out["trust_trend"])}

    return wf.publish_with_extras(specs, links, rules, extras)


def _trust(engine, scope, financial_year, rules) -> TrustFigures:
    out = kept_per_load(_trust_tables, engine, scope, financial_year, rules)
    snapshot_of = dict(
        zip(*snapshots(engine, scope)[["financial_year", "snapshot_date"]].to_numpy().T, strict=True)
    )
    targets, as_of = _targets(engine, scope, out["trust_trend"], snapshot_of, rules)
    return TrustFigures(_likelihoods(out["likelihoods"], rules), _board_section(out, financial_year, rules),
                        out["trust"], out["trust_trend"], targets, as_of)  # fmt: skip


def trust(engine: Engine, scope: Scope, financial_year: str) -> TrustFigures:
    """The whole trust's WRES figures for one year, the same in every view of the page."""
    return _trust(engine, scope, financial_year, policy())


@dataclass(frozen=True)
class View:
    """The figures of one view (WRES year, staff group, work borough): bands, boroughs, the BME shares'
    trend for the same staff group and borough, and the teams working in the chosen borough."""

    bands: Bands
    boroughs: Boroughs
    trend: PublishedTable  # every year's shares (all bands, 8a+, 8c+) for this staff group and borough
    community_pct: float | None
    teams: PublishedTable | None


def _view(engine, scope, financial_year, staff_filter, borough, rules) -> View:
    names = dict(zip(*overview.boroughs(engine, scope)[["code", "name"]].to_numpy().T, strict=True))
    population = q.population_counts(engine, scope)
    years = q.band_counts(engine, scope, "", staff_filter, borough)
    band_wide = _wide_bands(_year(years, financial_year))
    community = _share_of(population, borough)
    specs = {
        "bands": wf.representation_spec(band_wide, key="pay_band", population_share=community),
        "overall": wf.overall_spec(band_wide),
        "trend": wf.trend_spec(years),
    }
    year = {"financial_year": financial_year}
    links: list = [Rollup("overall", "bands", columns=["bme", "known"]),
                   Rollup("trend", "overall", total_where=year, columns={"bme": "bme_all", "known": "known_all"})]  # fmt: skip
    for group, group_bands in wf.BAND_GROUPS.items():
        links.append(Rollup("trend", "bands", total_where=year, parts_where={"pay_band": list(group_bands)},
                            columns={"bme": f"bme_{group}", "known": f"known_{group}"}))  # fmt: skip

    # Boroughs: the staff filter applies; every borough is shown whichever is chosen.
    borough_long = q.borough_counts(engine, scope, financial_year, staff_filter)
    borough_long = borough_long[borough_long["area_code"].isin(names)]
    population_wide = _population_wide(population)
    borough_share = population_wide["bme"] / (population_wide["bme"] + population_wide["white"])
    senior_bands = list(wf.BAND_GROUPS["8a_plus"])
    walls = {}
    for name, long in (("boroughs", borough_long), ("senior_boroughs", borough_long[borough_long["pay_band"].isin(senior_bands)])):  # fmt: skip
        wide = wf.group_wide(long, "area_code").set_index("area_code").reindex(sorted(names), fill_value=0)
        wide = wide.reset_index().assign(area=lambda f: f["area_code"].map(names))
        walls[name] = wide
        specs[name] = wf.representation_spec(wide, key="area_code", population_share=wide["area_code"].map(borough_share))  # fmt: skip
    links.append(Rollup("boroughs", "senior_boroughs", on="area_code", complete=False))
    if borough:
        links += [Rollup("boroughs", "bands", total_where={"area_code": borough}),
                  Rollup("senior_boroughs", "bands", total_where={"area_code": borough}, parts_where={"pay_band": senior_bands})]  # fmt: skip
    else:
        covered = _totals(walls["boroughs"]) == _totals(band_wide)
        links += [Rollup("overall", "boroughs", columns=["bme", "known"], complete=covered),
                  Rollup("trend", "senior_boroughs", total_where=year, complete=covered,
                         columns={"bme": "bme_8a_plus", "known": "known_8a_plus"})]  # fmt: skip

    if borough:  # the teams working there
        team_long = q.team_counts(engine, scope, financial_year, borough, staff_filter)
        team_long = team_long.assign(team_id=team_long["team_id"].fillna(0).astype("int64"),
                                     team=team_long["team"].fillna("No team (corporate services)"),
                                     service_line=team_long["service_line"].fillna("Corporate")).drop(columns=["champions"])  # fmt: skip
        wide = wf.group_wide(team_long, ["team_id", "service_line", "team"]).sort_values(
            ["service_line", "team"]
        )
        spec = wf.representation_spec(wide, key="team_id", population_share=community)
        specs["teams"] = replace(spec, public=[*spec.public, "team_id"])
        links.append(Rollup("boroughs", "teams", total_where={"area_code": borough}))

    def extras(out) -> dict[str, dict]:
        view_pct = shown(out["overall"], "bme_pct")
        return {name: wf.representation_extras(out[name], view_pct)
                for name in ("bands", "boroughs", "senior_boroughs", "teams") if name in out}  # fmt: skip

    out = wf.publish_with_extras(specs, links, rules, extras)
    place = names.get(borough, "the trust's boroughs")
    who = f"{STAFF_LABELS[staff_filter].lower()} staff" if staff_filter != "all" else "all staff"
    words = community_words(engine, scope)
    return View(_bands_section(out, community, place, who, words, financial_year, rules),
                _boroughs_section(out), out["trend"], None if community is None else community * 100,
                out.get("teams"))  # fmt: skip


def view(
    engine: Engine, scope: Scope, financial_year: str, staff_filter: str = "all", borough: str = ""
) -> View:
    """Bands, boroughs, bands 8a and above and the shares' trend for one WRES year, staff group and work
    borough, published together."""
    return kept_per_load(_view, engine, scope, financial_year, staff_filter, borough, policy())


def _groups(engine, scope, financial_year, staff_filter, borough, rules) -> PublishedTable:
    bands = kept_per_load(_view, engine, scope, financial_year, staff_filter, borough, rules).bands.table
    wide = _wide_bands(q.band_counts(engine, scope, financial_year, staff_filter, borough))
    spec = wf.groups_spec(wide, key="pay_band", published=bands)
    return publish_linked({"groups": spec}, policy=rules)["groups"]


def groups(
    engine: Engine, scope: Scope, financial_year: str, staff_filter: str = "all", borough: str = ""
) -> PublishedTable:
    """Each broad ethnic group by band for one view, against the bands' published BME and known staff
    (asked for separately: the page shows it on request)."""
    return kept_per_load(_groups, engine, scope, financial_year, staff_filter, borough, policy())


def _bands_section(out, community, place, who, words, financial_year, rules) -> Bands:
    table, overall = out["bands"], out["overall"]
    verdicts = table.frame["vs_population"]
    counted = {v: int((verdicts == v).sum()) for v in (wf.REFLECTS, wf.UNDER, wf.OVER)}
    community_pct = None if community is None else community * 100
    workforce_pct = shown(overall, "bme_pct")
    sentence = (
        f"**{_pct(workforce_pct)}** of {who} with a recorded ethnic group are BME, against "
        f"**{_pct(community_pct)}** of {words} residents of {place}. Pay bands against the community, "
        f"judged by each band's 95% confidence interval: under-represented {counted[wf.UNDER]}, reflecting it "
        f"{counted[wf.REFLECTS]}, above it {counted[wf.OVER]}, too few staff to show "
        f"{int((verdicts == '').sum())} (of {len(table.frame)} bands)."
    )
    trend = out["trend"]
    years = list(trend.frame["financial_year"])
    senior = _senior_sentence(trend, years.index(financial_year) if financial_year in years else None,
                              community_pct, who, place, words, rules)  # fmt: skip
    return Bands(table, overall, workforce_pct, community_pct, sentence, senior)


def _senior_sentence(trend: PublishedTable, row, community_pct, who, place, words, rules) -> str:
    heading = f"Bands 8a and above (8a to 9 and VSM), {who} working in {place}"
    share = None if row is None else shown(trend, "share_8a_plus", row)
    if share is None:
        return (f"{heading}: too few staff with a recorded ethnic group to show their BME share (a count "
                f"between 1 and {rules.threshold - 1} could be worked out), so it cannot be compared with the "
                f"**{_pct(community_pct)}** of {words} residents of {place} who are BME.")  # fmt: skip
    lower, upper = shown(trend, "share_8a_plus_lower", row), shown(trend, "share_8a_plus_upper", row)
    known = trend.display_frame().iloc[row]["known_8a_plus"]
    verdict = wf.representation_verdict(lower, upper, community_pct)
    return (
        f"{heading}: **{share:.1f}% BME** (95% CI {lower:.1f}% to {upper:.1f}%, of {known} staff with a recorded "
        f"ethnic group) against **{_pct(community_pct)}** of {words} residents of {place}: "
        f"{verdict or 'cannot be judged'}."
    )


def _board_section(out: dict[str, PublishedTable], financial_year: str, rules) -> Board:
    board = out["board"]
    difference = shown(board, "difference_pp")
    text = board.display_frame(decimals=1).iloc[0]
    if difference is None:
        sentence = (
            f"**WRES 9 is suppressed for {financial_year}.** The board has about {text['board_known']} voting "
            f"members with a recorded ethnic group, and the number who are BME (or White) is between 1 and "
            f"{rules.threshold - 1}: the board's percentage, and so the difference from the workforce "
            f"({text['workforce_pct']}% BME), would identify them."
        )
    else:
        direction = "less" if difference < 0 else "more" if difference > 0 else "as"
        sentence = (
            f"The board's voting membership is **{text['board_pct']}% BME** against {text['workforce_pct']}% of "
            f"the whole workforce: a difference of **{difference:+.1f} percentage points** (the board is "
            f"{direction} ethnically diverse{' than' if direction != 'as' else ' as'} the workforce)."
        )
    return Board(board, sentence)


def _boroughs_section(out: dict[str, PublishedTable]) -> Boroughs:
    table = out["boroughs"]
    text = table.display_frame(decimals=1)
    describe = (
        "Staff " + text["bme_pct"] + "% BME (95% CI " + text["bme_lower"] + " to " + text["bme_upper"] + "); "
        "residents " + text["population_pct"] + "% BME; ratio " + table.display_frame(decimals=2)["ratio_population"]
    )  # fmt: skip
    under = tuple(
        a for a, v in zip(table.frame["area"], table.frame["vs_population"], strict=True) if v == wf.UNDER
    )
    return Boroughs(table, describe, under, out["senior_boroughs"])


def _targets(
    engine, scope, trend: PublishedTable, snapshot_of: dict[str, str], rules
) -> tuple[PublishedTable | None, str | None]:
    target_rows = q.targets(engine, scope)
    if target_rows.empty or not len(trend.frame):
        return None, None
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
            progress = wf.target_progress(baseline=baseline, target=float(target["value"]), start=target["start_date"],
                                          due=target["due_date"], latest=latest, as_of=as_of)  # fmt: skip
        records.append({
            "description": target["description"] or target["measure"], "target_group": target["target_group"],
            "baseline": baseline, "start_date": target["start_date"] or "", "value": float(target["value"]),
            "due_date": target["due_date"], "expected": progress.expected, "latest": progress.latest,
            "verdict": progress.verdict + (f" ({progress.reason})" if progress.reason else ""),
        })  # fmt: skip
    # Every number here is a target's own or a published trend figure: there is no count to protect.
    table = publish_table(pd.DataFrame(records).astype({"baseline": float, "expected": float, "latest": float}),
                          counts=[], public=["baseline", "value", "expected", "latest"], policy=rules)  # fmt: skip
    return table, as_of


def _characteristics(engine, scope, financial_year, staff_filter, borough, rules):
    long = q.characteristic_counts(engine, scope, financial_year, staff_filter, borough)
    specs, names, links = {}, {}, []
    for characteristic, (_, categories, _) in CHARACTERISTICS.items():
        spec, columns = wf.characteristic_spec(long, characteristic, categories)
        # Bands add up to the selection's headcount, published in the bands tab's caption.
        specs[characteristic] = replace(spec, totals=[*spec.totals, Totals(by=(), columns=("staff",))])
        names[characteristic] = columns
        if characteristic != "sex":
            links.append(Rollup("sex", characteristic, on="pay_band", columns=["staff"]))
    out = publish_linked(specs, links, policy=rules)
    return tuple(
        (characteristic, title, out[characteristic], {c: labels.get(v, v) for c, v in names[characteristic].items()})
        for characteristic, (title, _, labels) in CHARACTERISTICS.items()
    )  # fmt: skip


def characteristics(
    engine: Engine, scope: Scope, financial_year: str, staff_filter: str = "all", borough: str = ""
) -> tuple[tuple[str, str, PublishedTable, dict[str, str]], ...]:
    """Sex, disability and age band by pay band for one view: (id, title, table, category of each column)."""
    return kept_per_load(_characteristics, engine, scope, financial_year, staff_filter, borough, policy())


def _champions(engine, scope, financial_year, rules) -> Champions:
    teams = q.champion_teams(engine, scope, financial_year)
    bands = _sorted_bands(q.champion_bands(engine, scope, financial_year))
    total = pd.DataFrame({"champions": [int(bands["champions"].sum())]})
    specs = {
        "champion_total": TableSpec(total, counts=["champions"]),
        "champion_teams": TableSpec(teams, counts=["staff", "champions"], keys=["team_id"], public=["team_id"]),
        # Bands add up to the whole workforce's headcount, published with the trust's figures.
        "champion_bands": TableSpec(bands, counts=["staff", "champions"], keys=["pay_band"],
                                    totals=[Totals(by=(), columns=("staff",))]),
    }  # fmt: skip
    covered = int(teams["champions"].sum()) == int(total["champions"].iloc[0])
    links = [Rollup("champion_total", "champion_bands", columns=["champions"]),
             Rollup("champion_total", "champion_teams", columns=["champions"], complete=covered)]  # fmt: skip
    out = publish_linked(specs, links, policy=rules)
    table = out["champion_teams"]
    shown_total = shown(out["champion_total"], "champions")
    raw = table.frame["champions"]
    with_champions = int((raw.isna() | (raw > 0)).sum())
    without = tuple(table.frame.loc[raw.eq(0).fillna(False).astype(bool), "team"])
    sentence = (
        f"**{'*' if shown_total is None else f'{int(shown_total):,}'}** champions across **{with_champions}** "
        f"of {len(table.frame)} teams; **{len(without)}** teams have none."
    )
    return Champions(table, out["champion_bands"], sentence, without)


def champions(engine: Engine, scope: Scope, financial_year: str) -> Champions:
    """Health-inequalities champions by team and by band at one snapshot (whole trust, all staff)."""
    return kept_per_load(_champions, engine, scope, financial_year, policy())


def survey(engine: Engine, scope: Scope, financial_year: str) -> PublishedTable | None:
    """WRES 5-8 for the survey carried out in the autumn before the snapshot (None when not loaded)."""
    rows = q.staff_survey(engine, scope)
    year = int(financial_year[:4])
    if rows.empty or year not in set(rows["year"]):
        return None
    spec = wf.survey_spec(rows, year)
    spec = replace(spec, frame=spec.frame.assign(name=spec.frame["indicator"].map(SURVEY_NAMES)))
    return publish_linked({"survey": spec}, policy=policy())["survey"]


def report(
    engine: Engine, scope: Scope, financial_year: str, staff_filter: str = "all", borough: str = ""
) -> Workforce:
    """Every section of the Workforce page for one snapshot, staff group and work borough (the page
    fetches the sections one by one, so that the trust's figures are shared by every view)."""
    rules = policy()
    trust_figures = _trust(engine, scope, financial_year, rules)
    chosen = kept_per_load(_view, engine, scope, financial_year, staff_filter, borough, rules)
    return Workforce(
        bands=chosen.bands,
        likelihoods=trust_figures.likelihoods,
        board=trust_figures.board,
        survey=survey(engine, scope, financial_year),
        boroughs=chosen.boroughs,
        characteristics=kept_per_load(
            _characteristics, engine, scope, financial_year, staff_filter, borough, rules
        ),
        trend=Trend(
            chosen.trend,
            trust_figures.trend,
            chosen.community_pct,
            trust_figures.targets,
            trust_figures.as_of,
            staff_filter != "all" or bool(borough),
        ),
        champions=kept_per_load(_champions, engine, scope, financial_year, rules),
        teams=chosen.teams,
        groups=kept_per_load(_groups, engine, scope, financial_year, staff_filter, borough, rules),
    )


def borough_teams(
    engine: Engine, scope: Scope, financial_year: str, borough: str, staff_filter: str = "all"
) -> PublishedTable | None:
    """Teams working in one borough against the borough's working-age residents (published with the rest
    of that view, :func:`view`)."""
    return view(engine, scope, financial_year, staff_filter, borough).teams
