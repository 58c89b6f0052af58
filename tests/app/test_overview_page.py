"""The board overview: a tile per configured headline, sentences that match the figures, URL state,
presentation mode."""

from __future__ import annotations

from data.config import load_trust_config
from tests.conftest import sign_in


def test_the_board_lands_on_the_overview_with_a_tile_per_headline(app_test):
    at = sign_in(app_test(), "board")
    assert not at.exception
    assert at.title[0].value.startswith("Board overview")
    assert len(at.metric) == len(load_trust_config().headline_measures)
    assert any("Synthetic data" in w.value for w in at.warning)


def test_each_tile_shows_its_ratio_or_a_star_and_a_sentence_that_agrees(app_test):
    at = sign_in(app_test(), "board")
    sentences = " ".join(m.value for m in at.markdown)
    for metric in at.metric:
        value = metric.value
        assert value in ("*", "–") or value.endswith("×")
        if value.endswith("×") and float(value[:-1]) > 1:
            assert f"{value[:-1]} times as likely" in sentences or "no clear difference" in sentences


def test_the_year_lives_in_the_url(app_test):
    at = sign_in(app_test(), "board")
    at.selectbox(key="overview_year").set_value("2023-24").run()
    assert at.query_params["year"] in ("2023-24", ["2023-24"])


def test_presentation_mode_hides_the_filters(app_test):
    at = app_test()
    at = sign_in(at, "board")
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "overview_year"]
    assert at.button(key="overview_leave")


def test_the_overview_has_a_borough_map_of_a_selectable_headline_measure_in_the_url(app_test):
    at = sign_in(app_test(), "board")
    assert at.get("deck_gl_json_chart")
    at.selectbox(key="overview_map_measure").set_value("s136_crude_rate").run()
    assert not at.exception
    assert at.query_params["map"] in ("s136_crude_rate", ["s136_crude_rate"])
