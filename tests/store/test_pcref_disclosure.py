"""The PCREF view against a reader with a calculator (issue 13): everything the coercion tab publishes
for several filter combinations (two years; sex × age; a borough) is attacked together with every link
a reader could use (broad = Σ detailed groups in every year, trust = groups + not recorded, year = Σ
months, trust = Σ teams, Black = Σ teams' Black events, the reference columns = the reference row, a
filtered view against the unfiltered one, one year's yearly tables against another's). Nothing from 1 to 4 may be shown
or recovered and no rounded count un-rounded; and the same check must fail when the view is published
without suppression, so the test can fail."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data.store import make_engine
from measures.attacks import Publication
from measures.disclosure import CellRef, DisclosurePolicy, Equation, PublishedTable, Rollup
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS
from queries.scope import Scope
from reports import pcref

REAL = DisclosurePolicy()  # what the reader is told: 1-4 hidden, others rounded to 5
UNPROTECTED = DisclosurePolicy(threshold=1, base=1)
YEARS = {"2025-26": (date(2025, 4, 1), date(2026, 3, 31)), "2024-25": (date(2024, 4, 1), date(2025, 3, 31))}
VIEWS = {
    "all": ("2025-26", {}),
    "last_year": ("2024-25", {}),
    "female_18_24": ("2025-26", {"sex": "F", "age_band": "18-24"}),
    "male_18_24": ("2025-26", {"sex": "M", "age_band": "18-24"}),
    "lambeth": ("2025-26", {"borough": "E09000022"}),
}
#: The views whose monthly series are attacked with the rest (each view's own release protects its months
#: against its years; attacking every view's months together only costs time).
MONTHLY = ("all", "lambeth")


@pytest.fixture(scope="module")
def engine(tiny_store_url):
    engine = make_engine(tiny_store_url)
    yield engine
    engine.dispose()


def build(engine, rules: DisclosurePolicy, names=tuple(VIEWS)) -> dict[str, pcref.View]:
    return {
        name: pcref.view(
            engine, Scope.whole_trust(), "detentions", *YEARS[VIEWS[name][0]], rules=rules, **VIEWS[name][1]
        )
        for name in names
    }


def add(publication: Publication, name: str, table: PublishedTable, keys: list[str]) -> None:
    """A published table as a reader downloads it, read with the policy the reader is told."""
    publication.add_table(name, table.export_frame(), keys=keys, counts=table.count_columns,
                          public=table.public_columns, figures=table.figures, policy=REAL)  # fmt: skip


def add_view(publication: Publication, prefix: str, view: pcref.View, year: str) -> None:
    """One view's tables and the links inside it."""
    names = {k: f"{prefix}_{k}" for k in ("yearly", "detailed", "trust", "teams", "monthly")}
    add(publication, names["yearly"], view.yearly, ["financial_year", "group"])
    # every year's detailed groups (the trend of a detailed group's ratio); the year's detailed table is its rows
    add(publication, names["detailed"], view.yearly_detailed, ["financial_year", "code"])
    add(publication, names["trust"], view.coercion.trust, ["financial_year", "trust"])
    add(publication, names["teams"], view.teams, ["team"])
    this_year = {"financial_year": year}
    if prefix in MONTHLY:
        add(publication, names["monthly"], view.monthly_all, ["month_start", "group"])
        publication.link(
            Rollup(names["yearly"], names["monthly"], on=["financial_year", "group"], columns=["events"])
        )
    publication.link(
        Rollup(names["yearly"], names["detailed"], on={"financial_year": "financial_year", "broad_group": "group"},
               columns=["events", "people"]),
        Rollup(names["trust"], names["teams"], columns=["events", "unrecorded_events"], total_where=this_year),
        Rollup(names["yearly"], names["teams"], columns={"black_events": "events"},
               total_where={**this_year, "group": BLACK}),
    )  # fmt: skip
    for fy in view.yearly.frame["financial_year"].unique():
        for column in ("events", "people"):
            trust = CellRef(names["trust"], {"financial_year": fy, "trust": "Trust"}, column)
            if fy != year:
                continue  # the trust table shown is the chosen year's
            terms = [(1, trust), (-1, CellRef(names["trust"], {"financial_year": fy, "trust": "Trust"},
                                              f"unrecorded_{column}"))]  # fmt: skip
            terms += [(-1, CellRef(names["yearly"], {"financial_year": fy, "group": g}, column))
                      for g in KNOWN_BROAD_GROUPS]  # fmt: skip
            publication.link(Equation(tuple(terms), label=f"{prefix} trust {column}"))
        reference = {"financial_year": fy, "group": view.coercion.reference}
        for group in KNOWN_BROAD_GROUPS:
            if group == view.coercion.reference:
                continue
            for column in ("events", "people"):
                publication.link(Equation(((1, CellRef(names["yearly"], {"financial_year": fy, "group": group},
                                                       f"reference_{column}")),
                                           (-1, CellRef(names["yearly"], reference, column))),
                                          label=f"{prefix} reference {column}"))  # fmt: skip


def attack_views(views: dict[str, pcref.View]) -> object:
    publication = Publication(REAL)
    for name, view in views.items():
        add_view(publication, name, view, VIEWS[name][0])
    present = set(views)
    # a filtered view against the unfiltered one (the rest is not published), and year against year
    for whole, part in (("all", "lambeth"), ("all", "female_18_24"), ("all", "male_18_24")):
        if {whole, part} <= present:
            publication.link(
                Rollup(f"{whole}_yearly", f"{part}_yearly", on=["financial_year", "group"], complete=False,
                       columns=["events", "people"]),
                Rollup(f"{whole}_detailed", f"{part}_detailed", on=["financial_year", "code"], complete=False,
                       columns=["events", "people"]),
                Rollup(f"{whole}_teams", f"{part}_teams", on=["team"], complete=False,
                       columns=["events", "black_events", "unrecorded_events"]),
            )  # fmt: skip
    if {"all", "last_year"} <= present:  # the same years, published in two views
        publication.link(Rollup("all_yearly", "last_year_yearly", on=["financial_year", "group"],
                                columns=["events", "people"]),
                         Rollup("all_detailed", "last_year_detailed", on=["financial_year", "code"],
                                columns=["events", "people"]))  # fmt: skip
    return publication.attack()


def test_the_pcref_views_reveal_nothing_to_a_reader_with_a_calculator(engine):
    views = build(engine, REAL)
    report = attack_views(views)
    assert report.ok, report.summary()
    shown = pd.concat([v.coercion.broad.frame for v in views.values()])
    assert shown["events"].notna().any()  # the views publish figures, not only stars


def test_the_same_check_fails_when_the_view_is_published_without_suppression(engine):
    views = build(engine, UNPROTECTED, names=("all", "female_18_24"))
    report = attack_views(views)
    assert not report.ok
    assert {f.kind for f in report.disclosures} & {"shown", "recovered", "unrounded"}
