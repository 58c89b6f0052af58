"""PCREF speed (issue 16): only the open tab is computed and drawn, the month-by-month charts are SVG
pictures drawn on the server and the forest plots are Vega-Lite specs written out, not built through
Altair. The figures stay the same: a closed tab's choices stay in the URL, and each tab shows its tables
when opened."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
from streamlit.util import calc_hash

from tests.conftest import sign_in


def open_pcref(at, **params):
    at.query_params.update(params)
    at = sign_in(at, "equality")
    at._page_hash = calc_hash("pcref")
    return at.run()


def _columns(at) -> set[str]:
    return {column for frame in at.dataframe for column in frame.value.columns}


def test_the_coercion_tab_alone_is_drawn_by_default(app_test):
    at = open_pcref(app_test())
    assert not at.exception
    labels = _columns(at)
    assert {"Detentions", "People detained", "Standardised per 100,000"} <= labels
    assert not any(
        column.startswith(("Recovery", "Positive")) for column in labels
    )  # other tabs: not computed
    assert not any("Talking Therapies outcomes, courses finishing" in s.value for s in at.subheader)


def test_opening_each_tab_draws_its_tables_and_keeps_the_coercion_choices_in_the_url(app_test):
    at = open_pcref(app_test(), measure="s136", group="Mixed", spc="Asian")
    assert at.selectbox(key="pcref_measure").value == "s136"
    at.session_state["pcref_tab"] = "Talking Therapies outcomes"
    at = at.run()
    assert not at.exception
    assert {"Recovery", "Reliable improvement", "Reliable deterioration"} <= _columns(at)
    assert "Detentions" not in _columns(at) and "Section 136 detentions" not in _columns(at)
    assert at.query_params["tab"] == "outcomes"
    assert (at.query_params["measure"], at.query_params["group"], at.query_params["spc"]) == (
        "s136",
        "Mixed",
        "Asian",
    )
    at.session_state["pcref_tab"] = "Patient and carer experience"
    at = at.run()
    assert not at.exception and "Positive answers" in _columns(at)
    at.radio(key="pcref_respondent").set_value("carer").run()
    assert at.query_params["respondent"] == "carer"
    at.session_state["pcref_tab"] = "Coercion"
    at = at.run()
    assert not at.exception
    assert (
        at.selectbox(key="pcref_measure").value == "s136" and at.selectbox(key="pcref_spc").value == "Asian"
    )
    assert at.query_params["respondent"] == "carer"  # the closed tab's choice stays in the URL


def test_the_monthly_charts_are_svg_pictures_with_a_tooltip_per_month(app_test):
    at = open_pcref(app_test())
    pictures = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert len(pictures) == 2  # the Black rate and its ratio to White
    assert "per 100,000 residents, per month" in pictures[0] and "Ratio of the Black rate" in pictures[1]
    assert pictures[0].count("<circle") > 12 and "<title>Apr 2025: " in pictures[0]
    assert not any("per month" in (chart.proto.spec or "") for chart in at.get("vega_lite_chart"))


def _altair_forest_spec(frame: pd.DataFrame, order: list[str], title: str) -> dict:
    """The forest plot as components.charts built it with Altair before (the reference for the spec)."""
    base = alt.Chart(frame).encode(y=alt.Y("label:N", sort=order, title=None))
    chart = alt.layer(
        base.mark_rule(color="#425563").encode(
            x=alt.X("lower:Q", scale=alt.Scale(type="log"), title="Ratio (log scale)"), x2="upper:Q"
        ),
        base.mark_point(filled=True, size=70, color="#005EB8").encode(
            x="value:Q",
            tooltip=[
                alt.Tooltip("label:N", title="Group"),
                alt.Tooltip("value:Q", format=".2f", title="Ratio"),
                alt.Tooltip("lower:Q", format=".2f", title="Lower 95% CI"),
                alt.Tooltip("upper:Q", format=".2f", title="Upper 95% CI"),
            ],
        ),
        alt.Chart(pd.DataFrame({"ref": [1.0]}))
        .mark_rule(color="#de1b1b", strokeDash=[4, 4])
        .encode(x="ref:Q"),
    ).properties(title=title, height=alt.Step(32))
    with alt.data_transformers.disable_max_rows():
        spec = chart.to_dict()
    return spec


def _without_data(spec: dict) -> dict:
    """A spec's encodings and marks, without where its data come from (named datasets or inline)."""
    spec = json.loads(json.dumps(spec))
    for key in ("datasets", "data", "$schema", "config", "autosize"):  # autosize: Streamlit adds it to both
        spec.pop(key, None)
    for layer in spec["layer"]:
        layer.pop("data", None)
    return spec


def test_the_forest_plot_spec_is_the_one_altair_built(app_test):
    at = open_pcref(app_test())
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # broad groups, and the chosen group's ratio year by year
    spec = json.loads(charts[0].proto.spec)
    order = spec["layer"][0]["encoding"]["y"]["sort"]
    assert sorted(order) == ["Asian", "Black", "Mixed", "Other", "White"]  # in the table's order
    frame = pd.DataFrame({"label": ["Black"], "value": [2.0], "lower": [1.5], "upper": [2.5]})
    expected = _altair_forest_spec(frame, order, spec["title"])
    assert _without_data(spec) == _without_data(expected)
    assert spec["layer"][2]["data"] == {"values": [{"ref": 1.0}]}
