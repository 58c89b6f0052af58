"""The map component's pure parts: classes and colours, a legend readable without colour, suppressed
areas never coloured as values, and reading a pydeck selection event."""

from __future__ import annotations

import pandas as pd
import pytest

from components.maps import (
    NO_DATA,
    NO_DATA_FILL,
    SUPPRESSED,
    SUPPRESSED_FILL,
    area_status,
    classify,
    legend_html,
    selected_code,
)
from measures.disclosure import DisclosurePolicy, publish_table


def _status(values):
    return pd.Series(values, dtype=object)


class TestClassify:
    def test_sequential_classes_follow_the_values_and_the_legend_counts_every_area(self):
        values = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, None, 5.0])
        status = _status(["value"] * 6 + [NO_DATA, SUPPRESSED])
        fills, entries = classify(values, status, kind="sequential")
        assert fills[0] != fills[5]  # lowest and highest differ
        assert fills[6] == NO_DATA_FILL and fills[7] == SUPPRESSED_FILL
        assert sum(e.areas for e in entries) == len(values)

    def test_a_suppressed_area_is_never_given_a_value_colour_whatever_its_hidden_value(self):
        values = pd.Series([1000.0, 10.0, 20.0])
        fills, _ = classify(values, _status([SUPPRESSED, "value", "value"]), kind="sequential")
        assert fills[0] == SUPPRESSED_FILL

    def test_diverging_classes_are_centred_on_one(self):
        values = pd.Series([0.4, 0.9, 1.0, 1.1, 3.0])
        fills, entries = classify(values, _status(["value"] * 5), kind="diverging")
        assert fills[1] == fills[2] == fills[3]  # 0.8 to 1.25 is "similar"
        assert fills[0] != fills[4]
        assert [e.label for e in entries][:5] == [
            "under 0.5",
            "0.5 to 0.8",
            "0.8 to 1.25",
            "1.25 to 2.0",
            "2.0 or more",
        ]

    def test_identical_values_make_one_class(self):
        fills, entries = classify(pd.Series([5.0, 5.0, 5.0]), _status(["value"] * 3), kind="sequential")
        assert len(set(fills)) == 1
        assert entries[0].label == "5.0" and entries[0].areas == 3

    def test_the_legend_names_ranges_and_area_counts_in_words(self):
        _, entries = classify(pd.Series([1.0, 2.0]), _status(["value", SUPPRESSED]), kind="sequential")
        html = legend_html(entries, "Per 100,000")
        assert "Suppressed" in html and "(1 area)" in html and "Per 100,000" in html


class TestAreaStatus:
    def test_status_comes_from_disclosure_control(self):
        frame = pd.DataFrame(
            {"area_code": ["a", "b", "c"], "events": [3, 40, 0], "value": [3.0, 40.0, float("nan")]}
        )
        table = publish_table(
            frame, counts=["events"], derived={"value": ("events",)}, policy=DisclosurePolicy()
        )
        assert list(area_status(table, "value")) == [SUPPRESSED, "value", NO_DATA]


class TestSelectedCode:
    @pytest.mark.parametrize(
        "event",
        [
            {"selection": {"objects": {"m-areas": [{"properties": {"code": "E09000022"}}]}}},
            {"selection": {"objects": {"m-areas": [{"code": "E09000022", "name": "Lambeth"}]}}},
        ],
    )
    def test_reads_the_clicked_area_from_a_feature_or_flat_object(self, event):
        assert selected_code(event, "m-areas") == "E09000022"

    @pytest.mark.parametrize(
        "event",
        [None, {}, {"selection": {"objects": {}}}, {"selection": {"objects": {"other": [{"code": "x"}]}}}],
    )
    def test_nothing_selected_is_none(self, event):
        assert selected_code(event, "m-areas") is None


class TestStaticMap:
    """The server-drawn SVG map (the board's overview): a shape, label and tooltip per area, in the same
    colours as the interactive map, and a suppressed area drawn as suppressed with no value anywhere."""

    def test_each_area_is_drawn_with_its_class_and_a_suppressed_one_shows_only_a_star(self):
        import geopandas as gpd
        from shapely.geometry import box

        from components.maps import _colours, map_svg

        frame = pd.DataFrame(
            {"area_code": ["a", "b"], "events": [3, 40], "value": [3.0, 40.0], "lower": [1.0, 30.0],
             "upper": [9.0, 50.0]}
        )  # fmt: skip
        table = publish_table(
            frame, counts=["events"], derived={"value": ("events",), "lower": ("events",), "upper": ("events",)},
            policy=DisclosurePolicy(),
        )  # fmt: skip
        shapes = gpd.GeoDataFrame(
            {"code": ["a", "b"], "name": ["Alpha", "Beta"]},
            geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs=27700,
        )  # fmt: skip
        colours = _colours(table, code="area_code", value="value", describe=pd.Series(["a", "40 per 100,000"]),
                           kind="sequential", decimals=1, benchmark=20.0, benchmark_name="the trust",
                           benchmark_text="20.0", lower="lower", upper="upper")  # fmt: skip
        svg = map_svg(shapes, colours, width=400, height=300, title="Test map")
        assert svg.count("<path ") == 2 and f'fill="{SUPPRESSED_FILL}"' in svg
        assert "Alpha: Suppressed: too few to show</title>" in svg and ">*</tspan>" in svg
        assert "3.0" not in svg  # the hidden value is nowhere, not even in a tooltip
        assert "Beta: 40 per 100,000</title>" in svg and ">40.0</tspan>" in svg
        assert 'viewBox="0 0 400 208"' in svg  # two squares side by side, fitted to the width
        assert 'role="img"' in svg and "<a " not in svg

        linked = map_svg(shapes, colours, width=400, height=300, title="Test map", links={"b": "?area=b&x=1"},
                         label_areas=False)  # fmt: skip
        assert linked.count("<a ") == 1 and 'role="group"' in linked  # a picture would hide its links
        assert (
            '<a href="?area=b&amp;x=1" target="_self" aria-label="Open Beta: 40 per 100,000"><path ' in linked
        )
        assert "<text" not in linked and "3.0" not in linked
