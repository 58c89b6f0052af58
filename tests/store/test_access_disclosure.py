"""The Service access figures attacked as a reader with a calculator would, on the tiny store (where small
counts abound): the report is built for several filter combinations, every release of the disclosure
stage is recorded (``measures.disclosure.recording``), and ``measures.attacks.Publication`` is given
everything published with the links a reader could use: each group against everyone and detailed
against broad groups (declared by the report), an intersection against each of its characteristics
(its margins, and the one-characteristic view of the same selection), and a filtered view against the
unfiltered one (a partial roll-up). Nothing from 1 to 4 may be recovered and no rounded count un-rounded.
A companion test publishes without suppression and expects the same check to fail."""

from __future__ import annotations

from measures.attacks import Publication
from measures.disclosure import NO_SUPPRESSION, CellRef, DisclosurePolicy, Equation, Rollup, recording
from queries.scope import Scope
from reports import access
from reports.common import forget_kept

READER_POLICY = DisclosurePolicy(threshold=5, base=5)  # what config/trust.yaml tells the reader
TRUST = Scope.whole_trust()
YEAR = "2024-25"
BOROUGH = "E09000022"  # Lambeth


def _renamed(link, prefix: str):
    if isinstance(link, Rollup):
        return Rollup(
            f"{prefix}{link.total}", f"{prefix}{link.parts}", on=dict(link.on),
            columns=dict(link.columns) if link.columns else None, complete=link.complete,
        )  # fmt: skip
    terms = tuple((c, CellRef(f"{prefix}{ref.table}", dict(ref.row), ref.column)) for c, ref in link.terms)
    return Equation(terms, link.constant, link.label)


def publish_views(engine, views: dict[str, tuple]) -> tuple[Publication, dict[str, list]]:
    """Run each (function, kwargs) view, recording its releases, and add them all to one publication."""
    publication = Publication(READER_POLICY)
    releases = {}
    for label, (function, kwargs) in views.items():
        forget_kept()  # views are kept once per store load: publish this one again, so that it is recorded
        with recording() as recorded:
            function(engine, TRUST, **kwargs)
        releases[label] = list(recorded)
        for i, release in enumerate(recorded):
            prefix = f"{label}{i}:"
            for name, published in release.published.items():
                spec = release.specs[name]
                truth = spec.frame[list(published.count_columns)].reset_index(drop=True)
                publication.add_table(
                    f"{prefix}{name}", published.export_frame().reset_index(drop=True), keys=tuple(spec.keys),
                    counts=published.count_columns, public=published.public_columns, figures=published.figures,
                    truth=truth, totals=spec.totals, policy=READER_POLICY,
                )  # fmt: skip
            publication.link(*(_renamed(link, prefix) for link in release.links))
    return publication, releases


VIEWS = {
    "broad": (access.report, {"financial_year": YEAR, "characteristic": "broad_group"}),
    "lambeth": (access.report, {"financial_year": YEAR, "characteristic": "broad_group", "borough": BOROUGH}),
    "cross": (access.intersections, {"financial_year": YEAR, "dims": ("broad_group", "sex"), "measure": "police"}),
}  # fmt: skip
COUNTS = ["people_referred", "referrals", "source_police"]


def attack(engine, views=VIEWS):
    publication, releases = publish_views(engine, views)
    if (
        "lambeth" in views
    ):  # a filtered view against the unfiltered one: Lambeth's groups are part of the trust's
        publication.link(Rollup("broad0:groups", "lambeth0:groups", on="key", columns=COUNTS, complete=False))
    if "cross" in views:  # the intersection against the one-characteristic view of the same selection
        publication.link(Rollup("broad0:groups", "cross0:cells", on={"broad_group": "key"},
                                columns={"referrals": "referrals", "source_police": "source_police"}))  # fmt: skip
    return publication, publication.attack(), releases


def test_nothing_small_or_unrounded_can_be_worked_out(tiny_engine):
    publication, report, releases = attack(tiny_engine)
    assert {"broad0:groups", "lambeth0:groups", "cross0:cells", "cross0:margin_sex"} <= set(
        publication.tables
    )
    legacy = [(label, name, column) for label, recorded in releases.items() for release in recorded
              for name, table in release.published.items() for column, basis in table.basis.items() if basis == "true"]  # fmt: skip
    assert not legacy, f"figures computed from true counts: {legacy[:5]}"
    assert report.ok, report.summary()


def test_the_check_fails_when_suppression_is_off(tiny_engine, monkeypatch):
    monkeypatch.setattr(access, "policy", lambda: NO_SUPPRESSION)
    _, report, _ = attack(tiny_engine, {"broad": VIEWS["broad"], "cross": VIEWS["cross"]})
    assert not report.ok
    assert any(f.kind in ("shown", "unrounded") for f in report.disclosures)
