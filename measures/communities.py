"""Priority communities: named groups defined in configuration as filters over person attributes.

Trusts prioritise communities that are not only ethnic groups (e.g. men, Eastern European people,
people aged 55+). Keeping the definitions in ``config/communities.yaml`` lets an equality lead add one
without code (docs/design.md). This module loads and checks that file and works out membership on
*aggregated* cells (counts by ethnic category, sex, age band, language, religion from SQL), so no
record-level data and no SQL text is ever built from the configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from measures.ethnicity import BROAD_GROUPS, NHS_CATEGORIES

__all__ = [
    "ATTRIBUTES",
    "DEFAULT_PATH",
    "DISPLAY_BANDS",
    "POPULATION_ATTRIBUTES",
    "Community",
    "CommunityError",
    "community_totals",
    "load_communities",
    "parse_communities",
]

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "communities.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Display age bands (age_band.display_band); tests check they match data/reference.py.
DISPLAY_BANDS = ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
#: Attributes a filter may use, with the values allowed (None: any recorded text).
ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "ethnic_category": tuple(c.code for c in NHS_CATEGORIES),
    "broad_group": BROAD_GROUPS,
    "sex": ("M", "F", "X"),
    "age_band": DISPLAY_BANDS,
    "imd_quintile": ("1 (most deprived)", "2", "3", "4", "5 (least deprived)", "Not known"),
    "borough": None,
    "first_language": None,
    "religion": None,
}
#: Attributes the resident population table holds, so a community using only these has a denominator.
POPULATION_ATTRIBUTES = ("ethnic_category", "broad_group", "sex", "age_band", "borough")
#: Attributes kept one at a time in the summary tables: a community may use one of them, combined only
#: with ethnic group and borough.
SINGLE_ATTRIBUTES = ("first_language", "religion")
_COMBINABLE = ("ethnic_category", "broad_group", "borough")


class CommunityError(ValueError):
    """The communities file is wrong; the message names the entry and the problem."""


@dataclass(frozen=True)
class Community:
    """A named group: a person belongs when every filter matches (values within a filter: any of)."""

    name: str
    description: str
    filters: Mapping[str, tuple[str, ...]]

    @property
    def attributes(self) -> tuple[str, ...]:
        """The attributes the filters use, in the order of :data:`ATTRIBUTES`."""
        return tuple(a for a in ATTRIBUTES if a in self.filters)

    @property
    def has_population(self) -> bool:
        """True when the population table can supply a denominator (every filter is a population attribute)."""
        return all(a in POPULATION_ATTRIBUTES for a in self.filters)

    def members(self, cells: pd.DataFrame) -> pd.Series:
        """Which aggregated cells belong to the community (a boolean Series over ``cells``' rows).

        ``cells`` must have a column for every attribute the filters use; a missing value (e.g. a Census
        group with no NHS code) never matches.
        """
        missing = [a for a in self.filters if a not in cells.columns]
        if missing:
            raise KeyError(f"{self.name}: the cells lack the columns {missing}")
        keep = pd.Series(True, index=cells.index)
        for attribute, values in self.filters.items():
            keep &= cells[attribute].isin(values).fillna(False).astype(bool)
        return keep


def _as_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value:
        raise CommunityError(f"{where}: give one value or a non-empty list of values")
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int)) or not str(item).strip():
            raise CommunityError(f"{where}: {item!r} is not a value")
        out.append(str(item).strip())
    return tuple(out)


def parse_communities(data: Any, source: str = "communities") -> tuple[Community, ...]:
    """Check the parsed YAML (``{"communities": [...]}``) and build the communities; raise
    :class:`CommunityError` naming the first problem."""
    if data is None:
        return ()
    if not isinstance(data, dict) or set(data) - {"communities", "version"}:
        raise CommunityError(f"{source}: the top level must be a mapping with a 'communities' list")
    entries = data.get("communities") or []
    if not isinstance(entries, list):
        raise CommunityError(f"{source}: 'communities' must be a list")
    out: list[Community] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{source}, community {number}"
        if not isinstance(entry, dict):
            raise CommunityError(f"{where}: each community must be a mapping with name, description, filters")
        unknown = set(entry) - {"name", "description", "filters"}
        if unknown:
            raise CommunityError(
                f"{where}: unknown keys {sorted(unknown)} (expected name, description, filters)"
            )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CommunityError(f"{where}: 'name' is required")
        name = name.strip()
        where = f"{source}, community {name!r}"
        if name.casefold() in seen:
            raise CommunityError(f"{where}: the name is used twice")
        seen.add(name.casefold())
        description = entry.get("description") or ""
        if not isinstance(description, str):
            raise CommunityError(f"{where}: 'description' must be text")
        filters = entry.get("filters")
        if not isinstance(filters, dict) or not filters:
            raise CommunityError(f"{where}: 'filters' must map at least one attribute to its values")
        checked: dict[str, tuple[str, ...]] = {}
        for attribute, values in filters.items():
            if attribute not in ATTRIBUTES:
                raise CommunityError(
                    f"{where}: unknown attribute {attribute!r}; expected one of {sorted(ATTRIBUTES)}"
                )
            values = _as_list(values, f"{where}, {attribute}")
            allowed = ATTRIBUTES[attribute]
            bad = [v for v in values if allowed is not None and v not in allowed]
            if bad:
                raise CommunityError(
                    f"{where}, {attribute}: unknown values {bad}; expected some of {list(allowed)}"
                )
            checked[attribute] = values
        single = [a for a in checked if a in SINGLE_ATTRIBUTES]
        if len(single) > 1 or (single and set(checked) - {*single, *_COMBINABLE}):
            raise CommunityError(
                f"{where}: {' and '.join(single)} can be combined only with ethnic_category, broad_group or "
                "borough (the summary tables keep them one at a time)"
            )
        out.append(Community(name, description.strip(), checked))
    return tuple(out)


def load_communities(path: str | Path | None = None) -> tuple[Community, ...]:
    """The communities in ``path`` (default ``config/communities.yaml``); a missing file means none."""
    path = Path(path) if path is not None else DEFAULT_PATH
    if not path.exists():
        return ()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as error:
        raise CommunityError(f"{path}: not valid YAML ({error})") from None
    return parse_communities(data, str(path))


def attributes_of(communities: Iterable[Community]) -> tuple[str, ...]:
    """Every attribute any of the communities uses, in a fixed order (the cells to ask SQL for)."""
    used = {a for community in communities for a in community.filters}
    return tuple(a for a in ATTRIBUTES if a in used)


def community_totals(
    cells: pd.DataFrame, communities: Sequence[Community], counts: Sequence[str]
) -> pd.DataFrame:
    """For each community: its counts (summed over member cells) and everyone else's (the other cells):
    columns ``community`` and, for each count, ``<count>`` and ``rest_<count>``. Sums of aggregated
    counts only; people are counted once per cell, so member and non-member sums add up to the total."""
    rows = []
    for community in communities:
        member = community.members(cells)
        row: dict[str, Any] = {"community": community.name}
        for column in counts:
            row[column] = int(cells.loc[member, column].sum())
            row[f"rest_{column}"] = int(cells.loc[~member, column].sum())
        rows.append(row)
    columns = ["community", *counts, *(f"rest_{c}" for c in counts)]
    return pd.DataFrame(rows, columns=columns)
