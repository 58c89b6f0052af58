"""The ethnicity-recording sentence says what the published counts say, and no more: none when there
were none, "too few to show" (never "none") when the total itself is hidden, "fewer than 5" when only
the unrecorded count is."""

from __future__ import annotations

from measures.disclosure import DisclosurePolicy
from reports.data_quality import recording_from_counts

RULES = DisclosurePolicy()


def test_no_referrals_at_all_reads_as_none():
    assert recording_from_counts(0, 0, "people referred", RULES).sentence("in 2025-26") == (
        "No people referred in 2025-26."
    )


def test_a_hidden_total_is_too_few_to_show_not_none():
    recording = recording_from_counts(1, 3, "people referred", RULES)
    assert recording.total is None
    sentence = recording.sentence("in this team")
    assert sentence == "Too few people referred in this team to show how many had no ethnicity recorded."
    assert "No people" not in sentence and "3" not in sentence and "1" not in sentence


def test_a_hidden_unrecorded_count_is_fewer_than_the_threshold():
    recording = recording_from_counts(2, 400, "people referred", RULES)
    assert recording.sentence("in 2025-26") == (
        "Ethnicity was not stated or not known for fewer than 5 people referred in 2025-26."
    )


def test_shown_counts_give_the_share_of_the_published_counts():
    recording = recording_from_counts(118, 2_903, "people referred", RULES)
    assert recording.sentence("in 2025-26") == (
        "Ethnicity was not stated or not known for 4.1% (about 120 of 2,905 people referred) in 2025-26."
    )
