"""The board pack is built on the server from the tiny store: a real PDF with an executive summary page,
every sentence the overview shows printed word for word, SPC charts, a page per domain, UK dates, body
text of at least 10 pt, no developer text and no suppressed count."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from data.config import load_trust_config
from measures.disclosure import DisclosurePolicy
from queries.overview import dataset_facts
from queries.scope import Scope
from reports.board_pack import build_board_pack
from reports.headlines import BUILDERS, compute_headlines, executive_summary_for

DEVELOPER_TEXT = (
    r"\.md\b", r"\.sql\b", r"\.py\b", r"\.ya?ml\b", r"DOMAIN", r"§", r"\[unconfirmed", r"unconfirmed\]",
    r"queries/", r"reports/", r"measures/", r"config/", r"/work/", r"the dashboard reads", r"TODO", r"FIXME",
    r"\{\{", r"headline_", r"_crude_rate", r"_pct\b",
)  # fmt: skip
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
UK_DATE = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November"
                     r"|December) \d{4}\b")  # fmt: skip


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def pack(tiny_engine, tmp_path_factory):
    if shutil.which("pdftotext") is None:
        pytest.skip("the board pack test reads the PDF with pdftotext (poppler-utils)")
    config = load_trust_config()
    scope = Scope.whole_trust()
    headlines = compute_headlines(tiny_engine, scope, "2025-26", config.headline_measures, 5, 5, "A")
    pdf = build_board_pack(tiny_engine, scope, financial_year="2025-26", config=config,
                           facts=dataset_facts(tiny_engine, scope), headlines=headlines)  # fmt: skip
    path = tmp_path_factory.mktemp("pack") / "pack.pdf"
    path.write_bytes(pdf)
    pages = []
    reader = PdfReader(io.BytesIO(pdf))
    for number in range(1, len(reader.pages) + 1):
        result = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                                capture_output=True, text=True, check=True)  # fmt: skip
        pages.append(result.stdout)
    return headlines, reader, pages


def test_it_is_a_pdf_with_numbered_pages_and_the_synthetic_label(pack):
    _, reader, pages = pack
    text = "\n".join(pages)
    assert len(reader.pages) >= 10
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "SYNTHETIC DATA" in text


def test_the_second_page_is_the_executive_summary_generated_from_the_headlines(pack):
    headlines, _, pages = pack
    summary = _squash(pages[1])
    assert summary.startswith("Executive summary, 2025-26")
    for sentence in executive_summary_for(headlines):
        assert _squash(sentence) in summary
    assert "Ratio (95% CI)" in summary and "England" in summary


def test_every_sentence_the_screen_shows_is_in_the_pack_word_for_word(pack):
    headlines, _, pages = pack
    flat = _squash("\n".join(pages))
    for headline in headlines:
        assert headline.sentences, headline.measure_id
        assert f"Ratio: {headline.ratio_text}." in flat
        for sentence in headline.sentences:
            assert _squash(sentence) in flat, sentence


def test_there_is_a_page_per_domain(pack):
    _, _, pages = pack
    starts = [_squash(page)[:60] for page in pages]
    for heading in ("Mental Health Act detentions, 2025-26", "Community treatment orders, 2025-26",
                    "Section 136, 2025-26", "Restrictive interventions, 2025-26", "Patient experience, 2025-26",
                    "Access, 2025-26", "Workforce, year to 31 March 2026"):  # fmt: skip
        assert any(start.startswith(heading) for start in starts), heading


def test_no_developer_text_and_only_uk_long_dates(pack):
    _, _, pages = pack
    text = "\n".join(pages)
    for pattern in DEVELOPER_TEXT:
        assert not re.search(pattern, text), pattern
    assert not ISO_DATE.search(text)
    assert UK_DATE.search(text)


def test_body_text_is_at_least_10_point(pack):
    _, reader, _ = pack
    sizes = set()
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        sizes.update(float(size) for size in re.findall(r"/F\d+ ([\d.]+) Tf", content))
    assert sizes and min(sizes) >= 10


def test_the_spc_charts_are_in_the_pack(pack):
    headlines, reader, _ = pack
    charted = [h for h in headlines if h.spc is not None and h.spc.last_index is not None]
    assert charted  # some coercion headline has months that can be shown on the tiny store
    images = sum(len(page.images) for page in reader.pages)
    assert images >= len(charted) + 1  # each chart (headline page; its domain page too) and the access map


def test_no_count_from_one_to_four_is_printed_in_the_pack_tables(pack):
    _, _, pages = pack
    for line in "\n".join(pages).splitlines():
        cells = line.split()
        if len(cells) > 1 and cells[0] in ("White", "Mixed", "Asian", "Black", "Other", "Croydon", "Lambeth",
                                            "Lewisham", "Southwark"):  # fmt: skip
            assert not re.fullmatch(r"[1-4]", cells[1]), line


def test_suppressed_ratios_are_stars_and_never_numbers(tiny_engine):
    policy_threshold = 10_000  # everything suppressed
    headlines = compute_headlines(
        tiny_engine, Scope.whole_trust(), "2025-26", tuple(BUILDERS), policy_threshold, 5, "A"
    )
    assert all(h.ratio is None and h.ratio_text == "*" for h in headlines)
    assert all("Too few" in h.sentence for h in headlines)
    assert all(h.spc is None or h.spc.last_index is None for h in headlines)


def test_unknown_headline_ids_are_refused(tiny_engine):
    with pytest.raises(ValueError, match="Unknown headline"):
        compute_headlines(tiny_engine, Scope.whole_trust(), "2025-26", ("no_such",), 5, 5, "A")


def test_the_policy_is_the_screens_policy():
    assert DisclosurePolicy(threshold=5, base=5) == DisclosurePolicy()
