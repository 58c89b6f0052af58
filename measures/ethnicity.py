"""Ethnicity classifications: NHS ETHNIC CATEGORY codes and Census 2021 TS021 categories.

Sources (see docs/methods.md):
- NHS Data Dictionary, ETHNIC CATEGORY (the 2001-census "16+1" codes A–S, Z, 99).
- ONS Census 2021 ``ethnic_group_tb`` (19 tick-boxes, TS021), mapped to NHS codes as NHS England's
  Mental Health Act statistics do (``Population_2021census_2324.py``).

Two differences matter for rates: Census "Chinese" sits under Asian but NHS code R sits under
Other; Census Gypsy or Irish Traveller, Roma and Arab have no NHS letter, so they can only be used
at broad-group level (they are a denominator-only problem).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

WHITE = "White"
MIXED = "Mixed"
ASIAN = "Asian"
BLACK = "Black"
OTHER = "Other"
NOT_STATED = "Not stated"
NOT_KNOWN = "Not known"

#: Broad groups in display order; the last two are excluded from rates.
BROAD_GROUPS: tuple[str, ...] = (WHITE, MIXED, ASIAN, BLACK, OTHER, NOT_STATED, NOT_KNOWN)
KNOWN_BROAD_GROUPS: tuple[str, ...] = (WHITE, MIXED, ASIAN, BLACK, OTHER)

#: WRES "BME": every known group except White.
BME = "BME"


def people_of(group: str) -> str:
    """A broad group's people in a sentence: "Black people", but "people of another ethnic group" for
    Other (the NHS category is "Other ethnic groups"; "Other people" reads as everyone else)."""
    return "people of another ethnic group" if group == OTHER else f"{group} people"


@dataclass(frozen=True)
class EthnicCategory:
    """One NHS ETHNIC CATEGORY code."""

    code: str
    description: str
    broad_group: str
    sort_order: int

    @property
    def known(self) -> bool:
        """True when the code records an ethnic group (not Z or 99)."""
        return self.broad_group in KNOWN_BROAD_GROUPS


NHS_CATEGORIES: tuple[EthnicCategory, ...] = (
    EthnicCategory("A", "White: British", WHITE, 1),
    EthnicCategory("B", "White: Irish", WHITE, 2),
    EthnicCategory("C", "White: Any other White background", WHITE, 3),
    EthnicCategory("D", "Mixed: White and Black Caribbean", MIXED, 4),
    EthnicCategory("E", "Mixed: White and Black African", MIXED, 5),
    EthnicCategory("F", "Mixed: White and Asian", MIXED, 6),
    EthnicCategory("G", "Mixed: Any other mixed background", MIXED, 7),
    EthnicCategory("H", "Asian: Indian", ASIAN, 8),
    EthnicCategory("J", "Asian: Pakistani", ASIAN, 9),
    EthnicCategory("K", "Asian: Bangladeshi", ASIAN, 10),
    EthnicCategory("L", "Asian: Any other Asian background", ASIAN, 11),
    EthnicCategory("M", "Black: Caribbean", BLACK, 12),
    EthnicCategory("N", "Black: African", BLACK, 13),
    EthnicCategory("P", "Black: Any other Black background", BLACK, 14),
    EthnicCategory("R", "Other: Chinese", OTHER, 15),
    EthnicCategory("S", "Other: Any other ethnic group", OTHER, 16),
    EthnicCategory("Z", "Not stated", NOT_STATED, 17),
    EthnicCategory("99", "Not known", NOT_KNOWN, 18),
)

_BY_CODE = {c.code: c for c in NHS_CATEGORIES}

#: NHS codes that record a known ethnic group (used for rates).
KNOWN_CODES: tuple[str, ...] = tuple(c.code for c in NHS_CATEGORIES if c.known)


def category(code: str) -> EthnicCategory:
    """Return the NHS category for ``code``; an optional local 2nd character rolls up to the 1st.

    The legacy code "9" (not given) and blanks are treated as 99 (not known), per CR406.
    """
    normalised = normalise_code(code)
    return _BY_CODE[normalised]


def normalise_code(code: str | None) -> str:
    """Map a raw ETHNIC CATEGORY value to one of the 18 national codes (A–S, Z, 99)."""
    if code is None:
        return "99"
    text = str(code).strip().upper()
    if text in ("", "9", "99", "NAN", "NONE"):
        return "99"
    if text in _BY_CODE:
        return text
    if len(text) == 2 and text[0] in _BY_CODE and text[0] not in ("9",):
        return text[0]  # local sub-code, e.g. "CA" rolls up to "C"
    raise ValueError(f"Unknown NHS ethnic category code {code!r}; expected one of {', '.join(_BY_CODE)}")


def broad_group(code: str | None) -> str:
    """Broad group of an NHS ethnic category code: White, Mixed, Asian, Black, Other,
    Not stated or Not known."""
    return category(normalise_code(code)).broad_group


def is_bme(code: str | None) -> bool | None:
    """WRES BME flag: True for every known non-White code, False for White, None when unknown."""
    group = broad_group(code)
    if group not in KNOWN_BROAD_GROUPS:
        return None
    return group != WHITE


@dataclass(frozen=True)
class CensusCategory:
    """One Census 2021 TS021 ethnic group (``ethnic_group_tb``)."""

    code: int
    description: str
    census_broad_group: str
    nhs_code: str | None
    nhs_broad_group: str


CENSUS_CATEGORIES: tuple[CensusCategory, ...] = (
    CensusCategory(1, "Asian: Bangladeshi", ASIAN, "K", ASIAN),
    CensusCategory(2, "Asian: Chinese", ASIAN, "R", OTHER),
    CensusCategory(3, "Asian: Indian", ASIAN, "H", ASIAN),
    CensusCategory(4, "Asian: Pakistani", ASIAN, "J", ASIAN),
    CensusCategory(5, "Asian: Other Asian", ASIAN, "L", ASIAN),
    CensusCategory(6, "Black: African", BLACK, "N", BLACK),
    CensusCategory(7, "Black: Caribbean", BLACK, "M", BLACK),
    CensusCategory(8, "Black: Other Black", BLACK, "P", BLACK),
    CensusCategory(9, "Mixed: White and Asian", MIXED, "F", MIXED),
    CensusCategory(10, "Mixed: White and Black African", MIXED, "E", MIXED),
    CensusCategory(11, "Mixed: White and Black Caribbean", MIXED, "D", MIXED),
    CensusCategory(12, "Mixed: Other Mixed", MIXED, "G", MIXED),
    CensusCategory(13, "White: English, Welsh, Scottish, Northern Irish or British", WHITE, "A", WHITE),
    CensusCategory(14, "White: Irish", WHITE, "B", WHITE),
    CensusCategory(15, "White: Gypsy or Irish Traveller", WHITE, None, WHITE),
    CensusCategory(16, "White: Roma", WHITE, None, WHITE),
    CensusCategory(17, "White: Other White", WHITE, "C", WHITE),
    CensusCategory(18, "Other: Arab", OTHER, None, OTHER),
    CensusCategory(19, "Other: Any other ethnic group", OTHER, "S", OTHER),
)

_CENSUS_BY_CODE = {c.code: c for c in CENSUS_CATEGORIES}


def census_category(code: int) -> CensusCategory:
    """Return the Census 2021 category for TS021 code 1–19 (−8 "does not apply" is not a group)."""
    try:
        return _CENSUS_BY_CODE[int(code)]
    except (KeyError, ValueError):
        raise ValueError(f"Unknown Census 2021 ethnic group code {code!r}; expected 1 to 19") from None


def census_to_nhs_code(code: int) -> str | None:
    """NHS letter code for a Census 2021 category, or None where no NHS code exists
    (Gypsy or Irish Traveller, Roma, Arab)."""
    return census_category(code).nhs_code


# ---------------------------------------------------------------------------------------------------------
# Additions: WRES grouping, Census-to-NHS broad groups for population denominators, vectorised lookup
# ---------------------------------------------------------------------------------------------------------

ROMA_CENSUS_CODE = 16


def wres_group(code: str | None) -> str | None:
    """WRES comparison group of an NHS code: "White", "BME", or None when ethnicity is unknown (Z, 99).

    Unknown and not-stated ethnicity is excluded from WRES ratios (docs/methods.md).
    """
    bme = is_bme(code)
    if bme is None:
        return None
    return BME if bme else WHITE


def census_nhs_broad_group(code: int, *, mha_roma_quirk: bool = False) -> str:
    """NHS broad group for a Census 2021 category (Census Chinese goes to Other, as NHS code R does).

    ``mha_roma_quirk=True`` reproduces NHS England's MHA population mapping, which leaves Roma out of
    every broad group (docs/methods.md): Roma then gives "Not known" so it drops out of rates.
    """
    category_ = census_category(code)
    if mha_roma_quirk and category_.code == ROMA_CENSUS_CODE:
        return NOT_KNOWN
    return category_.nhs_broad_group


def census_to_nhs_broad_populations(
    counts_by_census_code: dict[int, float], *, mha_roma_quirk: bool = False
) -> dict[str, float]:
    """Sum Census 2021 counts by TS021 code (1–19) into NHS broad groups for rate denominators.

    Code −8 ("does not apply") is ignored, as NHS England excludes it. Returns the five known broad groups
    in display order (0 where absent).
    """
    totals = dict.fromkeys(KNOWN_BROAD_GROUPS, 0.0)
    for code, count in counts_by_census_code.items():
        if int(code) == -8:
            continue
        group = census_nhs_broad_group(code, mha_roma_quirk=mha_roma_quirk)
        if group in totals:
            totals[group] += float(count)
    return totals


def census_broad_totals(counts_by_census_code: dict[int, float]) -> dict[str, float]:
    """Sum Census 2021 counts by TS021 code into the Census's own five broad groups (Chinese in Asian).

    These should equal the broad columns of the TS021 file (a useful check on a loaded file).
    """
    totals = dict.fromkeys(KNOWN_BROAD_GROUPS, 0.0)
    for code, count in counts_by_census_code.items():
        if int(code) == -8:
            continue
        totals[census_category(code).census_broad_group] += float(count)
    return totals


def broad_groups(codes: Iterable[str | None]) -> list[str]:
    """Vectorised :func:`broad_group` (looks each distinct code up once); accepts a pandas Series too."""
    values = list(codes)
    lookup: dict[object, str] = {}
    out = []
    for value in values:
        missing = value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>"
        key = None if missing else value
        if key not in lookup:
            lookup[key] = broad_group(key)
        out.append(lookup[key])
    return out
