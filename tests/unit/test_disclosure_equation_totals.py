"""Which term of an :class:`~measures.disclosure.Equation` is the total, and why it matters.

Secondary suppression (``publish_linked``) reads an equation's positive terms as totals and its negative
terms as parts, and chooses a part as the complement of a lone hidden cell (a total only when no part is
left). "Community + everyone else − trust = 0" written with the parts positive made the trust's count
look like the only part, so one small community's hidden count hid the trust's count, and through it
the same count of every other community and the next route of each (the Service access page's police
and A&E columns, "Black men aged 18 to 34" at 18 of 99 referrals included). An equation whose single
term of one sign faces several of the other is now read with that single term as the total, whichever
way round it is written."""

from __future__ import annotations

import pandas as pd
import pytest

from measures.attacks import Publication
from measures.disclosure import DEFAULT_POLICY, CellRef, Equation, TableSpec, publish_linked

COMMUNITIES = pd.DataFrame(
    {
        "group": ["Small", "Large", "Middle"],
        "police": [1, 18, 103],
        "rest_police": [238, 221, 136],
    }
)
TRUST = pd.DataFrame({"group": ["Everyone"], "police": [239]})


def rest_links(parts_positive: bool) -> list[Equation]:
    sign = 1 if parts_positive else -1
    return [
        Equation(
            (
                (sign, CellRef("communities", {"group": name}, "police")),
                (sign, CellRef("communities", {"group": name}, "rest_police")),
                (-sign, CellRef("trust", {"group": "Everyone"}, "police")),
            ),
            label=f"{name} + rest = trust",
        )
        for name in COMMUNITIES["group"]
    ]


def publish(parts_positive: bool):
    specs = {
        "communities": TableSpec(COMMUNITIES, counts=["police", "rest_police"], keys=["group"]),
        "trust": TableSpec(TRUST, counts=["police"], keys=["group"]),
    }
    return publish_linked(specs, rest_links(parts_positive), policy=DEFAULT_POLICY)


def hidden_cells(published) -> set[tuple[str, str, str]]:
    out = set()
    for name, table in published.items():
        for column in table.count_columns:
            for index in table.frame.index[table.mask[column]]:
                out.add((name, str(table.frame.loc[index, "group"]), column))
    return out


@pytest.mark.parametrize(
    "parts_positive", [True, False], ids=["parts written positive", "total written positive"]
)
def test_a_lone_hidden_part_is_joined_by_its_own_complement_not_the_shared_total(parts_positive):
    published = publish(parts_positive)
    # only the small count and its own "everyone else" are hidden; the trust's count and every other
    # community's stay shown (before the fix, written parts-positive, all four police counts were hidden)
    assert hidden_cells(published) == {
        ("communities", "Small", "police"),
        ("communities", "Small", "rest_police"),
    }
    shown = published["communities"].frame.set_index("group")
    assert shown.loc["Large", "police"] == 20 and shown.loc["Middle", "police"] == 105
    assert published["trust"].frame.loc[0, "police"] == 240


@pytest.mark.parametrize("parts_positive", [True, False])
def test_what_is_published_either_way_gives_nothing_away(parts_positive):
    published = publish(parts_positive)
    publication = Publication(DEFAULT_POLICY)
    for name, frame in (("communities", COMMUNITIES), ("trust", TRUST)):
        table = published[name]
        publication.add_table(
            name, table.export_frame(), keys=["group"], counts=table.count_columns,
            truth=frame[list(table.count_columns)],
        )  # fmt: skip
    publication.link(*rest_links(parts_positive))
    report = publication.attack()
    assert report.ok, report.summary()


class TestTheEquationItself:
    def test_the_single_term_of_its_sign_is_written_as_the_positive_total(self):
        a, b, t = (CellRef("x", {"k": i}, "n") for i in range(3))
        equation = Equation(((1, a), (1, b), (-1, t)), constant=2)
        assert equation.terms == ((-1, a), (-1, b), (1, t)) and equation.constant == -2

    def test_the_same_relation_is_kept(self):
        a, b, t = (CellRef("x", {"k": i}, "n") for i in range(3))
        equation = Equation(((1, a), (1, b), (-1, t)), constant=2)
        values = {a: 5, b: 4, t: 7}
        assert sum(c * values[ref] for c, ref in equation.terms) == equation.constant

    @pytest.mark.parametrize(
        "coefficients",
        [(1, -1, -1), (1, -1), (-1, 1), (1, 1, -1, -1), (1, 1), (-1, -1, -1)],
        ids=["total first", "two terms", "two terms reversed", "two and two", "no total", "all negative"],
    )
    def test_other_equations_are_left_as_written(self, coefficients):
        refs = [CellRef("x", {"k": i}, "n") for i in range(len(coefficients))]
        equation = Equation(tuple(zip(coefficients, refs, strict=True)), constant=3)
        assert tuple(c for c, _ in equation.terms) == coefficients and equation.constant == 3
