"""Plain-English sentences generated from the numbers, for board papers and page summaries.

Two rules of honesty (docs/design.md): call a gap real only when the confidence interval excludes 1, and
call a change real only when the latest SPC point is special cause (docs/methods.md). Otherwise say there is
no clear difference or no evidence of change.
"""

from __future__ import annotations

from measures.spc import SpcResult
from measures.stats import Estimate, normalise_confidence

__all__ = ["confidence_label", "describe_area_spread", "describe_ratio", "describe_spc", "format_ratio"]

POLARITIES = {
    "higher_is_better": "increase",
    "lower_is_better": "decrease",
    "neutral": "neutral",
    "increase": "increase",
    "decrease": "decrease",
}

_RULE_TEXT = {
    "Above UCL": "it is above the upper process limit",
    "Below LCL": "it is below the lower process limit",
    "7 Point Trend (Increasing)": "it is part of a run of at least 7 values each higher than the last",
    "7 Point Trend (Decreasing)": "it is part of a run of at least 7 values each lower than the last",
    "2 in 3 Above CL": "2 of the last 3 values are close to the upper process limit",
    "2 in 3 Below CL": "2 of the last 3 values are close to the lower process limit",
    "7 Points Above CL": "it is part of a run of at least 7 values above the average",
    "7 Points Below CL": "it is part of a run of at least 7 values below the average",
}
_HIGH_RULES = {"Above UCL", "7 Point Trend (Increasing)", "2 in 3 Above CL", "7 Points Above CL"}


def confidence_label(confidence: float) -> str:
    """ "95% CI" for 0.95, "99.8% CI" for 0.998."""
    return f"{normalise_confidence(confidence) * 100:g}% CI"


def format_ratio(value: float, decimals: int = 1) -> str:
    """A ratio to ``decimals`` places, with more places for small values that would show as 0.0."""
    places = decimals
    while places < 3 and value != 0 and round(abs(value), places) == 0:
        places += 1
    return f"{value:.{places}f}"


def _interval(lower: float, upper: float, decimals: int) -> tuple[str, str]:
    """Format the limits with enough places that a limit excluding 1 never shows as 1.0."""
    places = decimals
    while places < 4 and (
        (lower > 1 and round(lower, places) <= 1) or (upper < 1 and round(upper, places) >= 1)
    ):
        places += 1
    return f"{lower:.{places}f}", f"{upper:.{places}f}"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_ratio(
    estimate: Estimate,
    *,
    subject: str = "Black people",
    reference: str = "White British people",
    outcome: str = "detained",
    confidence: float = 0.95,
    decimals: int = 1,
) -> str:
    """One sentence on a ratio (rate ratio or relative likelihood) of ``subject`` to ``reference``.

    - CI wholly above 1: "Black people were 3.8 times as likely to be detained as White British people
      (95% CI 3.1 to 4.6)."
    - CI wholly below 1: "Black people were less likely to be detained than White British people: 0.6
      times as likely (95% CI 0.5 to 0.8)."
    - CI including 1, or no CI: "There is no clear difference …".
    """
    level = normalise_confidence(confidence)
    if estimate.confidence is not None and abs(estimate.confidence - level) > 1e-12:
        raise ValueError(
            f"the estimate has a {confidence_label(estimate.confidence)} but the sentence would say "
            f"{confidence_label(level)}"
        )
    label = confidence_label(level)
    if estimate.value is None:
        return (
            f"There are not enough data to compare how likely {subject} and {reference} were to be {outcome}."
        )
    value = format_ratio(estimate.value, decimals)
    if not estimate.has_ci:
        return (
            f"There is no clear difference between {subject} and {reference} in how likely they were to be "
            f"{outcome} (ratio {value}; no confidence interval could be calculated, so the difference "
            "cannot be tested)."
        )
    lower, upper = _interval(estimate.lower, estimate.upper, decimals)
    if estimate.lower > 1:
        return _sentence_case(
            f"{subject} were {value} times as likely to be {outcome} as {reference} ({label} {lower} to {upper})."
        )
    if estimate.upper < 1:
        return _sentence_case(
            f"{subject} were less likely to be {outcome} than {reference}: {value} times as likely "
            f"({label} {lower} to {upper})."
        )
    return (
        f"There is no clear difference between {subject} and {reference} in how likely they were to be "
        f"{outcome} (ratio {value}, {label} {lower} to {upper})."
    )


def describe_spc(result: SpcResult, polarity: str, *, subject: str = "The latest value") -> str:
    """Sentences on an XmR chart that claim a change only when the last point is special cause.

    ``polarity`` is the catalogue's "higher_is_better", "lower_is_better" or "neutral" (or xmr's
    "increase", "decrease", "neutral"). Adds the assurance verdict when there is one, and a caution when
    the limits rest on fewer than 13 points.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {sorted(POLARITIES)}, got {polarity!r}")
    direction = POLARITIES[polarity]
    last = result.last_index
    if last is None:
        return "There are no values to describe."
    rule = result.rule[last]
    if rule is None:
        sentences = [
            f"{subject} is within the range expected from normal variation: there is no evidence of a change."
        ]
    else:
        reason = _RULE_TEXT.get(rule, rule)
        high = rule in _HIGH_RULES
        if direction == "neutral":
            movement = "higher" if high else "lower"
            sentence = (
                f"{subject} signals a real change, {movement} than usual: {reason}, which is unlikely to "
                "happen by chance."
            )
            sentences = [sentence]
        else:
            improving = high == (direction == "increase")
            verdict = "an improvement" if improving else "a deterioration"
            sentences = [
                f"{subject} signals a real change, {verdict}: {reason}, which is unlikely to happen by chance."
            ]
    if result.assurance == "pass":
        sentences.append("On current performance the target will be met consistently.")
    elif result.assurance == "fail":
        sentences.append("On current performance the target will not be met unless something changes.")
    elif result.assurance == "hit_and_miss":
        sentences.append(
            "On current performance the target will be met some of the time and missed some of the time."
        )
    if result.warning:
        sentences.append("The limits are provisional because they rest on fewer than 13 points.")
    return " ".join(sentences)


def describe_area_spread(
    highest: str,
    highest_rate: str,
    lowest: str,
    lowest_rate: str,
    *,
    benchmark: str,
    benchmark_rate: str,
    higher: int,
    lower: int,
    similar: int,
    area_word: str = "area",
) -> str:
    """Highest and lowest areas, then each area against the benchmark as Fingertips does (higher or
    lower only when the area's confidence interval excludes the benchmark's value).

    Picking the highest and lowest of many areas and testing the gap between them would overstate it,
    so the sentence tests each area against the benchmark instead.
    "The highest rate is in Lambeth (150.0 per 100,000) and the lowest in Croydon (75.0 per 100,000).
    Against the trust (110.0 per 100,000), 1 borough is clearly higher, 1 clearly lower and 2 show no
    clear difference."
    """

    def count(n: int, what: str) -> str:
        return f"{n} {area_word}{'s' if n != 1 else ''} {what}" if n != 1 else f"1 {area_word} {what}"

    parts = []
    if higher:
        parts.append(count(higher, "is clearly higher" if higher == 1 else "are clearly higher"))
    if lower:
        parts.append(count(lower, "is clearly lower" if lower == 1 else "are clearly lower"))
    if similar:
        parts.append(
            count(similar, "shows no clear difference" if similar == 1 else "show no clear difference")
        )
    verdict = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    if not higher and not lower:
        verdict = f"no {area_word} is clearly different: " + verdict
    return (
        f"The highest rate is in {highest} ({highest_rate}) and the lowest in {lowest} ({lowest_rate}). "
        f"Against {benchmark} ({benchmark_rate}), {verdict}."
    )
