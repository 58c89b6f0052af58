"""Disclosure control: small-number suppression, rounding, derived figures and secondary suppression.

The rule (docs/disclosure.md gives the reasons and public sources):

- **Counts.** 0 stays 0; counts from 1 to ``threshold − 1`` are shown as "*"; other counts are rounded
  to the nearest ``base`` (NHS England's MHSDS and Mental Health Act statistics: 1–4 and 5; NHS Digital's
  HES/ECDS rule: 1–7 and 5). Threshold and base are a setting, :class:`DisclosurePolicy`.
- **Derived figures** (:class:`Rate`, :class:`Percentage`, :class:`Ratio`, :class:`Difference`) are
  computed by this module *from the published counts*: the rounded numerator, and the rounded
  denominator when the denominator is a service count (people referred, staff, bed days). A census
  population is public (ONS has already perturbed it) and is used as it is. A figure computed only from
  published numbers tells a reader nothing that the published numbers do not, whatever its precision, so
  no rate × denominator, percentage × denominator or ratio × reference rate gives back a hidden or
  unrounded count. Intervals are computed from the same rounded counts, so verdicts drawn from them agree
  with what is on the screen. A figure resting on a suppressed count is suppressed.
- **Secondary suppression.** Callers say which cells add up (:class:`Totals`, :class:`RowTotals` inside a
  table; :class:`Rollup` and :class:`Equation` across tables: broad against detailed groups, teams against
  their service line, neighbourhoods against their borough, a filtered view against the unfiltered one,
  year against year). Within each group, a single suppressed cell is joined by the next smallest cell
  (preferring a non-zero one). :func:`publish_linked` then attacks its own output with
  :mod:`measures.attacks` (interval arithmetic over every declared link, with the true counts) and
  suppresses further cells until no count from 1 to ``threshold − 1`` can be recovered and no rounded
  count can be pinned to one value.

Suppression is a stage, not a display trick: :func:`publish_table` and :func:`publish_linked` are the
only ways to make a :class:`PublishedTable`, and components accept only a PublishedTable, so no figure
reaches a page, a download or the board pack without passing through here. Every numeric column must be
declared as a count, a figure, a derived column or public, so a new column cannot slip through unexamined.

The older ``derived=`` argument (figures the caller computed, blanked when their counts are suppressed)
still works, but such figures rest on the true counts and can reveal them; :attr:`PublishedTable.basis`
marks them ``"true"`` so that checks can find them. New code should use ``figures=``.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_POLICY",
    "NO_SUPPRESSION",
    "SUPPRESSED",
    "CellRef",
    "CsvMetadata",
    "Difference",
    "DisclosurePolicy",
    "Equation",
    "Percentage",
    "PublishedTable",
    "Rate",
    "Ratio",
    "Rollup",
    "RowTotals",
    "TableSpec",
    "Totals",
    "publish_count",
    "publish_counts",
    "publish_estimates",
    "publish_linked",
    "publish_table",
]

#: How a suppressed cell is shown.
SUPPRESSED = "*"


@dataclass(frozen=True)
class DisclosurePolicy:
    """Counts from 1 to ``threshold − 1`` are suppressed; other counts are rounded to the nearest ``base``.

    The default (threshold 5, base 5) is the MHA/MHSDS rule; ``DisclosurePolicy(threshold=8, base=5)``
    is the HES/ECDS one (1–7 suppressed). ``threshold=1, base=1`` turns control off (national totals).
    """

    threshold: int = 5
    base: int = 5

    def __post_init__(self) -> None:
        for name in ("threshold", "base"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"DisclosurePolicy.{name} must be a whole number ≥ 1, got {value!r}")

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any] | None) -> DisclosurePolicy:
        """Build from configuration, e.g. ``{"threshold": 8, "base": 5}``; missing keys take defaults."""
        settings = dict(settings or {})
        unknown = set(settings) - {"threshold", "base"}
        if unknown:
            raise ValueError(f"unknown disclosure settings: {sorted(unknown)} (expected threshold, base)")
        return cls(**{k: int(v) for k, v in settings.items()})

    @property
    def suppresses(self) -> bool:
        return self.threshold > 1

    def describe(self) -> str:
        """Plain-English statement of the rule, for footnotes."""
        parts = []
        if self.threshold == 2:
            parts.append(f'counts of 1 are shown as "{SUPPRESSED}"')
        elif self.threshold > 2:
            parts.append(f'counts from 1 to {self.threshold - 1} are shown as "{SUPPRESSED}"')
        if self.base > 1:
            parts.append(f"other counts are rounded to the nearest {self.base}")
        if not parts:
            return "Counts are shown unrounded and nothing is suppressed."
        text = " and ".join(parts)
        if self.threshold > 1:
            text += (
                "; rates, percentages and ratios based on a suppressed count are suppressed too, and further "
                "cells are suppressed where a hidden figure could otherwise be worked out from totals"
            )
        return text[0].upper() + text[1:] + "."

    def publish(self, n: float | None) -> int | None:
        """The published form of one count under this policy (see :func:`publish_count`)."""
        return publish_count(n, threshold=self.threshold, base=self.base)

    def interval(self, published: float) -> tuple[int, int]:
        """The whole numbers a shown (unsuppressed) count stands for under this policy, as (low, high).

        0 stands for 0. Under the default policy 5 stands for 5–7 (3 and 4 would have been suppressed),
        10 for 8–12. A shown value that this policy cannot produce (not a multiple of the base, or a
        small count) stands only for itself: it was published exactly. Used by :mod:`measures.attacks`.
        """
        value = float(published)
        if value < 0 or math.isnan(value) or math.isinf(value):
            raise ValueError(f"a published count must be a finite number ≥ 0, got {published!r}")
        if value == 0:
            return 0, 0
        if value != round(value) or value % self.base:
            return math.floor(value), math.ceil(value)
        low = max(math.ceil(value - self.base / 2), self.threshold)
        high = math.ceil(value + self.base / 2) - 1
        if low > high:  # e.g. 5 under a 1–7 rule: never produced by rounding, so shown exactly
            return int(value), int(value)
        return int(low), int(high)


DEFAULT_POLICY = DisclosurePolicy()
NO_SUPPRESSION = DisclosurePolicy(threshold=1, base=1)


def _round_half_up(values: np.ndarray, base: int) -> np.ndarray:
    return np.floor(values / base + 0.5) * base


def publish_count(n: float | None, *, threshold: int = 5, base: int = 5) -> int | None:
    """Published form of a count: 0 stays 0; 1 to threshold−1 gives None (shown "*"); others are rounded.

    Rounding is to the nearest ``base``, halves up (integers never tie when the base is 5). A missing
    count gives None; a negative count raises ValueError. Non-integer values below the threshold are
    suppressed too.
    """
    DisclosurePolicy(threshold=threshold, base=base)  # validates
    if n is None or n is pd.NA or (isinstance(n, float) and math.isnan(n)):
        return None
    value = float(n)
    if value < 0 or math.isinf(value):
        raise ValueError(f"a count must be a finite number ≥ 0, got {n!r}")
    if value == 0:
        return 0
    if value < threshold:
        return None
    return int(_round_half_up(np.array([value]), base)[0])


def publish_counts(values: Any, policy: DisclosurePolicy = DEFAULT_POLICY) -> pd.Series:
    """Vectorised :func:`publish_count`: a nullable Int64 Series, pd.NA where suppressed or missing."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    raw = series.to_numpy(dtype=float, na_value=np.nan)
    if (raw[~np.isnan(raw)] < 0).any() or np.isinf(raw).any():
        raise ValueError("counts must be finite numbers ≥ 0")
    suppressed = (raw > 0) & (raw < policy.threshold)
    rounded = _round_half_up(raw, policy.base)
    rounded[suppressed | np.isnan(raw)] = np.nan
    return pd.Series(pd.array(rounded, dtype="Float64"), index=series.index).astype("Int64")


# ---------------------------------------------------------------------------------------------------------
# Groups of cells that add up to a published total
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """In a long table, cells of one count column whose rows share the values of ``by`` add up to a
    published total. ``by=()`` means the whole column adds up to a published grand total.

    A long two-way table (trust × ethnic group) needs ``Totals(by=("trust",))`` and
    ``Totals(by=("ethnic_group",))``. ``columns`` limits it to some count columns (default: all).
    """

    by: tuple[str, ...] = ()
    columns: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.by, str):
            object.__setattr__(self, "by", (self.by,))
        if isinstance(self.columns, str):
            object.__setattr__(self, "columns", (self.columns,))


@dataclass(frozen=True)
class RowTotals:
    """In a wide table, the given count columns add up across each row to a published row total."""

    columns: tuple[str, ...]

    def __post_init__(self) -> None:
        if isinstance(self.columns, str):
            object.__setattr__(self, "columns", (self.columns,))
        if len(self.columns) < 2:
            raise ValueError("RowTotals needs at least two count columns")


# ---------------------------------------------------------------------------------------------------------
# Figures computed from the published counts
# ---------------------------------------------------------------------------------------------------------


def _columns(*names: str | None) -> tuple[str, ...]:
    return tuple(n for n in names if n is not None)


class _FigureBase:
    """What every figure shares: its output columns and the columns it is computed from."""

    @property
    def outputs(self) -> tuple[str, ...]:
        return _columns(self.column, getattr(self, "lower", None), getattr(self, "upper", None))

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(getattr(self, attribute) for attribute, _ in _FIGURE_ROLES[type(self)])


@dataclass(frozen=True)
class Rate(_FigureBase):
    """``numerator / denominator × per`` from the published numerator, with Byar's/exact limits
    (:func:`measures.stats.crude_rates`) from the same published numerator.

    The denominator is either a count column (a service count: bed days, people on a caseload; rounded
    and suppressed like any count) or a public column (a census population, used as it is). Values are
    stored rounded to ``decimals`` places, so the CSV carries what the screen shows.
    """

    column: str
    numerator: str
    denominator: str
    per: float = 100_000
    lower: str | None = None
    upper: str | None = None
    decimals: int | None = 1
    confidence: float = 0.95


@dataclass(frozen=True)
class Percentage(_FigureBase):
    """``numerator / denominator × 100`` from the published numerator and denominator, with Wilson limits
    (:func:`measures.stats.proportions`) from the same published counts.

    ``min_denominator`` suppresses the percentage (not its counts) when the *published* denominator is
    smaller, e.g. 10 so that no percentage rests on fewer than 10 people; deciding on the published value
    reveals nothing.
    """

    column: str
    numerator: str
    denominator: str
    lower: str | None = None
    upper: str | None = None
    decimals: int | None = 1
    confidence: float = 0.95
    min_denominator: int = 0

    per = 100.0


@dataclass(frozen=True)
class Ratio(_FigureBase):
    """Ratio of two rates in one row, ``(count / denominator) / (reference_count / reference_denominator)``,
    with log-method limits (:func:`measures.stats.rate_ratios`), all from published counts. Denominators
    may be count or public columns."""

    column: str
    count: str
    denominator: str
    reference_count: str
    reference_denominator: str
    lower: str | None = None
    upper: str | None = None
    decimals: int | None = 2
    confidence: float = 0.95


@dataclass(frozen=True)
class Difference(_FigureBase):
    """``current − previous`` (e.g. change on last year) from the two published counts of one row."""

    column: str
    current: str
    previous: str
    decimals: int | None = 0


Figure = Rate | Percentage | Ratio | Difference


# ---------------------------------------------------------------------------------------------------------
# Links between tables
# ---------------------------------------------------------------------------------------------------------


def _pairs(value: Mapping[str, str] | Sequence[str] | str | None) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return ((value, value),)
    if isinstance(value, Mapping):
        return tuple((str(k), str(v)) for k, v in value.items())
    return tuple((str(v), str(v)) for v in value)


def _where(value: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    if not value:
        return ()
    return tuple(
        (str(k), tuple(v) if isinstance(v, (list, tuple, set, frozenset)) else (v,)) for k, v in value.items()
    )


@dataclass(frozen=True)
class Rollup:
    """Rows of table ``parts`` add up to rows of table ``total``.

    ``on`` maps key columns of ``parts`` to key columns of ``total`` (a list means the same names; empty
    means every part adds up to each total row, e.g. teams to a one-row trust table). ``columns`` maps
    count columns of ``parts`` to those of ``total`` (default: the count columns both tables share).
    ``complete=False`` says the parts do not cover the total (e.g. only detailed groups with a code, or
    only the teams a champion may see): the remainder is then an unpublished count that the attacker may
    still pin down. ``total_where`` / ``parts_where`` select rows by value (a value or a list of values),
    so one table can hold both its parts and its "All" row.

    Examples: ``Rollup("broad", "detailed", on={"broad_group": "group"})``;
    ``Rollup("service_line", "teams", on="service_line")``; ``Rollup("trust", "boroughs")``;
    ``Rollup("unfiltered", "filtered", on="group", complete=False)``.
    """

    total: str
    parts: str
    on: Any = ()
    columns: Any = None
    complete: bool = True
    total_where: Any = None
    parts_where: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "on", _pairs(self.on) or ())
        object.__setattr__(self, "columns", _pairs(self.columns))
        object.__setattr__(self, "total_where", _where(self.total_where))
        object.__setattr__(self, "parts_where", _where(self.parts_where))

    @property
    def name(self) -> str:
        return f"{self.total} = Σ {self.parts}" + ("" if self.complete else " + rest")


@dataclass(frozen=True)
class CellRef:
    """One count cell: ``table``, the key values of its row, and its column."""

    table: str
    row: Any
    column: str

    def __post_init__(self) -> None:
        row = self.row.items() if isinstance(self.row, Mapping) else self.row
        object.__setattr__(self, "row", tuple(sorted((str(k), v) for k, v in row)))


@dataclass(frozen=True)
class Equation:
    """Any linear relation between count cells: ``Σ coefficient × cell = constant``, for links that are
    not a simple roll-up (e.g. a rolling 12-month total against its months: this window − last window =
    this month − the month that dropped out).

    As in a roll-up, a total has a positive coefficient and its parts negative ones: secondary suppression
    chooses a part as the complement of a lone hidden cell, and a total only when no part is left. A total
    is often shared by many equations (everyone's count, against each community and everyone else), so
    hiding it hides a cell of every one of them. An equation with a single term of one sign against two
    or more of the other is therefore stored with that term positive (both sides multiplied by −1, the
    same relation): ``community + rest − trust = 0`` is kept as ``trust − community − rest = 0``."""

    terms: tuple[tuple[int, CellRef], ...]
    constant: int = 0
    label: str = "equation"

    def __post_init__(self) -> None:
        terms = tuple((int(c), ref) for c, ref in self.terms)
        negative = sum(1 for c, _ in terms if c < 0)
        positive = sum(1 for c, _ in terms if c > 0)
        if negative == 1 and positive >= 2:  # the lone negative term is the total: write it positive
            terms = tuple((-c, ref) for c, ref in terms)
            object.__setattr__(self, "constant", -self.constant)
        object.__setattr__(self, "terms", terms)

    @property
    def name(self) -> str:
        return self.label


Link = Rollup | Equation


@dataclass(frozen=True)
class TableSpec:
    """One table for :func:`publish_linked`: the same arguments as :func:`publish_table`, plus ``keys``,
    the columns that identify a row (used by links and by :mod:`measures.attacks`)."""

    frame: pd.DataFrame
    counts: Sequence[str]
    keys: Sequence[str] = ()
    figures: Sequence[Figure] = ()
    public: Sequence[str] = ()
    totals: Sequence[Totals | RowTotals | tuple[str, ...] | str] = ()
    derived: Mapping[Any, Any] | None = None


# ---------------------------------------------------------------------------------------------------------
# The published table
# ---------------------------------------------------------------------------------------------------------


class _Seal:
    """Proof that a PublishedTable came from publish_table; pickles by reference (st.cache_data copies)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "_SEAL"


_SEAL = _Seal()


@dataclass(frozen=True, eq=False)
class PublishedTable:
    """A table that has passed disclosure control; the only thing components may render or export.

    Made only by :func:`publish_table` (or :func:`publish_estimates`); constructing one directly raises
    TypeError. Treat the DataFrames as read-only.

    - ``frame``: the published values. Count columns are nullable Int64, rounded, with pd.NA where
      suppressed; derived columns (rates, percentages, ratios, CIs) are unrounded, with NaN/NA where
      suppressed. Other columns are as given.
    - ``policy``: the :class:`DisclosurePolicy` applied.
    - ``count_columns``, ``derived_columns`` (each mapped to the counts it rests on), ``public_columns``.
    - ``primary`` and ``secondary``: boolean frames over the count columns (True = suppressed by that
      step). ``mask``: boolean frame over count and derived columns, True where the cell shows "*".
    - ``suppressed_any``: True if any cell is suppressed.
    - ``notes``: anything the publisher could not protect (e.g. a group of one cell whose total is
      published), for the data-quality panel.
    - ``figures``: the :class:`Rate`, :class:`Percentage`, :class:`Ratio` and :class:`Difference` specs
      whose columns this module computed from the published counts.
    - ``basis``: for each derived column, ``"published"`` (computed here from published counts: reveals
      nothing more), ``"published by caller"`` (passed in through ``derived=`` with
      ``derived_from_published=True``) or ``"true"`` (passed in through ``derived=``, computed by the caller from the true
      counts: may reveal them).
    """

    frame: pd.DataFrame
    policy: DisclosurePolicy
    count_columns: tuple[str, ...]
    derived_columns: Mapping[str, tuple[str, ...]]
    public_columns: tuple[str, ...]
    primary: pd.DataFrame
    secondary: pd.DataFrame
    mask: pd.DataFrame
    suppressed_any: bool
    notes: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    basis: Mapping[str, str] = field(default_factory=dict)
    _seal: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self._seal is not _SEAL:
            raise TypeError("a PublishedTable is made by measures.disclosure.publish_table, not directly")

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    @property
    def n_primary(self) -> int:
        return int(self.primary.to_numpy().sum())

    @property
    def n_secondary(self) -> int:
        return int(self.secondary.to_numpy().sum())

    def _replace(
        self, frame: pd.DataFrame, primary: pd.DataFrame, secondary: pd.DataFrame, mask: pd.DataFrame
    ):
        counts = tuple(c for c in self.count_columns if c in frame.columns)
        derived = {k: v for k, v in self.derived_columns.items() if k in frame.columns}
        public = tuple(c for c in self.public_columns if c in frame.columns)
        figures = tuple(f for f in self.figures if f.column in frame.columns)
        basis = {k: v for k, v in self.basis.items() if k in frame.columns}
        return PublishedTable(
            frame=frame,
            policy=self.policy,
            count_columns=counts,
            derived_columns=derived,
            public_columns=public,
            primary=primary[list(counts)],
            secondary=secondary[list(counts)],
            mask=mask[[c for c in mask.columns if c in frame.columns]],
            suppressed_any=bool(mask[[c for c in mask.columns if c in frame.columns]].to_numpy().any()),
            notes=self.notes,
            figures=figures,
            basis=basis,
            _seal=_SEAL,
        )

    def filter_rows(self, rows: Any) -> PublishedTable:
        """A published table with only some rows (a boolean mask or index labels). Safe: it only hides."""
        frame = self.frame.loc[rows]
        index = frame.index
        return self._replace(frame, self.primary.loc[index], self.secondary.loc[index], self.mask.loc[index])

    def relabel(self, column: str, labels: Mapping[Any, str]) -> PublishedTable:
        """The same table with a label column (neither a count nor a figure) mapped through ``labels``;
        values not in ``labels`` stay as they are. Safe: names are not figures. It lets one kept
        publication be labelled for each page that shows it."""
        if column in self.count_columns or column in self.derived_columns:
            raise ValueError(f"{column!r} is a count or a figure, not a label")
        frame = self.frame.assign(**{column: self.frame[column].map(lambda value: labels.get(value, value))})
        return self._replace(frame, self.primary, self.secondary, self.mask)

    def select(self, columns: Sequence[str]) -> PublishedTable:
        """A published table with only some columns, in the given order. Safe: it only hides."""
        columns = list(columns)
        missing = [c for c in columns if c not in self.frame.columns]
        if missing:
            raise KeyError(f"columns not in the published table: {missing}")
        return self._replace(self.frame[columns], self.primary, self.secondary, self.mask)

    def display_frame(
        self,
        *,
        decimals: int | Mapping[str, int] | None = None,
        thousands: bool = True,
        missing: str = "",
    ) -> pd.DataFrame:
        """All values as text for display: "*" where suppressed, ``missing`` where there is no value.

        Counts and other whole numbers get thousands separators; derived and other decimal columns are
        rounded to ``decimals`` places (one number, or a number per column). Without ``decimals``, a
        figure's columns use the figure's own ``decimals`` and other columns 1.
        """
        own = self._figure_decimals()
        out = {}
        for column in self.frame.columns:
            series = self.frame[column]
            if isinstance(decimals, Mapping):
                places = decimals.get(column, own.get(column, 1))
            else:
                places = own.get(column, 1) if decimals is None else decimals
            text = _format_column(series, places, thousands, missing, whole=column in self.count_columns)
            if column in self.mask.columns:
                text = text.mask(self.mask[column].to_numpy(), SUPPRESSED)
            out[column] = text
        return pd.DataFrame(out, index=self.frame.index)

    def _figure_decimals(self) -> dict[str, int]:
        return {c: f.decimals for f in self.figures for c in f.outputs if f.decimals is not None}

    def export_frame(self, decimals: int | Mapping[str, int] | None = None) -> pd.DataFrame:
        """The published values for export: numbers, "*" where suppressed, empty where missing.

        Figures computed here are already stored at their own precision. ``decimals`` (one number, or a
        number per column) rounds other non-count decimal columns too, so an export can carry exactly
        the precision shown on screen.
        """
        frame = self.frame
        if decimals is not None:
            frame = frame.copy()
            for column in frame.columns:
                if column in self.count_columns or not pd.api.types.is_float_dtype(frame[column]):
                    continue
                places = decimals.get(column) if isinstance(decimals, Mapping) else decimals
                if places is not None:
                    frame[column] = frame[column].round(places)
        out = frame.astype(object).where(frame.notna(), None)
        for column in self.mask.columns:
            out.loc[self.mask[column].to_numpy(), column] = SUPPRESSED
        return out

    def to_csv(
        self,
        path_or_buf: str | Path | io.TextIOBase | None = None,
        *,
        header_block: str | None = None,
        decimals: int | Mapping[str, int] | None = None,
        **kwargs: Any,
    ) -> str | None:
        """Write exactly the published values as CSV (suppressed cells as "*", no index by default).

        ``header_block`` (e.g. :meth:`CsvMetadata.header`) is written first: lines starting with "#",
        which ``pandas.read_csv(..., comment="#")`` skips. ``decimals`` is as for :meth:`export_frame`.
        Returns the CSV text when no path or buffer is given.
        """
        kwargs.setdefault("index", False)
        text = self.export_frame(decimals).to_csv(None, **kwargs)
        if header_block:
            text = header_block.rstrip("\n") + "\n" + text
        if path_or_buf is None:
            return text
        if isinstance(path_or_buf, (str, Path)):
            Path(path_or_buf).write_text(text, encoding="utf-8")
        else:
            path_or_buf.write(text)
        return None


def _format_column(
    series: pd.Series, places: int, thousands: bool, missing: str, *, whole: bool
) -> pd.Series:
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return series.astype(object).where(series.notna(), missing).astype(str)
    values = series.to_numpy(dtype=float, na_value=np.nan)
    sep = "," if thousands else ""
    if whole or pd.api.types.is_integer_dtype(series):
        texts = [missing if math.isnan(v) else f"{round(v):{sep}d}" for v in values]
    else:
        texts = [missing if math.isnan(v) else f"{v:{sep}.{places}f}" for v in values]
    return pd.Series(texts, index=series.index, dtype=object)


# ---------------------------------------------------------------------------------------------------------
# Publishing
# ---------------------------------------------------------------------------------------------------------


def _expand_derived(derived: Mapping[Any, Any] | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, deps in (derived or {}).items():
        targets = (key,) if isinstance(key, str) else tuple(key)
        dependencies = (deps,) if isinstance(deps, str) else tuple(deps)
        for target in targets:
            out[target] = out.get(target, ()) + tuple(d for d in dependencies if d not in out.get(target, ()))
    return out


GroupLabel = tuple[Any, tuple[str, ...] | None, int]


def _group_label(frame: pd.DataFrame, label: GroupLabel) -> str:
    columns, by, row = label
    if by is None:
        return f"row {frame.index[row]!r} across {list(columns)}"
    where = frame.iloc[row][list(by)].to_dict() if by else "all rows"
    return f"{columns!r} for {where}"


def _cell_groups(
    frame: pd.DataFrame, counts: list[str], totals: Sequence[Totals | RowTotals], present: np.ndarray
) -> list[tuple[GroupLabel, np.ndarray]]:
    """Flat cell indices (row * n_counts + column) of each group of cells that add up to a published total."""
    k = len(counts)
    position = {c: i for i, c in enumerate(counts)}
    groups: list[tuple[GroupLabel, np.ndarray]] = []
    rows = np.arange(len(frame))
    for spec in totals:
        if isinstance(spec, (tuple, list, str)):
            spec = Totals(by=tuple([spec] if isinstance(spec, str) else spec))
        if isinstance(spec, Totals):
            columns = list(spec.columns) if spec.columns is not None else counts
            for name in [*spec.by, *columns]:
                if name not in frame.columns:
                    raise ValueError(f"Totals refers to a column not in the frame: {name!r}")
            bad = [c for c in columns if c not in position]
            if bad:
                raise ValueError(f"Totals columns must be count columns: {bad}")
            if spec.by:
                ids = frame.groupby(list(spec.by), sort=False, dropna=False).ngroup().to_numpy()
            else:
                ids = np.zeros(len(frame), dtype=np.int64)
            order = np.argsort(ids, kind="stable")
            splits = np.flatnonzero(np.diff(ids[order])) + 1
            for column in columns:
                for members in np.split(rows[order], splits):
                    cells = members * k + position[column]
                    cells = cells[present[cells]]
                    if len(cells):
                        groups.append(((column, tuple(spec.by), int(members[0])), cells))
        elif isinstance(spec, RowTotals):
            bad = [c for c in spec.columns if c not in position]
            if bad:
                raise ValueError(f"RowTotals columns must be count columns: {bad}")
            offsets = np.array([position[c] for c in spec.columns])
            for row in rows:
                cells = row * k + offsets
                cells = cells[present[cells]]
                if len(cells):
                    groups.append(((tuple(spec.columns), None, int(row)), cells))
        else:
            raise TypeError(f"totals entries must be Totals or RowTotals, got {spec!r}")
    return groups


def _secondary_suppression(
    values: np.ndarray, suppressed: np.ndarray, groups: Sequence[tuple[Any, ...]]
) -> tuple[np.ndarray, list[Any]]:
    """Flat boolean array of secondary suppressions, and the labels of groups that cannot be protected.

    Each group is ``(label, cells)`` or ``(label, cells, is_total)``: flat cell indices that add up, and
    which of them are totals (a total is chosen as a complement only when no part is left). Within a
    group with exactly one suppressed cell, the smallest non-zero unsuppressed part is suppressed too
    (a zero if nothing else is left), repeating until nothing changes.
    """
    secondary = np.zeros_like(suppressed)
    current = suppressed.copy()
    changed = True
    while changed:
        changed = False
        for group in groups:
            cells = group[1]
            is_total = group[2] if len(group) > 2 else np.zeros(len(cells), dtype=bool)
            hidden = current[cells]
            if hidden.sum() != 1 or len(cells) < 2:
                continue
            candidates = cells[~hidden]
            totals = is_total[~hidden]
            non_zero = values[candidates] > 0
            for pool in (non_zero & ~totals, ~totals, non_zero, np.ones(len(candidates), dtype=bool)):
                if pool.any():
                    choices = candidates[pool]
                    break
            choice = choices[np.argmin(values[choices])]  # first of equal smallest
            current[choice] = True
            secondary[choice] = True
            changed = True
    unprotected = [group[0] for group in groups if len(group[1]) == 1 and current[group[1]].all()]
    return secondary, unprotected


@dataclass
class _Prepared:
    """A frame checked against its declarations, with its raw counts as a float matrix."""

    frame: pd.DataFrame
    counts: list[str]
    public: list[str]
    derived: dict[str, tuple[str, ...]]
    figures: tuple[Figure, ...]
    raw: np.ndarray
    present: np.ndarray


_FIGURE_ROLES: dict[type, tuple[tuple[str, bool], ...]] = {
    # (attribute, may be public) for each input of each figure type
    Rate: (("numerator", False), ("denominator", True)),
    Percentage: (("numerator", False), ("denominator", True)),
    Ratio: (
        ("count", False),
        ("denominator", True),
        ("reference_count", False),
        ("reference_denominator", True),
    ),
    Difference: (("current", False), ("previous", False)),
}


def _prepare(
    frame: pd.DataFrame,
    counts: Sequence[str] | str,
    derived: Mapping[Any, Any] | None,
    public: Sequence[str] | str,
    figures: Sequence[Figure],
) -> _Prepared:
    counts = [counts] if isinstance(counts, str) else list(counts)
    public = [public] if isinstance(public, str) else list(public)
    figures = tuple(figures)
    derived_map = _expand_derived(derived)
    for figure in figures:
        if type(figure) not in _FIGURE_ROLES:
            raise TypeError(f"figures must be Rate, Percentage, Ratio or Difference, got {figure!r}")
    outputs = [c for f in figures for c in f.outputs]
    declared = [*counts, *derived_map, *public, *outputs]
    duplicated = sorted({c for c in declared if declared.count(c) > 1})
    if duplicated:
        raise ValueError(
            f"columns declared more than once (as count, derived, figure or public): {duplicated}"
        )
    absent = [c for c in [*counts, *derived_map, *public] if c not in frame.columns]
    absent += [d for deps in derived_map.values() for d in deps if d not in frame.columns and d not in absent]
    if absent:
        raise ValueError(f"columns not found in the frame: {absent}")
    not_counts = sorted({d for deps in derived_map.values() for d in deps if d not in counts})
    if not_counts:
        raise ValueError(
            f"derived figures must rest on count columns; these are not declared as counts: {not_counts}"
        )
    for figure in figures:
        for attribute, may_be_public in _FIGURE_ROLES[type(figure)]:
            name = getattr(figure, attribute)
            allowed = counts + public if may_be_public else counts
            if name not in allowed:
                kind = "a count or public column" if may_be_public else "a count column"
                raise ValueError(
                    f"{type(figure).__name__} {figure.column!r}: {attribute} {name!r} must be {kind}"
                )
    undeclared = [
        c
        for c in frame.columns
        if c not in declared
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if undeclared:
        raise ValueError(
            f"numeric columns {undeclared} are not declared: pass each as a count, a derived figure or "
            "public so nothing is published without disclosure control"
        )
    if frame.columns.has_duplicates:
        raise ValueError("the frame has duplicate column names")
    n, k = len(frame), len(counts)
    raw = (
        np.column_stack([frame[c].to_numpy(dtype=float, na_value=np.nan) for c in counts])
        if k
        else np.empty((n, 0))
    )
    if (raw[~np.isnan(raw)] < 0).any() or np.isinf(raw).any():
        raise ValueError(f"count columns must hold finite numbers ≥ 0: {counts}")
    for column in public:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            numbers = values.to_numpy(dtype=float, na_value=np.nan)
            if (numbers[~np.isnan(numbers)] < 0).any():
                raise ValueError(f"public column {column!r} holds negative numbers")
    return _Prepared(frame, counts, public, derived_map, figures, raw, ~np.isnan(raw))


def _round_figure(values: np.ndarray, decimals: int | None) -> np.ndarray:
    return values if decimals is None else np.round(values, decimals)


def figure_values(
    figure: Figure, values: Mapping[str, np.ndarray], hidden: Mapping[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Compute one figure from published numbers.

    ``values`` maps each input column to its published values (floats, NaN where suppressed or
    missing); ``hidden`` maps each count input to a boolean array, True where it is suppressed. Returns
    the output columns (floats, NaN where there is no value) and a boolean array, True where the figure
    is suppressed. Used by :func:`publish_table` and, to check published figures, by
    :mod:`measures.attacks`.
    """
    from measures.stats import crude_rates, proportions, rate_ratios

    inputs = figure.inputs
    n = len(next(iter(values.values())))
    blank = np.zeros(n, dtype=bool)
    for name in inputs:
        if name in hidden:
            blank |= np.asarray(hidden[name], dtype=bool)
    arrays = [np.asarray(values[name], dtype=float) for name in inputs]
    usable = ~blank & np.logical_and.reduce([~np.isnan(a) for a in arrays])
    out = {c: np.full(n, np.nan) for c in figure.outputs}
    if isinstance(figure, Difference):
        out[figure.column][usable] = arrays[0][usable] - arrays[1][usable]
        return out, blank
    if isinstance(figure, Percentage):
        numerator, denominator = arrays
        small = usable & (denominator < figure.min_denominator)
        blank |= small
        usable &= ~small & (denominator > 0)
        if (numerator[usable] > denominator[usable]).any():
            raise ValueError(f"Percentage {figure.column!r}: a published numerator exceeds its denominator")
        estimates = proportions(numerator[usable], denominator[usable], confidence=figure.confidence)
        scale = 100.0
    elif isinstance(figure, Rate):
        numerator, denominator = arrays
        usable &= denominator > 0
        estimates = crude_rates(
            numerator[usable], denominator[usable], per=figure.per, confidence=figure.confidence
        )
        scale = 1.0
    else:
        a, na, b, nb = arrays
        usable &= (na > 0) & (nb > 0) & (b > 0)
        estimates = rate_ratios(a[usable], na[usable], b[usable], nb[usable], confidence=figure.confidence)
        scale = 1.0
    sources = {figure.column: "value", figure.lower: "lower", figure.upper: "upper"}
    for name in figure.outputs:
        column = estimates[sources[name]].to_numpy(dtype=float, na_value=np.nan) * scale
        out[name][usable] = _round_figure(column, figure.decimals)
    return out, blank


def _assemble(
    prep: _Prepared,
    policy: DisclosurePolicy,
    primary: np.ndarray,
    secondary: np.ndarray,
    notes: Sequence[str],
    derived_basis: str = "true",
) -> PublishedTable:
    frame, counts = prep.frame, prep.counts
    n = len(frame)
    hidden = primary | secondary
    published = frame.copy()
    rounded = _round_half_up(prep.raw, policy.base)
    for j, column in enumerate(counts):
        values = np.where(hidden[:, j] | ~prep.present[:, j], np.nan, rounded[:, j])
        published[column] = pd.array(values, dtype="Float64").astype("Int64")
    hidden_frame = pd.DataFrame(hidden, index=frame.index, columns=counts)
    mask = hidden_frame.copy()
    basis: dict[str, str] = {}
    derived_columns = dict(prep.derived)
    for column, deps in prep.derived.items():
        blank = hidden_frame[list(deps)].any(axis=1).to_numpy() if deps else np.zeros(n, dtype=bool)
        mask[column] = blank
        published[column] = frame[column].mask(blank)
        basis[column] = derived_basis
    numbers = {
        c: published[c].to_numpy(dtype=float, na_value=np.nan)
        for c in [*counts, *prep.public]
        if pd.api.types.is_numeric_dtype(published[c])
    }
    hidden_map = {c: hidden[:, j] for j, c in enumerate(counts)}
    for figure in prep.figures:
        outputs, blank = figure_values(figure, numbers, hidden_map)
        deps = figure.inputs
        for column, values in outputs.items():
            if isinstance(figure, Difference):
                published[column] = pd.array(values, dtype="Float64").astype("Int64")
            else:
                published[column] = values
            mask[column] = blank
            basis[column] = "published"
            derived_columns[column] = tuple(d for d in dict.fromkeys(deps) if d in counts)
    return PublishedTable(
        frame=published,
        policy=policy,
        count_columns=tuple(counts),
        derived_columns=derived_columns,
        public_columns=tuple(prep.public),
        primary=pd.DataFrame(primary, index=frame.index, columns=counts),
        secondary=pd.DataFrame(secondary, index=frame.index, columns=counts),
        mask=mask,
        suppressed_any=bool(mask.to_numpy().any()),
        notes=tuple(notes),
        figures=prep.figures,
        basis=basis,
        _seal=_SEAL,
    )


# ---------------------------------------------------------------------------------------------------------
# Releases: what was published together, for the adversarial tests
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """One call of :func:`publish_table` or :func:`publish_linked`: the true tables, their declared links
    and what was published. ``origin`` is the calling module and function (e.g. ``reports.pcref.coercion``),
    so the same release can be matched across views of a page."""

    origin: str
    specs: Mapping[str, TableSpec]
    links: tuple[Link, ...]
    published: Mapping[str, PublishedTable]


_recordings: list[list[Release]] = []


class recording:
    """Collect every :class:`Release` made inside the ``with`` block, from any thread (Streamlit runs a
    page in its own thread). Used by tests that attack everything a page published; costs nothing
    when no recording is open."""

    def __enter__(self) -> list[Release]:
        self.releases: list[Release] = []
        _recordings.append(self.releases)
        return self.releases

    def __exit__(self, *exc: object) -> None:
        _recordings.remove(self.releases)


def _origin() -> str:
    """The report function that asked for the release (the first caller in ``reports``, past the shared
    helpers), else the first caller outside this module."""
    import sys

    frame, first = sys._getframe(2), None
    while frame is not None:
        module = frame.f_globals.get("__name__", "?")
        if module != __name__ and first is None:
            first = f"{module}.{frame.f_code.co_name}"
        if module.startswith("reports.") and module != "reports.common":
            return f"{module}.{frame.f_code.co_name}"
        frame = frame.f_back
    return first or "?"


def _record(
    specs: Mapping[str, TableSpec], links: Sequence[Link], published: Mapping[str, PublishedTable]
) -> None:
    if _recordings:
        release = Release(_origin(), dict(specs), tuple(links), dict(published))
        for releases in list(_recordings):
            releases.append(release)


def publish_table(
    frame: pd.DataFrame,
    *,
    counts: Sequence[str],
    derived: Mapping[Any, Any] | None = None,
    public: Sequence[str] = (),
    policy: DisclosurePolicy = DEFAULT_POLICY,
    totals: Sequence[Totals | RowTotals | tuple[str, ...] | str] = (),
    figures: Sequence[Figure] = (),
    check: bool = False,
    derived_from_published: bool = False,
) -> PublishedTable:
    """Apply disclosure control to a frame and return the :class:`PublishedTable` components render.

    Parameters
    ----------
    counts
        Count columns: 0 stays 0, 1 to threshold−1 are suppressed, others rounded to ``policy.base``.
    figures
        Rates, percentages, ratios and differences for this module to compute from the *published*
        counts (:class:`Rate`, :class:`Percentage`, :class:`Ratio`, :class:`Difference`). Use these.
    derived
        Legacy: figures the caller computed from the true counts, each mapped to the count columns of the
        same row it rests on, e.g. ``{("rate", "lower", "upper"): ("detentions",)}``. A derived cell is
        blanked when any of its counts is suppressed, but its value is passed through, so it can reveal
        its counts (``basis`` marks it "true"). Prefer ``figures``.
    public
        Other numeric columns that may be shown as they are (e.g. census populations, a year).
    policy
        Threshold and rounding base.
    totals
        Groups of cells that add up to published totals, for secondary suppression: :class:`Totals`
        (long tables; a tuple of key columns is shorthand for ``Totals(by=...)``) and :class:`RowTotals`
        (wide tables).
    derived_from_published
        The caller states that its ``derived`` figures were computed from this table's counts as
        published (e.g. a directly standardised rate from age-band counts scaled to the published total,
        or figures that differ row by row); ``basis`` marks them ``"published by caller"`` rather than
        ``"true"``. Only for figures no :class:`Rate`, :class:`Percentage`, :class:`Ratio` or
        :class:`Difference` can express.
    check
        Also attack the result with :mod:`measures.attacks` and suppress further cells until nothing can
        be recovered or un-rounded from the table and its totals (as :func:`publish_linked` does).

    Every numeric column must be in ``counts``, ``figures``, ``derived`` or ``public``: an undeclared
    number raises ValueError rather than being published unexamined.
    """
    if check:
        spec = TableSpec(frame, counts, (), tuple(figures), public, totals, derived)
        return publish_linked({"table": spec}, policy=policy)["table"]
    prep = _prepare(frame, counts, derived, public, figures)
    derived_basis = "published by caller" if derived_from_published else "true"
    if _recordings:
        published = _assemble_table(prep, policy, frame, totals, derived_basis)
        _record({"table": TableSpec(frame, counts, (), tuple(figures), public, totals, derived)}, (),
                {"table": published})  # fmt: skip
        return published
    return _assemble_table(prep, policy, frame, totals, derived_basis)


def _assemble_table(
    prep: _Prepared, policy: DisclosurePolicy, frame: pd.DataFrame, totals, derived_basis: str = "true"
) -> PublishedTable:
    n, k = prep.raw.shape
    primary = prep.present & (prep.raw > 0) & (prep.raw < policy.threshold)
    groups = _cell_groups(frame, prep.counts, list(totals), prep.present.ravel())
    secondary_flat, unprotected = _secondary_suppression(
        np.nan_to_num(prep.raw).ravel(), primary.ravel(), groups
    )
    notes = [_unprotected_note(_group_label(frame, label)) for label in unprotected]
    return _assemble(prep, policy, primary, secondary_flat.reshape(n, k), notes, derived_basis)


def _unprotected_note(where: str) -> str:
    return (
        f"{where}: a suppressed cell is the only cell adding up to a published total; suppress that total too"
    )


def publish_linked(
    tables: Mapping[str, TableSpec],
    links: Sequence[Link] = (),
    *,
    policy: DisclosurePolicy = DEFAULT_POLICY,
    check: bool = True,
) -> dict[str, PublishedTable]:
    """Publish several tables that can be set against each other, consistently.

    ``tables`` maps a name to a :class:`TableSpec` (the raw counts and their declarations). ``links``
    declares how tables add up: :class:`Rollup` (broad vs detailed groups, teams vs service line vs
    trust, neighbourhoods vs borough, filtered vs unfiltered) and :class:`Equation` (anything linear,
    e.g. year on year). Steps:

    1. primary suppression of every count from 1 to ``threshold − 1``;
    2. secondary suppression: in every group of cells that add up (within a table: ``totals``; across
       tables: ``links``), a lone suppressed cell is joined by the group's next smallest non-zero cell,
       preferring parts to totals, until no group has exactly one;
    3. with ``check`` (the default), :func:`measures.attacks.attack` is run on the would-be
       publication with the true counts: every count it recovers (1 to ``threshold − 1``) or pins to
       one value (un-rounding) gets a further complementary suppression, until the attack finds
       nothing. Rounding alone does not always protect: Black 17 = Caribbean 8 + African 8 + Other 1
       publishes as 15 = 10 + 10 + "*", and 17 ≥ Black, Caribbean ≥ 8, African ≥ 8 pin Other to 1;
    4. figures are computed from the published counts.

    Returns a :class:`PublishedTable` per name. Any subset of rows or columns of the result may be
    shown (less information never lets more be worked out), so a page may filter afterwards.
    """
    preps = {
        name: _prepare(spec.frame, spec.counts, spec.derived, spec.public, spec.figures)
        for name, spec in tables.items()
    }
    offsets: dict[str, int] = {}
    total = 0
    for name, prep in preps.items():
        offsets[name] = total
        total += prep.raw.size
    values = np.concatenate([np.nan_to_num(p.raw).ravel() for p in preps.values()]) if total else np.zeros(0)
    present = np.concatenate([p.present.ravel() for p in preps.values()]) if total else np.zeros(0, bool)
    primary = present & (values > 0) & (values < policy.threshold)

    groups: list[tuple[Any, np.ndarray, np.ndarray]] = []
    labels: dict[int, str] = {}
    for name, prep in preps.items():
        for label, cells in _cell_groups(
            prep.frame, prep.counts, list(tables[name].totals), prep.present.ravel()
        ):
            key = len(groups)
            groups.append((key, cells + offsets[name], np.zeros(len(cells), dtype=bool)))
            labels[key] = f"{name}: {_group_label(prep.frame, label)}"
    from measures.attacks import link_groups  # here, not at the top: measures.attacks imports this module

    layout = {name: (prep.frame, tuple(tables[name].keys), prep.counts) for name, prep in preps.items()}
    for label, cells, is_total, complete in link_groups(layout, links, offsets):
        if complete:
            key = len(groups)
            keep = present[cells]
            groups.append((key, cells[keep], is_total[keep]))
            labels[key] = label
    secondary, unprotected = _secondary_suppression(values, primary, groups)
    notes = [_unprotected_note(labels[key]) for key in unprotected]
    if check and total:
        secondary, more = _attack_and_protect(
            tables, preps, links, offsets, values, present, primary, secondary, policy
        )
        notes += more
    out = {}
    for name, prep in preps.items():
        start, shape = offsets[name], prep.raw.shape
        end = start + prep.raw.size
        out[name] = _assemble(
            prep, policy, primary[start:end].reshape(shape), secondary[start:end].reshape(shape), notes
        )
    _record(tables, links, out)
    return out


def _attack_and_protect(
    tables: Mapping[str, TableSpec],
    preps: Mapping[str, _Prepared],
    links: Sequence[Link],
    offsets: Mapping[str, int],
    values: np.ndarray,
    present: np.ndarray,
    primary: np.ndarray,
    secondary: np.ndarray,
    policy: DisclosurePolicy,
) -> tuple[np.ndarray, list[str]]:
    """Attack the would-be publication with the true counts; add suppressions until nothing is found."""
    from measures.attacks import Publication

    secondary = secondary.copy()
    notes: list[str] = []
    for _ in range(int(present.sum()) + 1):
        hidden = primary | secondary
        publication = Publication(policy)
        for name, prep in preps.items():
            start = offsets[name]
            shown = prep.frame.copy()
            rounded = _round_half_up(prep.raw, policy.base)
            for j, column in enumerate(prep.counts):
                cells = start + np.arange(len(prep.frame)) * len(prep.counts) + j
                column_values = np.where(prep.present[:, j], rounded[:, j], np.nan).astype(object)
                column_values[hidden[cells]] = SUPPRESSED
                shown[column] = column_values
            truth = pd.DataFrame(prep.raw, index=prep.frame.index, columns=prep.counts)
            publication.add_table(
                name, shown, keys=tuple(tables[name].keys), counts=prep.counts, truth=truth,
                totals=tables[name].totals,
            )  # fmt: skip
        publication.link(*links)
        report = publication.attack()
        if report.inconsistent or report.contradictions:
            problems = [f.describe() for f in report.inconsistent] + list(report.contradictions)
            raise ValueError("the declared links do not hold for these counts: " + "; ".join(problems[:3]))
        problems = report.disclosures
        if not problems:
            return secondary, notes
        changed = False
        touched: set[tuple[Any, ...]] = set()  # cells of relations given a new suppression in this round
        for finding in problems:
            relations = {cell[:3] for relation in finding.related for cell in relation}
            if relations & touched:
                continue  # the next attack sees whether that suppression was enough
            choice = _complement(finding, preps, offsets, values, primary | secondary)
            if choice is None:
                notes.append(f"could not protect {finding.describe()}")
                continue
            if not (primary | secondary)[choice]:
                secondary[choice] = True
                changed = True
                touched |= relations or {(finding.table, finding.position, finding.column)}
        if not changed:
            return secondary, notes
    return secondary, notes


def _complement(finding: Any, preps: Mapping[str, _Prepared], offsets, values, hidden) -> int | None:
    """The cell to suppress against a finding: the smallest shown non-zero cell of a relation that pins it."""

    def flat(table: str, position: int, column: str) -> int:
        prep = preps[table]
        return offsets[table] + position * len(prep.counts) + prep.counts.index(column)

    own = flat(finding.table, finding.position, finding.column) if finding.position is not None else None
    candidates = []
    for relation in finding.related:
        for table, position, column, is_total in relation:
            cell = flat(table, position, column)
            if cell != own and not hidden[cell]:
                candidates.append((values[cell] == 0, bool(is_total), values[cell], cell))
    if candidates:
        return min(candidates)[3]
    if own is not None and not hidden[own]:
        return own
    return None


def publish_estimates(
    estimates: pd.DataFrame,
    *,
    policy: DisclosurePolicy = DEFAULT_POLICY,
    denominator_is_count: bool = True,
    public: Sequence[str] = (),
    totals: Sequence[Totals | RowTotals | tuple[str, ...] | str] = (),
    numerator: str = "numerator",
    denominator: str = "denominator",
    figures: Sequence[str] = ("value", "lower", "upper"),
) -> PublishedTable:
    """Publish a frame from :func:`measures.stats.crude_rates`, ``proportions`` or ``dsr_by_group``.

    The numerator is a count; the denominator is a count too (suppressed and rounded) unless
    ``denominator_is_count=False`` (e.g. a census population, published as it is). The value and its
    limits are suppressed with their counts. Extra numeric columns must be listed in ``public``.
    Not for rate-ratio frames, whose numerator and denominator are rates: use :func:`publish_table`
    with the underlying counts.
    """
    counts = [numerator, denominator] if denominator_is_count else [numerator]
    deps = tuple(counts)
    public_columns = list(public) if denominator_is_count else [denominator, *public]
    present = [f for f in figures if f in estimates.columns]
    return publish_table(
        estimates,
        counts=counts,
        derived={tuple(present): deps} if present else None,
        public=public_columns,
        policy=policy,
        totals=totals,
    )


# ---------------------------------------------------------------------------------------------------------
# CSV metadata
# ---------------------------------------------------------------------------------------------------------


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def _slug(text: Any) -> str:
    dashed = re.sub("[\u2010-\u2015\u2212]", "-", str(text))  # en dashes, minus signs: word breaks
    ascii_text = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class CsvMetadata:
    """What a downloaded CSV must say about itself: the header block and a safe file name.

    ``counts_of`` says whether the measure counts "events" or "people". ``filters`` are the choices
    that shaped the figures (e.g. ``{"sex": "Male", "age": "18-24"}``). ``figures_from_published`` should
    stay True: it states that rates and percentages were computed from the published counts, which is
    true only for figures made with ``figures=`` (not the legacy ``derived=``).
    """

    measure: str
    definition: str
    period: str
    filters: Mapping[str, Any] = field(default_factory=dict)
    policy: DisclosurePolicy = DEFAULT_POLICY
    extracted: str | date | datetime | None = None
    synthetic: bool = False
    counts_of: str | None = None
    source: str | None = None
    figures_from_published: bool = True

    def header(self) -> str:
        """Lines starting with "# " (``pandas.read_csv(..., comment="#")`` skips them)."""
        filters = "; ".join(f"{_one_line(k)} = {_one_line(v)}" for k, v in self.filters.items()) or "none"
        if isinstance(self.extracted, datetime):
            extracted = self.extracted.isoformat(timespec="minutes")
        elif isinstance(self.extracted, date):
            extracted = self.extracted.isoformat()
        else:
            extracted = _one_line(self.extracted) if self.extracted else "not recorded"
        rule = self.policy.describe()
        if self.figures_from_published:
            rule += (
                " Rates, percentages, ratios and their confidence intervals are computed from the published "
                "(rounded) counts, so they may differ slightly from figures computed from exact counts."
            )
        lines = [
            ("Measure", self.measure),
            ("Definition", self.definition),
            *([("Counts", self.counts_of)] if self.counts_of else []),
            ("Period", self.period),
            ("Filters", filters),
            ("Disclosure control", rule),
            ("Extract date", extracted),
            ("Data", "SYNTHETIC: not real patients, staff or census counts" if self.synthetic else "real"),
            *([("Source", self.source)] if self.source else []),
        ]
        return "\n".join(f"# {name}: {_one_line(value)}" for name, value in lines) + "\n"

    def file_name(self, suffix: str | None = None, *, extension: str = "csv", max_length: int = 120) -> str:
        """A safe file name: lower-case letters, digits and hyphens, "synthetic-" first for synthetic data."""
        head = [_slug(self.measure), _slug(self.period)]
        tail = [_slug(f"{k}-{v}") for k, v in self.filters.items()] + ([_slug(suffix)] if suffix else [])
        parts = (["synthetic"] if self.synthetic else []) + [p for p in head if p]
        stem = "-".join(parts) or "figures"
        for part in tail:
            if part and len(stem) + 1 + len(part) <= max_length:
                stem = f"{stem}-{part}"
        stem = stem[:max_length].rstrip("-")
        return f"{stem}.{_slug(extension) or 'csv'}"
