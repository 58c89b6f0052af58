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

import pandas as pd
from sqlalchemy import Engine

from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy, PublishedTable
from measures.ethnicity import BLACK
from measures.narrative import describe_ratio, describe_spc
from measures.spc import SpcResult, xmr
from measures.stats import Estimate, proportion, relative_likelihood
from queries import access
from queries.scope import Scope
from reports import pcref as pcref_report
from reports import workforce as workforce_report
from reports.common import financial_year_period, published_ratio, ratio_text, suppressed
from reports.settings import reference_group


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


def _shown(table: PublishedTable, group: str, column: str, text: str) -> str:
    """A published figure of one group's row, formatted, or '*' where suppressed or missing."""
    rows = table.frame.index[table.frame["group"] == group]
    if not len(rows) or bool(table.mask.loc[rows[0], column]) or pd.isna(table.frame.loc[rows[0], column]):
        return "*"
    return text.format(float(table.frame.loc[rows[0], column]))


def _coercion(measure: str) -> Callable[..., Headline]:
    def build(
        engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference: str
    ) -> Headline:
        start, end = financial_year_period(engine, scope, financial_year)
        figures = pcref_report.coercion(engine, scope, measure, start, end, period_label=f"in {financial_year}",
                                        rules=policy, reference=reference)  # fmt: skip
        measure_info = load_catalogue()[figures.measure_id]
        trend = pcref_report.monthly(engine, scope, measure, BLACK, rules=policy, reference=reference)
        values = trend.series.frame["rate"].astype(float).where(~trend.series.mask["rate"].to_numpy())
        spc = xmr(pd.Series(values.to_numpy(), index=pd.to_datetime(trend.series.frame["month_start"])),
                  improvement=measure_info.improvement)  # fmt: skip
        ratio = published_ratio(figures.broad, BLACK)
        return Headline(
            measure_id=figures.measure_id,
            title=measure_info.title.replace(" (crude)", ""),
            subject="Black people",
            reference=f"{reference} people",
            group_value=_shown(figures.broad, BLACK, "value", "{:,.1f} per 100,000"),
            reference_value=_shown(figures.broad, reference, "value", "{:,.1f} per 100,000"),
            ratio=ratio,
            ratio_text=ratio_text(ratio),
            sentence=figures.sentence or f"No population to compare Black people with in {financial_year}.",
            spc=spc,
            spc_sentence=describe_spc(
                spc, measure_info.polarity, subject="The latest month's rate for Black people"
            ),
            trend=trend.series.select(["month_start", "events", "rate"]),
            polarity=measure_info.polarity,
        )

    return build


def _recovery(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference: str
) -> Headline:
    measure_info = load_catalogue()["talking_therapies_recovery_pct"]
    start, end = financial_year_period(engine, scope, financial_year)
    figures = pcref_report.outcomes(engine, scope, start, end, rules=policy, reference=reference)
    table = figures.tables[0][5] if figures.tables else None
    ratio = None if table is None else published_ratio(table, BLACK)
    sentence = figures.sentence or (
        f"Too few finished courses to compare Black and {reference} people's recovery in {financial_year}."
    )
    return Headline(
        measure_id="talking_therapies_recovery_pct",
        title=measure_info.title,
        subject="Black people",
        reference=f"{reference} people",
        group_value="*" if ratio is None else _shown(table, BLACK, "value", "{:.1f}%"),
        reference_value="*" if ratio is None else _shown(table, reference, "value", "{:.1f}%"),
        ratio=ratio,
        ratio_text=ratio_text(ratio),
        sentence=sentence,
        spc=None,
        spc_sentence="No monthly series: outcomes are reported for the year.",
        trend=None,
        polarity=measure_info.polarity,
    )


def _police_route(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference: str
) -> Headline:
    measure_info = load_catalogue()["referral_route_police_pct"]
    counts = access.people_counts(engine, scope, financial_year, 0, dims=("broad_group",)).set_index(
        "broad_group"
    )
    black = counts.loc[BLACK] if BLACK in counts.index else None
    white = counts.loc[reference] if reference in counts.index else None
    hidden = (
        black is None
        or white is None
        or suppressed(policy, black=black["source_police"], reference=white["source_police"])
    )
    ratio = None if hidden else relative_likelihood(
        int(black["source_police"]), int(black["referrals"]), int(white["source_police"]), int(white["referrals"])
    )  # fmt: skip
    sentence = (
        describe_ratio(ratio, subject="Referrals of Black people", reference=f"referrals of {reference} people",
                       outcome=measure_info.outcome)
        if ratio is not None
        else f"Too few police or criminal-justice referrals to compare Black and {reference} people in {financial_year}."
    )  # fmt: skip
    return Headline(
        measure_id=measure_info.id, title=measure_info.title, subject="Black people", reference=f"{reference} people",
        group_value="*" if hidden else f"{proportion(int(black['source_police']), int(black['referrals'])).value:.1%}",
        reference_value="*" if hidden else f"{proportion(int(white['source_police']), int(white['referrals'])).value:.1%}",
        ratio=ratio, ratio_text=ratio_text(ratio), sentence=sentence, spc=None,
        spc_sentence="Share of referrals in the year; the Service access page shows the monthly trend of referrals.",
        trend=None, polarity=measure_info.polarity,
    )  # fmt: skip


def _wres_2(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference: str
) -> Headline:
    measure_info = load_catalogue()["wres_2_shortlisting_relative_likelihood"]
    likelihoods = workforce_report.likelihoods(engine, scope, financial_year, rules=policy)
    row = likelihoods.table.frame.set_index("indicator").loc[2]
    ratio = likelihoods.estimates.get(2)
    sentence = (
        likelihoods.sentences[2] + " Above 1 means White applicants are more likely to be appointed."
        if ratio is not None
        else f"Too few appointments to show WRES indicator 2 for {financial_year}."
    )
    return Headline(
        measure_id=measure_info.id, title=measure_info.title, subject="White applicants", reference="BME applicants",
        group_value="*" if ratio is None else f"{row['white_pct']:.1f}% appointed",
        reference_value="*" if ratio is None else f"{row['bme_pct']:.1f}% appointed",
        ratio=ratio, ratio_text=ratio_text(ratio), sentence=sentence, spc=None,
        spc_sentence="WRES is reported once a year (31 March).", trend=None, polarity=measure_info.polarity,
    )  # fmt: skip


def _senior_share(
    engine: Engine, scope: Scope, financial_year: str, policy: DisclosurePolicy, reference: str
) -> Headline:
    measure_info = load_catalogue()["workforce_bme_share_8a_plus"]
    senior = workforce_report.senior_share(engine, scope, financial_year, rules=policy)
    sentence = (
        senior.sentence or f"Too few staff in bands 8a and above to show their ethnicity in {financial_year}."
    )
    return Headline(
        measure_id=measure_info.id, title=measure_info.title, subject="BME share of bands 8a and above",
        reference=f"BME share of the {workforce_report.community_words(engine, scope)} community",
        group_value=senior.share_text,
        reference_value=senior.community_text, ratio=senior.ratio, ratio_text=ratio_text(senior.ratio),
        sentence=sentence, spc=None, spc_sentence="Workforce snapshot on 31 March.", trend=None,
        polarity=measure_info.polarity,
    )  # fmt: skip


#: Headline id -> how to compute it. Ids are catalogue ids; a trust lists the ones it wants in config.
BUILDERS: dict[str, Callable[..., Headline]] = {
    "mha_detentions_crude_rate": _coercion("detentions"),
    "cto_crude_rate": _coercion("ctos"),
    "s136_crude_rate": _coercion("s136"),
    "restrictive_interventions_rate": _coercion("restrictive"),
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
    """The configured headlines for a financial year, in order (unknown ids raise ValueError).
    ``reference_code`` is the configured reference group (``reports.settings.reference_group``)."""
    unknown = [h for h in headline_ids if h not in BUILDERS]
    if unknown:
        raise ValueError(f"Unknown headline measure(s) {unknown}; choose from {sorted(BUILDERS)}")
    policy = DisclosurePolicy(threshold=threshold, base=base)
    reference = reference_group(reference_code)
    return [BUILDERS[h](engine, scope, financial_year, policy, reference) for h in headline_ids]
