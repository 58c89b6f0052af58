"""Wording of figures in sentences: a hidden share reads as words, never as "*%", and groups read as people."""

from __future__ import annotations

import math

from reports.access import shown_share


def test_a_published_share_keeps_its_figure_and_a_hidden_one_says_why():
    assert shown_share("12.3") == "12.3%"
    for hidden in ("*", None, math.nan, ""):
        assert shown_share(hidden) == "a hidden share (too few to show safely)"
        assert "*%" not in f"{shown_share(hidden)}"


def test_the_other_group_reads_as_people_of_another_ethnic_group():
    from measures.ethnicity import people_of

    assert people_of("Asian") == "Asian people"
    assert people_of("Other") == "people of another ethnic group"
