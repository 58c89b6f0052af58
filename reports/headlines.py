"""Headline measures for the board: one figure, one ratio with its CI, one SPC verdict and one
sentence each, computed once and used by both the overview page and the PDF board pack, so the pack
says exactly what the screen says.

Which headlines appear, and in which order, is configuration (``headline_measures`` in
``config/trust.yaml``); each id here names how to compute it. Every figure passes disclosure control:
a ratio whose counts are suppressed is not shown, and its sentence says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from measures import workforce as workforce_measures
from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy, PublishedTable, publish_table
from measures.ethnicity import BLACK, WHITE, category
from measures.narrative import describe_ratio, describe_spc
from measures.spc import SpcResult, xmr
from measures.stats import Estimate, crude_rate, proportion, rate_ratio, relative_likelihood
from queries import access, overview, pcref, workforce
from queries.scope import Scope

PER = 100_000


@dataclass(frozen=True)
class Headline:
    """One board headline, already through disclosure control."""

    measure_id: str
    title: str
    subject: str
    reference: str
    group_value: str  # e.g. "262.4 per 100,000", or "*"
    reference_value: str
    ratio: Estimate | None  # None when its counts are suppressed
    ratio_text: str  # "3.6 (95% CI 3.1 to 4.2)" or "*"
    sentence: str
    spc: SpcResult | None
    spc_sentence: str
    trend: PublishedTable | None  # monthly values for the sparkline (published)
    polarity: str


def _period(engine: Engine, scope: Scope, financial_year: str) -> tuple[date, date]:
    years = overview.financial_years(engine, scope).set_index("financial_year")
    return years.loc[financial_year, "first_day"], years.loc[financial_year, "last_day"]


def _ratio_text(estimate: Estimate | None) -> str:
    if estimate is None or estimate.value is None:
        return "*"
    if not estimate.has_ci:
        return f"{estimate.value:.1f} (no CI)"
    return f"{estimate.value:.1f} (95% CI {estimate.lower:.1f} to {estimate.upper:.1f})"


def _suppressed(policy: DisclosurePolicy, **counts: int) -> bool:
    frame = pd.DataFrame({name: [int(value)] for name, value in counts.items()})
    return publish_table(frame, counts=list(counts), policy=policy).suppressed_any


def _coercion(measure: str, catalogue_id: str, outcome: str) -> Callable[..., Headline]:
    def build(
        engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference_code: str
    ) -> Headline:
        measure_info = load_catalogue()[catalogue_id]
        start, end = _period(engine, scope, financial_year)
        events = pcref.coercion_events(engine, scope, measure, start, end).set_index("ethnic_category")[
            "events"
        ]
        population = pcref.population(engine, scope)
        by_code = population[population["level"] == "code"].set_index("grp")["population"]
        by_broad = population[population["level"] == "broad"].set_index("grp")["population"]
        black_events = int(sum(events.get(c, 0) for c in events.index if category(c).broad_group == BLACK))
        black_pop = int(by_broad.get(BLACK, 0))
        ref_events, ref_pop = int(events.get(reference_code, 0)), int(by_code.get(reference_code, 0))
        reference = category(reference_code).description.replace(": ", " ")
        hidden = _suppressed(policy, black=black_events, reference=ref_events)
        ratio = None if hidden or not ref_pop else rate_ratio(black_events, black_pop, ref_events, ref_pop)
        if ratio is None:
            sentence = f"Too few events to compare Black people with {reference} people in {financial_year}."
        else:
            sentence = describe_ratio(
                ratio, subject="Black people", reference=f"{reference} people", outcome=outcome
            )
        monthly = pcref.monthly_events(engine, scope, measure)
        series = monthly[monthly["broad_group"] == BLACK][["month_start", "events"]].reset_index(drop=True)
        series["rate"] = series["events"] / black_pop * PER if black_pop else float("nan")
        trend = publish_table(series, counts=["events"], derived={"rate": ("events",)}, policy=policy)
        values = trend.frame["rate"].astype(float).where(~trend.mask["rate"].to_numpy())
        spc = xmr(pd.Series(values.to_numpy(), index=pd.to_datetime(series["month_start"])),
                  improvement=measure_info.improvement)  # fmt: skip
        return Headline(
            measure_id=catalogue_id,
            title=measure_info.title.replace(" (crude)", ""),
            subject="Black people",
            reference=f"{reference} people",
            group_value="*" if hidden else f"{crude_rate(black_events, black_pop).value:,.1f} per 100,000",
            reference_value="*" if hidden else f"{crude_rate(ref_events, ref_pop).value:,.1f} per 100,000",
            ratio=ratio,
            ratio_text=_ratio_text(ratio),
            sentence=sentence,
            spc=spc,
            spc_sentence=describe_spc(
                spc, measure_info.polarity, subject="The latest month's rate for Black people"
            ),
            trend=trend,
            polarity=measure_info.polarity,
        )

    return build


def _recovery(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference_code: str
) -> Headline:
    measure_info = load_catalogue()["talking_therapies_recovery_pct"]
    start, end = _period(engine, scope, financial_year)
    outcomes = pcref.talking_therapies_outcomes(engine, scope, start, end)
    outcomes["broad"] = [category(c).broad_group for c in outcomes["ethnic_category"]]
    by_group = outcomes.groupby("broad")[["recovered", "caseness"]].sum()
    black = by_group.loc[BLACK] if BLACK in by_group.index else pd.Series({"recovered": 0, "caseness": 0})
    white = by_group.loc[WHITE] if WHITE in by_group.index else pd.Series({"recovered": 0, "caseness": 0})
    hidden = _suppressed(policy, black=black["recovered"], white=white["recovered"]) or not black["caseness"]
    ratio = None
    if not hidden and white["caseness"]:
        ratio = relative_likelihood(int(black["recovered"]), int(black["caseness"]), int(white["recovered"]),
                                    int(white["caseness"]))  # fmt: skip
    sentence = (
        describe_ratio(
            ratio,
            subject="Black people who finished a course",
            reference="White people",
            outcome="recovered at the end of treatment",
        )
        if ratio is not None
        else f"Too few finished courses to compare Black and White people's recovery in {financial_year}."
    )
    return Headline(
        measure_id="talking_therapies_recovery_pct",
        title=measure_info.title,
        subject="Black people",
        reference="White people",
        group_value="*"
        if hidden
        else f"{proportion(int(black['recovered']), int(black['caseness'])).value:.1%}",
        reference_value="*"
        if hidden
        else f"{proportion(int(white['recovered']), int(white['caseness'])).value:.1%}",
        ratio=ratio,
        ratio_text=_ratio_text(ratio),
        sentence=sentence,
        spc=None,
        spc_sentence="No monthly series: outcomes are reported for the year.",
        trend=None,
        polarity=measure_info.polarity,
    )


def _police_route(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference_code: str
) -> Headline:
    measure_info = load_catalogue()["referral_route_police_pct"]
    counts = access.people_counts(engine, scope, financial_year, 0, dims=("broad_group",)).set_index(
        "broad_group"
    )
    black = counts.loc[BLACK] if BLACK in counts.index else None
    white = counts.loc[WHITE] if WHITE in counts.index else None
    hidden = (
        black is None
        or white is None
        or _suppressed(policy, black=black["source_police"], white=white["source_police"])
    )
    ratio = None if hidden else relative_likelihood(
        int(black["source_police"]), int(black["referrals"]), int(white["source_police"]), int(white["referrals"])
    )  # fmt: skip
    sentence = (
        describe_ratio(
            ratio,
            subject="Referrals of Black people",
            reference="referrals of White people",
            outcome="from the police or criminal justice system",
        )
        if ratio is not None
        else f"Too few police or criminal-justice referrals to compare Black and White people in {financial_year}."
    )
    return Headline(
        measure_id=measure_info.id, title=measure_info.title, subject="Black people", reference="White people",
        group_value="*" if hidden else f"{proportion(int(black['source_police']), int(black['referrals'])).value:.1%}",
        reference_value="*" if hidden else f"{proportion(int(white['source_police']), int(white['referrals'])).value:.1%}",
        ratio=ratio, ratio_text=_ratio_text(ratio), sentence=sentence, spc=None,
        spc_sentence="Share of referrals in the year; the Service access page shows the monthly trend of referrals.",
        trend=None, polarity=measure_info.polarity,
    )  # fmt: skip


def _wres_2(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference_code: str
) -> Headline:
    measure_info = load_catalogue()["wres_2_shortlisting_relative_likelihood"]
    table = workforce_measures.likelihood_table(
        workforce.likelihood_counts(engine, scope, financial_year), policy
    )
    row = table.frame.set_index("indicator").loc[2]
    masked = bool(table.mask.set_index(table.frame["indicator"]).loc[2, "value"])
    ratio = None
    if not masked and pd.notna(row["value"]):
        ratio = Estimate(float(row["value"]), float(row["lower"]), float(row["upper"]), "log (our addition to WRES)",
                         None, None, 0.95)  # fmt: skip
    sentence = (
        describe_ratio(
            ratio,
            subject="White applicants",
            reference="BME applicants",
            outcome="appointed from shortlisting",
        )
        + " Above 1 means White applicants are more likely to be appointed."
        if ratio is not None
        else f"Too few appointments to show WRES indicator 2 for {financial_year}."
    )
    return Headline(
        measure_id=measure_info.id, title=measure_info.title, subject="White applicants", reference="BME applicants",
        group_value="*" if masked else f"{row['white_pct']:.1f}% appointed",
        reference_value="*" if masked else f"{row['bme_pct']:.1f}% appointed",
        ratio=ratio, ratio_text=_ratio_text(ratio), sentence=sentence, spc=None,
        spc_sentence="WRES is reported once a year (31 March).", trend=None, polarity=measure_info.polarity,
    )  # fmt: skip


def _senior_share(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference_code: str
) -> Headline:
    measure_info = load_catalogue()["workforce_bme_share_8a_plus"]
    bands = workforce.band_counts(engine, scope, financial_year)
    senior = bands[bands["pay_band"].isin(workforce_measures.BAND_GROUPS["8a_plus"])]
    bme_staff = int(senior.loc[senior["broad_group"].isin(workforce_measures.BME_GROUPS), "staff"].sum())
    known_staff = int(
        senior.loc[senior["broad_group"].isin([WHITE, *workforce_measures.BME_GROUPS]), "staff"].sum()
    )
    population = workforce.population_counts(engine, scope)
    bme_people = int(population.loc[population["broad_group"] != WHITE, "population"].sum())
    people = int(population["population"].sum())
    hidden = (
        _suppressed(policy, bme=bme_staff, white=known_staff - bme_staff) or not known_staff or not people
    )
    ratio, sentence, share_text = None, "", "*"
    if hidden:
        sentence = f"Too few staff in bands 8a and above to show their ethnicity in {financial_year}."
    else:
        share = proportion(bme_staff, known_staff)
        community = bme_people / people
        ratio = relative_likelihood(bme_staff, known_staff, bme_people, people)
        verdict = workforce_measures.representation_verdict(share.lower, share.upper, community)
        share_text = f"{share.value:.1%}"
        sentence = (
            f"BME staff are {share.value:.1%} of bands 8a and above (95% CI {share.lower:.1%} to {share.upper:.1%}) "
            f"against {community:.1%} of the working-age community: {verdict}."
        )
    return Headline(
        measure_id=measure_info.id, title=measure_info.title, subject="BME share of bands 8a and above",
        reference="BME share of the working-age community", group_value=share_text,
        reference_value="*" if hidden else f"{bme_people / people:.1%}", ratio=ratio, ratio_text=_ratio_text(ratio),
        sentence=sentence, spc=None, spc_sentence="Workforce snapshot on 31 March.", trend=None,
        polarity=measure_info.polarity,
    )  # fmt: skip


#: Headline id -> how to compute it. Ids are catalogue ids; a trust lists the ones it wants in config.
BUILDERS: dict[str, Callable[..., Headline]] = {
    "mha_detentions_crude_rate": _coercion("detentions", "mha_detentions_crude_rate", "detained"),
    "cto_crude_rate": _coercion("ctos", "cto_crude_rate", "placed on a community treatment order"),
    "s136_crude_rate": _coercion("s136", "s136_crude_rate", "detained under section 136"),
    "restrictive_interventions_rate": _coercion(
        "restrictive", "restrictive_interventions_rate", "subject to a restrictive intervention"
    ),
    "talking_therapies_recovery_pct": _recovery,
    "referral_route_police_pct": _police_route,
    "wres_2_shortlisting_relative_likelihood": _wres_2,
    "workforce_bme_share_8a_plus": _senior_share,
}


def compute_headlines(
    engine: Engine,
    scope: Scope,
    financial_year: str,
    headline_ids: tuple[str, ...],
    threshold: int,
    base: int,
    reference_code: str,
) -> list[Headline]:
    """The configured headlines for a financial year, in order (unknown ids raise ValueError)."""
    unknown = [h for h in headline_ids if h not in BUILDERS]
    if unknown:
        raise ValueError(f"Unknown headline measure(s) {unknown}; choose from {sorted(BUILDERS)}")
    policy = DisclosurePolicy(threshold=threshold, base=base)
    return [BUILDERS[h](engine, scope, financial_year, policy, reference_code) for h in headline_ids]
