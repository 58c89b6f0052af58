"""Headline measures for the board, computed once and used by both the overview page and the PDF board
pack, so the pack says exactly what the screen says.

Per headline: the disparity ratio with its interval against the one reference group (or, for WRES, the
groups WRES names); an XmR chart of the monthly ratio over the selected year, where the measure has a
monthly series (moving towards parity, 1, is improvement); this year against last year (a ratio of
ratios, beyond chance only when its interval excludes 1); the target and whether it is on track;
England's published figure for the same measure and year (``data/england/published_figures.yaml``), or
"figure not held"; the owner and the latest action (the store's action log, else the trust's
configuration; never invented). :func:`executive_summary` is built from the same objects.

Which headlines appear, and in which order, is configuration (``headline_measures`` in
``config/trust.yaml``); owners, targets and actions are under ``headline_board``. Every figure rests on
published (rounded or suppressed) counts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from inspect import signature
from pathlib import Path

import pandas as pd
import yaml
from sqlalchemy import Engine

from data.config import DEFAULT_TRUST_CONFIG, PROJECT_ROOT, TRUST_CONFIG_ENV
from measures.benchmark import group_proportion_table
from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy, PublishedTable, Ratio, publish_table
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS
from measures.narrative import (
    NOT_PUBLISHED,
    OFF_TRACK,
    SummaryItem,
    Verdict,
    describe_frequency,
    describe_ratio,
    england_verdict,
    executive_summary,
    long_date,
    parity_direction,
    ratio_change,
    ratio_trend_verdict,
    target_verdict,
    year_change_verdict,
)
from measures.spc import SpcResult, xmr
from measures.stats import Estimate
from measures.workforce import TARGET_MEASURES, target_progress
from queries import access
from queries import overview as overview_queries
from queries import pcref as pcref_queries
from queries import workforce as workforce_queries
from queries.scope import Scope
from reports import pcref as pcref_report
from reports import workforce as workforce_report
from reports.common import kept_per_load, published_ratio
from reports.settings import reference_group

ENGLAND_FILE = PROJECT_ROOT / "data" / "england" / "published_figures.yaml"

#: Coercion headlines count events, not people: how their sentences name them.
EVENT_WORDS = {
    "detentions": ("Detentions of Black people", "detentions of {ref} people", "detentions"),
    "ctos": ("Community treatment orders for Black people", "those for {ref} people", "community treatment orders"),
    "s136": ("Section 136 detentions of Black people", "those of {ref} people", "section 136 detentions"),
    "restrictive": ("Restrictive intervention incidents involving Black people", "those involving {ref} people",
                    "incidents"),
}  # fmt: skip


@dataclass(frozen=True)
class Headline:
    """One board headline, already through disclosure control, with its verdicts."""

    measure_id: str
    title: str
    subject: str
    reference: str
    compares: str  # what the ratio compares, in words (shown on the tile)
    counts: str  # what is counted, e.g. "Counts incidents, not people."
    group_value: str  # e.g. "262.4 per 100,000", or "*"
    reference_value: str
    ratio: Estimate | None  # None when its counts are suppressed
    ratio_text: str  # "3.6 (95% CI 3.1 to 4.2)" or "*"
    sentence: str
    spc: SpcResult | None  # XmR chart of the monthly ratio over the selected year
    spc_sentence: str
    trend: PublishedTable | None  # the monthly ratio (published counts), for the chart and sparkline
    polarity: str
    year: str = ""
    previous_year: str | None = None
    previous_ratio: Estimate | None = None
    change: Estimate | None = None  # ratio of ratios, this year over last
    change_verdict: Verdict = field(default_factory=lambda: Verdict("no change", "", ""))
    trend_verdict: Verdict = field(default_factory=lambda: Verdict("no change", "", ""))
    target_verdict: Verdict = field(default_factory=lambda: Verdict("no target", "", ""))
    england_verdict: Verdict = field(default_factory=lambda: Verdict(NOT_PUBLISHED, "", ""))
    owner: str = ""
    action: str = ""
    groups: PublishedTable | None = None  # the year's published table by group (the pack prints it)
    people_sentence: str = ""  # events headlines: the same comparison counted by people, where available

    @property
    def verdicts(self) -> tuple[str, ...]:
        """The short verdicts of the tile, in words (never colour alone)."""
        return tuple(v.label for v in (self.trend_verdict, self.change_verdict, self.target_verdict,
                                       self.england_verdict) if v.label)  # fmt: skip

    @property
    def sentences(self) -> tuple[str, ...]:
        """Every sentence the screen shows for this headline, in order; the board pack prints them all."""
        return tuple(s for s in (self.sentence, self.people_sentence, self.spc_sentence, self.change_verdict.sentence,
                                 self.target_verdict.sentence, self.england_verdict.sentence,
                                 self.accountability) if s)  # fmt: skip

    @property
    def accountability(self) -> str:
        owner = f"Owner: {self.owner}." if self.owner else "Owner: none named in the trust's configuration."
        return f"{owner} {self.action}" if self.action else owner


@dataclass(frozen=True)
class _Context:
    engine: Engine
    scope: Scope
    year: str
    previous_year: str | None
    policy: DisclosurePolicy
    reference: str
    periods: dict[str, tuple[date, date]]

    def period(self, year: str) -> tuple[date, date]:
        return self.periods[year]


@dataclass(frozen=True)
class _Core:
    """What a measure's builder computes; the rest (target, England, owner) is common."""

    title: str
    subject: str
    reference: str
    compares: str
    counts: str
    group_value: str
    reference_value: str
    ratio: Estimate | None
    previous: Estimate | None
    sentence: str
    trend: PublishedTable | None = None
    spc: SpcResult | None = None
    no_trend: str = ""
    latest_for_target: float | None = None
    target_unit: str = "ratio"
    groups: PublishedTable | None = None
    people_sentence: str = ""


def _shown(table: PublishedTable, group: str, column: str, text: str) -> str:
    """A published figure of one group's row, formatted, or '*' where suppressed or missing."""
    rows = table.frame.index[table.frame["group"] == group]
    if not len(rows) or bool(table.mask.loc[rows[0], column]) or pd.isna(table.frame.loc[rows[0], column]):
        return "*"
    return text.format(float(table.frame.loc[rows[0], column]))


def headline_ratio_text(estimate: Estimate | None) -> str:
    """'3.6 (95% CI 3.1 to 4.2)', with two decimals for ratios below 1 ('0.84 (95% CI 0.79 to 0.90)'),
    '3.6 (no CI)' or '*'."""
    if estimate is None or estimate.value is None:
        return "*"
    places = 2 if estimate.value < 1 else 1
    if not estimate.has_ci:
        return f"{estimate.value:.{places}f} (no CI)"
    return f"{estimate.value:.{places}f} (95% CI {estimate.lower:.{places}f} to {estimate.upper:.{places}f})"


def _places(estimate: Estimate | None) -> int:
    return 2 if estimate is not None and estimate.value is not None and estimate.value < 1 else 1


def _population(table: PublishedTable, group: str) -> int:
    rows = table.frame.index[table.frame["group"] == group]
    return int(table.frame.loc[rows[0], "population"]) if len(rows) else 0


def ratio_series(
    monthly: PublishedTable, group_population: int, reference_population: int, start: date, end: date,
    policy: DisclosurePolicy,
) -> PublishedTable:  # fmt: skip
    """The monthly ratio of the group's rate to the reference group's over [start, end], computed by
    disclosure control (:class:`measures.disclosure.Ratio`) from the published monthly counts: a month
    whose counts are suppressed is a gap, never a point."""
    months = pd.to_datetime(monthly.frame["month_start"])
    keep = ((months >= pd.Timestamp(start)) & (months <= pd.Timestamp(end))).to_numpy()

    def published(column: str) -> pd.Series:
        # A suppressed count enters as 1, which disclosure control suppresses again: the month shows "*"
        # (its ratio too), and no hidden value is ever used.
        values = monthly.frame[column].astype("Float64").mask(monthly.mask[column].to_numpy(), 1)
        return values[keep].reset_index(drop=True)

    frame = pd.DataFrame({"month_start": months[keep].dt.date.reset_index(drop=True),
                          "events": published("events"), "reference_events": published("reference_events")})  # fmt: skip
    frame["population"] = group_population
    frame["reference_population"] = reference_population
    return publish_table(
        frame, counts=["events", "reference_events"], public=["population", "reference_population"],
        figures=[Ratio("ratio", "events", "population", "reference_events", "reference_population",
                       lower="ratio_lower", upper="ratio_upper")],
        policy=policy,
    ).select(["month_start", "events", "reference_events", "ratio", "ratio_lower", "ratio_upper"])  # fmt: skip


def ratio_chart(series: PublishedTable, direction_from: float | None) -> SpcResult:
    """XmR chart of a published monthly ratio; improvement is movement towards parity."""
    values = series.frame["ratio"].astype(float).where(~series.mask["ratio"].to_numpy())
    indexed = pd.Series(values.to_numpy(), index=pd.to_datetime(series.frame["month_start"]))
    anchor = (
        direction_from if direction_from is not None else (values.mean() if values.notna().any() else None)
    )
    return xmr(indexed, improvement=parity_direction(anchor))


def _coercion(measure: str) -> Callable[[_Context], _Core]:
    def build(ctx: _Context) -> _Core:
        subject, reference_words, noun = EVENT_WORDS[measure]
        reference_words = reference_words.format(ref=ctx.reference)

        def figures(year: str):
            start, end = ctx.period(year)
            return pcref_report.coercion(ctx.engine, ctx.scope, measure, start, end, period_label=f"in {year}",
                                         rules=ctx.policy, reference=ctx.reference)  # fmt: skip

        now = figures(ctx.year)
        measure_info = load_catalogue()[now.measure_id]
        ratio = published_ratio(now.broad, BLACK)
        previous = published_ratio(figures(ctx.previous_year).broad, BLACK) if ctx.previous_year else None
        pop_black, pop_reference = _population(now.broad, BLACK), _population(now.broad, ctx.reference)
        if not pop_black or not pop_reference:
            sentence = f"No population to compare Black people with {ctx.reference} people in {ctx.year}."
        elif ratio is None:
            sentence = f"Too few {noun} to compare Black people with {ctx.reference} people in {ctx.year}."
        else:  # the PCREF page's own sentence when it has one, so the two pages say the same
            sentence = getattr(now, "events_sentence", None) or describe_frequency(
                ratio, subject=subject, reference=reference_words
            )
        people = getattr(now, "events_sentence", None) and now.sentence  # by people, where PCREF counts them
        monthly = pcref_report.monthly(ctx.engine, ctx.scope, measure, BLACK, rules=ctx.policy,
                                       reference=ctx.reference)  # fmt: skip
        start, end = ctx.period(ctx.year)
        trend = spc = None
        if pop_black and pop_reference:
            trend = ratio_series(monthly.series, pop_black, pop_reference, start, end, ctx.policy)
            spc = ratio_chart(trend, None if ratio is None else ratio.value)
        return _Core(
            title=measure_info.title.replace(" (crude)", ""), subject="Black people",
            reference=f"{ctx.reference} people",
            compares=f"Rate for Black people compared with {ctx.reference} people",
            counts=f"Counts {noun} (events), not people.",
            group_value=_shown(now.broad, BLACK, "value", "{:,.1f} per 100,000"),
            reference_value=_shown(now.broad, ctx.reference, "value", "{:,.1f} per 100,000"),
            ratio=ratio, previous=previous, sentence=sentence, trend=trend, spc=spc, groups=now.broad,
            people_sentence=people or "",
            latest_for_target=None if ratio is None else ratio.value,
        )  # fmt: skip

    return build


def _annual(
    ctx: _Context, table: Callable[[str], PublishedTable | None], *, title: str, subject: str, reference: str,
    compares: str, counts: str, sentence_subject: str, sentence_reference: str, outcome: str, value: str,
    too_few: str, no_trend: str,
) -> _Core:  # fmt: skip
    """A yearly percentage by group (a published group-proportion table): Black against the reference
    group, this year and last."""
    now = table(ctx.year)
    before = table(ctx.previous_year) if ctx.previous_year else None
    ratio = None if now is None else published_ratio(now, BLACK)
    sentence = (
        describe_ratio(ratio, subject=sentence_subject, reference=sentence_reference, outcome=outcome,
                       decimals=_places(ratio))
        if ratio is not None
        else too_few
    )  # fmt: skip
    return _Core(
        title=title, subject=subject, reference=reference, compares=compares, counts=counts,
        group_value="*" if ratio is None else _shown(now, BLACK, "value", value),
        reference_value="*" if ratio is None else _shown(now, ctx.reference, "value", value),
        ratio=ratio, previous=None if before is None else published_ratio(before, BLACK), sentence=sentence,
        no_trend=no_trend, latest_for_target=None if ratio is None else ratio.value, groups=now,
    )  # fmt: skip


def _recovery(ctx: _Context) -> _Core:
    measure_info = load_catalogue()["talking_therapies_recovery_pct"]

    def table(year: str) -> PublishedTable | None:
        start, end = ctx.period(year)
        figures = pcref_report.outcomes(
            ctx.engine, ctx.scope, start, end, rules=ctx.policy, reference=ctx.reference
        )
        return figures.tables[0][5] if figures.tables else None

    return _annual(
        ctx, table, title=measure_info.title, subject="Black people", reference=f"{ctx.reference} people",
        compares=f"Recovery of Black people compared with {ctx.reference} people",
        counts="Counts finished courses of treatment (referrals).",
        sentence_subject="Black people who finished a course", sentence_reference=f"{ctx.reference} people",
        outcome=measure_info.outcome, value="{:.1f}% recovered",
        too_few=f"Too few finished courses to compare Black and {ctx.reference} people's recovery in {ctx.year}.",
        no_trend="Outcomes are reported for the year: no monthly series of the ratio.",
    )  # fmt: skip


def _experience(ctx: _Context) -> _Core:
    def table(year: str) -> PublishedTable | None:
        start, end = ctx.period(year)
        answers = pcref_queries.feedback(ctx.engine, ctx.scope, start, end, "")
        if answers.empty:
            return None
        chosen = answers[
            (answers["respondent_type"] == "patient") & answers["broad_group"].isin(KNOWN_BROAD_GROUPS)
        ]
        grouped = chosen.groupby("broad_group", as_index=False)[["positive", "answers"]].sum()
        grouped = grouped.rename(columns={"broad_group": "group"})
        if ctx.reference not in set(grouped["group"]):
            return None
        return group_proportion_table(grouped, numerator="positive", denominator="answers", reference=ctx.reference,
                                      policy=ctx.policy)  # fmt: skip

    return _annual(
        ctx, table, title="Patient experience: positive answers (%)", subject="Black patients",
        reference=f"{ctx.reference} patients",
        compares=f"Positive answers from Black patients compared with {ctx.reference} patients",
        counts="Counts answers to feedback questions, not people.",
        sentence_subject="answers from Black patients", sentence_reference=f"answers from {ctx.reference} patients",
        outcome="positive", value="{:.1f}% positive",
        too_few=f"Too few answers to compare Black and {ctx.reference} patients' experience in {ctx.year}.",
        no_trend="Feedback is compared for the year: no monthly series of the ratio.",
    )  # fmt: skip


def _police_route(ctx: _Context) -> _Core:
    measure_info = load_catalogue()["referral_route_police_pct"]

    def table(year: str) -> PublishedTable | None:
        extra = {"standard_days": 0} if "standard_days" in signature(access.people_counts).parameters else {}
        counts = access.people_counts(ctx.engine, ctx.scope, year, dims=("broad_group",), **extra)
        counts = counts[counts["broad_group"].isin([BLACK, ctx.reference])].rename(
            columns={"broad_group": "group"}
        )
        if ctx.reference not in set(counts["group"]) or not int(counts["referrals"].sum()):
            return None
        return group_proportion_table(counts, numerator="source_police", denominator="referrals",
                                      reference=ctx.reference, policy=ctx.policy)  # fmt: skip

    return _annual(
        ctx, table, title=measure_info.title, subject="Black people", reference=f"{ctx.reference} people",
        compares=f"Referrals of Black people compared with {ctx.reference} people",
        counts="Counts referrals, not people.", sentence_subject="referrals of Black people",
        sentence_reference=f"referrals of {ctx.reference} people", outcome=measure_info.outcome,
        value="{:.1f}% of referrals",
        too_few=f"Too few police or criminal-justice referrals to compare Black and {ctx.reference} people in {ctx.year}.",
        no_trend="Share of referrals in the year: no monthly series of the ratio.",
    )  # fmt: skip


def _this_and_last(ctx: _Context, report: Callable) -> tuple:
    """A workforce report for the selected year and for the year before (None when there is none)."""
    now = report(ctx.engine, ctx.scope, ctx.year, rules=ctx.policy)
    return now, (
        report(ctx.engine, ctx.scope, ctx.previous_year, rules=ctx.policy) if ctx.previous_year else None
    )


def _wres_2(ctx: _Context) -> _Core:
    now, before = _this_and_last(ctx, workforce_report.likelihoods)
    ratio = now.estimates.get(2)
    row = now.table.frame.set_index("indicator").loc[2]
    sentence = (
        now.sentences[2] + " Above 1 means White applicants are more likely to be appointed."
        if ratio is not None
        else f"Too few appointments to show WRES indicator 2 for {ctx.year}."
    )
    return _Core(
        title="WRES 2: appointment from shortlisting", subject="White applicants", reference="BME applicants",
        compares="White applicants' likelihood of appointment from shortlisting compared with BME applicants'",
        counts="Counts shortlisted applicants (WRES compares White with BME, not with one ethnic group).",
        group_value="*" if ratio is None else f"{row['white_pct']:.1f}% appointed",
        reference_value="*" if ratio is None else f"{row['bme_pct']:.1f}% appointed",
        ratio=ratio, previous=None if before is None else before.estimates.get(2), sentence=sentence,
        no_trend="WRES is reported once a year (the year to 31 March): no monthly series.", groups=now.table,
        latest_for_target=None if ratio is None else ratio.value,
    )  # fmt: skip


def _senior_share(ctx: _Context) -> _Core:
    now, before = _this_and_last(ctx, workforce_report.senior_share)
    community = workforce_report.community_words(ctx.engine, ctx.scope)
    share = None if now.share_text == "*" else float(now.share_text.rstrip("%")) / 100
    return _Core(
        title="BME staff in bands 8a and above", subject="BME share of bands 8a and above",
        reference=f"BME share of the {community} community",
        compares=f"BME share of staff in bands 8a and above compared with the BME share of the {community} community",
        counts="Counts staff on 31 March (BME against White, as WRES groups them).",
        group_value=now.share_text, reference_value=now.community_text, ratio=now.ratio,
        previous=None if before is None else before.ratio,
        sentence=now.sentence or f"Too few staff in bands 8a and above to show their ethnicity in {ctx.year}.",
        no_trend="Workforce snapshot on 31 March: no monthly series.", latest_for_target=share, target_unit="share",
    )  # fmt: skip


#: Headline id -> how to compute it. Ids are catalogue ids; a trust lists the ones it wants in config.
BUILDERS: dict[str, Callable[[_Context], _Core]] = {
    "mha_detentions_crude_rate": _coercion("detentions"),
    "cto_crude_rate": _coercion("ctos"),
    "s136_crude_rate": _coercion("s136"),
    "restrictive_interventions_rate": _coercion("restrictive"),
    "talking_therapies_recovery_pct": _recovery,
    "feedback_positive_pct": _experience,
    "referral_route_police_pct": _police_route,
    "wres_2_shortlisting_relative_likelihood": _wres_2,
    "workforce_bme_share_8a_plus": _senior_share,
}


# ------------------------------------------------------------------------------------------- reference data


@lru_cache(maxsize=4)
def _england_at(path: str, _modified: float) -> dict[tuple[str, str], dict]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {(str(f["measure"]), str(f["year"])): f for f in raw.get("figures", [])}


def england_figures(path: Path = ENGLAND_FILE) -> dict[tuple[str, str], dict]:
    """England's published figures by (measure id, financial year), from the shipped reference data."""
    return _england_at(str(path), path.stat().st_mtime if path.exists() else 0.0) if path.exists() else {}


@lru_cache(maxsize=4)
def _board_at(path: str, _modified: float) -> dict[str, dict]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {str(k): (v or {}) for k, v in (raw.get("headline_board") or {}).items()}


def board_settings() -> dict[str, dict]:
    """Owners, targets and actions per headline (``headline_board`` in the trust configuration)."""
    path = Path(os.environ.get(TRUST_CONFIG_ENV) or DEFAULT_TRUST_CONFIG)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return _board_at(str(path), path.stat().st_mtime) if path.exists() else {}


def _target(ctx: _Context, measure_id: str, core: _Core, settings: dict) -> Verdict:
    as_of = ctx.period(ctx.year)[1]
    configured = settings.get("target")
    if configured:
        found = {"value": float(configured["value"]), "baseline": configured.get("baseline"),
                 "start": configured.get("start"), "due": configured["due"],
                 "description": configured.get("description", "ratio"), "source": "the trust's configuration"}  # fmt: skip
    else:
        rows = workforce_queries.targets(ctx.engine, ctx.scope) if ctx.scope.trust_wide else pd.DataFrame()
        key = TARGET_MEASURES.get(measure_id, measure_id)
        rows = rows[[TARGET_MEASURES.get(m, m) == key for m in rows["measure"]]] if len(rows) else rows
        if rows.empty:
            return target_verdict(None, description="", target=0, due=as_of, source="")
        row = rows.iloc[-1]
        found = {"value": float(row["value"]), "baseline": None if pd.isna(row["baseline"]) else float(row["baseline"]),
                 "start": row["start_date"] or None, "due": row["due_date"],
                 "description": row["description"] or measure_id, "source": "the trust's targets in the store"}  # fmt: skip
    baseline = None if found["baseline"] is None else float(found["baseline"])
    progress = target_progress(baseline=baseline, target=found["value"], start=found["start"], due=found["due"],
                               latest=core.latest_for_target, as_of=as_of)  # fmt: skip
    return target_verdict(progress, description=found["description"], target=found["value"], due=found["due"],
                          source=found["source"], unit=core.target_unit, as_of=as_of)  # fmt: skip


def _england(measure_id: str, year: str, ratio: Estimate | None) -> Verdict:
    found = england_figures().get((measure_id, year))
    if found is None:
        return england_verdict(ratio, None, year=year)
    source = f"{found['source']}; {found['group']} {found['group_rate']} and {found['reference']} {found['reference_rate']} {found['unit']}"
    return england_verdict(ratio, float(found["ratio"]), year=year, source=source)


def _action(ctx: _Context, measure_id: str, settings: dict) -> str:
    """The latest action: from the store's action log where the measure has one (patient experience: the
    "you said, we did" log), else the configuration's latest; '' when none is recorded."""
    if measure_id == "feedback_positive_pct":
        log = pcref_queries.feedback_actions(ctx.engine, ctx.scope)
        if len(log):
            latest = log.iloc[0]
            return f"Latest action ({long_date(latest['date'])}, {latest['team']}, from the action log): {latest['we_did']}"
    actions = sorted(settings.get("actions") or [], key=lambda a: str(a.get("date", "")))
    if actions:
        latest = actions[-1]
        return (
            f"Latest action ({long_date(latest['date'])}, from the trust's configuration): {latest['text']}"
        )
    return "No action recorded."


def compute_headlines(
    engine: Engine,
    scope: Scope,
    financial_year: str,
    headline_ids: tuple[str, ...],
    threshold: int,
    base: int,
    reference_code: str,
) -> Sequence[Headline]:
    """The configured headlines for a financial year, in order (unknown ids raise ValueError), kept once
    per store load for a scope (the board's landing page asks for them at every sign-in).
    ``reference_code`` is the configured reference group (``reports.settings.reference_group``)."""
    return kept_per_load(_compute_headlines, engine, scope, financial_year, tuple(headline_ids), threshold, base,
                         reference_code)  # fmt: skip


def _compute_headlines(
    engine: Engine, scope: Scope, financial_year: str, headline_ids: tuple[str, ...], threshold: int, base: int,
    reference_code: str,
) -> Sequence[Headline]:  # fmt: skip
    unknown = [h for h in headline_ids if h not in BUILDERS]
    if unknown:
        raise ValueError(f"Unknown headline measure(s) {unknown}; choose from {sorted(BUILDERS)}")
    years = overview_queries.financial_years(engine, scope)
    periods = {
        fy: (first, last) for fy, first, last in years[["financial_year", "first_day", "last_day"]].to_numpy()
    }
    order = list(periods)
    position = order.index(financial_year)
    ctx = _Context(engine, scope, financial_year, order[position - 1] if position else None,
                   DisclosurePolicy(threshold=threshold, base=base), reference_group(reference_code), periods)  # fmt: skip
    catalogue, board = load_catalogue(), board_settings()
    headlines = []
    for measure_id in headline_ids:
        core = BUILDERS[measure_id](ctx)
        settings = board.get(measure_id, {})
        trend = ratio_trend_verdict(core.spc, period=financial_year) if core.spc is not None else Verdict(
            "no change", "", core.no_trend or f"There is no monthly series of the ratio for {financial_year}."
        )  # fmt: skip
        change = ratio_change(core.ratio, core.previous)
        headlines.append(Headline(
            measure_id=measure_id, title=core.title, subject=core.subject, reference=core.reference,
            compares=core.compares, counts=core.counts, group_value=core.group_value,
            reference_value=core.reference_value, ratio=core.ratio, ratio_text=headline_ratio_text(core.ratio),
            sentence=core.sentence, spc=core.spc, spc_sentence=trend.sentence, trend=core.trend,
            polarity=catalogue[measure_id].polarity, year=financial_year, previous_year=ctx.previous_year,
            previous_ratio=core.previous, change=change,
            change_verdict=year_change_verdict(core.ratio, core.previous, change, this_year=financial_year,
                                               last_year=ctx.previous_year or "the year before")
            if ctx.previous_year else Verdict("no change", "", f"There is no year before {financial_year} to compare with."),
            trend_verdict=trend, target_verdict=_target(ctx, measure_id, core, settings),
            england_verdict=_england(measure_id, financial_year, core.ratio),
            owner=str(settings.get("owner", "")), action=_action(ctx, measure_id, settings), groups=core.groups,
            people_sentence=core.people_sentence,
        ))  # fmt: skip
    return tuple(headlines)


def executive_summary_for(headlines: Sequence[Headline]) -> list[str]:
    """The executive summary (what changed, what is off track, where the trust differs from England),
    generated from the headlines themselves."""
    if not headlines:
        return ["No headline measures are configured."]
    items = [SummaryItem(h.title, h.change_verdict, h.trend_verdict, h.target_verdict, h.england_verdict)
             for h in headlines]  # fmt: skip
    return executive_summary(items, this_year=headlines[0].year, last_year=headlines[0].previous_year)


def off_track(headlines: Sequence[Headline]) -> list[Headline]:
    return [h for h in headlines if h.target_verdict.kind == OFF_TRACK]


@dataclass(frozen=True)
class MapBenchmark:
    """A benchmark for the overview's map: a published rate to compare each borough's interval with."""

    name: str  # "the trust", "England"
    value: float
    text: str  # "123.4 per 100,000 (source)"


def map_benchmarks(table: PublishedTable, measure_id: str, year: str) -> list[MapBenchmark]:
    """Benchmarks for a map of Black residents' rates by borough: the trust's rate from the published
    (rounded) borough counts, when none is suppressed, and England's published rate for Black or Black
    British people in the same year, when the reference data hold one."""
    found: list[MapBenchmark] = []
    frame = table.frame
    if (
        len(frame)
        and not bool(table.mask["events"].to_numpy().any())
        and float(frame["population"].sum()) > 0
    ):
        value = float(frame["events"].astype(float).sum()) / float(frame["population"].sum()) * 100_000
        found.append(MapBenchmark("the trust", round(value, 1), f"{value:,.1f} per 100,000"))
    england = england_figures().get((measure_id, year))
    if england is not None:
        found.append(MapBenchmark("England", float(england["group_rate"]),
                                  f"{float(england['group_rate']):,.1f} per 100,000, {england['source']}"))  # fmt: skip
    return found
