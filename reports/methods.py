"""The Methods page: every measure in the catalogue, worded for readers (no file names), with the
trust's reference group where a measure compares ethnic groups."""

from __future__ import annotations

from dataclasses import dataclass

from reports.settings import catalogue, reference_group

DOMAIN_TITLES = {
    "pcref": "PCREF (race equality in care)",
    "access": "Service access",
    "workforce": "Workforce",
}
POLARITY_WORDS = {"higher_is_better": "better", "lower_is_better": "worse"}


@dataclass(frozen=True)
class MethodEntry:
    title: str
    status: str
    text: str  # Markdown
    caveats: tuple[str, ...]


def entries() -> dict[str, tuple[MethodEntry, ...]]:
    """Measures by domain title, in catalogue order."""
    reference = reference_group()
    out = {}
    for domain, title in DOMAIN_TITLES.items():
        rows = []
        for measure in catalogue().by_domain(domain):
            compared = measure.reference_group.replace("{reference_group}", reference)
            text = (
                f"{measure.definition}\n\n"
                f"- **Numerator:** {measure.numerator}\n"
                f"- **Denominator:** {measure.denominator}\n"
                f"- **Unit:** {measure.unit}; **method:** {measure.method.replace('_', ' ')}; "
                f"**higher is:** {POLARITY_WORDS.get(measure.polarity, 'neither better nor worse')}\n"
                f"- **Compared with:** {compared}\n"
                f"- **Source:** {measure.source}"
            )
            rows.append(MethodEntry(measure.title, measure.status_label, text, measure.caveats))
        if rows:
            out[title] = tuple(rows)
    return out
