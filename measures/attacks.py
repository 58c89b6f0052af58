"""Attack engine: what can a reader with a calculator work out from everything that is published?

A :class:`Publication` collects published tables (pandas frames with their columns' roles: counts shown
as a number or "*", public numbers such as census populations, and figures — :class:`Rate`,
:class:`Percentage`, :class:`Ratio`, :class:`Difference` — shown to some number of decimals) and the links
between them (:class:`Rollup`, :class:`Equation`). :meth:`Publication.attack` treats every count as an
unknown whole number and narrows its feasible interval with everything published:

- a shown count ``c`` stands for the interval the policy rounds to ``c`` (5 → 5–7, 10 → 8–12); "*" and a
  count not shown at all stand for [0, ∞);
- a figure computed from the true counts constrains them: rate × denominator ÷ multiplier, percentage ×
  denominator, ratio × reference rate (interval arithmetic, using the shown precision), difference =
  current − previous. A figure computed from the *published* counts (checked by recomputing it) adds
  nothing and is not used;
- links are linear equations (broad − Σ detailed, total − Σ parts, service line − other teams, filtered
  against unfiltered, this year against last); bounds are propagated through them and then made exact
  with integer programming (:func:`scipy.optimize.milp`: the smallest and largest whole value of every
  linked count consistent with all of them).

It reports every count from 1 to ``threshold − 1`` that is shown or recovered (a "*" whose non-zero
feasible values are one number; an unpublished count pinned to one number), every count un-rounded
(a rounded or hidden count pinned to one value, when the policy rounds), and, for information, counts
narrowed below what their published form allows. Given the true counts, it says which findings are real
and checks that every true count lies in its interval (so a wrong declaration cannot hide a leak).

Used by :func:`measures.disclosure.publish_linked` to check its own output, and by the adversarial tests
over pages, CSVs and the board pack.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from measures.disclosure import (
    DEFAULT_POLICY,
    SUPPRESSED,
    CellRef,
    Difference,
    DisclosurePolicy,
    Equation,
    Figure,
    Percentage,
    PublishedTable,
    Rate,
    Ratio,
    Rollup,
    RowTotals,
    Totals,
    _cell_groups,
    figure_values,
)

__all__ = [
    "AttackReport",
    "CellRef",
    "Difference",
    "Equation",
    "Finding",
    "Percentage",
    "Publication",
    "Rate",
    "Ratio",
    "Rollup",
    "attack",
    "link_groups",
]

INF = math.inf
_EPS = 1e-7
SCREENING_ROUNDS = 3  # rounds of the smallest and largest sum of the unknowns still open
SCREENING_SOLUTIONS = 6  # then random objectives, to find more unknowns that need no exact bounds

#: Finding kinds, most serious first.
SHOWN = "shown"  # a count from 1 to threshold − 1 published as it is
RECOVERED = "recovered"  # a hidden count from 1 to threshold − 1 worked out exactly
UNROUNDED = "unrounded"  # a count pinned to one value where only a rounded (or no) value was published
NARROWED = "narrowed"  # information only: feasible values fewer than the published form allows
INCONSISTENT = "inconsistent"  # a true count outside its feasible interval: a declaration is wrong


@dataclass(frozen=True)
class Finding:
    """One thing the attack worked out about one count cell."""

    kind: str
    table: str
    row: Mapping[str, Any]
    column: str
    published: Any
    low: float
    high: float
    value: int | None
    true: float | None = None
    confirmed: bool | None = None
    via: tuple[str, ...] = ()
    position: int | None = None
    #: Cells of each linear relation this cell is in, as (table, position, column, is_total).
    related: tuple[tuple[tuple[str, int, str, bool], ...], ...] = field(default=(), repr=False)

    def describe(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.row.items())
        shown = "not shown" if self.published is None else repr(self.published)
        found = f"= {self.value}" if self.value is not None else f"in {_span(self.low, self.high)}"
        truth = "" if self.true is None else f" (true {self.true:g}{', confirmed' if self.confirmed else ''})"
        via = f" via {', '.join(self.via)}" if self.via else ""
        return (
            f"{self.kind}: {self.table}[{where}].{self.column} shown {shown}, worked out {found}{truth}{via}"
        )


def _span(low: float, high: float) -> str:
    return f"[{low:g}, {'∞' if high == INF else f'{high:g}'}]"


@dataclass(frozen=True)
class AttackReport:
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    #: Places where what is published cannot all be true under the declared links and policy: a wrong
    #: declaration (or a publication that is not what it claims), so the attack cannot be trusted.
    contradictions: tuple[str, ...] = ()

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    @property
    def shown(self) -> list[Finding]:
        return self.of(SHOWN)

    @property
    def recovered(self) -> list[Finding]:
        return self.of(RECOVERED)

    @property
    def unrounded(self) -> list[Finding]:
        return self.of(UNROUNDED)

    @property
    def narrowed(self) -> list[Finding]:
        return self.of(NARROWED)

    @property
    def inconsistent(self) -> list[Finding]:
        return self.of(INCONSISTENT)

    @property
    def disclosures(self) -> list[Finding]:
        """Small counts shown or recovered, and counts un-rounded: what disclosure control must prevent."""
        return [f for f in self.findings if f.kind in (SHOWN, RECOVERED, UNROUNDED)]

    @property
    def ok(self) -> bool:
        return not self.disclosures and not self.inconsistent and not self.contradictions

    def summary(self) -> str:
        counts = {k: len(self.of(k)) for k in (SHOWN, RECOVERED, UNROUNDED, NARROWED, INCONSISTENT)}
        lines = [", ".join(f"{n} {k}" for k, n in counts.items())]
        lines += [f.describe() for f in self.findings if f.kind != NARROWED]
        lines += list(self.contradictions) + list(self.notes)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Tables and links
# ---------------------------------------------------------------------------------------------------------


@dataclass
class _Table:
    name: str
    frame: pd.DataFrame
    keys: tuple[str, ...]
    counts: tuple[str, ...]
    public: tuple[str, ...]
    figures: tuple[Figure, ...]
    figures_from: str
    truth: pd.DataFrame | None
    policy: DisclosurePolicy
    totals: tuple[Any, ...]


def _rows(frame: pd.DataFrame, where: Sequence[tuple[str, tuple[Any, ...]]]) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for column, allowed in where:
        if column not in frame.columns:
            raise ValueError(f"a link selects rows by a column not in the table: {column!r}")
        keep &= frame[column].isin(list(allowed)).to_numpy()
    return np.flatnonzero(keep)


def _keys(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Each row's values of ``columns``, as tuples (read column by column: row-by-row reads of a pandas
    frame dominated the time to build a model)."""
    if not columns:
        return [()] * len(frame)
    return list(zip(*(frame[c].tolist() for c in columns), strict=True))


def link_groups(
    layout: Mapping[str, tuple[pd.DataFrame, Sequence[str], Sequence[str]]],
    links: Sequence[Rollup | Equation],
    offsets: Mapping[str, int],
) -> list[tuple[str, np.ndarray, np.ndarray, bool]]:
    """Expand links into groups of flat cells: ``(label, cells, is_total, complete)``.

    ``layout`` maps a table name to (frame, keys, count columns); a cell of table t at row position i
    and count column j has the flat index ``offsets[t] + i × len(counts) + j``. For an :class:`Equation`
    every term is a cell and ``is_total`` marks the positive terms.
    """
    groups = []
    for link, cells, coefficients, complete in _expand(layout, links):
        flat = np.array(
            [offsets[t] + p * len(layout[t][2]) + list(layout[t][2]).index(c) for t, p, c in cells],
            dtype=np.int64,
        )
        is_total = np.array([k > 0 for k in coefficients], dtype=bool)  # a roll-up's total has +1, parts −1
        groups.append((link.name, flat, is_total, complete))
    return groups


def _expand(
    layout: Mapping[str, tuple[pd.DataFrame, Sequence[str], Sequence[str]]],
    links: Sequence[Rollup | Equation],
) -> list[tuple[Rollup | Equation, list[tuple[str, int, str]], list[int], bool]]:
    """Each link as linear relations over cells (table, position, column) with whole coefficients.

    A Rollup gives, per total row and column, ``total − Σ parts (− rest) = 0``; the rest (when the
    rollup is incomplete) is not a cell and is left to the caller.
    """
    out = []
    for link in links:
        if isinstance(link, Equation):
            cells, coefficients = [], []
            for coefficient, ref in link.terms:
                frame, _, counts = _layout_of(layout, ref.table)
                if ref.column not in counts:
                    raise ValueError(f"{link.name}: {ref.column!r} is not a count column of {ref.table!r}")
                where = tuple((k, (v,)) for k, v in ref.row)
                matches = _rows(frame, where)
                if len(matches) != 1:
                    raise ValueError(
                        f"{link.name}: {dict(ref.row)} matches {len(matches)} rows of {ref.table!r}"
                    )
                cells.append((ref.table, int(matches[0]), ref.column))
                coefficients.append(coefficient)
            out.append((link, cells, coefficients, True))
            continue
        if not isinstance(link, Rollup):
            raise TypeError(f"links must be Rollup or Equation, got {link!r}")
        total_frame, _, total_counts = _layout_of(layout, link.total)
        parts_frame, _, parts_counts = _layout_of(layout, link.parts)
        pairs = link.columns or tuple((c, c) for c in parts_counts if c in total_counts)
        if not pairs:
            raise ValueError(f"{link.name}: the tables share no count columns; say which with columns=")
        for part_column, total_column in pairs:
            if part_column not in parts_counts or total_column not in total_counts:
                raise ValueError(f"{link.name}: {part_column!r} → {total_column!r} must be count columns")
        for part_column, total_column in link.on:
            if part_column not in parts_frame.columns or total_column not in total_frame.columns:
                raise ValueError(f"{link.name}: cannot match {part_column!r} to {total_column!r}")
        total_rows = _rows(total_frame, link.total_where)
        part_rows = _rows(parts_frame, link.parts_where)
        if link.total == link.parts:
            part_rows = np.setdiff1d(part_rows, total_rows)
        part_on = [p for p, _ in link.on]
        total_on = [t for _, t in link.on]
        part_keys, total_keys = _keys(parts_frame, part_on), _keys(total_frame, total_on)
        by_key: dict[tuple[Any, ...], list[int]] = {}
        for position in part_rows:
            by_key.setdefault(part_keys[position], []).append(int(position))
        for position in total_rows:
            members = by_key.get(total_keys[position], [])
            if not members and link.complete:
                continue
            for part_column, total_column in pairs:
                cells = [(link.total, int(position), total_column)] + [
                    (link.parts, m, part_column) for m in members
                ]
                out.append((link, cells, [1] + [-1] * len(members), link.complete))
    return out


def _layout_of(layout, name: str):
    if name not in layout:
        raise ValueError(f"a link names a table that was not added: {name!r}")
    return layout[name]


# ---------------------------------------------------------------------------------------------------------
# The model: whole-number unknowns with intervals, linear equations and products
# ---------------------------------------------------------------------------------------------------------


@dataclass
class _Var:
    table: str
    position: int | None
    row: Mapping[str, Any]
    column: str
    state: str  # "shown", "star", "unpublished", "rest"
    published: Any
    policy: DisclosurePolicy
    truth: float | None


@dataclass
class _Product:
    """``x × Π left = R × Π right``; terms are ("v", id) or ("c", value); R is an interval."""

    x: int
    left: list[tuple[str, float]]
    ratio: tuple[float, float]
    right: list[tuple[str, float]]
    label: str


def _mul(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    low = 0.0 if a[0] == 0 or b[0] == 0 else a[0] * b[0]
    high = 0.0 if a[1] == 0 or b[1] == 0 else a[1] * b[1]
    return low, high


def _div(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    low = 0.0 if b[1] == INF else a[0] / b[1]
    high = INF if b[0] == 0 else a[1] / b[0]
    return low, high


class _Samples:
    """Whole-number solutions of one linked block. An unknown they show taking two values is safe: a
    shown count is not pinned, and a hidden one taking two values, one of them 2 or more, is neither
    recovered nor pinned (a "*" seen only as 0 or 1 may still be a 1). Every solution stays a solution when
    bounds are tightened, because tightening only removes values no solution has."""

    def __init__(self) -> None:
        self.low: np.ndarray | None = None
        self.high: np.ndarray | None = None

    def add(self, x: np.ndarray) -> None:
        x = np.round(np.asarray(x, dtype=float))
        self.low = x.copy() if self.low is None else np.minimum(self.low, x)
        self.high = x.copy() if self.high is None else np.maximum(self.high, x)

    def show_safe(self, index: int, state: str) -> bool:
        if self.low is None or self.low[index] == self.high[index]:
            return False
        return state != "star" or self.high[index] >= 2


class _Model:
    def __init__(self) -> None:
        self.vars: list[_Var] = []
        self.low: list[float] = []
        self.high: list[float] = []
        self.start: list[tuple[float, float]] = []
        self.equations: list[tuple[list[tuple[int, int]], float, str]] = []
        self.products: list[_Product] = []
        self.via: list[set[str]] = []
        self.notes: list[str] = []
        self.contradictions: list[str] = []
        self.screen = True  # skip exact bounds of unknowns sample solutions show to be safe
        self._exact: dict[tuple[int, ...], tuple] = {}  # a block's bounds when its exact solve ended

    def add(self, var: _Var, low: float, high: float) -> int:
        self.vars.append(var)
        self.low.append(low)
        self.high.append(high)
        self.start.append((low, high))
        self.via.append(set())
        return len(self.vars) - 1

    def interval(self, term: tuple[str, float]) -> tuple[float, float]:
        kind, value = term
        return (self.low[int(value)], self.high[int(value)]) if kind == "v" else (value, value)

    def tighten(self, var: int, low: float, high: float, label: str) -> bool:
        low = math.ceil(low - _EPS) if low != -INF else self.low[var]
        high = math.floor(high + _EPS) if high != INF else INF
        new_low, new_high = max(self.low[var], low), min(self.high[var], high)
        if new_low > new_high:
            self.contradictions.append(f"contradiction at {self._name(var)} from {label}")
            return False
        if (new_low, new_high) == (self.low[var], self.high[var]):
            return False
        self.low[var], self.high[var] = new_low, new_high
        self.via[var].add(label)
        return True

    def _name(self, var: int) -> str:
        v = self.vars[var]
        return f"{v.table}[{', '.join(f'{k}={x}' for k, x in v.row.items())}].{v.column}"

    # -- propagation -------------------------------------------------------------------------------------

    def propagate_linear(self) -> bool:
        changed = False
        for terms, constant, label in self.equations:
            for i, (var, coefficient) in enumerate(terms):
                low = high = float(constant)  # coefficient × var = constant − Σ others
                for j, (other, c) in enumerate(terms):
                    if i == j:
                        continue
                    a, b = c * self.low[other], c * self.high[other] if self.high[other] != INF else c * INF
                    low -= max(a, b)
                    high -= min(a, b)
                bounds = sorted((low / coefficient, high / coefficient))
                lo, hi = bounds
                if math.isnan(lo) or math.isnan(hi):
                    continue
                changed |= self.tighten(var, lo, hi, label)
        return changed

    def propagate_products(self) -> bool:
        changed = False
        for product in self.products:
            left = (1.0, 1.0)
            for term in product.left:
                left = _mul(left, self.interval(term))
            right = product.ratio
            for term in product.right:
                right = _mul(right, self.interval(term))
            x = (self.low[product.x], self.high[product.x])
            changed |= self.tighten(product.x, *_div(right, left), product.label)
            for side, others in ((product.left, product.right), (product.right, product.left)):
                for term in side:
                    if term[0] != "v":
                        continue
                    rest = (1.0, 1.0)
                    for other in side:
                        if other is not term:
                            rest = _mul(rest, self.interval(other))
                    far = product.ratio
                    for other in others:
                        far = _mul(far, self.interval(other))
                    if side is product.left:  # term × rest × x = far
                        bound = _div(far, _mul(rest, x))
                    else:  # x × Π left = R × term × rest
                        near = (1.0, 1.0)
                        for other in product.left:
                            near = _mul(near, self.interval(other))
                        bound = _div(_mul(x, near), _mul(product.ratio, rest))
                    changed |= self.tighten(int(term[1]), *bound, product.label)
        return changed

    def solve_exact(self, limit: int = 3000) -> bool:
        """Smallest and largest whole value of every linked unknown, by integer programming."""
        if not self.equations:
            return False
        parent = list(range(len(self.vars)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for terms, _, _ in self.equations:
            for var, _ in terms[1:]:
                parent[find(var)] = find(terms[0][0])
        components: dict[int, list[int]] = {}
        for index, (terms, _, _) in enumerate(self.equations):
            components.setdefault(find(terms[0][0]), []).append(index)
        finite = [h for h in self.high if h != INF]
        cap = 10.0 * (sum(finite) + 1000.0)
        changed = False
        for equation_ids in components.values():
            members = sorted({v for e in equation_ids for v, _ in self.equations[e][0]})
            if len(members) > limit:
                self.notes.append(f"{len(members)} linked counts: exact bounds skipped, propagation only")
                continue
            column = {v: i for i, v in enumerate(members)}
            matrix = np.zeros((len(equation_ids), len(members)))
            rhs = np.zeros(len(equation_ids))
            labels = set()
            for row, e in enumerate(equation_ids):
                terms, constant, label = self.equations[e]
                for var, coefficient in terms:
                    matrix[row, column[var]] += coefficient
                rhs[row] = constant
                labels.add(label)
            block, before = tuple(members), self._bounds_of(members)
            if self._exact.get(block) == before:  # solved already, and nothing has tightened it since
                continue
            lows = np.array([self.low[v] for v in members])
            highs = np.array([min(self.high[v], cap) for v in members])
            constraint = LinearConstraint(matrix, rhs, rhs)
            bounds = Bounds(lows, highs)
            integrality = np.ones(len(members))
            samples = self._samples(members, constraint, bounds, integrality) if self.screen else _Samples()
            for v in members:
                if self.low[v] == self.high[v] or samples.show_safe(column[v], self.vars[v].state):
                    continue
                found = []
                for sign in (1.0, -1.0):
                    objective = np.zeros(len(members))
                    objective[column[v]] = sign
                    result = milp(objective, constraints=constraint, bounds=bounds, integrality=integrality)
                    if result.status == 2:
                        self.contradictions.append(
                            f"the links around {self._name(v)} have no whole-number solution"
                        )
                        found = []
                        break
                    if result.success and self.screen:  # a whole solution: it may show later unknowns safe
                        samples.add(result.x)
                    found.append(result.x[column[v]] if result.success else None)
                if len(found) < 2:
                    continue
                low = found[0] if found[0] is not None else self.low[v]
                high = found[1] if found[1] is not None else self.high[v]
                high = INF if high >= cap - 0.5 else high
                label = "linked totals: " + "; ".join(sorted(labels)[:3]) + ("; …" if len(labels) > 3 else "")
                if self.tighten(v, round(low), round(high) if high != INF else INF, label):
                    changed = True
                    lows[column[v]], highs[column[v]] = self.low[v], min(self.high[v], cap)
                    bounds = Bounds(lows, highs)
            self._exact[block] = self._bounds_of(members)
        return changed

    def _bounds_of(self, members: list[int]) -> tuple:
        return tuple((self.low[v], self.high[v]) for v in members)

    def _samples(self, members: list[int], constraint, bounds, integrality) -> _Samples:
        """Whole-number solutions that show many unknowns safe, so their exact bounds are not needed (see
        :class:`_Samples`): the true counts (when known), the smallest and largest sum of the unknowns not
        yet shown safe while that shows more, then the optima of a few random objectives. One integer
        programme each instead of two per unknown. Only used without product constraints (figures from
        true counts), where exact bounds of other unknowns could tighten a product."""
        samples = _Samples()
        if self.products:
            return samples
        truth = [self.vars[v].truth for v in members]
        if all(t is not None for t in truth):  # a solution only if every declaration holds for it
            x = np.array(truth, dtype=float)
            fits = np.all(bounds.lb - _EPS <= x) and np.all(x <= bounds.ub + _EPS)
            if fits and np.allclose(constraint.A @ x, constraint.lb):
                samples.add(x)

        def solve(objective) -> None:
            result = milp(objective, constraints=constraint, bounds=bounds, integrality=integrality)
            if result.success:
                samples.add(result.x)

        states = [self.vars[v].state for v in members]

        def still_open() -> list[int]:
            return [i for i, state in enumerate(states) if not samples.show_safe(i, state)]

        for _ in range(SCREENING_ROUNDS):  # push every open unknown down, then up, together
            open_ = still_open()
            if len(open_) <= 1:  # one unknown: its own two solves cost no more than a round
                return samples
            for sign in (1.0, -1.0):
                objective = np.zeros(len(members))
                objective[open_] = sign
                solve(objective)
            if len(still_open()) == len(open_):
                break
        rng = np.random.default_rng(len(members))
        fruitless = 0
        for _ in range(SCREENING_SOLUTIONS):  # then random directions, until two in a row show nothing
            open_ = still_open()
            if len(open_) <= 1 or fruitless == 2:
                break
            solve(rng.standard_normal(len(members)))
            fruitless = fruitless + 1 if len(still_open()) == len(open_) else 0
        return samples

    def solve(self, exact: bool = True, rounds: int = 50) -> None:
        for _ in range(rounds):
            for _ in range(rounds):
                if not (self.propagate_linear() | self.propagate_products()):
                    break
            if not exact or not self.solve_exact():
                break


# ---------------------------------------------------------------------------------------------------------
# The publication
# ---------------------------------------------------------------------------------------------------------


def _parse(value: Any) -> tuple[str, float | None]:
    """("star", None), ("unpublished", None) or ("shown", number) for one published cell."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "unpublished", None
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text == SUPPRESSED:
            return "star", None
        if text == "":
            return "unpublished", None
        return "shown", float(text)
    return "shown", float(value)


def _number(value: Any) -> float | None:
    state, number = _parse(value)
    return number if state == "shown" else None


class Publication:
    """Everything published in one view (or one whole product), with the links between its tables.

    >>> pub = Publication()
    >>> pub.add_table("area", frame, keys=["area"], counts=["events"], public=["residents"],
    ...               figures=[Rate("rate", "events", "residents")], figures_from="true")
    >>> report = pub.attack()
    """

    def __init__(self, policy: DisclosurePolicy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self.tables: dict[str, _Table] = {}
        self.links: list[Rollup | Equation] = []
        self.legacy_notes: list[str] = []

    def add_table(
        self,
        name: str,
        frame: pd.DataFrame,
        *,
        keys: Sequence[str] = (),
        counts: Sequence[str] = (),
        public: Sequence[str] = (),
        figures: Sequence[Figure] = (),
        figures_from: str = "published",
        truth: pd.DataFrame | None = None,
        policy: DisclosurePolicy | None = None,
        totals: Sequence[Totals | RowTotals | tuple[str, ...] | str] = (),
    ) -> Publication:
        """Add one published table.

        ``frame`` holds what a reader sees: counts as numbers (or text such as "1,234"), "*" where
        suppressed, missing where not shown; public columns as numbers; figure columns as the numbers
        shown (at the figure's ``decimals``; ``decimals=None`` means full precision, as in a CSV).
        ``figures_from`` says how the publisher computed the figures: ``"published"`` (from the shown
        counts: each is checked by recomputing it, and any that does not match is attacked as if computed
        from the true counts) or ``"true"``. ``truth`` (same index as ``frame``, the count columns with
        their true values) lets the report confirm findings. ``totals`` (needs ``truth``) says which
        cells add up to totals published elsewhere at their rounded value, as in ``publish_table``.
        """
        if name in self.tables:
            raise ValueError(f"table {name!r} added twice")
        if figures_from not in ("published", "true"):
            raise ValueError('figures_from must be "published" or "true"')
        missing = [c for c in [*keys, *counts, *public] if c not in frame.columns]
        if missing:
            raise ValueError(f"{name}: columns not in the frame: {missing}")
        if totals and truth is None:
            raise ValueError(f"{name}: totals published elsewhere need the true counts (truth=)")
        if truth is not None:
            absent = [c for c in counts if c not in truth.columns]
            if absent or not truth.index.equals(frame.index):
                raise ValueError(f"{name}: truth must have the frame's index and its count columns")
        self.tables[name] = _Table(
            name, frame.reset_index(drop=True), tuple(keys), tuple(counts), tuple(public), tuple(figures),
            figures_from, None if truth is None else truth.reset_index(drop=True), policy or self.policy,
            tuple(totals),
        )  # fmt: skip
        return self

    def add_published(
        self, name: str, table: PublishedTable, *, keys: Sequence[str] = (), truth: pd.DataFrame | None = None
    ) -> Publication:
        """Add a :class:`PublishedTable` as it would be exported. Figures computed by the disclosure stage
        are checked; legacy ``derived=`` columns (computed by the caller) cannot be checked without
        their formula: declare them by adding the exported frame with :meth:`add_table` instead."""
        legacy = [c for c, b in table.basis.items() if b == "true"]
        if legacy:
            self.legacy_notes.append(f"{name}: {legacy} were computed by the caller and were not attacked")
        return self.add_table(
            name, table.export_frame(), keys=keys, counts=table.count_columns, public=table.public_columns,
            figures=table.figures, truth=truth, policy=table.policy,
        )  # fmt: skip

    def link(self, *links: Rollup | Equation) -> Publication:
        self.links.extend(links)
        return self

    # -- building the model ------------------------------------------------------------------------------

    def _build(self) -> tuple[_Model, dict[tuple[str, int, str], int], dict[int, list[int]]]:
        model = _Model()
        ids: dict[tuple[str, int, str], int] = {}
        findings_at_parse: list[tuple[int, str]] = []
        for table in self.tables.values():
            keys = _keys(table.frame, table.keys)
            published = {c: table.frame[c].tolist() for c in table.counts}
            truths = None if table.truth is None else {c: table.truth[c].tolist() for c in table.counts}
            for position in range(len(table.frame)):
                row = dict(zip(table.keys, keys[position], strict=True)) if table.keys else {"row": position}
                for column in table.counts:
                    state, number = _parse(published[column][position])
                    truth = None
                    if truths is not None:
                        t = truths[column][position]
                        truth = None if pd.isna(t) else float(t)
                    var = _Var(table.name, position, row, column, state, number, table.policy, truth)
                    if state == "shown":
                        if number < 0:
                            raise ValueError(f"{table.name}: a negative count is published in {column!r}")
                        low, high = table.policy.interval(number)
                        if 0 < number < table.policy.threshold:
                            findings_at_parse.append((len(model.vars), SHOWN))
                        elif table.policy.base > 1 and low == high and number:
                            findings_at_parse.append((len(model.vars), UNROUNDED))
                    else:
                        low, high = 0.0, INF
                    ids[(table.name, position, column)] = model.add(var, low, high)
        self._parse_findings = findings_at_parse
        layout = {t.name: (t.frame, t.keys, t.counts) for t in self.tables.values()}
        relations: dict[int, list[int]] = {}
        for link, cells, coefficients, complete in _expand(layout, self.links):
            terms = [(ids[cell], k) for cell, k in zip(cells, coefficients, strict=True)]
            if not complete:
                total_var = model.vars[terms[0][0]]
                parts_truth = [model.vars[v].truth for v, _ in terms[1:]]
                rest_truth = (
                    None
                    if total_var.truth is None or any(t is None for t in parts_truth)
                    else total_var.truth - sum(parts_truth)
                )
                rest = model.add(
                    _Var(link.parts, None, {"rest of": link.total, **total_var.row}, total_var.column, "rest", None,
                         total_var.policy, rest_truth), 0.0, INF,
                )  # fmt: skip
                terms.append((rest, -1))
            constant = link.constant if isinstance(link, Equation) else 0
            self._add_equation(model, relations, terms, constant, link.name)
        for table in self.tables.values():
            if table.totals:
                self._add_totals(model, ids, relations, table)
        for table in self.tables.values():
            self._add_figures(model, ids, table)
        return model, ids, relations

    @staticmethod
    def _add_equation(model, relations, terms, constant, label) -> None:
        index = len(model.equations)
        model.equations.append((terms, float(constant), label))
        for var, _ in terms:
            relations.setdefault(var, []).append(index)

    def _add_totals(self, model, ids, relations, table: _Table) -> None:
        truth = table.truth
        raw = truth[list(table.counts)].to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(raw)
        k = len(table.counts)
        for label, cells in _cell_groups(
            table.frame, list(table.counts), list(table.totals), present.ravel()
        ):
            true_total = float(np.nansum(raw.ravel()[cells]))
            shown = table.policy.publish(true_total)
            column = table.counts[int(cells[0]) % k]
            var = _Var(table.name, None, {"total of": str(label)}, column, "star" if shown is None else "shown",
                       SUPPRESSED if shown is None else shown, table.policy, true_total)  # fmt: skip
            low, high = (0.0, INF) if shown is None else table.policy.interval(shown)
            total = model.add(var, low, high)
            terms = [(total, 1)] + [
                (ids[(table.name, int(c) // k, table.counts[int(c) % k])], -1) for c in cells
            ]
            self._add_equation(model, relations, terms, 0, f"{table.name} totals")

    def _add_figures(self, model: _Model, ids, table: _Table) -> None:
        frame = table.frame
        if not table.figures:
            return
        rows = range(len(frame))
        shown_numbers = {
            c: np.array([_number(v) if _number(v) is not None else np.nan for v in frame[c]], dtype=float)
            for c in [*table.counts, *table.public]
        }
        hidden = {c: np.array([_parse(v)[0] != "shown" for v in frame[c]]) for c in table.counts}
        for figure in table.figures:
            if figure.column not in frame.columns:
                continue
            displayed = np.array(
                [_number(v) if _number(v) is not None else np.nan for v in frame[figure.column]]
            )
            use_true = np.full(len(frame), table.figures_from == "true")
            if table.figures_from == "published":
                try:
                    expected, _ = figure_values(figure, shown_numbers, hidden)
                except ValueError as error:
                    model.notes.append(f"{table.name}.{figure.column}: cannot recompute ({error})")
                    expected = {figure.column: np.full(len(frame), np.nan)}
                tolerance = 0.5 * 10.0 ** -(figure.decimals or 0) if figure.decimals is not None else 1e-9
                recomputed = expected[figure.column]
                mismatch = ~np.isnan(displayed) & ~(
                    np.abs(recomputed - displayed) <= tolerance + 1e-9 * np.abs(displayed)
                )
                if mismatch.any():
                    model.notes.append(
                        f"{table.name}.{figure.column}: {int(mismatch.sum())} values do not match the published counts; "
                        "attacked as computed from the true counts"
                    )
                use_true = mismatch
            for position in rows:
                if not use_true[position] or np.isnan(displayed[position]):
                    continue
                self._add_figure_constraint(model, ids, table, figure, position, displayed[position])

    @staticmethod
    def _add_figure_constraint(
        model, ids, table: _Table, figure: Figure, position: int, shown: float
    ) -> None:
        half = 0.5 * 10.0**-figure.decimals if figure.decimals is not None else 0.0
        slack = half + 1e-9 * max(1.0, abs(shown))
        interval = (max(shown - slack, 0.0), shown + slack)
        label = f"{table.name}.{figure.column}"

        def term(column: str) -> tuple[str, float] | None:
            if column in table.counts:
                return ("v", ids[(table.name, position, column)])
            value = _number(table.frame[column].iloc[position])
            return None if value is None else ("c", value)

        if isinstance(figure, Difference):
            current, previous = (
                ids[(table.name, position, figure.current)],
                ids[(table.name, position, figure.previous)],
            )
            model.equations.append(([(current, 1), (previous, -1)], round(shown), label))
            return
        if isinstance(figure, (Rate, Percentage)):
            numerator, denominator = term(figure.numerator), term(figure.denominator)
            if numerator is None or denominator is None:
                return
            per = 100.0 if isinstance(figure, Percentage) else float(figure.per)
            model.products.append(_Product(int(numerator[1]), [("c", per)], interval, [denominator], label))
            return
        count, denominator = term(figure.count), term(figure.denominator)
        reference, reference_denominator = term(figure.reference_count), term(figure.reference_denominator)
        if None in (count, denominator, reference, reference_denominator):
            return
        # (a / na) / (b / nb) = R  ⇔  a × nb = R × b × na
        model.products.append(
            _Product(int(count[1]), [reference_denominator], interval, [reference, denominator], label)
        )

    # -- the attack --------------------------------------------------------------------------------------

    def attack(self, *, exact: bool = True) -> AttackReport:
        """Work out everything that can be worked out; report disclosures (see the module docstring)."""
        model, _, relations = self._build()
        model.solve(exact=exact)
        findings = []
        parse_kinds = dict(self._parse_findings)
        for index, var in enumerate(model.vars):
            low, high = model.low[index], model.high[index]
            kind, value = parse_kinds.get(index), None
            if kind is not None:
                value = int(var.published)
            else:
                kind, value = _classify(var, low, high, model.start[index])
            if var.truth is not None and not (low - _EPS <= var.truth <= high + _EPS):
                kind, value = INCONSISTENT, None
            if kind is None:
                continue
            related = tuple(
                tuple(
                    (model.vars[v].table, model.vars[v].position, model.vars[v].column, k > 0)
                    for v, k in model.equations[e][0]
                    if model.vars[v].position is not None
                )
                for e in relations.get(index, [])
            )
            confirmed = None if var.truth is None or value is None else bool(var.truth == value)
            shown = SUPPRESSED if var.state == "star" else var.published
            findings.append(
                Finding(
                    kind,
                    var.table,
                    dict(var.row),
                    var.column,
                    shown,
                    low,
                    high,
                    value,
                    var.truth,
                    confirmed,
                    tuple(sorted(model.via[index])),
                    var.position,
                    related,
                )
            )
        order = {SHOWN: 0, RECOVERED: 1, UNROUNDED: 2, INCONSISTENT: 3, NARROWED: 4}
        findings.sort(key=lambda f: order[f.kind])
        notes = [*model.notes, *self.legacy_notes]
        return AttackReport(tuple(findings), tuple(notes), tuple(dict.fromkeys(model.contradictions)))


def _classify(
    var: _Var, low: float, high: float, start: tuple[float, float]
) -> tuple[str | None, int | None]:
    threshold, base = var.policy.threshold, var.policy.base
    if var.state == "shown":
        if low == high and start[0] != start[1]:
            return UNROUNDED, int(low)
        if (low, high) != start:
            return NARROWED, None
        return None, None
    # hidden ("*"), not shown, or the unshown rest of an incomplete roll-up
    if var.state == "star" and 1 <= high < threshold and max(low, 1) == high:
        return RECOVERED, int(high)
    if low == high and low > 0:
        if low < threshold:
            return RECOVERED, int(low)
        if base > 1:
            return UNROUNDED, int(low)
        return None, None
    if high != INF and (low, high) != start:  # bounded: information only
        return NARROWED, None
    return None, None


def attack(publication: Publication, *, exact: bool = True) -> AttackReport:
    """Shorthand for :meth:`Publication.attack`."""
    return publication.attack(exact=exact)
