"""Specification of measures.ethnicity against docs/methods.md (NHS ETHNIC CATEGORY and Census 2021 TS021)."""

from __future__ import annotations

import pandas as pd
import pytest

from measures.ethnicity import (
    ASIAN,
    BLACK,
    BME,
    BROAD_GROUPS,
    CENSUS_CATEGORIES,
    KNOWN_CODES,
    MIXED,
    NHS_CATEGORIES,
    NOT_KNOWN,
    NOT_STATED,
    OTHER,
    WHITE,
    broad_group,
    broad_groups,
    category,
    census_broad_totals,
    census_category,
    census_nhs_broad_group,
    census_to_nhs_broad_populations,
    census_to_nhs_code,
    is_bme,
    normalise_code,
    wres_group,
)

# England and Wales, Census 2021 TS021 (docs/methods.md)
EW_TOTAL = 59_597_542
EW_BROAD = {ASIAN: 5_515_420, BLACK: 2_409_278, MIXED: 1_717_976, WHITE: 48_699_249, OTHER: 1_255_619}


class TestNhsCategories:
    def test_sixteen_known_codes_plus_not_stated_and_not_known(self):
        assert len(NHS_CATEGORIES) == 18
        assert len(KNOWN_CODES) == 16
        assert not {"I", "O", "Q"} & {c.code for c in NHS_CATEGORIES}

    @pytest.mark.parametrize(
        ("codes", "group"),
        [("ABC", WHITE), ("DEFG", MIXED), ("HJKL", ASIAN), ("MNP", BLACK), ("RS", OTHER)],
    )
    def test_broad_groups_follow_nhs_england(self, codes, group):
        assert {broad_group(c) for c in codes} == {group}

    def test_z_is_not_stated_and_99_is_not_known(self):
        assert broad_group("Z") == NOT_STATED
        assert broad_group("99") == NOT_KNOWN
        assert not category("Z").known


class TestNormaliseCode:
    @pytest.mark.parametrize("raw", [None, "", " ", "9", "99", "nan"])
    def test_blank_and_legacy_9_become_99(self, raw):
        assert normalise_code(raw) == "99"

    def test_a_local_second_character_rolls_up(self):
        assert normalise_code("ca") == "C"

    def test_unknown_codes_raise(self):
        with pytest.raises(ValueError, match="Unknown NHS ethnic category"):
            normalise_code("Q")


class TestIsBme:
    def test_bme_is_every_known_non_white_group(self):
        assert is_bme("A") is False and is_bme("C") is False
        assert all(is_bme(c) for c in KNOWN_CODES if broad_group(c) != WHITE)
        assert is_bme("Z") is None and is_bme("99") is None


class TestWresGroup:
    def test_white_bme_or_excluded(self):
        assert wres_group("B") == WHITE
        assert wres_group("R") == BME
        assert wres_group("Z") is None
        assert wres_group(None) is None


class TestBroadGroups:
    def test_vectorised_lookup_handles_missing_values(self):
        codes = pd.Series(["A", "N", None, "Z", float("nan"), "CA"])
        assert broad_groups(codes) == [WHITE, BLACK, NOT_KNOWN, NOT_STATED, NOT_KNOWN, WHITE]

    def test_equals_the_scalar_function(self):
        codes = [c.code for c in NHS_CATEGORIES] * 3
        assert broad_groups(codes) == [broad_group(c) for c in codes]

    def test_display_order_ends_with_the_excluded_groups(self):
        assert BROAD_GROUPS[-2:] == (NOT_STATED, NOT_KNOWN)


class TestCensusCategories:
    def test_nineteen_tick_boxes(self):
        assert [c.code for c in CENSUS_CATEGORIES] == list(range(1, 20))

    def test_chinese_is_asian_in_the_census_but_other_in_the_nhs(self):
        chinese = census_category(2)
        assert (chinese.census_broad_group, chinese.nhs_code, chinese.nhs_broad_group) == (ASIAN, "R", OTHER)

    def test_gypsy_roma_and_arab_have_no_nhs_code(self):
        assert [census_to_nhs_code(c) for c in (15, 16, 18)] == [None, None, None]

    def test_does_not_apply_is_not_a_group(self):
        with pytest.raises(ValueError, match="1 to 19"):
            census_category(-8)


class TestCensusNhsBroadGroup:
    def test_roma_is_white_unless_reproducing_the_mha_quirk(self):
        assert census_nhs_broad_group(16) == WHITE
        assert census_nhs_broad_group(16, mha_roma_quirk=True) == NOT_KNOWN
        assert census_nhs_broad_group(15, mha_roma_quirk=True) == WHITE
        assert census_nhs_broad_group(18) == OTHER


def _ew_detailed() -> dict[int, int]:
    """A split of the E&W totals into the 19 categories.

    Only the broad totals are published as checked figures here; the detailed figures are illustrative (recalled, not
    checked against a stored source), chosen so that they add up to the published broad totals.
    """
    detailed = {c.code: 0 for c in CENSUS_CATEGORIES}
    detailed.update({1: 644_881, 2: 445_619, 3: 1_864_318, 4: 1_587_819, 5: 972_783})  # Asian
    detailed.update({6: 1_488_381, 7: 623_119, 8: 297_778})  # Black
    detailed.update({9: 488_225, 10: 249_596, 11: 513_042, 12: 467_113})  # Mixed
    detailed.update({13: 44_355_038, 14: 507_473, 15: 67_768, 16: 100_981, 17: 3_667_989})  # White
    detailed.update({18: 331_844, 19: 923_775})  # Other
    return detailed


class TestCensusBroadTotals:
    def test_reproduces_the_england_and_wales_broad_totals(self):
        totals = census_broad_totals({**_ew_detailed(), -8: 0})
        assert totals == EW_BROAD
        assert sum(totals.values()) == EW_TOTAL


class TestCensusToNhsBroadPopulations:
    def test_moves_chinese_from_asian_to_other(self):
        detailed = _ew_detailed()
        nhs = census_to_nhs_broad_populations(detailed)
        assert nhs[ASIAN] == EW_BROAD[ASIAN] - detailed[2]
        assert nhs[OTHER] == EW_BROAD[OTHER] + detailed[2]
        assert sum(nhs.values()) == EW_TOTAL

    def test_mha_quirk_drops_roma_from_white(self):
        detailed = _ew_detailed()
        nhs = census_to_nhs_broad_populations(detailed, mha_roma_quirk=True)
        assert nhs[WHITE] == EW_BROAD[WHITE] - detailed[16]
        assert sum(nhs.values()) == EW_TOTAL - detailed[16]
