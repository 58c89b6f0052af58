"""Workforce figures: WRES 1 by band against the workforce and the working-age community, WRES 2–4
and 9, the staff survey (WRES 5–8), staff by work borough and team, other characteristics, the trend
across 31 March snapshots with progress against targets, and the health-inequalities champions.
Used by the Workforce page, the board's headlines and the board pack alike."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from measures import workforce as wf
from measures.disclosure import DisclosurePolicy, PublishedTable, Totals, publish_table
from measures.ethnicity import WHITE
from measures.narrative import describe_ratio
from measures.stats import Estimate, proportion, relative_likelihood
from queries import overview
from queries import workforce as q
from queries.scope import Scope
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
    return None if pd.isna(value) else float(value)


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


def _community_share(engine: Engine, scope: Scope, borough: str = "") -> float | None:
    """The BME share of working-age residents (one borough, or every borough the trust serves)."""
    wide = wf.group_wide(
        q.population_counts(engine, scope).rename(columns={"population": "staff"}), "area_code"
    )
    if borough:
        wide = wide[wide["area_code"] == borough]
    return wf.share(wide["bme"].sum(), wide["white"].sum())


# ---------------------------------------------------------------------------------------------- headlines


@dataclass(frozen=True)
class Likelihoods:
    """WRES 2, 3 and 4: the published table, each published ratio and its sentence."""

    table: PublishedTable
    estimates: dict[int, Estimate | None]
    sentences: dict[int, str]


def likelihoods(
    engine: Engine, scope: Scope, financial_year: str, rules: DisclosurePolicy | None = None
) -> Likelihoods:
    rules = rules or policy()
    table = wf.likelihood_table(q.likelihood_counts(engine, scope, financial_year), rules)
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
                                        "relative likelihood (log-method CI, our addition to WRES)", None, None, 0.95)  # fmt: skip
        sentences[indicator] = describe_ratio(
            estimates[indicator], subject=subject, reference=reference, outcome=outcome(measure_id)
        )
    return Likelihoods(table, estimates, sentences)


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
    rules = rules or policy()
    bands = q.band_counts(engine, scope, financial_year)
    senior = bands[bands["pay_band"].isin(wf.BAND_GROUPS["8a_plus"])]
    bme_staff = int(senior.loc[senior["broad_group"].isin(wf.BME_GROUPS), "staff"].sum())
    known_staff = int(senior.loc[senior["broad_group"].isin([WHITE, *wf.BME_GROUPS]), "staff"].sum())
    population = q.population_counts(engine, scope)
    bme_people = int(population.loc[population["broad_group"] != WHITE, "population"].sum())
    people = int(population["population"].sum())
    check = publish_table(pd.DataFrame({"bme": [bme_staff], "white": [known_staff - bme_staff]}),
                          counts=["bme", "white"], policy=rules)  # fmt: skip
    if check.suppressed_any or not known_staff or not people:
        return SeniorShare("*", "*", None, None)
    share = proportion(bme_staff, known_staff)
    community = bme_people / people
    verdict = wf.representation_verdict(share.lower, share.upper, community)
    sentence = (
        f"BME staff are {share.value:.1%} of bands 8a and above (95% CI {share.lower:.1%} to {share.upper:.1%}) "
        f"against {community:.1%} of the {community_words(engine, scope)} community: {verdict}."
    )
    ratio = relative_likelihood(bme_staff, known_staff, bme_people, people)
    return SeniorShare(f"{share.value:.1%}", f"{community:.1%}", ratio, sentence)


# ---------------------------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Bands:
    """WRES 1 by band, and the sentence above it."""

    table: PublishedTable
    overall: PublishedTable  # bme, known, not_recorded, staff, bme_pct (the whole selection)
    workforce_pct: float | None
    community_pct: float | None
    sentence: str


@dataclass(frozen=True)
class Board:
    table: PublishedTable
    sentence: str


@dataclass(frozen=True)
class Boroughs:
    table: PublishedTable
    describe: pd.Series
    under: tuple[str, ...]


@dataclass(frozen=True)
class Trend:
    """Every 31 March snapshot, whole trust and all staff (the filters do not apply), with the
    working-age community's BME share across all boroughs as its comparator."""

    table: PublishedTable
    community_pct: float | None
    targets: PublishedTable | None
    as_of: str | None


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


def _bands(
    engine, scope, financial_year, staff_filter, borough, place, who, rules
) -> tuple[Bands, pd.DataFrame]:
    community = _community_share(engine, scope, borough)
    band_long = q.band_counts(engine, scope, financial_year, staff_filter, borough)
    wide = _sorted_bands(wf.group_wide(band_long, "pay_band"))
    workforce_share = wf.share(wide["bme"].sum(), wide["white"].sum())
    overall = publish_table(
        pd.DataFrame({"bme": [int(wide["bme"].sum())], "known": [int(wide["bme"].sum() + wide["white"].sum())],
                      "not_recorded": [int(wide["not_recorded"].sum())], "staff": [int(wide["staff"].sum())],
                      "bme_pct": [None if workforce_share is None else workforce_share * 100]}),
        counts=["bme", "known", "not_recorded", "staff"], derived={"bme_pct": ("bme", "known")}, policy=rules,
    )  # fmt: skip
    table = wf.representation_table(wide, key="pay_band", workforce_share=workforce_share,
                                    population_share=community, policy=rules)  # fmt: skip
    verdicts = table.frame["vs_population"]
    counted = {v: int((verdicts == v).sum()) for v in (wf.REFLECTS, wf.UNDER, wf.OVER)}
    community_pct = None if community is None else community * 100
    sentence = (
        f"**{_pct(shown(overall, 'bme_pct'))}** of {who} with a recorded ethnic group are BME, against "
        f"**{_pct(community_pct)}** of {community_words(engine, scope)} residents of {place}. Pay bands against "
        "the community, "
        f"judged by each band's 95% confidence interval: under-represented {counted[wf.UNDER]}, reflecting it "
        f"{counted[wf.REFLECTS]}, above it {counted[wf.OVER]}, too few staff to show "
        f"{int((verdicts == '').sum())} (of {len(table.frame)} bands)."
    )
    return Bands(table, overall, shown(overall, "bme_pct"), community_pct, sentence), wide


def _board(engine, scope, financial_year, staff_filter, borough, band_wide, rules) -> Board:
    if staff_filter != "all" or borough:
        band_wide = wf.group_wide(q.band_counts(engine, scope, financial_year, "all", ""), "pay_band")
    board = wf.board_table(q.board_counts(engine, scope, financial_year), int(band_wide["bme"].sum()),
                           int(band_wide["white"].sum()), rules)  # fmt: skip
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


def _survey(engine, scope, financial_year, rules) -> PublishedTable | None:
    survey = q.staff_survey(engine, scope)
    year = int(financial_year[:4])
    if survey.empty or year not in set(survey["year"]):
        return None
    table = wf.survey_table(survey, year, rules)
    return publish_table(
        table.frame.assign(indicator=table.frame["indicator"].map(SURVEY_NAMES)),
        counts=["white_respondents", "bme_respondents"],
        derived={"white_percent": "white_respondents", "bme_percent": "bme_respondents"},
        policy=rules,
    )


def _boroughs(engine, scope, financial_year, staff_filter, workforce_share, names, rules) -> Boroughs:
    wide = wf.group_wide(q.borough_counts(engine, scope, financial_year, staff_filter), "area_code")
    wide = wide[wide["area_code"].isin(names)].sort_values("area_code")
    population = wf.group_wide(q.population_counts(engine, scope).rename(columns={"population": "staff"}),
                               "area_code").set_index("area_code")  # fmt: skip
    share = wide["area_code"].map(population["bme"] / (population["bme"] + population["white"]))
    wide = wide.assign(area=wide["area_code"].map(names))
    table = wf.representation_table(wide, key="area_code", workforce_share=workforce_share,
                                    population_share=share, policy=rules)  # fmt: skip
    text = table.display_frame(decimals=1)
    describe = (
        "Staff " + text["bme_pct"] + "% BME (95% CI " + text["bme_lower"] + " to " + text["bme_upper"] + "); "
        "residents " + text["population_pct"] + "% BME; ratio " + table.display_frame(decimals=2)["ratio_population"]
    )  # fmt: skip
    under = tuple(
        a for a, v in zip(table.frame["area"], table.frame["vs_population"], strict=True) if v == wf.UNDER
    )
    return Boroughs(table, describe, under)


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
    table = publish_table(pd.DataFrame(records).astype({"baseline": float, "expected": float, "latest": float}),
                          counts=[], public=["baseline", "value", "expected", "latest"], policy=rules)  # fmt: skip
    return table, as_of


def _champions(engine, scope, financial_year, rules) -> Champions:
    teams = q.champion_teams(engine, scope, financial_year)
    table = publish_table(teams.drop(columns="team_id"), counts=["staff", "champions"], policy=rules,
                          totals=[Totals(by=(), columns=("champions",))])  # fmt: skip
    total = rules.publish(int(teams["champions"].sum()))
    with_champions = int((teams["champions"] > 0).sum())
    without = tuple(teams.loc[teams["champions"] == 0, "team"])
    sentence = (
        f"**{'*' if total is None else f'{total:,}'}** champions across **{with_champions}** of {len(teams)} "
        f"teams; **{len(without)}** teams have none."
    )
    bands = _sorted_bands(q.champion_bands(engine, scope, financial_year))
    bands_table = publish_table(bands, counts=["staff", "champions"], policy=rules,
                                totals=[Totals(by=(), columns=("champions",))])  # fmt: skip
    return Champions(table, bands_table, sentence, without)


def report(
    engine: Engine, scope: Scope, financial_year: str, staff_filter: str = "all", borough: str = ""
) -> Workforce:
    """Every section of the Workforce page for one snapshot, staff group and work borough."""
    rules = policy()
    names = dict(zip(*overview.boroughs(engine, scope)[["code", "name"]].to_numpy().T, strict=True))
    who = STAFF_LABELS[staff_filter].lower() if staff_filter != "all" else "all staff"
    bands, band_wide = _bands(engine, scope, financial_year, staff_filter, borough,
                              names.get(borough, "the trust's boroughs"), who, rules)  # fmt: skip
    workforce_share = wf.share(band_wide["bme"].sum(), band_wide["white"].sum())
    characteristic_long = q.characteristic_counts(engine, scope, financial_year, staff_filter, borough)
    characteristics = []
    for characteristic, (title, categories, labels) in CHARACTERISTICS.items():
        table, columns = wf.characteristic_table(characteristic_long, characteristic, categories, rules)
        characteristics.append(
            (characteristic, title, table, {c: labels.get(v, v) for c, v in columns.items()})
        )
    trend = wf.trend_table(q.band_counts(engine, scope, "", "all", ""), q.likelihood_counts(engine, scope, ""),
                           q.board_counts(engine, scope, ""), rules)  # fmt: skip
    snapshot_of = dict(
        zip(*snapshots(engine, scope)[["financial_year", "snapshot_date"]].to_numpy().T, strict=True)
    )
    targets, as_of = _targets(engine, scope, trend, snapshot_of, rules)
    community_all = _community_share(engine, scope)
    return Workforce(
        bands=bands,
        likelihoods=likelihoods(engine, scope, financial_year, rules),
        board=_board(engine, scope, financial_year, staff_filter, borough, band_wide, rules),
        survey=_survey(engine, scope, financial_year, rules),
        boroughs=_boroughs(engine, scope, financial_year, staff_filter, workforce_share, names, rules),
        characteristics=tuple(characteristics),
        trend=Trend(trend, None if community_all is None else community_all * 100, targets, as_of),
        champions=_champions(engine, scope, financial_year, rules),
    )


def borough_teams(
    engine: Engine, scope: Scope, financial_year: str, borough: str, staff_filter: str = "all"
) -> PublishedTable:
    """Teams working in one borough against the borough's working-age residents."""
    teams = q.team_counts(engine, scope, financial_year, borough, staff_filter)
    teams = teams.assign(team=teams["team"].fillna("No team (corporate services)"),
                         service_line=teams["service_line"].fillna("Corporate")).drop(columns=["team_id", "champions"])  # fmt: skip
    wide = wf.group_wide(teams, ["service_line", "team"]).sort_values(["service_line", "team"])
    band_wide = wf.group_wide(q.band_counts(engine, scope, financial_year, staff_filter, borough), "pay_band")
    return wf.representation_table(
        wide, key="team", workforce_share=wf.share(band_wide["bme"].sum(), band_wide["white"].sum()),
        population_share=_community_share(engine, scope, borough), policy=policy(),
    )  # fmt: skip
