"""The measure catalogue: what each measure means, how it is computed and which way is better.

The words live in ``measures/catalogue.yaml`` (definitions outside code, editable by an
equality lead). This module loads and checks it. A trust adds, renames or drops measures without code
changes by passing an extra YAML file with the same layout:

.. code-block:: yaml

    measures:
      - id: mha_detentions_crude_rate      # existing id: only the fields given are replaced
        title: Detentions per 100,000
      - id: my_new_measure                 # new id: every required field must be given
        ...
    remove: [restraint_mechanical_per_obd]

The official PCREF core-measure list is not known (docs/methods.md), so PCREF-themed entries carry
``status: pcref_candidate``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_PATH",
    "DOMAINS",
    "METHODS",
    "POLARITIES",
    "STATUSES",
    "Catalogue",
    "CatalogueError",
    "Measure",
    "load_catalogue",
]

DEFAULT_PATH = Path(__file__).with_name("catalogue.yaml")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

POLARITIES: tuple[str, ...] = ("higher_is_better", "lower_is_better", "neutral")
DOMAINS: tuple[str, ...] = ("pcref", "access", "workforce")
STATUSES: tuple[str, ...] = ("pcref_candidate", "pcref_official", "wres_official", "local")

#: Methods a measure may name, with the function in measures.stats (or the arithmetic) that computes it.
METHODS: dict[str, str] = {
    "crude_rate": "measures.stats.crude_rate (Byar's / exact CI)",
    "dsr": "measures.stats.dsr (Dobson CI, ESP2013)",
    "mha_standardised_rate": "measures.stats.mha_standardised_rate (NHS England MHA method)",
    "isr": "measures.stats.isr_ratio / isr_rate",
    "proportion": "measures.stats.proportion (Wilson CI)",
    "rate_ratio": "measures.stats.rate_ratio (log-method CI)",
    "relative_likelihood": "measures.stats.relative_likelihood (WRES; log-method CI is our addition)",
    "percentage_point_difference": "difference of two percentages (no CI)",
}

STATUS_LABELS: dict[str, str] = {
    "pcref_candidate": "Candidate PCREF measure [unconfirmed: the official PCREF core-measure list is not known]",
    "pcref_official": "Official PCREF core measure",
    "wres_official": "Workforce Race Equality Standard indicator",
    "local": "Local measure",
}

REQUIRED: tuple[str, ...] = (
    "id",
    "title",
    "definition",
    "numerator",
    "denominator",
    "unit",
    "method",
    "polarity",
    "reference_group",
    "source",
    "caveats",
    "domain",
)
OPTIONAL: tuple[str, ...] = ("status", "multiplier", "confidence", "outcome", "local")


class CatalogueError(ValueError):
    """The catalogue YAML is malformed; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class Measure:
    """One catalogue entry (see the field list at the top of catalogue.yaml)."""

    id: str
    title: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    method: str
    polarity: str
    reference_group: str
    source: str
    caveats: tuple[str, ...]
    domain: str
    status: str = "pcref_candidate"
    multiplier: float | None = None
    confidence: float = 0.95
    outcome: str | None = (
        None  # the words a sentence uses: "Black people were 3.1 times as likely to be <outcome>"
    )
    local: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def improvement(self) -> str:
        """SPC improvement direction: "increase", "decrease" or "neutral"."""
        return {"higher_is_better": "increase", "lower_is_better": "decrease"}.get(self.polarity, "neutral")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_candidate(self) -> bool:
        """True when the measure is only a candidate for the (unknown) official PCREF list."""
        return self.status == "pcref_candidate"

    def as_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["caveats"] = list(self.caveats)
        out["local"] = dict(self.local)
        return out


@dataclass(frozen=True)
class Catalogue:
    """The measures in file order, looked up by id."""

    measures: tuple[Measure, ...]
    sources: tuple[str, ...] = ()
    _by_id: dict[str, Measure] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {m.id: m for m in self.measures})

    def __getitem__(self, measure_id: str) -> Measure:
        try:
            return self._by_id[measure_id]
        except KeyError:
            raise KeyError(f"no measure {measure_id!r} in the catalogue") from None

    def __contains__(self, measure_id: object) -> bool:
        return measure_id in self._by_id

    def __iter__(self) -> Iterator[Measure]:
        return iter(self.measures)

    def __len__(self) -> int:
        return len(self.measures)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.measures)

    def by_domain(self, domain: str) -> tuple[Measure, ...]:
        if domain not in DOMAINS:
            raise ValueError(f"domain must be one of {DOMAINS}, got {domain!r}")
        return tuple(m for m in self.measures if m.domain == domain)

    def to_frame(self):  # -> pandas.DataFrame (imported lazily: the loader itself needs only yaml)
        import pandas as pd

        rows = [m.as_dict() for m in self.measures]
        for row in rows:
            row["caveats"] = "; ".join(row["caveats"])
            row["status_label"] = STATUS_LABELS[row["status"]]
        return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueError(f"{path}: cannot read the catalogue file ({error})") from None
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader (the C one when available)
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: not valid YAML ({error})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: the top level must be a mapping with a 'measures' list")
    unknown = set(data) - {"version", "measures", "remove"}
    if unknown:
        raise CatalogueError(
            f"{path}: unknown top-level keys {sorted(unknown)} (expected measures, remove, version)"
        )
    measures = data.get("measures") or []
    if not isinstance(measures, list):
        raise CatalogueError(f"{path}: 'measures' must be a list of entries")
    remove = data.get("remove") or []
    if not isinstance(remove, list) or not all(isinstance(r, str) for r in remove):
        raise CatalogueError(f"{path}: 'remove' must be a list of measure ids")
    return {"measures": measures, "remove": remove}


def _check_entry(entry: Any, where: str, *, complete: bool) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: each measure must be a mapping of fields, got {entry!r}")
    measure_id = entry.get("id")
    if not isinstance(measure_id, str) or not measure_id.strip():
        raise CatalogueError(f"{where}: every measure needs an 'id' (text)")
    where = f"{where} (id {measure_id!r})"
    unknown = set(entry) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise CatalogueError(
            f"{where}: unknown field(s) {sorted(unknown)}; allowed fields are {[*REQUIRED, *OPTIONAL]} "
            "(put a trust's own fields under 'local')"
        )
    if complete:
        missing = [name for name in REQUIRED if name not in entry]
        if missing:
            raise CatalogueError(f"{where}: missing required field(s) {missing}")
    for name in REQUIRED:
        if name in ("caveats",) or name not in entry:
            continue
        value = entry[name]
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError(f"{where}: field {name!r} must be non-empty text, got {value!r}")
    if "caveats" in entry:
        caveats = entry["caveats"]
        if caveats is None:
            caveats = []
        if not isinstance(caveats, list) or not all(isinstance(c, str) and c.strip() for c in caveats):
            raise CatalogueError(f"{where}: 'caveats' must be a list of text items (use [] for none)")
    checks = (("polarity", POLARITIES), ("domain", DOMAINS), ("method", tuple(METHODS)), ("status", STATUSES))
    for name, allowed in checks:
        if name in entry and entry[name] not in allowed:
            raise CatalogueError(f"{where}: {name} must be one of {list(allowed)}, got {entry[name]!r}")
    if "multiplier" in entry and entry["multiplier"] is not None:
        value = entry["multiplier"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise CatalogueError(f"{where}: multiplier must be a positive number, got {value!r}")
    if "confidence" in entry and entry["confidence"] not in (0.95, 0.998):
        raise CatalogueError(f"{where}: confidence must be 0.95 or 0.998, got {entry['confidence']!r}")
    if "outcome" in entry and (not isinstance(entry["outcome"], str) or not entry["outcome"].strip()):
        raise CatalogueError(f"{where}: 'outcome' must be non-empty text, e.g. 'detained'")
    if "local" in entry and not isinstance(entry["local"], dict):
        raise CatalogueError(f"{where}: 'local' must be a mapping")
    return entry


def _to_measure(entry: dict[str, Any]) -> Measure:
    values = {k: v for k, v in entry.items() if k in REQUIRED or k in OPTIONAL}
    values["caveats"] = tuple(s.strip() for s in (values.get("caveats") or []))
    for name in REQUIRED:
        if name != "caveats":
            values[name] = values[name].strip()
    values["local"] = dict(values.get("local") or {})
    return Measure(**values)


def load_catalogue(
    extra: str | Path | Sequence[str | Path] | None = None, *, path: str | Path | None = None
) -> Catalogue:
    """Load the catalogue (``path``, default measures/catalogue.yaml) and merge optional extra files.

    In each extra file, an entry with a known id replaces only the fields it gives (rename a measure by
    giving a new title); an entry with a new id is added and must be complete; ids under ``remove`` are
    dropped. Raises :class:`CatalogueError` naming the file, entry and field on any problem: duplicate
    ids, missing required fields, unknown fields, or values outside the allowed polarity, domain,
    method and status lists.
    """
    base = Path(path) if path is not None else DEFAULT_PATH
    extras = [] if extra is None else [extra] if isinstance(extra, (str, Path)) else list(extra)
    order: list[str] = []
    entries: dict[str, dict[str, Any]] = {}
    for file_number, file in enumerate([base, *map(Path, extras)]):
        data = _read(file)
        seen: set[str] = set()
        for position, raw in enumerate(data["measures"], start=1):
            where = f"{file}: measure {position}"
            is_base = file_number == 0
            known = isinstance(raw, dict) and raw.get("id") in entries and not is_base
            entry = _check_entry(raw, where, complete=not known)
            measure_id = entry["id"]
            if measure_id in seen:
                raise CatalogueError(f"{where}: duplicate id {measure_id!r} in the same file")
            seen.add(measure_id)
            if known:
                entries[measure_id] = {**entries[measure_id], **entry}
            else:
                entries[measure_id] = dict(entry)
                order.append(measure_id)
        for measure_id in data["remove"]:
            if measure_id not in entries:
                raise CatalogueError(f"{file}: cannot remove {measure_id!r}: no such measure")
            del entries[measure_id]
            order.remove(measure_id)
    measures = tuple(_to_measure(entries[i]) for i in order)
    return Catalogue(measures=measures, sources=tuple(str(p) for p in [base, *extras]))
