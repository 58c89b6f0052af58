"""Disclosure control: small-number suppression, rounding and secondary suppression.

Rules from DOMAIN.md §2.8. NHS England's Mental Health Act and MHSDS publications show counts of 1–4 as
"*" and round other counts to the nearest 5 (0 stays 0); HES/ECDS use 1–7. The threshold and the rounding
base are therefore a setting, :class:`DisclosurePolicy`, and every rate, percentage, ratio or CI whose
numerator or denominator is suppressed is suppressed too (the MHSDS rule).

Suppression is a stage, not a display trick (DESIGN.md §3): :func:`publish_table` is the only way to make
a :class:`PublishedTable`, and components accept only a PublishedTable, so no figure reaches a page, a
download or the board pack without passing through here. ``publish_table`` also insists that every
numeric column is declared as a count, a figure derived from counts, or public, so a new column cannot
slip through unexamined.

Secondary (complementary) suppression: the caller says which cells add up to a published total
(:class:`Totals` for cells sharing key values in a long table, :class:`RowTotals` for columns of a wide
table that add up across a row). Within each such group, if exactly one cell is suppressed, the next
smallest cell of the group is suppressed too (preferring a non-zero cell, since hiding a zero protects
little), repeating across all groups and both dimensions until nothing changes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_POLICY",
    "NO_SUPPRESSION",
    "SUPPRESSED",
    "DisclosurePolicy",
    "PublishedTable",
    "RowTotals",
    "Totals",
    "publish_count",
    "publish_counts",
    "publish_estimates",
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
            _seal=_SEAL,
        )

    def filter_rows(self, rows: Any) -> PublishedTable:
        """A published table with only some rows (a boolean mask or index labels). Safe: it only hides."""
        frame = self.frame.loc[rows]
        index = frame.index
        return self._replace(frame, self.primary.loc[index], self.secondary.loc[index], self.mask.loc[index])

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
        decimals: int | Mapping[str, int] = 1,
        thousands: bool = True,
        missing: str = "",
    ) -> pd.DataFrame:
        """All values as text for display: "*" where suppressed, ``missing`` where there is no value.

        Counts and other whole numbers get thousands separators; derived and other decimal columns are
        rounded to ``decimals`` places (one number, or a number per column).
        """
        out = {}
        for column in self.frame.columns:
            series = self.frame[column]
            places = decimals.get(column, 1) if isinstance(decimals, Mapping) else decimals
            text = _format_column(series, places, thousands, missing, whole=column in self.count_columns)
            if column in self.mask.columns:
                text = text.mask(self.mask[column].to_numpy(), SUPPRESSED)
            out[column] = text
        return pd.DataFrame(out, index=self.frame.index)

    def export_frame(self) -> pd.DataFrame:
        """The published values for export: exact numbers, "*" where suppressed, empty where missing."""
        out = self.frame.astype(object).where(self.frame.notna(), None)
        for column in self.mask.columns:
            out.loc[self.mask[column].to_numpy(), column] = SUPPRESSED
        return out

    def to_csv(self, path_or_buf: str | Path | io.TextIOBase | None = None, **kwargs: Any) -> str | None:
        """Write exactly the published values as CSV (suppressed cells as "*", no index by default).

        Returns the CSV text when no path or buffer is given.
        """
        kwargs.setdefault("index", False)
        return self.export_frame().to_csv(path_or_buf, **kwargs)


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
    values: np.ndarray, suppressed: np.ndarray, groups: list[tuple[GroupLabel, np.ndarray]]
) -> tuple[np.ndarray, list[GroupLabel]]:
    """Flat boolean array of secondary suppressions, and notes on groups that cannot be protected."""
    secondary = np.zeros_like(suppressed)
    current = suppressed.copy()
    changed = True
    while changed:
        changed = False
        for _, cells in groups:
            hidden = current[cells]
            if hidden.sum() != 1 or len(cells) < 2:
                continue
            candidates = cells[~hidden]
            candidate_values = values[candidates]
            non_zero = candidate_values > 0
            pool = candidates[non_zero] if non_zero.any() else candidates
            choice = pool[np.argmin(values[pool])]  # first of equal smallest
            current[choice] = True
            secondary[choice] = True
            changed = True
    unprotected = [label for label, cells in groups if len(cells) == 1 and current[cells].all()]
    return secondary, unprotected


def publish_table(
    frame: pd.DataFrame,
    *,
    counts: Sequence[str],
    derived: Mapping[Any, Any] | None = None,
    public: Sequence[str] = (),
    policy: DisclosurePolicy = DEFAULT_POLICY,
    totals: Sequence[Totals | RowTotals | tuple[str, ...] | str] = (),
) -> PublishedTable:
    """Apply disclosure control to a frame and return the :class:`PublishedTable` components render.

    Parameters
    ----------
    counts
        Count columns: 0 stays 0, 1 to threshold−1 are suppressed, others rounded to ``policy.base``.
    derived
        Figures computed from counts, each mapped to the count columns of the same row it rests on, e.g.
        ``{("rate", "lower", "upper"): ("detentions", "population")}``. A derived cell is suppressed when
        any of its counts is suppressed (primary or secondary). Derived values are not rounded.
    public
        Other numeric columns that may be shown as they are (e.g. census populations, a year).
    policy
        Threshold and rounding base.
    totals
        Groups of cells that add up to published totals, for secondary suppression: :class:`Totals`
        (long tables; a tuple of key columns is shorthand for ``Totals(by=...)``) and :class:`RowTotals`
        (wide tables).

    Every numeric column must be in ``counts``, ``derived`` or ``public``: an undeclared number raises
    ValueError rather than being published unexamined.
    """
    counts = [counts] if isinstance(counts, str) else list(counts)
    public = [public] if isinstance(public, str) else list(public)
    derived_map = _expand_derived(derived)
    declared = [*counts, *derived_map, *public]
    duplicated = sorted({c for c in declared if declared.count(c) > 1})
    if duplicated:
        raise ValueError(f"columns declared more than once (as count, derived or public): {duplicated}")
    absent = [c for c in declared if c not in frame.columns]
    absent += [d for deps in derived_map.values() for d in deps if d not in frame.columns and d not in absent]
    if absent:
        raise ValueError(f"columns not found in the frame: {absent}")
    not_counts = sorted({d for deps in derived_map.values() for d in deps if d not in counts})
    if not_counts:
        raise ValueError(
            f"derived figures must rest on count columns; these are not declared as counts: {not_counts}"
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
    present = ~np.isnan(raw)
    primary = present & (raw > 0) & (raw < policy.threshold)
    groups = _cell_groups(frame, counts, list(totals), present.ravel())
    secondary_flat, unprotected = _secondary_suppression(np.nan_to_num(raw).ravel(), primary.ravel(), groups)
    notes = [
        f"{_group_label(frame, label)}: a suppressed cell is the only cell adding up to a published total; "
        "suppress that total too"
        for label in unprotected
    ]
    secondary = secondary_flat.reshape(n, k)
    hidden = primary | secondary

    published = frame.copy()
    rounded = _round_half_up(raw, policy.base)
    for j, column in enumerate(counts):
        values = np.where(hidden[:, j] | ~present[:, j], np.nan, rounded[:, j])
        published[column] = pd.array(values, dtype="Float64").astype("Int64")
    hidden_frame = pd.DataFrame(hidden, index=frame.index, columns=counts)
    mask = hidden_frame.copy()
    for column, deps in derived_map.items():
        blank = hidden_frame[list(deps)].any(axis=1).to_numpy() if deps else np.zeros(n, dtype=bool)
        mask[column] = blank
        published[column] = frame[column].mask(blank)

    return PublishedTable(
        frame=published,
        policy=policy,
        count_columns=tuple(counts),
        derived_columns=dict(derived_map),
        public_columns=tuple(public),
        primary=pd.DataFrame(primary, index=frame.index, columns=counts),
        secondary=pd.DataFrame(secondary, index=frame.index, columns=counts),
        mask=mask,
        suppressed_any=bool(mask.to_numpy().any()),
        notes=tuple(notes),
        _seal=_SEAL,
    )


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
