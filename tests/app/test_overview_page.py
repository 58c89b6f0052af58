"""The board overview: an executive summary, a tile per configured headline with its verdicts in words,
each headline in full with the same sentences the board pack prints, a map coloured by comparison with
the trust, URL state, and presentation mode. (Each run computes every headline for two years, so these
tests get a long timeout and share as much as they can.)"""

from __future__ import annotations

from data.config import load_trust_config
from tests.conftest import sign_in

TIMEOUT = 600


def _html(at) -> str:
    return " ".join(element.proto.body for element in at.get("html"))


def test_the_overview_summarises_and_shows_a_tile_per_headline_with_its_verdicts(app_test):
    at = app_test(timeout=TIMEOUT)
    at.query_params["year"] = "2025-26"
    at = sign_in(at, "board")
    assert not at.exception
    assert at.title[0].value.startswith("Board overview")
    assert any("Synthetic data" in w.value for w in at.warning)
    headlines = load_trust_config().headline_measures
    html = _html(at)
    for measure_id in headlines:
        assert f'data-headline="{measure_id}"' in html
    for kind in ("Trend:", "vs 2024-25:", "Target:", "England:"):
        assert html.count(f'<span class="kind">{kind}</span>') == len(headlines), kind
    assert "…" not in html  # labels wrap; nothing is cut short
    subheaders = [s.value for s in at.subheader]
    assert subheaders[0] == "Executive summary, 2025-26"
    text = " ".join(m.value for m in at.markdown)
    assert "beyond chance" in text  # the summary says what changed on last year, or that nothing did
    assert "times as frequent" in text  # events, not people
    assert "Owner:" in text
    # the map: coloured by comparison with the trust by default, the quantile view on offer
    # drawn on the server as a picture (no WebGL map to start in the browser): a shape, tooltip and label
    # per borough
    maps = [m.value for m in at.markdown if "<svg" in m.value and " by borough, " in m.value]
    assert len(maps) == 1 and not at.get("deck_gl_json_chart")
    # each headline's monthly ratio is an SPC picture too, with a tooltip per month
    charts = [m.value for m in at.markdown if "<svg" in m.value and "Monthly ratio, Black to" in m.value]
    assert charts and not at.get("vega_lite_chart")
    assert all("<circle " in chart and "<title>" in chart for chart in charts)
    boroughs = load_trust_config().boroughs
    assert maps[0].count("<path ") == len(boroughs) and maps[0].count("<tspan ") == len(boroughs)
    assert 'role="img"' in maps[0] and "per 100,000" in maps[0]
    view = at.radio(key="overview_map_view")
    assert view.value.startswith("Compared with the trust")
    assert any(option.startswith("Quantiles") for option in view.options)
    assert "Clearly higher than the trust" in text or "No clear difference from the trust" in text
    at.selectbox(key="overview_map_measure").set_value("s136_crude_rate").run()
    assert not at.exception
    assert at.query_params["map"] in ("s136_crude_rate", ["s136_crude_rate"])
    assert at.query_params["year"] in ("2025-26", ["2025-26"])


def test_presentation_mode_puts_the_tiles_first_with_large_figures_and_no_filters(app_test):
    at = app_test(timeout=TIMEOUT)
    at.query_params["present"] = "1"
    at = sign_in(at, "board")
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "overview_year"]
    assert at.button(key="overview_leave")
    html = _html(at)
    assert "board-tiles" in html
    assert ".board-tile .figure { font-size: 2.75rem;" in html  # body text is 1.125rem: more than twice
