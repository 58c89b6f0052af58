"""Rates, proportions, standardised rates and ratios with confidence intervals.

Every formula here is written from docs/methods.md (OHID/PHE Fingertips technical guidance as implemented
in PHEindicatormethods v2.1.0, and NHS England's Mental Health Act annual statistics):

- crude rate, Byar's CI (count ≥ 10) or exact chi-squared CI (count < 10): docs/methods.md
- proportion, Wilson score CI
- directly standardised rate, Dobson CI, 2013 European Standard Population
- indirectly standardised ratio and rate
- rate ratio with the log (Poisson) CI; ratio of DSRs with the approximate log CI
- NHS England MHA age/sex standardised rate with its normal-approximation half-width
- WRES relative likelihood (indicators 2–4, docs/methods.md), with a log-method CI that is our addition.

Each scalar function has a vectorised twin that takes columns (lists, numpy arrays or pandas Series) and
returns a DataFrame with the columns ``value, lower, upper, method, numerator, denominator``. The scalar
function calls the same array code on a one-element array, so the two agree exactly, bit for bit.

scipy is used only for the chi-squared (incomplete gamma) and normal quantiles, from scipy.special.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import gammainccinv, gammaincinv, ndtri

__all__ = [
    "ESP2013",
    "ESP2013_BANDS",
    "MHA_AGE_BANDS",
    "Estimate",
    "crude_rate",
    "crude_rates",
    "dsr",
    "dsr_by_group",
    "dsr_ratio",
    "esp2013",
    "esp2013_band",
    "isr_rate",
    "isr_ratio",
    "mha_standardised_rate",
    "mha_standardised_rates",
    "normalise_confidence",
    "proportion",
    "proportions",
    "rate_ratio",
    "rate_ratios",
    "relative_likelihood",
    "relative_likelihoods",
    "z_value",
]

# ---------------------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------------------

#: 2013 European Standard Population, 19 five-year bands 0–4 … 85–89, 90+ (sum 100,000), docs/methods.md
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

#: Labels of the ESP2013 bands, in order: "0-4", "5-9", …, "85-89", "90+".
ESP2013_BANDS: tuple[str, ...] = (*(f"{a}-{a + 4}" for a in range(0, 90, 5)), "90+")

#: Age bands of the NHS England MHA standardisation (docs/methods.md), crossed with sex (male, female).
MHA_AGE_BANDS: tuple[str, ...] = ("0-15", "16-17", "18-34", "35-49", "50-64", "65+")

#: Total count below which a DSR is not produced (docs/methods.md).
DSR_MIN_COUNT = 10

#: Count from which Byar's method replaces the exact method (docs/methods.md).
BYARS_MIN_COUNT = 10

METHOD_BYARS = "Byars"
METHOD_EXACT = "Exact"
METHOD_WILSON = "Wilson"
METHOD_DOBSON = "Dobson"
METHOD_DSR_NA = "dsr NA for total count < 10"
METHOD_RATE_RATIO = "Rate ratio, log (Poisson) method CI"
METHOD_RATE_RATIO_NO_CI = "Rate ratio; no CI because a count is 0"
METHOD_RATIO_UNDEFINED = "Not calculated: the reference group has no events"
METHOD_RELATIVE_LIKELIHOOD = "WRES relative likelihood; log-method CI is our addition, not part of WRES"
METHOD_RELATIVE_LIKELIHOOD_NO_CI = "WRES relative likelihood; no CI because a count is 0"
METHOD_DSR_RATIO = "Ratio of DSRs, approximate log-method CI (not an OHID-endorsed method)"
METHOD_MHA = "NHS England MHA standardisation (age x sex), normal-approximation CI"
METHOD_MHA_QUIRK = (
    "NHS England MHA standardisation (age x sex), normal-approximation CI, "
    "reproducing the published 16-17 CI omission"
)


def esp2013() -> dict[str, int]:
    """The ESP2013 standard as a mapping from band label ("0-4" … "90+") to weight."""
    return dict(zip(ESP2013_BANDS, ESP2013, strict=True))


def esp2013_band(age: float) -> str:
    """ESP2013 band label of an age in whole years, e.g. 37 → "35-39", 95 → "90+"."""
    if age is None or not math.isfinite(age) or age < 0:
        raise ValueError(f"age must be a non-negative number of years, got {age!r}")
    index = min(int(age) // 5, len(ESP2013_BANDS) - 1)
    return ESP2013_BANDS[index]


# ---------------------------------------------------------------------------------------------------------
# The result type
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """One estimate with its confidence interval and the inputs it rests on.

    ``value``, ``lower`` and ``upper`` are floats, or None when the method does not produce them
    (e.g. a DSR on fewer than 10 events, or no CI for a ratio with a zero count); ``method`` says
    which method was used or why nothing was produced.

    ``numerator`` and ``denominator`` are chosen so that the value is always
    ``numerator / denominator`` (times the multiplier): events and population for rates and
    proportions; the two rates (per 1) for a rate ratio; the two proportions for a relative
    likelihood; total events and total population for standardised rates (whose value is not
    simply their quotient; they are kept for context and disclosure control).
    """

    value: float | None
    lower: float | None
    upper: float | None
    method: str
    numerator: float | None
    denominator: float | None
    confidence: float | None = None

    @property
    def has_ci(self) -> bool:
        """True when both confidence limits were produced."""
        return self.lower is not None and self.upper is not None


# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


def normalise_confidence(confidence: float) -> float:
    """Return the confidence level as a fraction: 0.95 and 95 both give 0.95; 99.8 gives 0.998.

    Levels from 0.9 up to (not including) 1 are accepted, as in PHEindicatormethods.
    """
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.integer, np.floating)):
        raise TypeError(f"confidence must be a number such as 0.95 or 0.998, got {confidence!r}")
    level = float(confidence)
    if 90 <= level < 100:
        level = round(level / 100, 12)
    if not 0.9 <= level < 1:
        raise ValueError(
            "confidence must be between 0.9 and 1 (e.g. 0.95 or 0.998) or between 90 and 100 "
            f"(e.g. 95 or 99.8), got {confidence!r}"
        )
    return level


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile: 1.959964 for 0.95, 3.090232 for 0.998."""
    return _z(normalise_confidence(confidence))


def _z(level: float) -> float:
    return float(ndtri(level + (1 - level) / 2))


def _to_float_array(values: Any, name: str) -> np.ndarray:
    """Convert a scalar, list, numpy array or pandas Series to a 1-D float array (NA → NaN)."""
    if isinstance(values, (pd.Series, pd.Index)):
        array = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            array = pd.Series(values, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    return np.atleast_1d(array).astype(float, copy=False)


def _index_of(*columns: Any) -> pd.Index | None:
    for column in columns:
        if isinstance(column, pd.Series):
            return column.index
    return None


def _bad_positions(mask: np.ndarray, values: np.ndarray, limit: int = 5) -> str:
    positions = np.flatnonzero(mask)[:limit]
    shown = ", ".join(f"position {int(p)}: {values[p]!r}" for p in positions)
    more = "" if mask.sum() <= limit else f" and {int(mask.sum()) - limit} more"
    return shown + more


def _check_no_missing(values: np.ndarray, name: str) -> None:
    missing = np.isnan(values)
    if missing.any():
        raise ValueError(f"{name} must not be missing ({_bad_positions(missing, values)})")


def _check_non_negative(values: np.ndarray, name: str) -> None:
    _check_no_missing(values, name)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise ValueError(f"{name} must be a finite number ≥ 0 ({_bad_positions(bad, values)})")


def _check_positive(values: np.ndarray, name: str) -> None:
    _check_no_missing(values, name)
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        raise ValueError(f"{name} must be greater than 0 ({_bad_positions(bad, values)})")


def _same_length(**arrays: np.ndarray) -> int:
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"inputs must have the same length, got {lengths}")
    return next(iter(lengths.values()))


def _maybe(value: Any) -> float | None:
    """NaN → None, numpy float → float."""
    value = float(value)
    return None if math.isnan(value) else value


def _frame(
    value: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    method: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    index: pd.Index | None,
) -> dict[str, Any]:
    """The result columns as arrays (the scalar functions read element 0 without building a DataFrame)."""
    return {
        "value": value,
        "lower": lower,
        "upper": upper,
        "method": method,
        "numerator": numerator,
        "denominator": denominator,
        "index": index,
    }


def _dataframe(columns: dict[str, Any]) -> pd.DataFrame:
    data = {k: v for k, v in columns.items() if k != "index"}
    data["method"] = pd.array(np.asarray(data["method"], dtype=object), dtype="str")
    return pd.DataFrame(data, index=columns["index"])


def _estimate(columns: dict[str, Any], confidence: float | None) -> Estimate:
    return Estimate(
        value=_maybe(columns["value"][0]),
        lower=_maybe(columns["lower"][0]),
        upper=_maybe(columns["upper"][0]),
        method=str(columns["method"][0]),
        numerator=_maybe(columns["numerator"][0]),
        denominator=_maybe(columns["denominator"][0]),
        confidence=confidence,
    )


# ---------------------------------------------------------------------------------------------------------
# Limits for a Poisson count (docs/methods.md)
# ---------------------------------------------------------------------------------------------------------


def _byars_lower(count: np.ndarray, z: float) -> np.ndarray:
    """O · (1 − 1/(9O) − z/(3√O))³; undefined (NaN) at O = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return count * (1 - 1 / (9 * count) - z / (3 * np.sqrt(count))) ** 3


def _byars_upper(count: np.ndarray, z: float) -> np.ndarray:
    """(O+1) · (1 − 1/(9(O+1)) + z/(3√(O+1)))³."""
    following = count + 1
    return following * (1 - 1 / (9 * following) + z / (3 * np.sqrt(following))) ** 3


def _exact_lower(count: np.ndarray, level: float) -> np.ndarray:
    """χ²_{α/2}(2O) / 2, and 0 when O = 0."""
    out = np.zeros_like(count)
    positive = count > 0
    # χ²_q(2O)/2 is the q-quantile of a Gamma(O, 1): the regularised incomplete gamma inverse.
    out[positive] = gammaincinv(count[positive], (1 - level) / 2)
    return out


def _exact_upper(count: np.ndarray, level: float) -> np.ndarray:
    """χ²_{1−α/2}(2O+2) / 2."""
    # χ²_{1−α/2}(2O+2)/2, taken from the upper tail (α/2) to avoid cancellation.
    return gammainccinv(count + 1, (1 - level) / 2)


def _count_limits(count: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Limits for an observed count: Byar's when O ≥ 10, exact below. Returns (lower, upper, is_byars)."""
    z = _z(level)
    byars = count >= BYARS_MIN_COUNT
    lower = np.empty_like(count)
    upper = np.empty_like(count)
    lower[byars] = _byars_lower(count[byars], z)
    upper[byars] = _byars_upper(count[byars], z)
    exact = ~byars
    lower[exact] = _exact_lower(count[exact], level)
    upper[exact] = _exact_upper(count[exact], level)
    return lower, upper, byars


# ---------------------------------------------------------------------------------------------------------
# Crude rate (docs/methods.md)
# ---------------------------------------------------------------------------------------------------------


def crude_rates(
    counts: Any, populations: Any, *, per: float = 100_000, confidence: float = 0.95
) -> pd.DataFrame:
    """Crude rates per ``per`` with Byar's (count ≥ 10) or exact chi-squared (count < 10) limits.

    Vectorised form of :func:`crude_rate`. Counts of 0 (lower limit 0) and counts above the population
    are allowed; a missing or negative count, or a population ≤ 0, raises ValueError.
    """
    return _dataframe(_crude_rates(counts, populations, per=per, confidence=confidence))


def _crude_rates(
    counts: Any, populations: Any, *, per: float = 100_000, confidence: float = 0.95
) -> dict[str, Any]:
    level = normalise_confidence(confidence)
    count = _to_float_array(counts, "count")
    population = _to_float_array(populations, "population")
    _same_length(count=count, population=population)
    _check_non_negative(count, "count")
    _check_positive(population, "population")
    lower_count, upper_count, byars = _count_limits(count, level)
    scale = per / population
    return _frame(
        value=count * scale,
        lower=lower_count * scale,
        upper=upper_count * scale,
        method=np.where(byars, METHOD_BYARS, METHOD_EXACT),
        numerator=count,
        denominator=population,
        index=_index_of(counts, populations),
    )


def crude_rate(
    count: float, population: float, *, per: float = 100_000, confidence: float = 0.95
) -> Estimate:
    """Crude rate ``count / population × per`` with its confidence interval (docs/methods.md).

    The CI uses Byar's method when count ≥ 10 and the exact chi-squared method below 10
    (``method`` is "Byars" or "Exact"). ``confidence`` is 0.95 or 0.998 (or 95 / 99.8).

    >>> crude_rate(0, 1000, per=1000).upper  # 3.6889 events in 1,000
    3.6888794541139354
    """
    frame = _crude_rates([count], [population], per=per, confidence=confidence)
    return _estimate(frame, normalise_confidence(confidence))


# ---------------------------------------------------------------------------------------------------------
# Proportion (docs/methods.md)
# ---------------------------------------------------------------------------------------------------------


def proportions(counts: Any, denominators: Any, *, confidence: float = 0.95) -> pd.DataFrame:
    """Proportions with Wilson score limits, as fractions 0–1. Vectorised form of :func:`proportion`."""
    return _dataframe(_proportions(counts, denominators, confidence=confidence))


def _proportions(counts: Any, denominators: Any, *, confidence: float = 0.95) -> dict[str, Any]:
    level = normalise_confidence(confidence)
    z = _z(level)
    count = _to_float_array(counts, "count")
    n = _to_float_array(denominators, "denominator")
    _same_length(count=count, denominator=n)
    _check_non_negative(count, "count")
    _check_positive(n, "denominator")
    too_big = count > n
    if too_big.any():
        raise ValueError(
            f"count must not exceed the denominator ({_bad_positions(too_big, count)}; "
            f"denominators {n[too_big][:5].tolist()})"
        )
    p = count / n
    q = 1 - p
    root = z * np.sqrt(z**2 + 4 * count * q)
    lower = (2 * count + z**2 - root) / (2 * (n + z**2))
    upper = (2 * count + z**2 + root) / (2 * (n + z**2))
    # Guard against rounding at the ends (e.g. O = n giving 0.9999999999999999): 0 ≤ lower ≤ p ≤ upper ≤ 1.
    lower = np.clip(np.minimum(lower, p), 0.0, 1.0)
    upper = np.clip(np.maximum(upper, p), 0.0, 1.0)
    return _frame(
        value=p,
        lower=lower,
        upper=upper,
        method=np.full(len(p), METHOD_WILSON),
        numerator=count,
        denominator=n,
        index=_index_of(counts, denominators),
    )


def proportion(count: float, denominator: float, *, confidence: float = 0.95) -> Estimate:
    """Proportion ``count / denominator`` with the Wilson score interval (docs/methods.md).

    Value and limits are fractions 0–1 (multiply by 100 for a percentage). A count of 0 gives a lower
    limit of 0; a count above the denominator raises ValueError.
    """
    frame = _proportions([count], [denominator], confidence=confidence)
    return _estimate(frame, normalise_confidence(confidence))


# ---------------------------------------------------------------------------------------------------------
# Directly standardised rate (docs/methods.md)
# ---------------------------------------------------------------------------------------------------------


def _dsr_core(
    counts: np.ndarray, populations: np.ndarray, weights: np.ndarray, per: float, level: float
) -> dict[str, np.ndarray]:
    """DSR and Dobson limits for each row of a (groups × bands) matrix, plus the variance (per-1 scale)."""
    total_weight = weights.sum()
    rates = counts / populations
    value = (rates * weights).sum(axis=1) / total_weight * per
    variance = (weights**2 * counts / populations**2).sum(axis=1) / total_weight**2
    total = counts.sum(axis=1)
    produced = total >= DSR_MIN_COUNT
    lower = np.full(len(total), np.nan)
    upper = np.full(len(total), np.nan)
    z = _z(level)
    if produced.any():
        o = total[produced]
        spread = np.sqrt(variance[produced] / o)
        # Dobson: DSR + sqrt(var/O) × (O_lim − O) × multiplier, with Byar's limits of O.
        lower[produced] = value[produced] + spread * (_byars_lower(o, z) - o) * per
        upper[produced] = value[produced] + spread * (_byars_upper(o, z) - o) * per
    value = np.where(produced, value, np.nan)
    return {
        "value": value,
        "lower": lower,
        "upper": upper,
        "method": np.where(produced, METHOD_DOBSON, METHOD_DSR_NA),
        "numerator": total,
        "denominator": populations.sum(axis=1),
        "variance": np.where(produced, variance, np.nan),
    }


def _standard_weights(standard: Any) -> tuple[tuple[Hashable, ...] | None, np.ndarray]:
    """(band labels or None, weights) from a Mapping/Series (labelled) or a sequence (positional)."""
    if standard is None:
        return ESP2013_BANDS, np.asarray(ESP2013, dtype=float)
    if isinstance(standard, pd.Series):
        labels: tuple[Hashable, ...] | None = tuple(standard.index)
        weights = standard.to_numpy(dtype=float)
    elif isinstance(standard, Mapping):
        labels = tuple(standard.keys())
        weights = np.asarray(list(standard.values()), dtype=float)
    else:
        labels = None
        weights = np.asarray(standard, dtype=float)
    if weights.ndim != 1 or len(weights) == 0:
        raise ValueError("the standard population must be a non-empty list of weights")
    if np.isnan(weights).any() or (weights < 0).any():
        raise ValueError("standard population weights must be ≥ 0 and not missing")
    if weights.sum() <= 0:
        raise ValueError("standard population weights must not all be 0")
    if labels is not None and len(set(labels)) != len(labels):
        raise ValueError("standard population band labels must be unique")
    return labels, weights


def _dsr_inputs(counts: Any, populations: Any, standard: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _, weights = _standard_weights(standard)
    count = _to_float_array(counts, "counts")
    population = _to_float_array(populations, "populations")
    if not len(count) == len(population) == len(weights):
        raise ValueError(
            f"counts ({len(count)}), populations ({len(population)}) and the standard population "
            f"({len(weights)} bands) must have the same length"
        )
    count = np.where(np.isnan(count), 0.0, count)  # a missing count in a band is treated as 0
    _check_non_negative(count, "counts")
    _check_positive(population, "populations")
    return count, population, weights


def dsr(
    counts: Sequence[float],
    populations: Sequence[float],
    *,
    standard: Sequence[float] | Mapping[Hashable, float] | None = None,
    per: float = 100_000,
    confidence: float = 0.95,
) -> Estimate:
    """Directly standardised rate with the Dobson CI (docs/methods.md).

    ``counts`` and ``populations`` are per age band, in the order of ``standard`` (default ESP2013, 19
    bands 0–4 … 90+). Missing counts count as 0; populations must be > 0.
    When the total count is below 10, value and limits are None and ``method`` is
    "dsr NA for total count < 10".
    """
    level = normalise_confidence(confidence)
    count, population, weights = _dsr_inputs(counts, populations, standard)
    result = _dsr_core(count[np.newaxis, :], population[np.newaxis, :], weights, per, level)
    frame = _frame(
        *(result[k] for k in ("value", "lower", "upper", "method", "numerator", "denominator")), None
    )
    return _estimate(frame, level)


def _group_matrix(
    frame: pd.DataFrame,
    group_cols: Sequence[str],
    stratum_cols: Sequence[str],
    value_cols: Sequence[str],
    strata: Sequence[Hashable],
) -> tuple[pd.DataFrame, dict[str, np.ndarray], np.ndarray]:
    """Pivot long rows into (groups × strata) matrices, summing duplicates.

    Returns the group keys (one row per group, in first-seen order), a matrix per value column,
    and a boolean matrix saying which (group, stratum) cells had at least one row.
    """
    missing_cols = [c for c in [*group_cols, *stratum_cols, *value_cols] if c not in frame.columns]
    if missing_cols:
        raise ValueError(f"columns not found in the frame: {missing_cols}")
    if len(stratum_cols) == 1:
        keys = frame[stratum_cols[0]]
        stratum_index = pd.Index(list(strata))
        position = stratum_index.get_indexer(keys)
    else:
        stratum_index = pd.MultiIndex.from_tuples([tuple(s) for s in strata])
        position = stratum_index.get_indexer(pd.MultiIndex.from_frame(frame[list(stratum_cols)]))
    unknown = position < 0
    if unknown.any():
        values = frame.loc[unknown, list(stratum_cols)].drop_duplicates().head(5).to_numpy().tolist()
        raise ValueError(f"rows whose {', '.join(stratum_cols)} is not in the standard population: {values}")
    if group_cols:
        group_id = frame.groupby(list(group_cols), sort=False, dropna=False).ngroup().to_numpy()
        keys_frame = (
            frame[list(group_cols)]
            .assign(_g=group_id)
            .drop_duplicates("_g")
            .sort_values("_g")
            .drop(columns="_g")
        )
    else:
        group_id = np.zeros(len(frame), dtype=np.int64)
        keys_frame = pd.DataFrame(index=pd.RangeIndex(1 if len(frame) else 0))
    n_groups = int(group_id.max()) + 1 if len(frame) else 0
    k = len(strata)
    flat = group_id * k + position
    matrices = {}
    for col in value_cols:
        values = frame[col].to_numpy(dtype=float, na_value=np.nan)
        matrices[col] = np.bincount(flat, weights=values, minlength=n_groups * k).reshape(n_groups, k)
    present = np.bincount(flat, minlength=n_groups * k).reshape(n_groups, k) > 0
    return keys_frame.reset_index(drop=True), matrices, present


def dsr_by_group(
    frame: pd.DataFrame,
    group_cols: Sequence[str],
    age_col: str,
    count_col: str,
    pop_col: str,
    standard: Mapping[Hashable, float] | pd.Series | None = None,
    *,
    per: float = 100_000,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """DSRs with Dobson limits for many groups at once (vectorised :func:`dsr`).

    ``frame`` has one row per group and age band (rows repeated for a band, e.g. by sex, are summed).
    ``standard`` maps each age-band label in ``age_col`` to its weight (default: ESP2013 with labels
    "0-4" … "90+"; see :func:`esp2013_band`). Every group must have a row for every band with a
    positive weight, with a population > 0; missing counts count as 0.

    Returns one row per group: the group columns then value, lower, upper, method, numerator,
    denominator. Results equal :func:`dsr` on each group exactly.
    """
    level = normalise_confidence(confidence)
    group_cols = [group_cols] if isinstance(group_cols, str) else list(group_cols)
    if standard is None:
        standard = esp2013()
    labels, weights = _standard_weights(standard)
    if labels is None:
        raise ValueError("for dsr_by_group the standard must map age-band labels to weights")
    counts_frame = frame.assign(**{count_col: frame[count_col].fillna(0)}) if len(frame) else frame
    keys, matrices, present = _group_matrix(counts_frame, group_cols, [age_col], [count_col, pop_col], labels)
    count, population = matrices[count_col], matrices[pop_col]
    needed = weights > 0
    gaps = ~present & needed[np.newaxis, :]
    if gaps.any():
        g, b = np.nonzero(gaps)
        examples = [
            f"{keys.iloc[i].to_dict()} band {labels[j]!r}" for i, j in list(zip(g, b, strict=True))[:5]
        ]
        raise ValueError(f"groups missing an age band of the standard population: {examples}")
    _check_non_negative(count[present], count_col)
    _check_positive(population[present], pop_col)
    # Bands with weight 0 contribute nothing; give absent ones a dummy population to avoid 0/0.
    population = np.where(needed[np.newaxis, :] | present, population, 1.0)
    result = _dsr_core(count, population, weights, per, level)
    out = _dataframe(
        _frame(*(result[k] for k in ("value", "lower", "upper", "method", "numerator", "denominator")), None)
    )
    return pd.concat([keys, out], axis=1)


def dsr_ratio(
    counts_a: Sequence[float],
    populations_a: Sequence[float],
    counts_b: Sequence[float],
    populations_b: Sequence[float],
    *,
    standard: Sequence[float] | Mapping[Hashable, float] | None = None,
    confidence: float = 0.95,
) -> Estimate:
    """Ratio of two DSRs (a / b) with the approximate log CI of docs/methods.md

    SE(ln ratio) ≈ √(var_a/DSR_a² + var_b/DSR_b²). This CI is **not** an OHID-endorsed method and
    ``method`` says so; show it as approximate. Nothing is produced if either DSR is not (total < 10).
    ``numerator`` and ``denominator`` are the two DSRs per 1 person.
    """
    level = normalise_confidence(confidence)
    z = _z(level)
    parts = []
    for counts, populations in ((counts_a, populations_a), (counts_b, populations_b)):
        count, population, weights = _dsr_inputs(counts, populations, standard)
        parts.append(_dsr_core(count[np.newaxis, :], population[np.newaxis, :], weights, 1.0, level))
    a, b = parts
    dsr_a, dsr_b = float(a["value"][0]), float(b["value"][0])
    if math.isnan(dsr_a) or math.isnan(dsr_b):
        return Estimate(
            None, None, None, f"Not calculated: {METHOD_DSR_NA}", _maybe(dsr_a), _maybe(dsr_b), level
        )
    if dsr_b == 0:
        return Estimate(None, None, None, METHOD_RATIO_UNDEFINED, dsr_a, dsr_b, level)
    ratio = dsr_a / dsr_b
    if dsr_a == 0:
        return Estimate(
            ratio, None, None, f"{METHOD_DSR_RATIO}; no CI because a DSR is 0", dsr_a, dsr_b, level
        )
    se = math.sqrt(float(a["variance"][0]) / dsr_a**2 + float(b["variance"][0]) / dsr_b**2)
    lower = math.exp(math.log(ratio) - z * se)
    upper = math.exp(math.log(ratio) + z * se)
    return Estimate(ratio, lower, upper, METHOD_DSR_RATIO, dsr_a, dsr_b, level)


# ---------------------------------------------------------------------------------------------------------
# Indirectly standardised ratio and rate (docs/methods.md)
# ---------------------------------------------------------------------------------------------------------


def _isr_parts(
    observed: float | Sequence[float],
    populations: Sequence[float],
    reference_counts: Sequence[float],
    reference_populations: Sequence[float],
) -> tuple[float, float, float]:
    obs = _to_float_array(observed, "observed")
    obs = np.where(np.isnan(obs), 0.0, obs)
    _check_non_negative(obs, "observed")
    n = _to_float_array(populations, "populations")
    x_ref = _to_float_array(reference_counts, "reference_counts")
    n_ref = _to_float_array(reference_populations, "reference_populations")
    _same_length(populations=n, reference_counts=x_ref, reference_populations=n_ref)
    _check_non_negative(n, "populations")
    _check_non_negative(x_ref, "reference_counts")
    _check_positive(n_ref, "reference_populations")
    expected = float((n * x_ref / n_ref).sum())
    if expected <= 0:
        raise ValueError("the expected count is 0: the reference rates or the populations are all 0")
    reference_rate = float(x_ref.sum() / n_ref.sum())
    return float(obs.sum()), expected, reference_rate


def isr_ratio(
    observed: float | Sequence[float],
    populations: Sequence[float],
    reference_counts: Sequence[float],
    reference_populations: Sequence[float],
    *,
    multiplier: float = 1,
    confidence: float = 0.95,
) -> Estimate:
    """Indirectly standardised ratio O/E × multiplier (docs/methods.md).

    E = Σ n_i × (reference count_i / reference population_i) over the age bands. ``observed`` is the
    total count or the counts by band (summed). The CI is the Byar's (O ≥ 10) or exact (O < 10) CI of
    O divided by E. ``numerator`` is O and ``denominator`` is E.
    """
    level = normalise_confidence(confidence)
    o, expected, _ = _isr_parts(observed, populations, reference_counts, reference_populations)
    lower, upper, byars = _count_limits(np.array([o]), level)
    scale = multiplier / expected
    return Estimate(
        value=o * scale,
        lower=float(lower[0]) * scale,
        upper=float(upper[0]) * scale,
        method=METHOD_BYARS if byars[0] else METHOD_EXACT,
        numerator=o,
        denominator=expected,
        confidence=level,
    )


def isr_rate(
    observed: float | Sequence[float],
    populations: Sequence[float],
    reference_counts: Sequence[float],
    reference_populations: Sequence[float],
    *,
    per: float = 100_000,
    confidence: float = 0.95,
) -> Estimate:
    """Indirectly standardised rate O/E × reference crude rate × per (docs/methods.md).

    The reference crude rate is Σ reference counts / Σ reference populations. Limits are scaled from
    the Byar's/exact limits of O in the same way. ``numerator`` is O and ``denominator`` is E.
    """
    level = normalise_confidence(confidence)
    o, expected, reference_rate = _isr_parts(observed, populations, reference_counts, reference_populations)
    lower, upper, byars = _count_limits(np.array([o]), level)
    scale = reference_rate * per / expected
    return Estimate(
        value=o * scale,
        lower=float(lower[0]) * scale,
        upper=float(upper[0]) * scale,
        method=METHOD_BYARS if byars[0] else METHOD_EXACT,
        numerator=o,
        denominator=expected,
        confidence=level,
    )


# ---------------------------------------------------------------------------------------------------------
# Rate ratio and WRES relative likelihood (docs/methods.md)
# ---------------------------------------------------------------------------------------------------------


def _log_ratio_columns(
    ratio: np.ndarray,
    variance: np.ndarray,
    has_ci: np.ndarray,
    defined: np.ndarray,
    z: float,
    labels: tuple[str, str, str],
    numerator: np.ndarray,
    denominator: np.ndarray,
    index: pd.Index | None,
) -> dict[str, Any]:
    value = np.where(defined, ratio, np.nan)
    lower = np.full(len(value), np.nan)
    upper = np.full(len(value), np.nan)
    se = np.sqrt(variance[has_ci])
    log_ratio = np.log(ratio[has_ci])
    lower[has_ci] = np.exp(log_ratio - z * se)
    upper[has_ci] = np.exp(log_ratio + z * se)
    with_ci, without_ci, undefined = labels
    method = np.where(has_ci, with_ci, np.where(defined, without_ci, undefined))
    return _frame(value, lower, upper, method, numerator, denominator, index)


def rate_ratios(
    count_a: Any, population_a: Any, count_b: Any, population_b: Any, *, confidence: float = 0.95
) -> pd.DataFrame:
    """Rate ratios (a/b) with log-method limits; vectorised form of :func:`rate_ratio`."""
    return _dataframe(_rate_ratios(count_a, population_a, count_b, population_b, confidence=confidence))


def _rate_ratios(
    count_a: Any, population_a: Any, count_b: Any, population_b: Any, *, confidence: float = 0.95
) -> dict[str, Any]:
    level = normalise_confidence(confidence)
    z = _z(level)
    a = _to_float_array(count_a, "count_a")
    na = _to_float_array(population_a, "population_a")
    b = _to_float_array(count_b, "count_b")
    nb = _to_float_array(population_b, "population_b")
    _same_length(count_a=a, population_a=na, count_b=b, population_b=nb)
    _check_non_negative(a, "count_a")
    _check_non_negative(b, "count_b")
    _check_positive(na, "population_a")
    _check_positive(nb, "population_b")
    rate_a = a / na
    rate_b = b / nb
    defined = b > 0
    has_ci = defined & (a > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rate_a / rate_b
        variance = 1 / a + 1 / b
    return _log_ratio_columns(
        ratio,
        variance,
        has_ci,
        defined,
        z,
        (METHOD_RATE_RATIO, METHOD_RATE_RATIO_NO_CI, METHOD_RATIO_UNDEFINED),
        rate_a,
        rate_b,
        _index_of(count_a, population_a, count_b, population_b),
    )


def rate_ratio(
    count_a: float, population_a: float, count_b: float, population_b: float, *, confidence: float = 0.95
) -> Estimate:
    """Ratio of the crude rates of group a and reference group b, with the log (Poisson) CI.

    RR = (a/n_a)/(b/n_b); SE(ln RR) = √(1/a + 1/b); CI = exp(ln RR ± z·SE) (docs/methods.md).
    No CI when either count is 0; no value when b is 0. ``numerator`` and ``denominator`` are the two
    rates per 1 person. Neither OHID nor NHS England publishes a CI for this ratio: the log method is the
    standard textbook one.
    """
    frame = _rate_ratios([count_a], [population_a], [count_b], [population_b], confidence=confidence)
    return _estimate(frame, normalise_confidence(confidence))


def relative_likelihoods(
    events_a: Any, total_a: Any, events_b: Any, total_b: Any, *, confidence: float = 0.95
) -> pd.DataFrame:
    """WRES relative likelihoods (a vs b) with log-method limits; vectorised :func:`relative_likelihood`."""
    return _dataframe(_relative_likelihoods(events_a, total_a, events_b, total_b, confidence=confidence))


def _relative_likelihoods(
    events_a: Any, total_a: Any, events_b: Any, total_b: Any, *, confidence: float = 0.95
) -> dict[str, Any]:
    level = normalise_confidence(confidence)
    z = _z(level)
    a = _to_float_array(events_a, "events_a")
    na = _to_float_array(total_a, "total_a")
    b = _to_float_array(events_b, "events_b")
    nb = _to_float_array(total_b, "total_b")
    _same_length(events_a=a, total_a=na, events_b=b, total_b=nb)
    for values, name in ((a, "events_a"), (b, "events_b")):
        _check_non_negative(values, name)
    for values, name in ((na, "total_a"), (nb, "total_b")):
        _check_positive(values, name)
    for events, total, name in ((a, na, "events_a"), (b, nb, "events_b")):
        too_big = events > total
        if too_big.any():
            raise ValueError(f"{name} must not exceed its total ({_bad_positions(too_big, events)})")
    p_a = a / na
    p_b = b / nb
    defined = b > 0
    has_ci = defined & (a > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = p_a / p_b
        variance = np.maximum(1 / a - 1 / na + 1 / b - 1 / nb, 0.0)
    return _log_ratio_columns(
        ratio,
        variance,
        has_ci,
        defined,
        z,
        (METHOD_RELATIVE_LIKELIHOOD, METHOD_RELATIVE_LIKELIHOOD_NO_CI, METHOD_RATIO_UNDEFINED),
        p_a,
        p_b,
        _index_of(events_a, total_a, events_b, total_b),
    )


def relative_likelihood(
    events_a: float, total_a: float, events_b: float, total_b: float, *, confidence: float = 0.95
) -> Estimate:
    """WRES relative likelihood (events_a/total_a) / (events_b/total_b) (docs/methods.md).

    Indicator 2: a = White appointed/shortlisted, b = BME; indicator 3: a = BME entering the formal
    disciplinary process/headcount, b = White; indicator 4: a = White accessing non-mandatory
    training/headcount, b = BME. WRES publishes no CI: the log-method CI for a ratio of proportions,
    SE = √(1/a − 1/n_a + 1/b − 1/n_b), is our addition and ``method`` says so. No CI when either count is
    0; no value when events_b is 0. ``numerator`` and ``denominator`` are the two proportions.
    """
    frame = _relative_likelihoods([events_a], [total_a], [events_b], [total_b], confidence=confidence)
    return _estimate(frame, normalise_confidence(confidence))


# ---------------------------------------------------------------------------------------------------------
# NHS England Mental Health Act standardised rate (docs/methods.md)
# ---------------------------------------------------------------------------------------------------------


def _mha_z(level: float) -> float:
    # The published SQL multiplies by the literal 1.96; other levels use the exact normal quantile.
    return 1.96 if level == 0.95 else _z(level)


def _is_16_17(key: Hashable) -> bool:
    parts = key if isinstance(key, tuple) else (key,)
    for part in parts:
        text = str(part).replace("–", "-").replace(" to ", "-").replace(" ", "")
        if text == "16-17":
            return True
    return False


def _mha_core(
    counts: np.ndarray,
    populations: np.ndarray,
    weights: np.ndarray,
    ci_weights: np.ndarray,
    per: float,
    z: float,
    method: str,
) -> dict[str, np.ndarray]:
    rates = counts / populations
    value = (rates * weights).sum(axis=1) * per
    half_width = z * np.sqrt((ci_weights**2 * rates * (1 - rates) / populations).sum(axis=1)) * per
    return {
        "value": value,
        "lower": value - half_width,
        "upper": value + half_width,
        "method": np.full(len(value), method),
        "numerator": counts.sum(axis=1),
        "denominator": populations.sum(axis=1),
    }


def _mha_weights(
    standard: Mapping[Hashable, float] | pd.Series, quirk: bool
) -> tuple[list, np.ndarray, np.ndarray]:
    if isinstance(standard, pd.Series):
        keys = list(standard.index)
        std = standard.to_numpy(dtype=float)
    elif isinstance(standard, Mapping):
        keys = list(standard.keys())
        std = np.asarray(list(standard.values()), dtype=float)
    else:
        raise TypeError("standard must map each (sex, age band) stratum to its England population")
    if len(set(keys)) != len(keys):
        raise ValueError("standard population strata must be unique")
    if np.isnan(std).any() or (std < 0).any() or std.sum() <= 0:
        raise ValueError("standard populations must be ≥ 0, not missing, and not all 0")
    weights = std / std.sum()
    ci_weights = weights.copy()
    if quirk:
        drop = np.array([_is_16_17(k) for k in keys])
        if not drop.any():
            raise ValueError("reproduce_16_17_ci_quirk=True but no stratum is labelled 16-17")
        ci_weights[drop] = 0.0
    return keys, weights, ci_weights


def _aligned(
    values: Mapping[Hashable, float] | pd.Series, keys: list, name: str, fill: float | None
) -> np.ndarray:
    lookup = dict(values.items())
    extra = [k for k in lookup if k not in set(keys)]
    if extra:
        raise ValueError(f"{name} has strata that are not in the standard population: {extra[:5]}")
    out = []
    for key in keys:
        value = lookup.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            if fill is None:
                raise ValueError(f"{name} is missing stratum {key!r}")
            value = fill
        out.append(float(value))
    return np.asarray(out, dtype=float)


def mha_standardised_rate(
    counts: Mapping[Hashable, float] | pd.Series,
    populations: Mapping[Hashable, float] | pd.Series,
    standard: Mapping[Hashable, float] | pd.Series,
    *,
    per: float = 100_000,
    confidence: float = 0.95,
    reproduce_16_17_ci_quirk: bool = False,
) -> Estimate:
    """Age/sex standardised rate as NHS England's Mental Health Act statistics compute it (docs/methods.md).

    All three inputs are keyed by stratum, e.g. ``("Female", "16-17")`` (sex × the six bands of
    :data:`MHA_AGE_BANDS`); ``standard`` holds England's population per stratum (all ethnic groups),
    supplied by the caller. With r_s = count_s / pop_s and W_s = standard_s / Σ standard:

    - SR = Σ r_s · W_s × per
    - half-width = z · √(Σ W_s² · r_s(1 − r_s) / pop_s) × per (normal approximation with binomial
      variance, **not** Dobson); z is the literal 1.96 at 95%, as in the published SQL.

    The published code drops the 16–17 strata when it builds the standard for the CI term, so those
    strata add to the rate but not to the CI (the weights of the other strata are unchanged: our
    reading of the SQL). Set ``reproduce_16_17_ci_quirk=True`` to reproduce published figures; the
    default gives the CI as the formula intends. The strata are found by a key (or key part) "16-17".

    Missing counts count as 0; every stratum of the standard needs a population > 0. The lower limit is
    not floored at 0, as published. ``numerator``/``denominator`` are total count and population.
    """
    level = normalise_confidence(confidence)
    keys, weights, ci_weights = _mha_weights(standard, reproduce_16_17_ci_quirk)
    count = _aligned(counts, keys, "counts", fill=0.0)
    population = _aligned(populations, keys, "populations", fill=None)
    _check_non_negative(count, "counts")
    _check_positive(population, "populations")
    method = METHOD_MHA_QUIRK if reproduce_16_17_ci_quirk else METHOD_MHA
    result = _mha_core(
        count[np.newaxis, :], population[np.newaxis, :], weights, ci_weights, per, _mha_z(level), method
    )
    frame = _frame(
        *(result[k] for k in ("value", "lower", "upper", "method", "numerator", "denominator")), None
    )
    return _estimate(frame, level)


def mha_standardised_rates(
    frame: pd.DataFrame,
    group_cols: Sequence[str],
    stratum_cols: Sequence[str],
    count_col: str,
    pop_col: str,
    standard: Mapping[Hashable, float] | pd.Series,
    *,
    per: float = 100_000,
    confidence: float = 0.95,
    reproduce_16_17_ci_quirk: bool = False,
) -> pd.DataFrame:
    """MHA standardised rates for many groups at once (vectorised :func:`mha_standardised_rate`).

    ``frame`` has one row per group and stratum; ``stratum_cols`` (e.g. ``["sex", "age_band"]``) give the
    stratum key, matched against the keys of ``standard`` (tuples when there are several columns).
    Every group needs every stratum with a population > 0. Results equal the scalar function exactly.
    """
    level = normalise_confidence(confidence)
    group_cols = [group_cols] if isinstance(group_cols, str) else list(group_cols)
    stratum_cols = [stratum_cols] if isinstance(stratum_cols, str) else list(stratum_cols)
    keys, weights, ci_weights = _mha_weights(standard, reproduce_16_17_ci_quirk)
    filled = frame.assign(**{count_col: frame[count_col].fillna(0)}) if len(frame) else frame
    group_keys, matrices, present = _group_matrix(
        filled, group_cols, stratum_cols, [count_col, pop_col], keys
    )
    if (~present).any():
        g, s = np.nonzero(~present)
        examples = [
            f"{group_keys.iloc[i].to_dict()} stratum {keys[j]!r}" for i, j in list(zip(g, s, strict=True))[:5]
        ]
        raise ValueError(f"groups missing a stratum of the standard population: {examples}")
    count, population = matrices[count_col], matrices[pop_col]
    _check_non_negative(count.ravel(), count_col)
    _check_positive(population.ravel(), pop_col)
    method = METHOD_MHA_QUIRK if reproduce_16_17_ci_quirk else METHOD_MHA
    result = _mha_core(count, population, weights, ci_weights, per, _mha_z(level), method)
    out = _dataframe(
        _frame(*(result[k] for k in ("value", "lower", "upper", "method", "numerator", "denominator")), None)
    )
    return pd.concat([group_keys, out], axis=1)
