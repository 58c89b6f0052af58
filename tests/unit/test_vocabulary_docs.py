"""The documents a trust's analyst reads list exactly the codes and values the loader accepts."""

from __future__ import annotations

from pathlib import Path

from data import reference, vocabulary

DOCS = Path(__file__).resolve().parents[2] / "docs"


class TestDataDictionaryVocabularies:
    def test_every_vocabulary_and_value_is_listed(self):
        text = (DOCS / "data-dictionary.md").read_text(encoding="utf-8")
        for entry in vocabulary.VOCABULARIES:
            row = next(
                line for line in text.splitlines() if line.startswith(f"| `{entry.table}.{entry.column}` |")
            )
            for value in entry.values or ():
                assert f"`{value}`" in row, (entry.table, entry.column, value)
            for value in entry.relied_on:
                assert f"`{value}`" in row.split("|")[3], (entry.table, entry.column, value)


class TestLegalStatusPage:
    def test_every_mhsds_code_is_listed_with_its_category(self):
        text = (DOCS / "legal-status.md").read_text(encoding="utf-8")
        for code, _description, category in reference.LEGAL_STATUSES:
            assert any(
                line.startswith(f"| `{code}` |") and line.rstrip().endswith(f"| {category} |")
                for line in text.splitlines()
            ), code

    def test_section_37_and_45a_follow_mhsds_not_the_section_number(self):
        codes = {code: (description, category) for code, description, category in reference.LEGAL_STATUSES}
        assert codes["10"][0].startswith("Section 37 ") and codes["10"][1] == "detention"
        assert codes["37"][0].startswith("Section 45A") and codes["38"][0].startswith("Section 45A")
        assert codes["20"][1] == "place_of_safety" and codes["19"][1] == "place_of_safety"
        assert {c for c, (_, cat) in codes.items() if cat == "short_term"} == {"04", "05", "06"}
        assert "17A" not in codes and "CTO" not in vocabulary.MHSDS_LEGAL_STATUS_CODES
