"""The settings every report shares, read once: the trust configuration, the disclosure policy built
from it, the reference ethnic group, and the method decisions in ``config/methods.yaml``.

One place for each decision (docs/methods.md explains them):

- the disclosure policy: :func:`policy` (threshold and rounding base from ``config/trust.yaml``);
- the reference ethnic group: :func:`reference_group` (``reference_group`` in ``config/trust.yaml``);
- rolling periods and comparison groups for other characteristics: :func:`methods`;
- outcome wording: the ``outcome`` field of each measure in ``measures/catalogue.yaml`` (:func:`outcome`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from data.config import DEFAULT_TRUST_CONFIG, PROJECT_ROOT, TRUST_CONFIG_ENV, TrustConfig, load_trust_config
from measures.catalogue import Catalogue, load_catalogue
from measures.disclosure import DisclosurePolicy
from measures.ethnicity import KNOWN_BROAD_GROUPS, category

METHODS_FILE = PROJECT_ROOT / "config" / "methods.yaml"


def trust() -> TrustConfig:
    """The trust configuration (``config/trust.yaml`` or ``EQUALITY_TRUST_CONFIG``), read again only when
    the file named, or its modification time, changes."""
    path = Path(os.environ.get(TRUST_CONFIG_ENV) or DEFAULT_TRUST_CONFIG)
    return _trust_at(str(path), path.stat().st_mtime if path.exists() else 0.0)


@cache
def _trust_at(path: str, _modified: float) -> TrustConfig:
    return load_trust_config(path)


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def policy_for(config: TrustConfig) -> DisclosurePolicy:
    """The disclosure policy a trust configuration sets (the one place it is built)."""
    return DisclosurePolicy(threshold=config.suppression_threshold, base=config.rounding_base)


def policy() -> DisclosurePolicy:
    """The disclosure policy every figure in the app, the board pack and downloads goes through."""
    return policy_for(trust())


def reference_group(configured: str | None = None) -> str:
    """The NHS broad ethnic group every ethnicity ratio is compared with.

    ``reference_group`` in ``config/trust.yaml`` names an NHS broad group (White, Mixed, Asian, Black,
    Other). An NHS category code is read as its broad group (A, White British, means White), because
    the figures compared by broad group (standardised rates, areas, headlines) cannot use a finer group.
    """
    value = trust().reference_group if configured is None else configured
    if value in KNOWN_BROAD_GROUPS:
        return value
    try:
        code = category(value)
    except ValueError:
        code = None
    if code is None or not code.known:
        raise ValueError(
            f"reference_group {value!r} is not an NHS broad ethnic group ({', '.join(KNOWN_BROAD_GROUPS)}) "
            "or a known NHS ethnic category code"
        )
    return code.broad_group


def outcome(measure_id: str) -> str:
    """The outcome words of a measure ("detained"), from the catalogue."""
    words = catalogue()[measure_id].outcome
    if not words:
        raise KeyError(f"measure {measure_id!r} has no 'outcome' wording in the catalogue")
    return words


@dataclass(frozen=True)
class Methods:
    """The method decisions in ``config/methods.yaml``."""

    window_months: int = 12
    windows: int = 11
    comparison_groups: dict[str, str] = field(default_factory=dict)

    def comparison_group(self, characteristic: str) -> str:
        """'largest' or a fixed group value for a characteristic other than ethnicity."""
        return str(self.comparison_groups.get(characteristic, "largest"))


@cache
def methods(path: Path = METHODS_FILE) -> Methods:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    rolling = raw.get("rolling_periods") or {}
    groups = {str(k): str(v) for k, v in (raw.get("comparison_groups") or {}).items()}
    result = Methods(int(rolling.get("window_months", 12)), int(rolling.get("windows", 11)), groups)
    if result.window_months < 1 or result.windows < 0:
        raise ValueError(f"{path}: rolling_periods needs window_months ≥ 1 and windows ≥ 0")
    return result
