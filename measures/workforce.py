"""Workforce representation: WRES indicators 1–4 and 9, each band against the community, targets.

Pure functions over the counts that ``queries.workforce`` returns (docs/methods.md). Every table leaves
here as a :class:`~measures.disclosure.PublishedTable`, so counts are suppressed and rounded, shares and
ratios are blanked with their counts, and secondary suppression protects cells that add up to a
published total.

- BME is every known non-White group; Not stated (Z) and Not known (99) are left out of every share
  and ratio (docs/methods.md) but counted in the headcount.
- Shares carry Wilson intervals (``measures.stats.proportions``); relative likelihoods carry the
  log-method interval of ``measures.stats.relative_likelihoods``, which WRES does not publish (our
  addition, labelled).
- A band "reflects the community" only when its interval includes the community share; it is
  "under-represented" only when the whole interval lies below.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from measures.disclosure import (
    CellRef,
    DisclosurePolicy,
    Equation,
    Link,
    Percentage,
    PublishedTable,
    Ratio,
    RowTotals,
    TableSpec,
    Totals,
    figure_values,
    publish_counts,
    publish_linked,
)
from measures.ethnicity import ASIAN, BLACK, BME, MIXED, OTHER, WHITE
from measures.stats import Estimate, relative_likelihood

__all__ = [
    "BAND_ORDER",
    "BME_GROUPS",
    "OVER",
    "REFLECTS",
    "TARGET_MEASURES",
    "UNDER",
    "TargetProgress",
    "board_table",
    "characteristic_table",
    "group_wide",
    "likelihood_estimate",
    "likelihood_table",
    "representation_table",
    "representation_verdict",
    "share",
    "survey_table",
    "target_progress",
    "target_scale",
    "trend_table",
]

#: Pay bands in WRES order: Agenda for Change 1–9 (8a–8d), VSM, then medical and dental grades.
BAND_ORDER: tuple[str, ...] = (
    "1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM",
    "Medical: Consultant", "Medical: SAS doctor", "Medical: Doctor in training",
)  # fmt: skip
BME_GROUPS: tuple[str, ...] = (MIXED, ASIAN, BLACK, OTHER)
GROUP_COLUMNS = {WHITE: "white", MIXED: "mixed", ASIAN: "asian", BLACK: "black", OTHER: "other"}

#: Band groups behind the demo's targets (and any trust's of the same ids).
BAND_GROUPS: dict[str, tuple[str, ...]] = {
    "8a_plus": ("8a", "8b", "8c", "8d", "9", "VSM"),
    "8c_plus": ("8c", "8d", "9", "VSM"),
}

REFLECTS = "reflects the community"
UNDER = "under-represented"
OVER = "above the community share"


def band_sort_key(band: str) -> tuple[int, str]:
    """Position of a pay band in WRES order; unknown bands go last, alphabetically."""
    return (BAND_ORDER.index(band), "") if band in BAND_ORDER else (len(BAND_ORDER), str(band))


# ---------------------------------------------------------------------------------------------------------
# Counts by group, wide
# ---------------------------------------------------------------------------------------------------------


def group_wide(long: pd.DataFrame, by: str | Sequence[str], *, value: str = "staff") -> pd.DataFrame:
    """Long counts by NHS broad group to one row per ``by``: white, mixed, asian, black, other, bme,
    not_recorded (Not stated + Not known) and the total ``staff`` (or ``value``)."""
    keys = [by] if isinstance(by, str) else list(by)
    columns = [*GROUP_COLUMNS.values(), "bme", "not_recorded", value]
    if long.empty:
        return pd.DataFrame(columns=[*keys, *columns])
    group = long["broad_group"].map(GROUP_COLUMNS).fillna("not_recorded")
    wide = (
        long.assign(_group=group)
        .pivot_table(index=keys, columns="_group", values=value, aggfunc="sum", fill_value=0)
        .reindex(columns=[*GROUP_COLUMNS.values(), "not_recorded"], fill_value=0)
    )
    wide["bme"] = wide[[GROUP_COLUMNS[g] for g in BME_GROUPS]].sum(axis=1)
    wide[value] = wide[[*GROUP_COLUMNS.values(), "not_recorded"]].sum(axis=1)
    wide = wide.reset_index()[[*keys, *columns]]
    wide.columns.name = None
    for column in columns:
        wide[column] = wide[column].astype("int64")
    return wide


def share(bme: float, white: float) -> float | None:
    """BME share of staff with a known ethnic group (fraction), or None when there is nobody."""
    known = bme + white
    return bme / known if known else None


# ---------------------------------------------------------------------------------------------------------
# WRES 1 and the community comparison
# ---------------------------------------------------------------------------------------------------------


def representation_verdict(lower: float | None, upper: float | None, reference: float | None) -> str:
    """Where a share's confidence interval sits against a reference share (all fractions or all %).

    Only an interval wholly below the reference is "under-represented" and only one wholly above is
    "above the community share"; an interval that includes the reference "reflects the community"
    (which, for a small band, may only mean the data cannot tell). Empty when anything is missing.
    """
    values = (lower, upper, reference)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA for v in values):
        return ""
    if upper < reference:
        return UNDER
    if lower > reference:
        return OVER
    return REFLECTS


def publish_with_extras(
    specs: Mapping[str, TableSpec],
    links: Sequence[Link],
    policy: DisclosurePolicy,
    extras: Callable[[Mapping[str, Any]], Mapping[str, Mapping[str, Sequence]]] | None = None,
) -> dict[str, PublishedTable]:
    """Publish linked tables with columns computed from what is published.

    Some figures are not one of the disclosure stage's own (the difference between two published
    percentages, a verdict in words). ``extras`` computes them (a table name → its new columns) only from
    published figures (``.frame`` and ``.mask`` of each table), so they reveal nothing those figures do
    not, and blank wherever those figures are suppressed. They are first computed from a guess at the
    publication (each count rounded, 1 to threshold − 1 hidden) and published with the tables (numbers as
    public columns, words as text); if what was published differs from the guess (a further cell was
    suppressed), they are computed again from the publication and the tables published once more: the
    counts and links are the same, so the suppression is too, and every extra matches the figures shown.
    """
    if extras is None:
        return publish_linked(specs, links, policy=policy)
    guess = extras({name: _guess(spec, policy) for name, spec in specs.items()})
    first = publish_linked(_with_columns(specs, guess), links, policy=policy)
    actual = extras(first)
    if all(_same(guess.get(name, {}), columns) for name, columns in actual.items()):
        return first
    return publish_linked(_with_columns(specs, actual), links, policy=policy)


class _Guess:
    """A table as it would be published if only counts from 1 to threshold − 1 were hidden."""

    def __init__(self, frame: pd.DataFrame, mask: pd.DataFrame) -> None:
        self.frame, self.mask = frame, mask


def _guess(spec: TableSpec, policy: DisclosurePolicy) -> _Guess:
    frame = spec.frame.copy()
    mask, numbers, hidden_counts = {}, {}, {}
    for column in spec.counts:
        published = publish_counts(frame[column], policy)
        hide = published.isna().to_numpy() & frame[column].notna().to_numpy()
        frame[column], mask[column] = published, hide
        numbers[column], hidden_counts[column] = published.to_numpy(dtype=float, na_value=np.nan), hide
    for column in spec.public:
        if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            numbers[column] = frame[column].to_numpy(dtype=float, na_value=np.nan)
    for figure in spec.figures:
        outputs, blank = figure_values(figure, numbers, hidden_counts)
        for column, values in outputs.items():
            frame[column], mask[column] = values, blank
    return _Guess(frame, pd.DataFrame(mask, index=frame.index))


def _with_columns(
    specs: Mapping[str, TableSpec], added: Mapping[str, Mapping[str, Sequence]]
) -> dict[str, TableSpec]:
    out = {}
    for name, spec in specs.items():
        columns = added.get(name) or {}
        frame, numbers = spec.frame.copy(), []
        for column, values in columns.items():
            series = pd.Series(list(values), index=frame.index, dtype=object)
            if all(isinstance(v, (int, float, np.integer, np.floating)) for v in series):
                series = series.astype(float)
                numbers.append(column)
            frame[column] = series
        out[name] = replace(spec, frame=frame, public=[*spec.public, *numbers]) if columns else spec
    return out


def _same(guess: Mapping[str, Sequence], actual: Mapping[str, Sequence]) -> bool:
    if set(guess) != set(actual):
        return False
    for column, values in actual.items():
        a, b = pd.Series(list(guess[column]), dtype=object), pd.Series(list(values), dtype=object)
        if len(a) != len(b) or not all(
            (x == y) or (pd.isna(x) and pd.isna(y)) for x, y in zip(a, b, strict=True)
        ):
            return False
    return True


def hidden(table: Any, column: str) -> np.ndarray:
    """True where a published figure is suppressed or has no value."""
    blank = table.frame[column].isna().to_numpy()
    if column in table.mask.columns:
        blank = blank | table.mask[column].to_numpy(dtype=bool)
    return blank


def _published(table: Any, column: str) -> pd.Series:
    """A published column as floats, NaN wherever it is suppressed or missing."""
    values = table.frame[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(np.where(hidden(table, column), np.nan, values), index=table.frame.index)


# ---------------------------------------------------------------------------------------------------------
# WRES 1 and the community comparison
# ---------------------------------------------------------------------------------------------------------

#: The counts of a representation table: each broad group, BME (their sum) and staff with a known group.
REPRESENTATION_COUNTS: tuple[str, ...] = (*GROUP_COLUMNS.values(), "bme", "known")


def representation_spec(
    wide: pd.DataFrame,
    *,
    key: str | Sequence[str],
    population_share: float | pd.Series | None,
    groups: bool = False,
) -> TableSpec:
    """WRES 1 counts with the community comparison, one row per ``key`` (a pay band, a borough or a team),
    ready for :func:`measures.disclosure.publish_linked`.

    ``wide`` comes from :func:`group_wide`. The table publishes BME staff and staff with a known ethnic
    group (``known``), not the headcount, so that hiding a handful of unrecorded staff does not take the
    band's BME share with it. ``bme_pct``, with Wilson limits ``bme_lower``/``bme_upper``, is computed by
    the disclosure stage from the published counts. ``population_pct`` is the community's BME share (a
    census figure, public). With ``groups``, each broad group's count and share of ``known`` too (White +
    BME = known and the BME groups = BME across each row); pages publish those separately with
    :func:`groups_spec`, which keeps the linked tables small enough to check quickly.
    """
    keys = [key] if isinstance(key, str) else list(key)
    frame = wide.copy().reset_index(drop=True).drop(columns=["not_recorded", "staff"], errors="ignore")
    frame["known"] = frame["white"] + frame["bme"]
    if isinstance(population_share, pd.Series):
        population = population_share.reset_index(drop=True).astype(float)
    else:
        population = pd.Series(np.nan if population_share is None else population_share, index=frame.index)
    frame["population_pct"] = (population * 100).astype(float)
    figures = [Percentage("bme_pct", "bme", "known", lower="bme_lower", upper="bme_upper")]
    if not groups:
        frame = frame.drop(columns=list(GROUP_COLUMNS.values()))
        return TableSpec(
            frame, counts=["bme", "known"], keys=keys, figures=figures, public=["population_pct"]
        )
    figures += [Percentage(f"{c}_pct", c, "known") for c in GROUP_COLUMNS.values()]
    return TableSpec(
        frame,
        counts=list(REPRESENTATION_COUNTS),
        keys=keys,
        figures=figures,
        public=["population_pct"],
        totals=[RowTotals(("white", "bme")), RowTotals(tuple(GROUP_COLUMNS[g] for g in BME_GROUPS))],
    )


def groups_spec(wide: pd.DataFrame, *, key: str, published: PublishedTable) -> TableSpec:
    """Each broad ethnic group by ``key`` (the rows of ``published``, a representation table already
    published): its count and its share of the published ``known`` (a public number here, blank where it
    is hidden). The groups add up across each row to ``known`` and the BME groups to ``bme``, both
    published in ``published``: declared as totals published elsewhere, so the check assumes a reader
    sees them."""
    frame = wide.copy().reset_index(drop=True)[[key, *GROUP_COLUMNS.values()]]
    known = dict(zip(published.frame[key], _published(published, "known"), strict=True))
    frame["known"] = frame[key].map(known).astype(float)
    return TableSpec(
        frame,
        counts=list(GROUP_COLUMNS.values()),
        keys=[key],
        public=["known"],
        figures=[Percentage(f"{c}_pct", c, "known") for c in GROUP_COLUMNS.values()],
        totals=[
            RowTotals(tuple(GROUP_COLUMNS.values())),
            RowTotals(tuple(GROUP_COLUMNS[g] for g in BME_GROUPS)),
        ],
    )


def representation_extras(table: PublishedTable, workforce_pct: float | None) -> dict[str, Sequence]:
    """From a published representation table: the ratio of each row's published BME share to the
    workforce's (``ratio_workforce``) and to the community's (``ratio_population``), at the 2 decimals
    shown, and the verdicts ``vs_workforce`` and ``vs_population`` from the published interval
    (:func:`representation_verdict`). Blank wherever the share is suppressed."""
    share = _published(table, "bme_pct")
    lower, upper = _published(table, "bme_lower"), _published(table, "bme_upper")
    population = table.frame["population_pct"].astype(float)
    workforce = np.nan if workforce_pct is None else float(workforce_pct)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_workforce = (share / workforce).round(2) if workforce else share * np.nan
        ratio_population = (share / population).where(population > 0).round(2)
    vs_workforce = [
        representation_verdict(lo, up, workforce)
        .replace("the community share", "the workforce share")
        .replace(REFLECTS, "similar")
        for lo, up in zip(lower, upper, strict=True)
    ]
    vs_population = [
        representation_verdict(lo, up, pop) for lo, up, pop in zip(lower, upper, population, strict=True)
    ]
    return {
        "ratio_workforce": ratio_workforce.to_numpy(dtype=float),
        "ratio_population": ratio_population.to_numpy(dtype=float),
        "vs_workforce": vs_workforce,
        "vs_population": vs_population,
    }


def representation_table(
    wide: pd.DataFrame,
    *,
    key: str,
    workforce_share: float | None,
    population_share: float | pd.Series | None,
    policy: DisclosurePolicy,
    column_totals: bool = True,
) -> PublishedTable:
    """One representation table on its own (:func:`representation_spec` with its extras): with
    ``column_totals`` every count column also adds up over the rows to a published total (the whole
    workforce). ``workforce_share`` (a fraction) should itself come from published counts. Pages publish
    representation tables together with the tables they link to (``reports.workforce``)."""
    spec = representation_spec(wide, key=key, population_share=population_share, groups=True)
    if column_totals:
        spec = replace(spec, totals=[*spec.totals, Totals(by=())])
    workforce_pct = None if workforce_share is None else workforce_share * 100
    return publish_with_extras(
        {"table": spec}, [], policy, lambda out: {"table": representation_extras(out["table"], workforce_pct)}
    )["table"]


def overall_spec(wide: pd.DataFrame) -> TableSpec:
    """One row: the whole selection's BME and known staff, staff with no recorded group and the headcount,
    with the BME share of known staff (``bme_pct``, Wilson limits) from the published counts."""
    frame = pd.DataFrame({"bme": [int(wide["bme"].sum())],
                          "known": [int(wide["bme"].sum() + wide["white"].sum())],
                          "not_recorded": [int(wide["not_recorded"].sum())],
                          "staff": [int(wide["staff"].sum())]})  # fmt: skip
    return TableSpec(
        frame,
        counts=["bme", "known", "not_recorded", "staff"],
        figures=[Percentage("bme_pct", "bme", "known", lower="bme_lower", upper="bme_upper")],
        totals=[RowTotals(("known", "not_recorded"))],
    )


# ---------------------------------------------------------------------------------------------------------
# WRES 2, 3, 4: relative likelihoods
# ---------------------------------------------------------------------------------------------------------

#: For each indicator, which group is "a" (the numerator of the ratio) and which is "b".
LIKELIHOOD_ORDER = {2: (WHITE, BME), 3: (BME, WHITE), 4: (WHITE, BME)}
_PREFIX = {WHITE: "white", BME: "bme"}


def _likelihood_wide(counts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for indicator in sorted(LIKELIHOOD_ORDER):
        part = counts[counts["indicator"] == indicator].set_index("wres_group")
        row = {"indicator": indicator}
        for group, prefix in ((WHITE, "white"), (BME, "bme")):
            row[f"{prefix}_events"] = int(part.loc[group, "events"]) if group in part.index else 0
            row[f"{prefix}_total"] = int(part.loc[group, "total"]) if group in part.index else 0
        rows.append(row)
    return pd.DataFrame(rows)


def likelihood_estimate(counts: pd.DataFrame, indicator: int) -> Estimate | None:
    """The relative likelihood of one indicator from the exact counts of one year (None if a group is
    empty). For checking the method; published figures come from :func:`likelihood_spec`."""
    row = _likelihood_wide(counts).set_index("indicator").loc[indicator]
    a, b = (_PREFIX[g] for g in LIKELIHOOD_ORDER[indicator])
    if row[f"{a}_total"] == 0 or row[f"{b}_total"] == 0:
        return None
    return relative_likelihood(row[f"{a}_events"], row[f"{a}_total"], row[f"{b}_events"], row[f"{b}_total"])


def likelihood_spec(counts: pd.DataFrame, name: str = "likelihoods") -> tuple[TableSpec, list[Equation]]:
    """WRES 2, 3 and 4 for one year, one row each: the four counts (``white_events``, ``white_total``,
    ``bme_events``, ``bme_total``), the two percentages and the relative likelihood ``value`` with its
    log-method interval (our addition), all computed from the published counts. ``counts`` has indicator,
    wres_group, events, total.

    The ratio's subject and reference differ by indicator (WRES 3 is BME over White), so the counts are
    also held as ``a_*`` (subject) and ``b_*`` (reference); the returned equations tie each to its White or
    BME twin, so both are suppressed together."""
    frame = _likelihood_wide(counts)
    for role, position in (("a", 0), ("b", 1)):
        for kind in ("events", "total"):
            frame[f"{role}_{kind}"] = [
                int(frame.loc[i, f"{_PREFIX[LIKELIHOOD_ORDER[int(ind)][position]]}_{kind}"])
                for i, ind in enumerate(frame["indicator"])
            ]
    equations = [
        Equation(((1, CellRef(name, {"indicator": int(ind)}, f"{_PREFIX[LIKELIHOOD_ORDER[int(ind)][position]]}_{kind}")),
                  (-1, CellRef(name, {"indicator": int(ind)}, f"{role}_{kind}"))), label=f"WRES {ind} {role}_{kind}")
        for ind in frame["indicator"] for role, position in (("a", 0), ("b", 1)) for kind in ("events", "total")
    ]  # fmt: skip
    counts_columns = [f"{p}_{k}" for p in ("white", "bme", "a", "b") for k in ("events", "total")]
    spec = TableSpec(
        frame,
        counts=counts_columns,
        keys=["indicator"],
        public=["indicator"],
        figures=[
            Percentage("white_pct", "white_events", "white_total"),
            Percentage("bme_pct", "bme_events", "bme_total"),
            Ratio("value", "a_events", "a_total", "b_events", "b_total", lower="lower", upper="upper"),
        ],
    )
    return spec, equations


def likelihood_table(counts: pd.DataFrame, policy: DisclosurePolicy) -> PublishedTable:
    """:func:`likelihood_spec` published on its own."""
    spec, equations = likelihood_spec(counts)
    return publish_linked({"likelihoods": spec}, equations, policy=policy)["likelihoods"]


# ---------------------------------------------------------------------------------------------------------
# WRES 9: the board against the workforce
# ---------------------------------------------------------------------------------------------------------


def board_spec(board: pd.DataFrame, workforce_bme: int, workforce_known: int) -> TableSpec:
    """WRES 9 for one year, one row: board voting members with a known ethnic group (``board_known``),
    BME and White members, the board's and the workforce's BME percentage (from the published counts).
    Add the difference with :func:`board_extras`.

    The board's White count is in the table (not for display) so that White + BME add up to the published
    board total: if either is 1–4 the other is hidden too, and with the BME count goes the board share and
    the difference (which would give the count away on a board of a dozen people)."""
    groups = board.set_index("wres_group")["members"] if not board.empty else pd.Series(dtype="int64")
    board_bme, board_white = int(groups.get(BME, 0)), int(groups.get(WHITE, 0))
    frame = pd.DataFrame({"board_known": [board_bme + board_white], "board_bme": [board_bme],
                          "board_white": [board_white], "board_not_recorded": [int(groups.get("Not recorded", 0))],
                          "workforce_known": [int(workforce_known)], "workforce_bme": [int(workforce_bme)]})  # fmt: skip
    return TableSpec(
        frame,
        counts=list(frame.columns),
        figures=[
            Percentage("board_pct", "board_bme", "board_known"),
            Percentage("workforce_pct", "workforce_bme", "workforce_known"),
        ],
        totals=[RowTotals(("board_white", "board_bme"))],
    )


def difference(table: Any, first: str, second: str) -> list[str]:
    """``first − second`` of two published percentages, in points at 1 decimal, as text (a difference can
    be negative, and public numbers may not be); empty where either percentage is hidden."""
    values = (_published(table, first) - _published(table, second)).round(1)
    return ["" if pd.isna(v) else f"{v + 0.0:.1f}" for v in values]


def board_extras(table: PublishedTable) -> dict[str, Sequence]:
    """WRES 9 from the published percentages: ``difference_pp`` = board BME % − workforce BME %."""
    return {"difference_pp": difference(table, "board_pct", "workforce_pct")}


def board_table(
    board: pd.DataFrame, workforce_bme: int, workforce_white: int, policy: DisclosurePolicy
) -> PublishedTable:
    """:func:`board_spec` with its difference, published on its own."""
    spec = board_spec(board, workforce_bme, workforce_bme + workforce_white)
    return publish_with_extras(
        {"board": spec}, [], policy, lambda out: {"board": board_extras(out["board"])}
    )["board"]


# ---------------------------------------------------------------------------------------------------------
# WRES 5–8: the staff survey
# ---------------------------------------------------------------------------------------------------------


def survey_spec(survey: pd.DataFrame, year: int) -> TableSpec:
    """WRES 5–8 for one survey year, one row per indicator.

    The survey publishes a percentage of respondents; with the respondents it is a count of people
    (``white_yes``, ``bme_yes``: percentage × respondents, to the nearest person), so it is published
    like any count and the percentage recomputed from the published counts (``white_percent``,
    ``bme_percent``). Where the respondents are not loaded there is no count to protect and nothing to
    work a count out from: the percentage is kept as the survey published it (``*_as_published``)."""
    part = survey[survey["year"] == year]
    rows = []
    for indicator in sorted(part["indicator"].unique()):
        row: dict = {"indicator": int(indicator)}
        for group, prefix in ((WHITE, "white"), (BME, "bme")):
            match = part[(part["indicator"] == indicator) & (part["ethnic_group"] == group)]
            percent = float(match["percent"].iloc[0]) if len(match) else np.nan
            respondents = match["respondents"].iloc[0] if len(match) else pd.NA
            known = respondents is not pd.NA and not pd.isna(respondents)
            row[f"{prefix}_respondents"] = float(respondents) if known else np.nan
            row[f"{prefix}_yes"] = (
                float(round(percent * float(respondents) / 100)) if known and percent == percent else np.nan
            )
            row[f"{prefix}_as_published"] = np.nan if known else percent
        rows.append(row)
    columns = [
        "indicator",
        *(f"{p}_{c}" for p in ("white", "bme") for c in ("yes", "respondents", "as_published")),
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return TableSpec(
        frame,
        counts=["white_yes", "white_respondents", "bme_yes", "bme_respondents"],
        keys=["indicator"],
        public=["indicator", "white_as_published", "bme_as_published"],
        figures=[
            Percentage("white_percent", "white_yes", "white_respondents"),
            Percentage("bme_percent", "bme_yes", "bme_respondents"),
        ],
    )


def survey_table(survey: pd.DataFrame, year: int, policy: DisclosurePolicy) -> PublishedTable:
    """:func:`survey_spec` published on its own."""
    return publish_linked({"survey": survey_spec(survey, year)}, policy=policy)["survey"]


# ---------------------------------------------------------------------------------------------------------
# Other characteristics
# ---------------------------------------------------------------------------------------------------------


def characteristic_spec(
    long: pd.DataFrame, characteristic: str, categories: Sequence[str]
) -> tuple[TableSpec, dict[str, str]]:
    """One characteristic (sex, disability or age band) by pay band: a count column per category (in the
    given order; categories not listed are added at the end), the band total ``staff``, and each category's
    share of the band (%, from the published counts). Categories add up to the band total across a row.
    Returns the spec and the category name of each count column (``n_0``, ``n_1`` …)."""
    part = long[long["characteristic"] == characteristic]
    wide = part.pivot_table(index="pay_band", columns="category", values="staff", aggfunc="sum", fill_value=0)
    order = [c for c in categories if c in wide.columns] + sorted(
        c for c in wide.columns if c not in categories
    )
    order = order or list(categories)
    wide = wide.reindex(columns=order, fill_value=0)
    names = {c: f"n_{i}" for i, c in enumerate(order)}
    frame = wide.rename(columns=names).reset_index()
    frame.columns.name = None
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: band_sort_key(frame["pay_band"].iloc[i]))]
    frame = frame.reset_index(drop=True)
    count_columns = list(names.values())
    for column in count_columns:
        frame[column] = frame[column].astype("int64")
    frame["staff"] = frame[count_columns].sum(axis=1).astype("int64")
    totals = [RowTotals(tuple(count_columns))] if len(count_columns) >= 2 else []
    spec = TableSpec(
        frame,
        counts=[*count_columns, "staff"],
        keys=["pay_band"],
        figures=[Percentage(f"{c}_pct", c, "staff") for c in count_columns],
        totals=totals,
    )
    return spec, {v: k for k, v in names.items()}


def characteristic_table(
    long: pd.DataFrame, characteristic: str, categories: Sequence[str], policy: DisclosurePolicy
) -> tuple[PublishedTable, dict[str, str]]:
    """:func:`characteristic_spec` published on its own, bands adding up to a published total too."""
    spec, names = characteristic_spec(long, characteristic, categories)
    spec = replace(spec, totals=[*spec.totals, Totals(by=())])
    return publish_linked({"table": spec}, policy=policy)["table"], names


# ---------------------------------------------------------------------------------------------------------
# Trend and targets
# ---------------------------------------------------------------------------------------------------------

#: The WRES 2–4 count columns of a trend row, for indicator k: w{k}_white_events … w{k}_bme_total.
LIKELIHOOD_COUNTS = ("white_events", "white_total", "bme_events", "bme_total")


def trend_spec(
    bands: pd.DataFrame, likelihoods: pd.DataFrame | None = None, board: pd.DataFrame | None = None
) -> TableSpec:
    """One row per WRES year: the BME share of the workforce, of bands 8a and above and of bands 8c and
    above (``share_all``, ``share_8a_plus``, ``share_8c_plus``, with Wilson limits) and, when their counts
    are given, WRES 2, 3 and 4 (``wres_2`` …, with log-method limits) and the board's BME share, all from
    the published counts (``bme_all``/``known_all`` …, ``w2_white_events`` …, ``board_bme``/``board_known``).
    Add WRES 9 with :func:`trend_extras`.

    ``bands`` has financial_year, pay_band, broad_group, staff (every year, for the chosen staff group and
    borough); ``likelihoods`` and ``board`` are the query results for every year (trust-wide)."""
    rows = []
    for year in sorted(set(bands["financial_year"])):
        row: dict = {"financial_year": year}
        wide = group_wide(bands[bands["financial_year"] == year], "pay_band")
        subsets = {"all": wide, **{k: wide[wide["pay_band"].isin(v)] for k, v in BAND_GROUPS.items()}}
        for name, part in subsets.items():
            row[f"bme_{name}"] = int(part["bme"].sum())
            row[f"known_{name}"] = int(part["bme"].sum() + part["white"].sum())
        if likelihoods is not None:
            wide_l = _likelihood_wide(likelihoods[likelihoods["financial_year"] == year]).set_index(
                "indicator"
            )
            for indicator in sorted(LIKELIHOOD_ORDER):
                for column in LIKELIHOOD_COUNTS:
                    row[f"w{indicator}_{column}"] = int(wide_l.loc[indicator, column])
        if board is not None:
            groups = board[board["financial_year"] == year].set_index("wres_group")["members"]
            row["board_bme"], row["board_white"] = int(groups.get(BME, 0)), int(groups.get(WHITE, 0))
            row["board_known"] = row["board_bme"] + row["board_white"]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["financial_year", *(f"{k}_{n}" for n in ("all", *BAND_GROUPS) for k in ("bme", "known"))]) if not rows else pd.DataFrame(rows)  # fmt: skip
    figures: list = [
        Percentage(f"share_{name}", f"bme_{name}", f"known_{name}", lower=f"share_{name}_lower",
                   upper=f"share_{name}_upper")
        for name in ("all", *BAND_GROUPS)
    ]  # fmt: skip
    totals = []
    if likelihoods is not None:
        for indicator in sorted(LIKELIHOOD_ORDER):
            a, b = (_PREFIX[g] for g in LIKELIHOOD_ORDER[indicator])
            figures.append(Ratio(f"wres_{indicator}", f"w{indicator}_{a}_events", f"w{indicator}_{a}_total",
                                 f"w{indicator}_{b}_events", f"w{indicator}_{b}_total", lower=f"wres_{indicator}_lower",
                                 upper=f"wres_{indicator}_upper"))  # fmt: skip
    if board is not None:
        figures.append(Percentage("board_pct", "board_bme", "board_known"))
        totals.append(RowTotals(("board_white", "board_bme")))
    counts = [c for c in frame.columns if c != "financial_year"]
    return TableSpec(frame, counts=counts, keys=["financial_year"], figures=figures, totals=totals)


def trend_extras(table: PublishedTable) -> dict[str, Sequence]:
    """WRES 9 each year from the published percentages: board BME % − workforce BME %, in points."""
    return {"wres_9": difference(table, "board_pct", "share_all")}


def trend_table(
    bands: pd.DataFrame, likelihoods: pd.DataFrame, board: pd.DataFrame, policy: DisclosurePolicy
) -> PublishedTable:
    """:func:`trend_spec` with WRES 9, published on its own."""
    spec = trend_spec(bands, likelihoods, board)
    return publish_with_extras(
        {"trend": spec}, [], policy, lambda out: {"trend": trend_extras(out["trend"])}
    )["trend"]


#: Target measure ids (catalogue ids, and the short WRES ids some trusts use) → the trend_table column
#: holding the latest value. Shares are percentages in the trend and may be fractions in the target.
TARGET_MEASURES: dict[str, str] = {
    "workforce_bme_share_8a_plus": "share_8a_plus",
    "workforce_bme_share_8c_plus": "share_8c_plus",
    "workforce_bme_share": "share_all",
    "wres_2": "wres_2",
    "wres_2_shortlisting_relative_likelihood": "wres_2",
    "wres_3": "wres_3",
    "wres_3_disciplinary_relative_likelihood": "wres_3",
    "wres_4": "wres_4",
    "wres_4_training_relative_likelihood": "wres_4",
    "wres_9": "wres_9",
    "wres_9_board_difference": "wres_9",
}


def target_scale(column: str, baseline: float | None, target: float) -> float:
    """Factor from a trend value to the target's unit: shares are percentages in the trend; a share target
    written as a fraction (0.35, not 35) is compared as a fraction."""
    if not column.startswith("share_"):
        return 1.0
    values = [v for v in (baseline, target) if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return 0.01 if all(abs(v) <= 1 for v in values) else 1.0


@dataclass(frozen=True)
class TargetProgress:
    """Where a target stands: the value the straight path from baseline to target expects at ``as_of``,
    the latest value, and a verdict: "on track", "behind the path", "met", "not met by the due date" or
    "cannot be judged" (with ``reason``)."""

    expected: float | None
    latest: float | None
    verdict: str
    reason: str = ""


def _days(day: date | str) -> int:
    return (day if isinstance(day, date) else date.fromisoformat(str(day)[:10])).toordinal()


def target_progress(
    *,
    baseline: float | None,
    target: float,
    start: date | str | None,
    due: date | str,
    latest: float | None,
    as_of: date | str,
    increase: bool | None = None,
) -> TargetProgress:
    """Progress against a straight path from ``baseline`` at ``start`` to ``target`` at ``due``.

    "On track" only if the latest value is at or beyond the path at ``as_of`` (above it for a target that
    rises, below it for one that falls); "behind the path" otherwise. After the due date: "met" or "not
    met by the due date". Without a latest value (e.g. suppressed) or without a baseline and start date
    (no path to compare with) the verdict is "cannot be judged". The direction is taken from baseline
    and target unless ``increase`` is given.
    """
    if latest is None or (isinstance(latest, float) and math.isnan(latest)):
        return TargetProgress(
            None, None, "cannot be judged", "the latest figure is not available (suppressed or no data)"
        )
    up = increase if increase is not None else (baseline is None or target >= baseline)
    beyond = (lambda value, mark: value >= mark) if up else (lambda value, mark: value <= mark)
    now, end = _days(as_of), _days(due)
    if now >= end:
        return TargetProgress(target, latest, "met" if beyond(latest, target) else "not met by the due date")
    if beyond(latest, target):
        return TargetProgress(target, latest, "met")
    if baseline is None or start is None or (isinstance(baseline, float) and math.isnan(baseline)):
        return TargetProgress(None, latest, "cannot be judged", "the target has no baseline and start date")
    begin = _days(start)
    fraction = min(max((now - begin) / (end - begin), 0.0), 1.0) if end > begin else 1.0
    expected = baseline + (target - baseline) * fraction
    return TargetProgress(expected, latest, "on track" if beyond(latest, expected) else "behind the path")
