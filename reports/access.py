"""Service access figures by community: who reaches services (people referred, accepted and seen per
100,000 residents), by which route, how fast, who drops out, intersections of up to three
characteristics, monthly trends and teams, for every characteristic in the data and for priority
communities (``config/communities.yaml``, or built from filters on the page).

Every figure is published through :func:`measures.disclosure.publish_linked` from counts read from the
summary tables: rates, percentages and ratios are computed from the published (rounded) counts, and the
tables a reader can set against each other in one view (each group against everyone, detailed against
broad ethnic groups, an intersection against each of its characteristics) are published together with
their links declared. Ethnicity is compared with the reference group
(``reports.settings.reference_group``); other characteristics with the comparison group in
``config/methods.yaml``; priority communities, which overlap, with everyone else."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from measures.access import (
    clear_differences,
    group_median_waits,
    percentage_figures,
    rate_figures,
    with_reference,
)
from measures.communities import (
    ATTRIBUTES,
    DISPLAY_BANDS,
    POPULATION_ATTRIBUTES,
    Community,
    community_totals,
    load_communities,
)
from measures.disclosure import (
    SUPPRESSED,
    CellRef,
    Equation,
    PublishedTable,
    Rollup,
    TableSpec,
    Totals,
    publish_linked,
)
from measures.ethnicity import KNOWN_BROAD_GROUPS, NHS_CATEGORIES
from measures.narrative import format_ratio
from queries import access
from queries.scope import Scope
from reports.common import kept_per_load, monthly_rate
from reports.data_quality import Recording, recording_from_groups
from reports.settings import methods, outcome, policy, reference_group, trust

COMMUNITIES = "communities"
LABELS = {
    "broad_group": "Ethnic group (broad)",
    "ethnic_category": "Ethnic group (detailed)",
    "age_band": "Age band",
    "sex": "Sex",
    "imd_quintile": "Deprivation (IMD quintile)",
    "borough": "Borough",
    "religion": "Religion",
    "sexual_orientation": "Sexual orientation",
    "disability": "Disability",
    COMMUNITIES: "Priority communities",
}
#: Characteristics an intersection may combine (up to three).
CROSSABLE = ("broad_group", "ethnic_category", "age_band", "sex", "imd_quintile", "borough")
SEX_NAMES = {"M": "Male", "F": "Female", "X": "Not known or other"}
ETHNIC_NAMES = {c.code: c.description for c in NHS_CATEGORIES}
UNKNOWN = {"Z", "99", "Not stated", "Not known", "Prefer not to say", "Not known or other"}
#: Access rates: title and catalogue id (the source of the outcome wording). They count people.
MEASURES = {
    "people_referred": ("People referred", "people_referred_rate"),
    "people_accepted": ("People accepted", "people_accepted_rate"),
    "people_seen": ("People seen", "people_seen_rate"),
}
SOURCES = {
    "source_gp": "GP",
    "source_self": "Self",
    "source_police": "Police or criminal justice",
    "source_ae": "A&E",
    "source_other": "Other",
}
#: Shares: (numerator, denominator, table, what the percentage is of, what it counts, sentence words).
SHARES = {
    "police": ("source_police", "referrals", "people", "referrals from the police or criminal justice",
               "events", "of referrals came from the police or criminal justice"),
    "within": ("within", "accepted", "waits", "accepted referrals seen within the standard", "events",
               "of accepted referrals were seen within the standard"),
    "dna": ("dna", "booked", "people", "booked appointments not attended", "events",
            "of booked appointments were not attended"),
    "discharged": ("discharged_before_treatment", "seen_referrals", "people",
                   "referrals seen and discharged before treatment", "events",
                   "of referrals seen were discharged before treatment"),
    "recovery": ("recovered", "at_caseness", "talking", "Talking Therapies courses at caseness that recovered",
                 "events", "of finished Talking Therapies courses at caseness recovered"),
}  # fmt: skip
#: Every measure an intersection can show: the rates and the shares.
CROSS_MEASURES = {
    **{m: title for m, (title, _) in MEASURES.items()},
    "police": "Police or criminal-justice route (% of referrals)",
    "within": "Seen within the waiting standard (% of accepted referrals)",
    "dna": "Did not attend (% of booked appointments)",
    "discharged": "Discharged before treatment (% of referrals seen)",
    "recovery": "Talking Therapies recovery (% of courses at caseness)",
}
PEOPLE = (*(c for c in access.PEOPLE_COUNTS if c not in ("attended", "accepted_referrals")), "booked")
WAITS = ("accepted", "within", "waited")
TALKING = ("finished", "at_caseness", "recovered")
TALKING_THERAPIES = "Talking Therapies"
#: Communities built on the page: the attributes offered, with their labels.
BUILD_ATTRIBUTES = {"broad_group": "Ethnic group", "sex": "Sex", "age_band": "Age band",
                    "imd_quintile": "Deprivation", "borough": "Borough"}  # fmt: skip
#: The values offered for each, except boroughs (the trust's, from ``reports.filters.boroughs``).
BUILD_VALUES = {"broad_group": KNOWN_BROAD_GROUPS, "sex": tuple(SEX_NAMES), "age_band": DISPLAY_BANDS,
                "imd_quintile": ATTRIBUTES["imd_quintile"]}  # fmt: skip


def communities() -> tuple[Community, ...]:
    return load_communities(os.environ.get("EQUALITY_COMMUNITIES_CONFIG") or None)


def characteristics() -> list[str]:
    """The characteristics the page can compare by (priority communities are always offered: they can be
    built on the page as well as configured)."""
    return list(LABELS)


def group_name(characteristic: str, value: object) -> str:
    text = str(value)
    if characteristic == "sex":
        return SEX_NAMES.get(text, text)
    if characteristic == "ethnic_category":
        return ETHNIC_NAMES.get(text, text)
    if characteristic == "age_band":
        return f"Aged {text}"
    if characteristic == "imd_quintile" and text[:1].isdigit():
        return f"IMD quintile {text}"
    return text


def built_community(filters: tuple[tuple[str, tuple[str, ...]], ...]) -> Community | None:
    """A community built on the page from filters (attribute, values), named after them; None if empty."""
    chosen = {a: tuple(v) for a, v in filters if v and a in BUILD_ATTRIBUTES}
    if not chosen:
        return None
    parts = [" or ".join(group_name(a, v) for v in values) for a, values in chosen.items()]
    return Community("; ".join(parts), "Built on the page from filters.", chosen)


# ---------------------------------------------------------------------------------------------- counts


class _Slice:
    """The counts behind one selection (year, borough, service line, characteristic)."""

    def __init__(self, engine: Engine, scope: Scope, financial_year: str, borough: str, service_line: str,
                 by: str, custom: tuple = ()):  # fmt: skip
        self.engine, self.scope, self.by = engine, scope, by
        self.year, self.borough, self.line = financial_year, borough, service_line
        self.standard = trust().waiting_standard_days
        extra = built_community(custom)
        self.communities = (*communities(), *([extra] if extra else []))

    # one characteristic (or several, for intersections): a 'key' column per dim and the counts
    def people(self, dims: tuple[str, ...]) -> pd.DataFrame:
        frame = access.people_counts(self.engine, self.scope, self.year, None, dims, self.borough, self.line)
        return frame.assign(booked=frame["attended"] + frame["dna"]).drop(
            columns=["attended", "accepted_referrals"]
        )

    def waits(self, dims: tuple[str, ...], median: bool = True) -> pd.DataFrame:
        cells = access.wait_histogram(self.engine, self.scope, self.year, dims, self.borough, self.line)
        cells = cells.assign(
            accepted=cells["referrals"],
            within=np.where(cells["wait_days"] <= self.standard, cells["referrals"], 0),
            waited=np.where(cells["wait_days"].notna(), cells["referrals"], 0),
        )
        keys = list(dims) or ["all"]
        cells = cells.assign(all="All") if not dims else cells
        counts = cells.groupby(keys, as_index=False, dropna=False)[list(WAITS)].sum()
        if median:
            medians = group_median_waits(cells[cells["wait_days"].notna()], by=keys, value="wait_days",
                                         count="referrals", min_count=policy().threshold)  # fmt: skip
            counts = counts.merge(medians[[*keys, "median"]], on=keys, how="left")
        return counts.drop(columns=["all"], errors="ignore")

    def talking(self, dims: tuple[str, ...]) -> pd.DataFrame:
        frame = access.talking_therapies_outcomes(self.engine, self.scope, self.year, dims, self.borough)
        return frame[[*dims, *TALKING]]

    def population(self, dims: tuple[str, ...]) -> pd.DataFrame | None:
        if any(d not in access.POPULATION_CHARACTERISTICS for d in dims):
            return None
        frame = access.population_counts(self.engine, self.scope, dims, self.borough).dropna(
            subset=list(dims)
        )
        return None if frame.empty else frame

    def community_cells(self, fetch, counts: tuple[str, ...], allowed=access.CHARACTERISTICS) -> pd.DataFrame:
        """Each community's counts and everyone else's (rest_…), from one query per set of attributes."""
        rows = []
        for attributes in dict.fromkeys(c.attributes for c in self.communities):
            members = [c for c in self.communities if c.attributes == attributes]
            if any(a not in allowed for a in attributes):
                continue
            cells = fetch(attributes)
            rows.append(community_totals(cells, members, counts))
        names = [c.name for c in self.communities]
        if not rows:
            return pd.DataFrame(columns=["community", *counts, *(f"rest_{c}" for c in counts)])
        frame = pd.concat(rows, ignore_index=True)
        return (
            frame.set_index("community").loc[[n for n in names if n in set(frame["community"])]].reset_index()
        )


def _named(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    out = frame.rename(columns={by: "key"})
    out["key"] = out["key"].astype(str)
    out.insert(0, "group", out["key"].map(lambda v: group_name(by, v)))
    return out


def _sum_rows(frame: pd.DataFrame, keys: list[str], counts) -> pd.DataFrame:
    return frame.groupby(keys, as_index=False, dropna=False)[list(counts)].sum()


# ---------------------------------------------------------------------------------------------- tables

RATIO_PEOPLE = (*MEASURES, "source_police", "referrals", "dna", "booked", "discharged_before_treatment",
                "seen_referrals")  # fmt: skip


def _people_figures(reference: str | None, with_rates: bool) -> list:
    figures = []
    if with_rates:
        for m in MEASURES:
            rate = rate_figures(f"{m}_rate", m, "population", reference=reference or "ref_")
            figures += rate if reference else rate[:1]
    for key in ("police", "dna", "discharged"):
        numerator, denominator = SHARES[key][:2]
        figures += percentage_figures(f"{key}_pct", numerator, denominator, reference=reference)
    for key in ("accepted", "seen"):  # of the people referred, the share accepted and seen
        figures += percentage_figures(f"{key}_share", f"people_{key}", "people_referred", reference=reference)
    figures += [f for s in SOURCES for f in percentage_figures(f"{s}_pct", s, "referrals", reference=None)]
    return figures


def _route_links(table: str, frame: pd.DataFrame, keys: list[str]) -> list[Equation]:
    """In every row, the referrals by route add up to the referrals."""
    links = []
    for _, row in frame.iterrows():
        key = {k: row[k] for k in keys}
        terms = [(1, CellRef(table, key, "referrals"))] + [(-1, CellRef(table, key, s)) for s in SOURCES]
        links.append(Equation(tuple(terms), label=f"{table}: routes add up to referrals"))
    return links


def _rest_links(
    table: str, frame: pd.DataFrame, counts, trust_table: str, key: str = "group"
) -> list[Equation]:
    """A community's count and everyone else's add up to the trust's (the trust's is the total: positive, the
    parts negative, so secondary suppression hides a community's own "everyone else" with it, not the
    trust's count that every community shares)."""
    return [
        Equation(((1, CellRef(trust_table, {"group": "Everyone"}, c)), (-1, CellRef(table, {key: name}, c)),
                  (-1, CellRef(table, {key: name}, f"rest_{c}"))), label=f"{table}: {name} + rest")
        for name in frame[key] for c in counts
    ]  # fmt: skip


def _reference(cut: _Slice, frame: pd.DataFrame, population: pd.DataFrame | None) -> str | None:
    """The comparison group's key for a characteristic other than ethnicity."""
    known = frame[~frame["key"].isin(UNKNOWN)]
    if known.empty:
        return None
    chosen = methods().comparison_group(cut.by)
    if chosen != "largest":
        return chosen if chosen in set(known["key"]) else None
    if population is not None and known["population"].notna().any():
        return str(known.loc[known["population"].idxmax(), "key"])
    return str(known.loc[known["people_referred"].idxmax(), "key"])


@dataclass(frozen=True)
class Access:
    """Every tab of the Service access page that does not depend on a further choice, as published."""

    characteristic: str
    reference: str  # the comparison named in headings: "White", "Aged 25-34", "everyone else"
    groups: tuple[str, ...]
    has_population: bool
    people: PublishedTable  # by group: counts, rates, shares, routes, ratios
    everyone: PublishedTable  # one row: the same for everyone in the selection
    waits: PublishedTable | None  # by group: accepted, within the standard, waited, median
    everyone_waits: PublishedTable
    talking: PublishedTable  # Talking Therapies recovery by group
    everyone_talking: PublishedTable
    sentences: dict[str, tuple[str, ...]]  # by measure: every group that differs clearly
    recording: Recording
    notes: tuple[str, ...] = field(default=())  # what a figure does not cover, said on the page


def shown_share(value) -> str:
    """A published percentage for a sentence: "12.3%", or words when it is hidden or missing (a bare "*%"
    reads as a broken figure)."""
    if pd.isna(value) or str(value).strip() in ("", SUPPRESSED):
        return "a hidden share (too few to show safely)"
    return f"{value}%"


def report(
    engine: Engine, scope: Scope, financial_year: str, borough: str = "", service_line: str = "",
    characteristic: str = "broad_group", custom: tuple = (),
) -> Access | None:  # fmt: skip
    """Every figure of the page's fixed tabs; None when no referrals were received in the selection. Kept
    once per store load (publishing the page's linked tables with their attack takes seconds)."""
    custom = tuple((attribute, tuple(values)) for attribute, values in custom)
    return kept_per_load(
        _report, engine, scope, financial_year, borough, service_line, characteristic, custom
    )


def _report(
    engine: Engine, scope: Scope, financial_year: str, borough: str, service_line: str, characteristic: str,
    custom: tuple,
) -> Access | None:  # fmt: skip
    cut = _Slice(engine, scope, financial_year, borough, service_line, characteristic, custom)
    everyone = cut.people(())
    if everyone.empty or int(everyone["people_referred"].sum()) == 0:
        return None
    by_broad = cut.people(("broad_group",))
    recording = recording_from_groups(by_broad, "broad_group", "people_referred", "people referred")
    residents = access.population_counts(engine, scope, (), borough)
    total_residents = float(residents["population"].sum()) if not residents.empty else np.nan
    trust_people = everyone.assign(group="Everyone", population=total_residents)[
        ["group", *PEOPLE, "population"]
    ]
    trust_waits = cut.waits(()).assign(group="Everyone")
    trust_talking = cut.talking(()).assign(group="Everyone")
    everyone_figures = _people_figures(None, not np.isnan(total_residents))
    specs = {
        "trust": TableSpec(trust_people, counts=PEOPLE, keys=["group"], public=["population"],
                           figures=everyone_figures),
        "trust_waits": TableSpec(trust_waits, counts=WAITS, keys=["group"], public=["median"],
                                 figures=percentage_figures("within_pct", "within", "accepted", reference=None)),
        "trust_talking": TableSpec(trust_talking, counts=TALKING, keys=["group"],
                                   figures=percentage_figures("recovery_pct", "recovered", "at_caseness", reference=None)),
    }  # fmt: skip
    links = [*_route_links("trust", trust_people, ["group"])]
    notes: list[str] = []
    if characteristic == COMMUNITIES:
        main, waits_name, talking_name, reference = _communities(cut, specs, links, notes)
        has_population = "population" in specs[main].frame and specs[main].frame["population"].notna().any()
    else:
        main, waits_name, talking_name, reference, has_population = _characteristic(cut, specs, links, notes)
    published = publish_linked(specs, links, policy=policy())
    people = published[main]
    sentences = {m: _rate_sentences(people, m, reference, characteristic) for m in MEASURES if has_population}
    for key, (_, _, source, _what, _, words) in SHARES.items():
        table = {
            "people": people,
            "waits": published.get(waits_name),
            "talking": published.get(talking_name),
        }[source]
        if table is not None:
            sentences[key] = _share_sentences(table, key, reference, words)
    return Access(
        characteristic=characteristic, reference=reference, groups=tuple(people.frame["group"]),
        has_population=bool(has_population), people=people, everyone=published["trust"],
        waits=published.get(waits_name), everyone_waits=published["trust_waits"],
        talking=published[talking_name], everyone_talking=published["trust_talking"], sentences=sentences,
        recording=recording, notes=tuple(notes),
    )  # fmt: skip


def _characteristic(cut: _Slice, specs: dict, links: list, notes: list):
    """Tables for one characteristic. Detailed ethnic groups are published with the broad groups they
    add up to, linked, so the two cannot be set against each other."""
    by = cut.by
    ethnic = by == "ethnic_category"
    if ethnic:
        detailed = cut.people(("broad_group", "ethnic_category"))
        talk = cut.talking(("broad_group", "ethnic_category"))
        parts = {
            "broad": (_named(_sum_rows(detailed, ["broad_group"], PEOPLE), "broad_group"),
                      _named(cut.waits(("broad_group",)), "broad_group"),
                      _named(_sum_rows(talk, ["broad_group"], TALKING), "broad_group"),
                      cut.population(("broad_group",)), "broad_group", ["key"]),
            "detailed": (_named(detailed, "ethnic_category"),
                         _named(cut.waits(("broad_group", "ethnic_category")), "ethnic_category"),
                         _named(talk, "ethnic_category"),
                         cut.population(("ethnic_category",)), "ethnic_category", ["broad_group", "key"]),
        }  # fmt: skip
    else:
        waits = _named(cut.waits((by,)), by) if by in access.WAIT_CHARACTERISTICS else None
        if waits is None:
            notes.append(f"Waits are kept by ethnic group, sex, age band, deprivation and borough, not by "
                         f"{LABELS[by].lower()}.")  # fmt: skip
        parts = {"groups": (_named(cut.people((by,)), by), waits, _named(cut.talking((by,)), by),
                            cut.population((by,)), by, ["key"])}  # fmt: skip
    tables = {}
    for name, (people, waits, talking, population, dim, keys) in parts.items():
        if population is not None:
            people = people.merge(_named(population, dim)[["key", "population"]], on="key", how="left")
            people.loc[people["key"].isin(UNKNOWN), "population"] = np.nan
        else:
            people = people.assign(population=np.nan)
        tables[name] = (people, waits, talking, keys)
    reference_table = "broad" if ethnic else "groups"
    if by in ("broad_group", "ethnic_category"):
        ref_key = reference = reference_group()
    else:
        ref_key = _reference(cut, tables["groups"][0], parts["groups"][3])
        reference = group_name(by, ref_key) if ref_key is not None else ""
    rules = policy()

    def reference_values(frame: pd.DataFrame | None, columns) -> dict[str, float] | None:
        """The reference's published counts (rounded; None when not shown): what a ratio is taken to."""
        if frame is None or ref_key is None or ref_key not in set(frame["key"]):
            return None
        row = frame.set_index("key").loc[ref_key]
        values = {c: rules.publish(int(row[c])) for c in columns}
        if any(v is None for v in values.values()):
            return None
        return {c: float(v) for c, v in values.items()} | (
            {"population": float(row["population"])} if "population" in row else {}
        )

    ref_people = reference_values(tables[reference_table][0], RATIO_PEOPLE)
    ref_waits = reference_values(tables[reference_table][1], ("within", "accepted"))
    ref_talking = reference_values(tables[reference_table][2], ("recovered", "at_caseness"))
    for name, (people, waits, talking, keys) in tables.items():
        totals = [Totals(by=(), columns=PEOPLE)] if name != "detailed" else []
        # the reference's counts are repeated as published (rounded), so the ratios rest on them only
        people = _with_reference(people, ref_people, ref_key, (*RATIO_PEOPLE, "population"))
        specs[name] = TableSpec(
            people, counts=[*PEOPLE, *(f"ref_{c}" for c in RATIO_PEOPLE)], keys=keys, totals=totals,
            figures=_people_figures("ref_", people["population"].notna().any()), public=["population", "ref_population"],
        )  # fmt: skip
        links += _route_links(name, people, keys)
        if waits is not None:
            waits = _with_reference(waits, ref_waits, ref_key, ("within", "accepted"))
            specs[f"waits_{name}"] = TableSpec(
                waits, counts=[*WAITS, "ref_within", "ref_accepted"], keys=keys, public=["median"],
                figures=percentage_figures("within_pct", "within", "accepted"), totals=totals and [Totals(by=(), columns=WAITS)],
            )  # fmt: skip
        talking = _with_reference(talking, ref_talking, ref_key, ("recovered", "at_caseness"))
        specs[f"talking_{name}"] = TableSpec(
            talking, counts=[*TALKING, "ref_recovered", "ref_at_caseness"], keys=keys,
            figures=percentage_figures("recovery_pct", "recovered", "at_caseness"),
            totals=totals and [Totals(by=(), columns=TALKING)],
        )  # fmt: skip
    links += _rollups(tables, "trust", ethnic, PEOPLE)
    links += _rollups(tables, "trust_talking", ethnic, TALKING, prefix="talking_")
    if tables[reference_table][1] is not None:
        links += _rollups(tables, "trust_waits", ethnic, WAITS, prefix="waits_")
    main = "detailed" if ethnic else "groups"
    has_population = parts[main][3] is not None
    waits_name = f"waits_{main}" if tables[main][1] is not None else None
    return main, waits_name, f"talking_{main}", reference, has_population


def _with_reference(frame: pd.DataFrame, values: dict | None, key: str | None, columns) -> pd.DataFrame:
    """``ref_<column>``: the reference group's published counts (and population) on every other row;
    missing everywhere when the reference is not shown, so no ratio is given."""
    if values is None:
        return frame.assign(**{f"ref_{c}": np.nan for c in columns})
    return with_reference(frame, columns, group_column="key", reference=key, values=values)


def _rollups(tables: dict, trust_name: str, ethnic: bool, counts, prefix: str = "") -> list[Rollup]:
    counts = list(counts)
    if ethnic:
        return [Rollup(trust_name, f"{prefix}broad", columns=counts),
                Rollup(f"{prefix}broad", f"{prefix}detailed", on={"broad_group": "key"}, columns=counts)]  # fmt: skip
    return [Rollup(trust_name, f"{prefix}{name}", columns=counts) for name in tables]


def _communities(cut: _Slice, specs: dict, links: list, notes: list):
    """Tables for priority communities: each against everyone else (they overlap, so they add up to
    nothing; each community and everyone else add up to the trust)."""
    people_counts = [*PEOPLE]
    frame = cut.community_cells(cut.people, tuple(people_counts)).rename(columns={"community": "group"})
    with_population = [c for c in cut.communities if all(a in POPULATION_ATTRIBUTES for a in c.filters)]
    residents = access.population_counts(cut.engine, cut.scope, (), cut.borough)
    everyone = float(residents["population"].sum()) if not residents.empty else np.nan
    frame["population"] = np.nan
    for attributes in dict.fromkeys(c.attributes for c in with_population):
        cells = cut.population(attributes)
        if cells is None:
            continue
        members = [c for c in with_population if c.attributes == attributes]
        totals = community_totals(cells, members, ("population",)).set_index("community")["population"]
        frame["population"] = frame["population"].fillna(frame["group"].map(totals))
    frame["rest_population"] = np.where(frame["population"].notna(), everyone - frame["population"], np.nan)
    has_rates = frame["population"].notna().any()
    specs["communities"] = TableSpec(
        frame, counts=[*people_counts, *(f"rest_{c}" for c in people_counts)], keys=["group"],
        public=["population", "rest_population"], figures=_people_figures("rest_", has_rates),
    )  # fmt: skip
    links += _rest_links("communities", frame, RATIO_PEOPLE, "trust") + _route_links(
        "communities", frame, ["group"]
    )
    missing = [c.name for c in cut.communities if c.name not in set(frame["group"])]
    if missing:
        notes.append(f"{', '.join(missing)}: the summary tables cannot combine these filters.")
    if with_population != list(cut.communities):
        notes.append(
            f"{', '.join(c.name for c in cut.communities if c not in with_population)}: defined by a characteristic "
            "the population table does not hold (language, religion or deprivation), so no rate per 100,000 can "
            "be given; see their shares."
        )
    waits = cut.community_cells(
        lambda dims: cut.waits(dims, median=False), WAITS, access.WAIT_CHARACTERISTICS
    )
    waits = waits.rename(columns={"community": "group"})
    specs["waits_communities"] = TableSpec(
        waits, counts=[*WAITS, *(f"rest_{c}" for c in WAITS)], keys=["group"],
        figures=percentage_figures("within_pct", "within", "accepted", reference="rest_"),
    )  # fmt: skip
    links += _rest_links("waits_communities", waits, ("within", "accepted"), "trust_waits")
    talking = cut.community_cells(cut.talking, TALKING).rename(columns={"community": "group"})
    specs["talking_communities"] = TableSpec(
        talking, counts=[*TALKING, *(f"rest_{c}" for c in TALKING)], keys=["group"],
        figures=percentage_figures("recovery_pct", "recovered", "at_caseness", reference="rest_"),
    )  # fmt: skip
    links += _rest_links("talking_communities", talking, ("recovered", "at_caseness"), "trust_talking")
    return "communities", "waits_communities", "talking_communities", "everyone else"


# ---------------------------------------------------------------------------------------------- sentences


def _subject(reference: str, characteristic: str, group: str) -> tuple[str, str]:
    if characteristic in ("broad_group", "ethnic_category"):
        return f"{group} people", f"{reference} people"
    if reference == "everyone else":
        return f"People in {group}" if characteristic != "cells" else group, "everyone else"
    return group, reference


def _rate_sentences(
    table: PublishedTable, measure: str, reference: str, characteristic: str
) -> tuple[str, ...]:
    """One sentence per group whose rate differs clearly from the comparison group's, or one saying none
    does; rates and ratios as published."""
    verb = outcome(MEASURES[measure][1])
    found = clear_differences(table, f"{measure}_rate_ratio")
    against = _subject(reference, characteristic, reference)[1]
    if not found:
        return (f"No group was clearly more or less likely to be {verb} than {against} (95% confidence intervals "
                "of every ratio include 1, or too few to compare).",)  # fmt: skip
    out = []
    for group, estimate in found:
        subject = _subject(reference, characteristic, group)[0]
        word = "more" if estimate.value > 1 else "less"
        out.append(
            f"{subject} were {word} likely to be {verb} than {against}: {format_ratio(estimate.value, 2)} times "
            f"the rate (95% CI {format_ratio(estimate.lower, 2)} to {format_ratio(estimate.upper, 2)})."
        )
    return tuple(out)


def _share_sentences(table: PublishedTable, key: str, reference: str, words: str) -> tuple[str, ...]:
    """One sentence per group whose share differs clearly from the comparison group's."""
    found = clear_differences(table, f"{key}_pct_ratio")
    frame = table.frame.set_index("group")
    if not found:
        return (f"No group differs clearly from {reference} (every 95% confidence interval of the ratio includes "
                "1, or too few to compare).",)  # fmt: skip
    out = []
    for group, estimate in found:
        value = frame.loc[group, f"{key}_pct"]
        word = "higher" if estimate.value > 1 else "lower"
        out.append(
            f"{group}: {value:.1f}% {words}, {word} than {reference}: {format_ratio(estimate.value, 2)} times "
            f"(95% CI {format_ratio(estimate.lower, 2)} to {format_ratio(estimate.upper, 2)})."
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------------- intersections


@dataclass(frozen=True)
class Crossed:
    """One measure by up to three characteristics: each cell against everyone in the selection."""

    dims: tuple[str, ...]
    measure: str
    table: PublishedTable  # one row per cell: a column per characteristic (named), counts, figure, ratio
    value: str  # the figure's column: 'rate' (per 100,000) or 'share' (%)
    counts: tuple[str, ...]  # (events,) or (numerator, denominator)
    sentences: tuple[str, ...]
    has_population: bool


def _measure_cells(cut: _Slice, measure: str, dims: tuple[str, ...]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    if measure in MEASURES:
        return cut.people(dims)[[*dims, measure]], (measure,)
    numerator, denominator, source = SHARES[measure][:3]
    if source == "people":
        frame = cut.people(dims)
    elif source == "waits":
        frame = cut.waits(dims, median=False)
    else:
        frame = cut.talking(dims)
    return frame[[*dims, numerator, denominator]], (numerator, denominator)


def intersections(
    engine: Engine, scope: Scope, financial_year: str, dims: tuple[str, ...] = ("broad_group", "sex", "age_band"),
    measure: str = "people_referred", borough: str = "", service_line: str = "",
) -> Crossed:  # fmt: skip
    """``measure`` (a rate of people or a share, :data:`CROSS_MEASURES`) by up to three characteristics of
    :data:`CROSSABLE`. Every cell is compared with everyone in the selection (ratio of rates or of shares,
    from published counts). The cells are published with each characteristic's totals and everyone's,
    linked, so no hidden cell can be worked out from the one-characteristic tables."""
    dims = tuple(dict.fromkeys(dims))
    if not 1 <= len(dims) <= 3 or any(d not in CROSSABLE for d in dims):
        raise ValueError(f"choose one to three of {list(CROSSABLE)}")
    if {"broad_group", "ethnic_category"} <= set(dims):
        raise ValueError("choose broad or detailed ethnic groups, not both")
    if measure not in CROSS_MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    cut = _Slice(engine, scope, financial_year, borough, service_line, dims[0])
    cells, counts = _measure_cells(cut, measure, dims)
    cells = cells.astype({d: str for d in dims})
    total = {c: int(cells[c].sum()) for c in counts}
    population = cut.population(dims) if measure in MEASURES else None
    # everyone's published counts on every row: each cell is compared with everyone in the selection
    shown = {c: policy().publish(total[c]) for c in counts}
    for c in counts:
        cells[f"ref_{c}"] = float(shown[c]) if shown[c] else np.nan
    if population is not None:
        population = population.astype({d: str for d in dims})
        cells = cells.merge(population, on=list(dims), how="left")
        cells["ref_population"] = float(population["population"].sum())
        figures, value = rate_figures("rate", measure, "population"), "rate"
    elif measure in MEASURES:
        # no population for one of the characteristics: each cell's share of everyone in the selection
        figures, value = percentage_figures("share", counts[0], f"ref_{counts[0]}", reference=None), "share"
    else:
        figures, value = percentage_figures("share", *counts), "share"
    has_population = population is not None
    specs = {
        "cells": TableSpec(cells, counts=[*counts, *(f"ref_{c}" for c in counts)], keys=list(dims), figures=figures,
                           public=[c for c in ("population", "ref_population") if c in cells]),
        "everyone": TableSpec(pd.DataFrame([{"group": "Everyone", **total}]), counts=list(counts), keys=["group"]),
    }  # fmt: skip
    links: list = []
    for dim in dims:
        if len(dims) > 1:
            specs[f"margin_{dim}"] = TableSpec(
                _sum_rows(cells, [dim], counts), counts=list(counts), keys=[dim]
            )
            links += [Rollup(f"margin_{dim}", "cells", on=dim, columns=list(counts)),
                      Rollup("everyone", f"margin_{dim}", columns=list(counts))]  # fmt: skip
    if len(dims) == 1:
        links.append(Rollup("everyone", "cells", columns=list(counts)))
    published = publish_linked(specs, links, policy=policy())
    table = published["cells"]
    labels = table.frame[list(dims)].apply(lambda row: ", ".join(group_name(d, row[d]) for d in dims), axis=1)
    ratio = f"{value}_ratio"
    sentences = []
    if ratio in table.frame:
        for index in table.frame.index:
            lower, upper = table.frame.loc[index, f"{ratio}_lower"], table.frame.loc[index, f"{ratio}_upper"]
            if table.mask.loc[index, ratio] or pd.isna(lower) or lower <= 1 <= upper:
                continue
            sentences.append(
                f"{labels[index]}: {'higher' if lower > 1 else 'lower'} than everyone in the selection, "
                f"{format_ratio(float(table.frame.loc[index, ratio]), 2)} times "
                f"(95% CI {format_ratio(float(lower), 2)} to {format_ratio(float(upper), 2)})."
            )
    if not sentences and ratio in table.frame:
        sentences.append("No cell differs clearly from everyone in the selection (every 95% confidence interval of the ratio "
                         "includes 1, or too few to compare).")  # fmt: skip
    return Crossed(dims, measure, table, value, counts, tuple(sentences), has_population)


# ---------------------------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class Trend:
    series: PublishedTable | None  # None: not kept by month for this group (``reason`` says why)
    value: str  # the column charted: 'rate' (per 100,000 a year) or 'events' (people referred)
    unit: str
    has_rate: bool
    reason: str = ""


def _monthly_members(cut: _Slice, group: str) -> tuple[pd.DataFrame | None, str]:
    """People referred each month in one group of the chosen characteristic (or one community defined
    by a single monthly characteristic); None with the reason when the summary does not keep it."""
    if cut.by == COMMUNITIES:
        community = next((c for c in cut.communities if c.name == group), None)
        if (
            community is None
            or len(community.filters) != 1
            or community.attributes[0] not in access.MONTHLY_CHARACTERISTICS
        ):
            return None, ("Monthly counts are kept by one characteristic at a time (ethnic group, sex, age band or "
                          "deprivation), so a community that combines filters has no monthly trend; see its "
                          "yearly figures in the other tabs.")  # fmt: skip
        attribute = community.attributes[0]
        monthly = access.monthly_people(cut.engine, cut.scope, attribute, cut.borough, cut.line)
        return monthly[community.members(monthly)], ""
    if cut.by not in access.MONTHLY_CHARACTERISTICS:
        return None, (f"Monthly counts are kept by ethnic group, sex, age band and deprivation, not by "
                      f"{LABELS[cut.by].lower()}.")  # fmt: skip
    monthly = access.monthly_people(cut.engine, cut.scope, cut.by, cut.borough, cut.line)
    return monthly[monthly[cut.by].map(lambda v: group_name(cut.by, v)) == group], ""


def trend(
    engine: Engine, scope: Scope, group: str, characteristic: str = "broad_group", borough: str = "",
    service_line: str = "", custom: tuple = (),
) -> Trend:  # fmt: skip
    """People referred each month in one group, as an annualised rate per 100,000 residents of the group
    (× 12, so months compare with the year) when its population is known, else as counts of people."""
    cut = _Slice(engine, scope, "", borough, service_line, characteristic, custom)
    monthly, reason = _monthly_members(cut, group)
    if monthly is None:
        return Trend(None, "events", "People referred", False, reason)
    monthly = monthly.groupby("month_start", as_index=False)["people_referred"].sum()
    months = access.monthly_people(engine, scope, "", borough, service_line)[["month_start"]]
    monthly = months.merge(monthly, on="month_start", how="left").fillna({"people_referred": 0})
    residents = _group_residents(cut, group)
    series = monthly_rate(monthly["month_start"], monthly["people_referred"], residents or 0, policy(),
                          scale=12)  # fmt: skip
    if residents:
        return Trend(series, "rate", "Per 100,000 a year", True)
    return Trend(series, "events", "People referred", False)


def _group_residents(cut: _Slice, group: str) -> int | None:
    if cut.by == COMMUNITIES:
        community = next(c for c in cut.communities if c.name == group)
        cells = cut.population(community.attributes)
        if cells is None or not all(a in POPULATION_ATTRIBUTES for a in community.filters):
            return None
        return int(cells.loc[community.members(cells), "population"].sum()) or None
    cells = cut.population((cut.by,))
    if cells is None:
        return None
    match = cells.loc[cells[cut.by].map(lambda v: group_name(cut.by, v)) == group, "population"]
    return int(match.sum()) or None


# ---------------------------------------------------------------------------------------------- teams


def teams(
    engine: Engine, scope: Scope, financial_year: str, characteristic: str, borough: str = "",
    service_line: str = "",
) -> tuple[str, PublishedTable]:  # fmt: skip
    """People referred to each team (within scope) by one characteristic (broad group for communities,
    which overlap), published with each team's total and each group's total, linked."""
    dim = "broad_group" if characteristic == COMMUNITIES else characteristic
    frame = access.team_people(engine, scope, financial_year, (dim,), borough, service_line)
    frame[dim] = frame[dim].astype(str)
    cells = frame[["team_id", "team", dim, "people_referred"]].astype({"team_id": str})
    specs = {
        "cells": TableSpec(cells, counts=["people_referred"], keys=["team_id", dim]),
        "teams": TableSpec(_sum_rows(cells, ["team_id", "team"], ["people_referred"]), counts=["people_referred"],
                           keys=["team_id"]),
        "groups": TableSpec(_sum_rows(cells, [dim], ["people_referred"]), counts=["people_referred"], keys=[dim]),
    }  # fmt: skip
    links = [Rollup("teams", "cells", on="team_id"), Rollup("groups", "cells", on=dim)]
    published = publish_linked(specs, links, policy=policy())
    return dim, published["cells"]


MAP_GROUPS = ("All", *KNOWN_BROAD_GROUPS)
