"""Figure assembly shared by the domain reports: rates with ratios to a reference group, area rates,
monthly rate series, periods, and the few checks every headline makes. Everything returned has been
through disclosure control (:func:`measures.disclosure.publish_table`), and every rate, ratio and
interval is computed from the published (rounded) counts (``figures=``), never the exact ones."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data.health import latest_load
from measures.benchmark import group_rate_table
from measures.disclosure import DisclosurePolicy, PublishedTable, Rate, Totals, publish_table
from measures.stats import Estimate
from queries import overview
from queries.scope import Scope
from reports.settings import methods

PER = 100_000
RATIO_DECIMALS = {"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2}


def rate_table(
    groups: pd.DataFrame,
    *,
    reference: str,
    reference_events: int,
    reference_population: int,
    policy: DisclosurePolicy,
    per: float = PER,
    group_column: str = "group",
    extra_counts: tuple[str, ...] = (),
    check: bool = False,
) -> PublishedTable:
    """Rates per ``per`` with Byar's/exact CIs for each group, and each group's rate ratio (log-method CI)
    to the ``reference`` group, whose events and population are given (so the reference need not be a
    row: detailed groups compare with the broad reference group). A row named ``reference`` gets no
    ratio (it is 1). A ratio is blank when its own or the reference's events are suppressed; the events
    add up to a published total, so secondary suppression applies.

    ``groups`` has ``group_column``, events and population (groups without a population are left out
    by the caller). Rates, ratios and intervals rest on the published counts; ``check`` also attacks the
    table with its total (as :func:`measures.disclosure.publish_linked` does)."""
    return group_rate_table(
        groups, reference=reference, policy=policy, per=per, group_column=group_column,
        extra_counts=extra_counts, reference_counts=(int(reference_events), int(reference_population)),
        check=check,
    )  # fmt: skip


def published_ratio(
    table: PublishedTable, group: str, group_column: str = "group", *, prefix: str = ""
) -> Estimate | None:
    """The published ratio of one row as an Estimate, or None when it is suppressed or missing.
    ``prefix`` picks another ratio of the row (e.g. "people_" for ``people_ratio_value``)."""
    value, lower, upper = (f"{prefix}ratio_{k}" for k in ("value", "lower", "upper"))
    rows = table.frame.index[table.frame[group_column] == group]
    if not len(rows) or bool(table.mask.loc[rows[0], value]):
        return None
    row = table.frame.loc[rows[0]]
    if pd.isna(row[value]):
        return None
    low, high = (None if pd.isna(row[c]) else float(row[c]) for c in (lower, upper))
    return Estimate(float(row[value]), low, high, "rate ratio", None, None, 0.95)


def area_rates(counts: pd.DataFrame, names: dict[str, str], policy: DisclosurePolicy) -> PublishedTable:
    """Rates per 100,000 by area (Byar's/exact CIs, from the published counts), through disclosure
    control. The areas add up to a published total, so a lone suppressed area is protected by
    suppressing the next smallest."""
    frame = counts.assign(area=counts["area_code"].map(names))
    return publish_table(
        frame,
        counts=["events"],
        figures=[Rate("value", "events", "population", per=PER, lower="lower", upper="upper")],
        public=["population"],
        policy=policy,
        totals=[Totals(by=())],
    )


def describe_rates(table: PublishedTable, unit: str = "per 100,000", counts: str | None = None) -> pd.Series:
    """Per row, as published: '12.3 per 100,000 (95% CI 9.8 to 15.1)', then '; 40 of 3,200 residents'
    when ``counts`` names what the population is."""
    shown = table.display_frame(decimals=1)
    text = shown["value"] + f" {unit} (95% CI " + shown["lower"] + " to " + shown["upper"] + ")"
    if counts:
        text = text + "; " + shown["events"] + " of " + shown["population"] + f" {counts}"
    return text


def monthly_rate(
    months: pd.Series, events: pd.Series, population: int, policy: DisclosurePolicy, *, scale: float = 1.0
) -> PublishedTable:
    """A monthly series of events and their rate per 100,000 of ``population`` (× ``scale``, e.g. 12 to
    annualise), published: a month with 1 to threshold−1 events is a gap, not a point, and each rate is
    computed from the month's published (rounded) count. The population is a column of the result."""
    series = pd.DataFrame(
        {"month_start": list(months), "events": pd.Series(events).astype("int64").to_numpy()}
    )
    series["population"] = int(population or 0)
    rate = Rate("rate", "events", "population", per=PER * scale)
    return publish_table(series, counts=["events"], figures=[rate], public=["population"], policy=policy)


def suppressed(policy: DisclosurePolicy, **counts: int) -> bool:
    """True when any of these counts would be suppressed (a figure resting on them is not shown)."""
    frame = pd.DataFrame({name: [int(value)] for name, value in counts.items()})
    return publish_table(frame, counts=list(counts), policy=policy).suppressed_any


def ratio_text(estimate: Estimate | None) -> str:
    """'3.6 (95% CI 3.1 to 4.2)', '3.6 (no CI)' or '*'."""
    if estimate is None or estimate.value is None:
        return "*"
    if not estimate.has_ci:
        return f"{estimate.value:.1f} (no CI)"
    return f"{estimate.value:.1f} (95% CI {estimate.lower:.1f} to {estimate.upper:.1f})"


def financial_year_period(engine: Engine, scope: Scope, financial_year: str) -> tuple[date, date]:
    years = overview.financial_years(engine, scope).set_index("financial_year")
    return years.loc[financial_year, "first_day"], years.loc[financial_year, "last_day"]


def period_options(years: pd.DataFrame) -> dict[str, tuple[date, date]]:
    """Financial years, then rolling windows (``config/methods.yaml``) ending at each month-end of the
    latest year before its last."""
    rolling = methods()
    options = {
        fy: (first, last)
        for fy, first, last in zip(
            years["financial_year"], years["first_day"], years["last_day"], strict=True
        )
    }
    latest_end = pd.Timestamp(years["last_day"].iloc[-1])
    for months_back in range(1, rolling.windows + 1):
        end = (latest_end - pd.DateOffset(months=months_back)) + pd.offsets.MonthEnd(0)
        start = end - pd.DateOffset(months=rolling.window_months) + pd.Timedelta(days=1)
        options[f"{rolling.window_months} months to {end:%b %Y}"] = (start.date(), end.date())
    return options


_KEPT: OrderedDict = OrderedDict()
_KEPT_LOCK = threading.Lock()
_BEING_BUILT: dict[tuple, threading.Event] = {}
KEPT = 128  # published groups kept (a few per view)


def kept_per_load(build: Callable, engine: Engine, scope: Scope, *params):
    """``build(engine, scope, *params)``, kept once per store load. Publishing a group of linked tables
    with its attack takes a second or more, and the page, the board's headlines and the board pack ask for
    the same ones; a new load makes every kept result stale (its id is part of the key). A caller asking
    for a result another thread is building (the warm-up, :mod:`reports.warmup`) waits for it rather than
    building it a second time."""
    try:
        latest = latest_load(engine)
    except SQLAlchemyError:
        latest = None
    load = None if latest is None else (latest["id"], str(latest["loaded_at"]))
    key = (build.__module__, build.__name__, str(engine.url), id(engine), load, scope, params)
    while True:
        with _KEPT_LOCK:
            if key in _KEPT:
                _KEPT.move_to_end(key)
                return _KEPT[key]
            built_elsewhere = _BEING_BUILT.get(key)
            if built_elsewhere is None:
                _BEING_BUILT[key] = threading.Event()
                break
        built_elsewhere.wait()  # then look again: kept, or (if that build failed) build it here
    try:
        result = build(engine, scope, *params)
        with _KEPT_LOCK:
            _KEPT[key] = result
            while len(_KEPT) > KEPT:
                _KEPT.popitem(last=False)
        return result
    finally:
        with _KEPT_LOCK:
            _BEING_BUILT.pop(key).set()


def forget_kept() -> None:
    """Drop every kept result (tests that record what a view publishes need it published again)."""
    with _KEPT_LOCK:
        _KEPT.clear()
