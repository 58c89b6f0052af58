"""The board pack is built on the server from the tiny store: a real PDF whose text carries the
headline figures exactly as the overview shows them, page numbers and the synthetic label, and no
suppressed count."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from data.config import load_trust_config
from measures.disclosure import DisclosurePolicy
from queries.overview import dataset_facts
from queries.scope import Scope
from reports.board_pack import build_board_pack
from reports.headlines import BUILDERS, compute_headlines


@pytest.fixture(scope="module")
def pack(tiny_engine):
    config = load_trust_config()
    scope = Scope.whole_trust()
    headlines = compute_headlines(tiny_engine, scope, "2025-26", config.headline_measures, 5, 5, "A")
    pdf = build_board_pack(tiny_engine, scope, financial_year="2025-26", config=config,
                           facts=dataset_facts(tiny_engine, scope), headlines=headlines)  # fmt: skip
    reader = PdfReader(io.BytesIO(pdf))
    return headlines, reader, "\n".join(page.extract_text() for page in reader.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_it_is_a_pdf_with_numbered_pages_and_the_synthetic_label(pack):
    _, reader, text = pack
    assert len(reader.pages) >= 5
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "SYNTHETIC DATA" in text


def test_the_headline_figures_and_sentences_are_in_the_text_exactly(pack):
    headlines, _, text = pack
    flat = _squash(text)
    for headline in headlines:
        assert _squash(headline.sentence) in flat
        assert headline.ratio_text in flat


def test_suppressed_ratios_are_stars_and_never_numbers(tiny_engine):
    policy_threshold = 10_000  # everything suppressed
    headlines = compute_headlines(
        tiny_engine, Scope.whole_trust(), "2025-26", tuple(BUILDERS), policy_threshold, 5, "A"
    )
    assert all(h.ratio is None and h.ratio_text == "*" for h in headlines)
    assert all("Too few" in h.sentence for h in headlines)


def test_no_count_from_one_to_four_is_printed_in_the_pack_tables(pack):
    _, _, text = pack
    for line in text.splitlines():
        cells = line.split()
        if cells and cells[0] in (
            "White",
            "Mixed",
            "Asian",
            "Black",
            "Other",
            "Croydon",
            "Lambeth",
            "Lewisham",
            "Southwark",
        ):
            assert not re.fullmatch(r"[1-4]", cells[1]), line


def test_unknown_headline_ids_are_refused(tiny_engine):
    with pytest.raises(ValueError, match="Unknown headline"):
        compute_headlines(tiny_engine, Scope.whole_trust(), "2025-26", ("no_such",), 5, 5, "A")


def test_the_policy_is_the_screens_policy():
    assert DisclosurePolicy(threshold=5, base=5) == DisclosurePolicy()
