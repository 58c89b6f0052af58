"""The Workforce page against a reader with a calculator, on the tiny demo store (small counts abound).

Several views are built (whole trust; Croydon; clinical staff in Croydon; last year), and everything each
publishes (``measures.disclosure.recording``: the true tables, their links and what was published) is
attacked with ``measures.attacks.Publication`` under the reader's policy, with the links a reader could
use: bands = the total, boroughs = the trust, bands 8a+ and 8c+ = their trend row, WRES 3 and 4 headcounts
= the trust's staff, the groups by band = the band's BME and known staff, each filtered view against the
whole trust (not covering it), and each year's tables against every other view's trend. All views
together are attacked by bounds propagation (the exact integer programme over every view at once takes
minutes), and the whole trust and the doubly filtered view each with the exact programme too. Nothing
may recover a count from 1 to 4 or un-round a count. A companion test publishes with suppression turned
off and expects the attack to fail.
"""

from __future__ import annotations

import pytest

from measures.attacks import Publication
from measures.disclosure import NO_SUPPRESSION, CellRef, DisclosurePolicy, Equation, Rollup, recording
from reports import workforce as report
from reports.common import forget_kept
from reports.settings import policy

READER = DisclosurePolicy(threshold=5, base=5)
CROYDON = "E09000008"
GROUPS = ("white", "mixed", "asian", "black", "other")
BME_GROUPS = ("mixed", "asian", "black", "other")


def _views(engine, scope):
    years = list(report.snapshots(engine, scope)["financial_year"])
    year, last = years[-1], years[-2]
    return {
        "trust": (year, "all", ""),
        "croydon": (year, "all", CROYDON),
        "clinical_croydon": (year, "clinical", CROYDON),
        "last_year": (last, "all", ""),
    }


def _publish(engine, scope, views):
    """Every release of every view: {view: {table: (spec, published)}} and {view: [links]}."""
    tables, links = {}, {}
    for label, (year, staff, borough) in views.items():
        forget_kept()  # publish every group of this view again, so that it is recorded
        with recording() as releases:
            report.report(engine, scope, financial_year=year, staff_filter=staff, borough=borough)
        final = {}
        for release in releases:  # the last release of each group of tables is the one shown
            final[tuple(sorted(release.specs))] = release
        tables[label], links[label] = {}, []
        for release in final.values():
            for name, spec in release.specs.items():
                tables[label][name] = (spec, release.published[name])
            links[label].extend(release.links)
    return tables, links


def _renamed(link, label):
    if isinstance(link, Rollup):
        return Rollup(f"{label}:{link.total}", f"{label}:{link.parts}", on=dict(link.on), columns=dict(link.columns or ()),
                      complete=link.complete, total_where={k: list(v) for k, v in link.total_where},
                      parts_where={k: list(v) for k, v in link.parts_where})  # fmt: skip
    terms = tuple((c, CellRef(f"{label}:{ref.table}", dict(ref.row), ref.column)) for c, ref in link.terms)
    return Equation(terms, link.constant, f"{label}: {link.label}")


def _reader_links(tables, views) -> list:
    """The links across tables and views that a reader could use besides those each release declares."""
    links = []
    for label, own in tables.items():
        bands, groups = own["bands"][0].frame, own["groups"][0].frame
        for band in groups["pay_band"]:
            if band not in set(bands["pay_band"]):
                continue
            row = {"pay_band": band}
            for total, parts in (("known", GROUPS), ("bme", BME_GROUPS)):
                links.append(Equation(((1, CellRef(f"{label}:bands", row, total)),
                                       *((-1, CellRef(f"{label}:groups", row, part)) for part in parts)),
                                      label=f"{label}: groups of band {band} = {total}"))  # fmt: skip
        links += [
            Rollup(f"{label}:overall", f"{label}:{name}", columns=["staff"])
            for name in ("sex", "disability", "age_band")
        ]
        links.append(Rollup(f"{label}:trust", f"{label}:champion_bands", columns=["staff"]))
        if label != "trust":  # every view's tables against every other view's trend (year against year)
            links.append(Rollup("trust:trust_trend", f"{label}:trust_trend", on="financial_year"))
        _, staff, borough = views[label]
        if label != "trust" and staff == "all" and not borough:  # another year of the same view
            links.append(Rollup("trust:trend", f"{label}:trend", on="financial_year"))
        if staff != "all" or borough:  # a filtered view against the whole trust: it does not cover it
            for name, key in (("bands", "pay_band"), ("sex", "pay_band"), ("disability", "pay_band"),
                              ("age_band", "pay_band"), ("groups", "pay_band"), ("trend", "financial_year")):  # fmt: skip
                links.append(Rollup(f"trust:{name}", f"{label}:{name}", on=key, complete=False))
            links += [Rollup("trust:overall", f"{label}:overall", complete=False),
                      Rollup("trust:boroughs", f"{label}:boroughs", on="area_code", complete=False),
                      Rollup("trust:senior_boroughs", f"{label}:senior_boroughs", on="area_code", complete=False)]  # fmt: skip
        if borough:  # the borough's row of the unfiltered map = its bands
            links.append(Rollup(f"{label}:boroughs", f"{label}:bands", total_where={"area_code": borough}))
    return links


def _attack(tables, links, exact=True):
    publication = Publication(READER)
    for label, own in tables.items():
        for name, (spec, published) in own.items():
            publication.add_table(
                f"{label}:{name}", published.export_frame(), keys=spec.keys, counts=published.count_columns,
                public=published.public_columns, figures=published.figures, truth=spec.frame[list(spec.counts)],
                policy=READER,
            )  # fmt: skip
    publication.link(*links)
    return publication.attack(exact=exact)


def _within(links, label):
    """The links between tables of one view."""

    def names(link):
        return [link.total, link.parts] if isinstance(link, Rollup) else [ref.table for _, ref in link.terms]

    return [link for link in links if all(name.startswith(f"{label}:") for name in names(link))]


@pytest.fixture(scope="module")
def scope():
    from queries.scope import Scope

    return Scope.whole_trust()


def _everything(engine, scope, views=None):
    views = views or _views(engine, scope)
    tables, declared = _publish(engine, scope, views)
    links = [_renamed(link, label) for label, own in declared.items() for link in own]
    return tables, links + _reader_links(tables, views)


def _check(result):
    assert not result.contradictions, result.contradictions[:3]
    assert not result.inconsistent, [f.describe() for f in result.inconsistent[:3]]
    assert result.ok, result.summary()


def test_no_count_from_1_to_4_is_recovered_and_none_is_unrounded(tiny_engine, scope):
    tables, links = _everything(tiny_engine, scope)
    assert sum(len(own) for own in tables.values()) > 50
    _check(_attack(tables, links, exact=False))
    for label in ("trust", "clinical_croydon"):
        _check(_attack({label: tables[label]}, _within(links, label)))
    shown = [published for own in tables.values() for _, published in own.values()]
    assert any(table.suppressed_any for table in shown), "the tiny store has small counts to protect"
    assert all(basis == "published" for table in shown for basis in table.basis.values()), (
        "no figure may rest on the exact counts"
    )


def test_the_same_attack_fails_with_suppression_turned_off(tiny_engine, scope, monkeypatch):
    monkeypatch.setattr(report, "policy", lambda: NO_SUPPRESSION)
    assert policy() != NO_SUPPRESSION, "only the workforce report is changed"
    views = {label: view for label, view in _views(tiny_engine, scope).items() if label == "trust"}
    tables, links = _everything(tiny_engine, scope, views)
    result = _attack(tables, links, exact=False)
    assert not result.ok
    assert result.shown, "counts from 1 to 4 are published as they are"
