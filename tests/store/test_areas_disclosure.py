"""The Areas page against a reader with a calculator, on the tiny store: every view of one measure and
year, opened one after another and set against each other.

For one measure and year the page publishes, one view at a time: rates by borough, for everyone and for
each broad ethnic group (the "Ethnic group" filter); rates by neighbourhood of each borough, again for
everyone and for each group; the breakdown by community (events by broad ethnic group, with ratios to
the reference group) for the trust, for each borough and for each neighbourhood, with its caption (how
many events there were and how many had no recorded ethnicity); and, for each neighbourhood, the teams
that served its residents, with their detentions of those residents. Each view is protected on its own;
a reader who opens them all also knows how they add up:

- the boroughs add up to the trust, the neighbourhoods of a borough to the borough (each map's own total);
- the same count is published in several views: a borough's count for one group on the borough map for
  that group, as the total of the borough's neighbourhood map for that group, and in the borough's
  breakdown by community; a neighbourhood's count for one group on its borough's neighbourhood map for
  that group and in the neighbourhood's breakdown by community; the trust's count for one group as the
  total of the borough map for that group and in the trust's breakdown by community; everyone's count of
  an area on the map for everyone and in the caption of the area's breakdown;
- everyone = the five known groups + those whose ethnicity was not recorded (the caption gives the
  latter: rounded, "fewer than 5", or none), at every level;
- the reference group's events, repeated on every other row of a breakdown for its ratio, are the
  reference row's events;
- the teams serving a neighbourhood's residents add up to the neighbourhood's detentions.

Nothing from 1 to 4 may be shown or worked out and no rounded count un-rounded, for detentions and for
CTOs (whose counts are small). The same attack on the views published without suppression must fail, so
the test is known to be able to fail."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import pytest

from data.store import make_engine
from measures.attacks import Publication
from measures.disclosure import NO_SUPPRESSION, CellRef, DisclosurePolicy, Equation, PublishedTable
from measures.ethnicity import KNOWN_BROAD_GROUPS
from queries import area, overview
from queries.scope import Scope
from reports import areas
from reports.common import forget_kept
from reports.data_quality import Recording

READER_POLICY = DisclosurePolicy(threshold=5, base=5)  # what config/trust.yaml tells the reader
TRUST = Scope.whole_trust()
YEAR = "2025-26"  # the page's default year on the tiny store
DETENTIONS, CTO = "mha_detentions_crude_rate", "cto_crude_rate"
ALL = ""  # the "Ethnic group" filter set to All
GROUPS = (ALL, *KNOWN_BROAD_GROUPS)
TRUST_PLACE = "trust"


#: A second tiny store (another seed) where the views, published one at a time, gave a count away (below).
OTHER_SEED = 2021


@pytest.fixture(scope="module")
def engine(tiny_engine):
    """The shared tiny store (tests/conftest.py)."""
    return tiny_engine


@pytest.fixture(scope="module")
def other_engine(tmp_path_factory):
    from data.demo import build_demo

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('areas') / 'tiny_2021.db'}")
    build_demo(engine, scale="tiny", seed=OTHER_SEED)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_publications():
    """Each test publishes its views itself, and leaves nothing kept (the twin publishes without
    suppression) for the tests that run after it in this process."""
    forget_kept()
    yield
    forget_kept()


def _group(group: str) -> str:
    return group or "All"


@dataclass
class AreasViews:
    """Everything the Areas page publishes for one measure and year, as a reader who opens every view
    sees it, with the true counts behind it (read straight from the queries, to confirm findings)."""

    measure_id: str
    boroughs: list[str]
    msoas: dict[str, list[str]]  # borough → its neighbourhoods
    lad: dict[str, areas.AreaRates] = field(default_factory=dict)  # group → borough map
    msoa: dict[tuple[str, str], areas.AreaRates] = field(default_factory=dict)  # (borough, group) → map
    community: dict[str, areas.Community] = field(default_factory=dict)  # place → breakdown
    teams: dict[str, PublishedTable] = field(default_factory=dict)  # neighbourhood → its teams
    truth_lad: dict[str, pd.DataFrame] = field(default_factory=dict)
    truth_msoa: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    truth_groups: dict[str, pd.DataFrame] = field(default_factory=dict)
    truth_teams: dict[str, pd.DataFrame] = field(default_factory=dict)


def open_every_view(engine, measure_id: str, *, teams: bool = True) -> AreasViews:
    """Every view of the measure's year: what the page asks ``reports.areas`` for, view by view."""
    forget_kept()
    boroughs = list(overview.boroughs(engine, TRUST)["code"])
    msoas = {
        b: list(area.area_counts(engine, TRUST, measure_id, YEAR, "msoa", b)["area_code"]) for b in boroughs
    }
    views = AreasViews(measure_id, boroughs, msoas)
    for group in GROUPS:
        views.lad[group] = areas.area_table(engine, TRUST, measure_id, YEAR, broad_group=group)
        views.truth_lad[group] = area.area_counts(engine, TRUST, measure_id, YEAR, "lad", "", group)
        for borough in boroughs:
            views.msoa[borough, group] = areas.area_table(
                engine, TRUST, measure_id, YEAR, level="msoa", borough=borough, broad_group=group,
                benchmark_name=borough,
            )  # fmt: skip
            views.truth_msoa[borough, group] = area.area_counts(
                engine, TRUST, measure_id, YEAR, "msoa", borough, group
            )
    places = [(TRUST_PLACE, "", ""), *((b, b, "") for b in boroughs)]
    places += [(m, b, m) for b in boroughs for m in msoas[b]]
    for place, borough, msoa in places:
        views.community[place] = areas.community(
            engine, TRUST, measure_id, YEAR, borough=borough, place=place, msoa=msoa
        )
        views.truth_groups[place] = area.group_counts(engine, TRUST, measure_id, YEAR, borough, msoa)
        if teams and msoa:
            views.teams[msoa] = areas.area_teams(engine, TRUST, borough, YEAR, msoa)
            views.truth_teams[msoa] = area.area_teams(engine, TRUST, borough, YEAR, msoa)
    return views


# --------------------------------------------------------------------------- what the reader sees


def _truth_by(frame: pd.DataFrame, key: str, shown: pd.DataFrame, columns) -> pd.DataFrame:
    """The true counts of ``columns`` for each published row, matched on ``key``."""
    true = frame.set_index(key)
    return pd.DataFrame({c: [true.loc[k, c] for k in shown[key]] for c in columns}, index=shown.index)


def _add(
    publication: Publication, name: str, table: PublishedTable, keys, truth: pd.DataFrame, **extra
) -> None:
    """A published table as the reader downloads it, read with the policy the reader is told (``extra``:
    constant columns that name its rows for the links)."""
    shown = table.export_frame().reset_index(drop=True).assign(**extra)
    publication.add_table(
        name, shown, keys=keys, counts=table.count_columns, public=table.public_columns,
        figures=table.figures, truth=truth.reset_index(drop=True), policy=READER_POLICY,
    )  # fmt: skip


def _add_map(publication: Reader, name: str, rates: areas.AreaRates, true: pd.DataFrame) -> None:
    table = rates.table
    _add(
        publication,
        f"{name}:areas",
        table,
        ["area_code"],
        _truth_by(true, "area_code", table.frame, ["events"]),
    )
    total = rates.total.frame
    assert len(total) == 1
    _add(
        publication,
        f"{name}:total",
        rates.total,
        ["row"],
        pd.DataFrame({"events": [true["events"].sum()]}),
        row="total",
    )
    terms = [(1, CellRef(f"{name}:total", {"row": "total"}, "events"))]
    terms += [
        (-1, CellRef(f"{name}:areas", {"area_code": code}, "events")) for code in table.frame["area_code"]
    ]
    publication.equation(terms, label=f"{name}: total = Σ areas")


CAPTION = re.compile(
    r"^Ethnicity was not stated or not known for (?:"
    r"[\d.]+% \(about (?P<unrecorded>[\d,]+) of (?P<events>[\d,]+) events\)"
    r"|(?P<fewer>fewer than 5 events)|(?P<none>none of the events)"
    r"|\* of (?:\*|about (?P<events_of_hidden>[\d,]+)) events"
    r") here\.$"
)


def _number(text: str | None) -> int | None:
    return None if text is None else int(text.replace(",", ""))


def _caption(recording: Recording) -> dict[str, object]:
    """What the caption under a breakdown by community says about everyone's events and those with no
    recorded ethnicity: a number, "*" (hidden), or nothing (not said). "Fewer than 5" says 1 to 4."""
    text = recording.sentence("here")
    if text == "No events here.":  # said when the published total is 0 (or, before, suppressed)
        return {"events": 0 if recording.total == 0 else None, "unrecorded": None, "fewer": False}
    match = CAPTION.match(text)
    assert match, f"a caption the attack does not read: {text!r}"
    if match["fewer"] or match["none"]:
        return {"events": None, "unrecorded": "*" if match["fewer"] else 0, "fewer": bool(match["fewer"])}
    if match["unrecorded"]:
        return {
            "events": _number(match["events"]),
            "unrecorded": _number(match["unrecorded"]),
            "fewer": False,
        }
    return {"events": _number(match["events_of_hidden"]) or "*", "unrecorded": "*", "fewer": False}


def _recording_rows(views: AreasViews) -> tuple[pd.DataFrame, pd.DataFrame, list[Equation]]:
    """The caption of each breakdown by community, as a table (two unshown helper counts pin a "fewer
    than 5" between 1 and 4)."""
    rows, truths, bounds = [], [], []
    for place, community in views.community.items():
        groups = views.truth_groups[place]
        unknown = int(groups.loc[~groups["broad_group"].isin(KNOWN_BROAD_GROUPS), "events"].sum())
        shown = _caption(community.recording)
        rows.append({"place": place, "events": shown["events"], "unrecorded": shown["unrecorded"],
                     "above_one": None, "below_four": None})  # fmt: skip
        truths.append({"events": int(groups["events"].sum()), "unrecorded": unknown,
                       "above_one": max(unknown - 1, 0), "below_four": max(4 - unknown, 0)})  # fmt: skip
        if shown["fewer"]:
            cell = {"place": place}
            bounds += [
                Equation(((1, CellRef("caption", cell, "unrecorded")), (-1, CellRef("caption", cell, "above_one"))),
                         1, f"{place}: unrecorded ≥ 1"),
                Equation(((1, CellRef("caption", cell, "unrecorded")), (1, CellRef("caption", cell, "below_four"))),
                         4, f"{place}: unrecorded ≤ 4"),
            ]  # fmt: skip
    return pd.DataFrame(rows), pd.DataFrame(truths), bounds


class Reader(Publication):
    """A :class:`Publication` whose links leave out the cells published as 0: a 0 stands for 0 exactly,
    so the relation is the same, and the block of linked counts stays small enough for the attack's
    integer programme (most neighbourhoods have no detentions, and most teams none of their residents)."""

    def __init__(self, policy: DisclosurePolicy) -> None:
        super().__init__(policy)
        self.zeros: set[tuple[str, tuple, str]] = set()

    def add_table(self, name: str, frame: pd.DataFrame, **kwargs) -> Publication:
        keys, counts = list(kwargs.get("keys", ())), kwargs.get("counts", ())
        for _, row in frame.iterrows():
            for column in counts:
                if not isinstance(row[column], str) and row[column] is not None and row[column] == 0:
                    self.zeros.add((name, CellRef(name, {k: row[k] for k in keys}, column).row, column))
        return super().add_table(name, frame, **kwargs)

    def equation(self, terms, constant: int = 0, label: str = "equation") -> None:
        kept = tuple((k, ref) for k, ref in terms if (ref.table, ref.row, ref.column) not in self.zeros)
        if kept:
            self.link(Equation(kept, constant, label))

    def same(self, a: CellRef, b: CellRef, label: str) -> None:
        self.equation(((1, a), (-1, b)), label=label)


def publication_of(views: AreasViews) -> Reader:
    publication = Reader(READER_POLICY)
    reference = next(iter(views.community.values())).reference
    # the maps, each with its own total
    for group in GROUPS:
        _add_map(publication, f"lad:{_group(group)}", views.lad[group], views.truth_lad[group])
        for borough in views.boroughs:
            _add_map(publication, f"msoa:{borough}:{_group(group)}", views.msoa[borough, group],
                     views.truth_msoa[borough, group])  # fmt: skip
    # the breakdowns by community and their captions
    for place, community in views.community.items():
        known = views.truth_groups[place].rename(columns={"broad_group": "group"})
        truth = _truth_by(known, "group", community.table.frame, ["events"])
        white = int(known.set_index("group").loc[reference, "events"])
        truth["reference_events"] = [
            None if g == reference else white for g in community.table.frame["group"]
        ]
        _add(publication, f"community:{place}", community.table, ["group"], truth)
        for group in KNOWN_BROAD_GROUPS:
            if group != reference:
                publication.same(CellRef(f"community:{place}", {"group": group}, "reference_events"),
                                       CellRef(f"community:{place}", {"group": reference}, "events"),
                                       f"{place}: the reference's events")  # fmt: skip
    captions, caption_truth, bounds = _recording_rows(views)
    publication.add_table("caption", captions, keys=["place"], counts=["events", "unrecorded", "above_one",
                          "below_four"], truth=caption_truth, policy=READER_POLICY)  # fmt: skip
    for bound in bounds:
        publication.equation(bound.terms, bound.constant, bound.label)
    # everyone = the known groups + the unrecorded, at every level
    for place in views.community:
        terms = [(1, CellRef("caption", {"place": place}, "events")),
                 (-1, CellRef("caption", {"place": place}, "unrecorded"))]  # fmt: skip
        terms += [(-1, CellRef(f"community:{place}", {"group": g}, "events")) for g in KNOWN_BROAD_GROUPS]
        publication.equation(tuple(terms), label=f"{place}: everyone = groups + unrecorded")
    # the same count in several views
    for group in GROUPS:
        lad = f"lad:{_group(group)}"
        trust_cell = (
            CellRef("caption", {"place": TRUST_PLACE}, "events") if group == ALL
            else CellRef(f"community:{TRUST_PLACE}", {"group": group}, "events")
        )  # fmt: skip
        publication.same(CellRef(f"{lad}:total", {"row": "total"}, "events"), trust_cell,
                               f"the trust, {_group(group)}")  # fmt: skip
        for borough in views.boroughs:
            msoa = f"msoa:{borough}:{_group(group)}"
            borough_cell = CellRef(f"{lad}:areas", {"area_code": borough}, "events")
            publication.same(CellRef(f"{msoa}:total", {"row": "total"}, "events"), borough_cell,
                             f"{borough}, {_group(group)}: its map's total")  # fmt: skip
            place_cell = (
                CellRef("caption", {"place": borough}, "events") if group == ALL
                else CellRef(f"community:{borough}", {"group": group}, "events")
            )  # fmt: skip
            publication.same(borough_cell, place_cell, f"{borough}, {_group(group)}: its breakdown")
            for code in views.msoas[borough]:
                place_cell = (
                    CellRef("caption", {"place": code}, "events") if group == ALL
                    else CellRef(f"community:{code}", {"group": group}, "events")
                )  # fmt: skip
                publication.same(CellRef(f"{msoa}:areas", {"area_code": code}, "events"), place_cell,
                                 f"{code}, {_group(group)}: its breakdown")  # fmt: skip
    # the teams serving a neighbourhood's residents add up to its detentions
    for code, teams in views.teams.items():
        name = f"teams:{code}"
        _add(publication, name, teams, ["id"],
             _truth_by(views.truth_teams[code], "id", teams.frame, ["referrals", "detentions"]))  # fmt: skip
        if views.measure_id == DETENTIONS:
            borough = next(b for b, codes in views.msoas.items() if code in codes)
            terms = [(1, CellRef(f"msoa:{borough}:All:areas", {"area_code": code}, "events"))]
            terms += [(-1, CellRef(name, {"id": i}, "detentions")) for i in teams.frame["id"]]
            publication.equation(tuple(terms), label=f"{code}: its teams' detentions")
    return publication


def attack(engine, measure_id: str, **kwargs):
    return publication_of(open_every_view(engine, measure_id, **kwargs)).attack()


def _assert_safe(report) -> None:
    assert not report.contradictions, report.contradictions
    assert not report.inconsistent, report.summary()
    assert report.ok, report.summary()


@pytest.mark.parametrize("measure_id", [DETENTIONS, CTO])
def test_no_small_or_unrounded_count_can_be_worked_out_across_the_areas_views(engine, measure_id):
    _assert_safe(attack(engine, measure_id))


def test_southwarks_white_cto_on_another_tiny_store_stays_hidden(other_engine):
    """Found by this attack when each view was published on its own (seed 2021, CTOs in 2025-26):
    Southwark's CTOs were 7 (shown as 5), Black 5 (shown as 5 as the total of Southwark's map for Black
    people, "*" in Southwark's breakdown by community), none for Mixed, Asian or Other, and the caption
    said "fewer than 5" had no recorded ethnicity; so White ≤ 7 − 5 − 1 = 1, and the "*" for White
    Southwark residents (borough map for White people, Southwark's breakdown and its neighbourhood's)
    was 1."""
    report = attack(other_engine, CTO, teams=False)
    _assert_safe(report)
    white = [f for f in report.findings if f.table == "community:E09000028" and f.row == {"group": "White"}]
    assert not any(f.kind == "recovered" for f in white)


def test_the_check_fails_when_suppression_is_off(engine, monkeypatch):
    monkeypatch.setattr(areas, "policy", lambda: NO_SUPPRESSION)
    report = attack(engine, CTO, teams=False)
    assert not report.ok
    assert any(f.kind in ("shown", "unrounded") for f in report.disclosures)
