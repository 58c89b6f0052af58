"""Plain-English sentences generated from the numbers, for board papers and page summaries.

Two rules of honesty (docs/design.md): call a gap real only when the confidence interval excludes 1, and
call a change real only when the latest SPC point is special cause (docs/methods.md). Otherwise say there is
no clear difference or no evidence of change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from statistics import NormalDist

from measures.spc import SpcResult
from measures.stats import Estimate, normalise_confidence
from measures.workforce import TargetProgress

__all__ = [
    "SummaryItem",
    "Verdict",
    "confidence_label",
    "describe_area_spread",
    "describe_frequency",
    "describe_ratio",
    "describe_spc",
    "england_verdict",
    "executive_summary",
    "format_ratio",
    "long_date",
    "parity_direction",
    "ratio_change",
    "ratio_trend_verdict",
    "target_verdict",
    "year_change_verdict",
]

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


# ---------------------------------------------------------------------------------------------------------
# Board verdicts: a disparity ratio's trend, its change on last year, its target and England
# ---------------------------------------------------------------------------------------------------------

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no change"
ON_TRACK, OFF_TRACK, NO_TARGET = "on track", "off track", "no target"
WIDER, NARROWER, SIMILAR_TO_ENGLAND, NOT_PUBLISHED = "wider gap", "narrower gap", "similar", "not published"


def long_date(day: date | str) -> str:
    """UK long form: '31 March 2026'."""
    day = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    return f"{day.day} {day.strftime('%B %Y')}"


def parity_direction(ratio: float | None) -> str:
    """The SPC improvement direction of a disparity ratio: moving towards parity (1) is improvement, so a
    ratio above 1 improves as it falls and one below 1 as it rises; a ratio of exactly 1 is neutral."""
    if ratio is None or math.isnan(ratio) or ratio == 1:
        return "neutral"
    return "decrease" if ratio > 1 else "increase"


def _distance(value: float) -> float:
    return abs(math.log(value)) if value > 0 else math.inf


def ratio_change(
    current: Estimate | None, previous: Estimate | None, confidence: float = 0.95
) -> Estimate | None:
    """This year's ratio over last year's (a ratio of ratios), with a log-method interval from the two
    intervals (standard errors recovered from each interval's width, the years taken as independent).
    None when either ratio or interval is missing."""
    if current is None or previous is None or not (current.has_ci and previous.has_ci):
        return None
    if min(current.value, current.lower, previous.value, previous.lower) <= 0:
        return None
    z = NormalDist().inv_cdf(0.5 + normalise_confidence(confidence) / 2)
    width = z * 2

    def se(estimate: Estimate) -> float:
        return (math.log(estimate.upper) - math.log(estimate.lower)) / width

    log_ratio = math.log(current.value) - math.log(previous.value)
    spread = z * math.sqrt(se(current) ** 2 + se(previous) ** 2)
    return Estimate(
        math.exp(log_ratio), math.exp(log_ratio - spread), math.exp(log_ratio + spread),
        "ratio of ratios (log method)", current.value, previous.value, normalise_confidence(confidence),
    )  # fmt: skip


def describe_frequency(
    estimate: Estimate, *, subject: str, reference: str, confidence: float = 0.95, decimals: int = 1
) -> str:
    """A ratio of event rates, worded as frequency for measures that count events, not people:
    "Restrictive intervention incidents involving Black people were 6.9 times as frequent, per head of
    population, as those involving White people (95% CI 5.9 to 8.1)."."""
    label = confidence_label(confidence)
    if estimate.value is None:
        return f"There are not enough data to compare {subject[:1].lower() + subject[1:]} with {reference}."
    value = format_ratio(estimate.value, decimals)
    if not estimate.has_ci:
        return (
            f"There is no clear difference between {subject[:1].lower() + subject[1:]} and {reference}, per head "
            f"of population (ratio {value}; no confidence interval could be calculated)."
        )
    lower, upper = _interval(estimate.lower, estimate.upper, decimals)
    if estimate.lower > 1:
        return f"{subject} were {value} times as frequent, per head of population, as {reference} ({label} {lower} to {upper})."
    if estimate.upper < 1:
        return (
            f"{subject} were less frequent, per head of population, than {reference}: {value} times as frequent "
            f"({label} {lower} to {upper})."
        )
    return (
        f"There is no clear difference between {subject[:1].lower() + subject[1:]} and {reference}, per head of "
        f"population (ratio {value}, {label} {lower} to {upper})."
    )


@dataclass(frozen=True)
class Verdict:
    """A short verdict for a tile (``label``), its kind (e.g. IMPROVING) and the full sentence."""

    kind: str
    label: str
    sentence: str


def _month(x: object) -> str:
    return x.strftime("%B %Y") if hasattr(x, "strftime") else str(x)


def _earlier_signals(result: SpcResult) -> str:
    """Special-cause months before the last one, named (the verdict rests on the last month only)."""
    found = {"special_cause_improvement": [], "special_cause_concern": []}
    for x, kind in zip(result.x, result.point_type, strict=True):
        if kind in found:
            found[kind].append(_month(x))
    words = {"special_cause_improvement": "towards parity", "special_cause_concern": "away from parity"}
    parts = [f"{_listing(months)} ({words[kind]})" for kind, months in found.items() if months]
    if not parts:
        return ""
    return f" Earlier special-cause months, not continuing to the latest: {'; '.join(parts)}."


def ratio_trend_verdict(result: SpcResult | None, *, period: str, what: str = "The monthly ratio") -> Verdict:
    """The Making Data Count verdict on an XmR chart of a disparity ratio over ``period``. Improvement is
    movement towards parity (the chart's ``improvement`` from :func:`parity_direction`); a change is
    claimed only when the last point is special cause."""
    if result is None:
        return Verdict(
            NO_CHANGE, "No monthly trend", f"There is no monthly series of the ratio for {period}."
        )
    if result.last_index is None:
        return Verdict(NO_CHANGE, "Too few to chart",
                       f"No monthly ratio can be shown for {period}: every month's counts are too small to show.")  # fmt: skip

    last = result.last_index
    rule = result.rule[last]
    caution = " The limits are provisional: they rest on fewer than 13 months." if result.warning else ""
    if rule is None:
        return Verdict(
            NO_CHANGE, "No real change in the gap",
            f"{what} is within the range expected from normal variation at the end of {period}: no evidence "
            f"that the gap changed.{_earlier_signals(result)}{caution}",
        )  # fmt: skip
    reason = _RULE_TEXT.get(rule, rule)
    point = result.point_type[last]
    if point == "special_cause_improvement":
        return Verdict(
            IMPROVING, "Gap narrowing: real change",
            f"{what} moved towards parity in {period}, an improvement: in the latest month {reason}, which is "
            f"unlikely to happen by chance.{caution}",
        )  # fmt: skip
    if point == "special_cause_concern":
        return Verdict(
            WORSENING, "Gap widening: real change",
            f"{what} moved away from parity in {period}, a deterioration: in the latest month {reason}, which "
            f"is unlikely to happen by chance.{caution}",
        )  # fmt: skip
    movement = "higher" if rule in _HIGH_RULES else "lower"
    return Verdict(
        NO_CHANGE, f"Real change: {movement}",
        f"{what} was {movement} than usual in {period} ({reason}); at parity, neither direction is better.{caution}",
    )  # fmt: skip


def year_change_verdict(
    current: Estimate | None,
    previous: Estimate | None,
    change: Estimate | None,
    *,
    this_year: str,
    last_year: str,
) -> Verdict:
    """This year's ratio against last year's: which way it moved (towards parity is better) and whether
    the change is beyond chance (the ratio of ratios' interval excludes 1)."""
    if current is None or current.value is None or previous is None or previous.value is None:
        return Verdict(NO_CHANGE, f"No comparison with {last_year}",
                       f"The ratio cannot be compared with {last_year}: it is not available for both years.")  # fmt: skip
    places = 2 if min(current.value, previous.value) < 1 else 1
    now, before = format_ratio(current.value, places), format_ratio(previous.value, places)
    if now == before:
        movement = f"was {now} in both {last_year} and {this_year}"
    else:
        verb = "rose" if current.value > previous.value else "fell"
        movement = f"{verb} from {before} in {last_year} to {now} in {this_year}"
    closer = _distance(current.value) < _distance(previous.value)
    towards = "towards parity" if closer else "away from parity"
    if change is None or not change.has_ci:
        return Verdict(NO_CHANGE, f"No clear change on {last_year}",
                       f"The ratio {movement}; whether the change is beyond chance cannot be tested.")  # fmt: skip
    lower, upper = _interval(change.lower, change.upper, 2)
    detail = f"ratio of the two {change.value:.2f}, 95% CI {lower} to {upper}"
    if change.lower > 1 or change.upper < 1:
        kind = IMPROVING if closer else WORSENING
        label = f"{'Better' if closer else 'Worse'} than {last_year}"
        return Verdict(kind, label, f"The ratio {movement}, {towards}: a change beyond chance ({detail}).")
    if now == before:
        return Verdict(NO_CHANGE, f"No clear change on {last_year}", f"The ratio {movement} ({detail}).")
    return Verdict(NO_CHANGE, f"No clear change on {last_year}",
                   f"The ratio {movement}, {towards}, but the change could be chance ({detail}).")  # fmt: skip


def target_verdict(
    progress: TargetProgress | None, *, description: str, target: float, due: date | str, source: str,
    unit: str = "ratio", as_of: date | str | None = None,
) -> Verdict:  # fmt: skip
    """Where a headline stands against its target (``measures.workforce.target_progress``)."""
    if progress is None:
        return Verdict(NO_TARGET, "No target set", "The trust has not set a target for this measure.")

    def shown(value: float) -> str:
        return f"{value:.1%}" if unit == "share" else format_ratio(value, 2 if unit == "ratio" else 1)

    head = f"Target: {description} ({shown(target)} by {long_date(due)}; {source})."
    when = f" at {long_date(as_of)}" if as_of is not None else ""
    if progress.verdict in ("on track", "met"):
        latest = "" if progress.latest is None else f" latest {shown(progress.latest)}"
        path = (
            ""
            if progress.expected is None or progress.verdict == "met"
            else f" against {shown(progress.expected)} expected on the path{when}"
        )
        return Verdict(ON_TRACK, "On track" if progress.verdict == "on track" else "Target met",
                       f"{head} {progress.verdict.capitalize()}:{latest}{path}.")  # fmt: skip
    if progress.verdict in ("behind the path", "not met by the due date"):
        path = (
            ""
            if progress.expected is None
            else f" against {shown(progress.expected)} expected on the path{when}"
        )
        return Verdict(OFF_TRACK, "Off track",
                       f"{head} Off track ({progress.verdict}): latest {shown(progress.latest)}{path}.")  # fmt: skip
    return Verdict(NO_TARGET, "Target cannot be judged",
                   f"{head} Progress cannot be judged: {progress.reason or progress.verdict}.")  # fmt: skip


def england_verdict(
    trust: Estimate | None, england: float | None, *, year: str, source: str = "", what: str = "ratio"
) -> Verdict:
    """The trust's ratio against England's published ratio for the same measure and year, by the trust's
    interval (Fingertips' convention): a wider or narrower gap only when the interval excludes England's."""
    if england is None:
        return Verdict(NOT_PUBLISHED, "England: figure not held",
                       f"England: the dashboard's reference data hold no published figure for this measure in {year}.")  # fmt: skip
    national = f"England's {what} {format_ratio(england, 2)} ({source})"
    if trust is None or trust.value is None or not trust.has_ci:
        return Verdict(SIMILAR_TO_ENGLAND, "England: cannot compare",
                       f"{national}; the trust's {what} is not available to compare.")  # fmt: skip
    if trust.lower > england or trust.upper < england:
        above = trust.lower > england
        wider = (
            (_distance(trust.lower) > _distance(england))
            if above
            else (_distance(trust.upper) > _distance(england))
        )
        kind = WIDER if wider else NARROWER
        side = "higher" if above else "lower"
        return Verdict(kind, f"{'Wider' if wider else 'Narrower'} gap than England",
                       f"The trust's {what} is clearly {side} than {national}: a {kind} than England's.")  # fmt: skip
    return Verdict(SIMILAR_TO_ENGLAND, "Similar to England",
                   f"The trust's {what} shows no clear difference from {national}.")  # fmt: skip


@dataclass(frozen=True)
class SummaryItem:
    """One headline's verdicts, for the executive summary."""

    title: str
    change: Verdict
    trend: Verdict
    target: Verdict
    england: Verdict


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _parts(*groups: tuple[list[str], str]) -> list[str]:
    return [f"{words} {_listing(names)}" for names, words in groups if names]


def executive_summary(items: list[SummaryItem], *, this_year: str, last_year: str | None) -> list[str]:
    """Sentences for the top of the overview and the first page of the pack: what changed (beyond chance),
    what is off track, and where the trust differs from England; each says when nothing does."""
    sentences = []
    better = [i.title for i in items if i.change.kind == IMPROVING]
    worse = [i.title for i in items if i.change.kind == WORSENING]
    if last_year is None:
        sentences.append(f"There is no earlier year to compare {this_year} with.")
    elif better or worse:
        parts = _parts(
            (better, "moved towards parity beyond chance for"),
            (worse, "moved away from parity beyond chance for"),
        )
        rest = len(items) - len(better) - len(worse)
        sentences.append(f"Since {last_year}, the gap {' and '.join(parts)}; {rest} of {len(items)} headlines "
                         "show no change beyond chance or cannot be compared.")  # fmt: skip
    else:
        sentences.append(f"No headline gap changed beyond chance between {last_year} and {this_year}.")
    narrowing = [i.title for i in items if i.trend.kind == IMPROVING]
    widening = [i.title for i in items if i.trend.kind == WORSENING]
    if narrowing or widening:
        parts = _parts((narrowing, "the gap is narrowing for"), (widening, "the gap is widening for"))
        sentences.append(f"Within {this_year}, the monthly ratios show a real change: {'; '.join(parts)}.")
    else:
        sentences.append(
            f"Within {this_year}, no monthly ratio shows a real change (Making Data Count rules)."
        )
    off = [i.title for i in items if i.target.kind == OFF_TRACK]
    with_target = [i for i in items if i.target.kind in (ON_TRACK, OFF_TRACK)]
    if off:
        sentences.append(f"Off track against its target: {_listing(off)} ({len(off)} of {len(with_target)} "
                         "headlines whose target can be judged).")  # fmt: skip
    elif with_target:
        sentences.append(f"Every headline whose target can be judged is on track ({len(with_target)}).")
    else:
        sentences.append("No headline has a target that can be judged.")
    wider = [i.title for i in items if i.england.kind == WIDER]
    narrower = [i.title for i in items if i.england.kind == NARROWER]
    missing = sum(i.england.kind == NOT_PUBLISHED for i in items)
    parts = _parts((wider, "the gap is wider than England's for"), (narrower, "narrower than England's for"))
    against = f"Against England in {this_year}: {'; '.join(parts)}." if parts else (
        f"No headline differs clearly from England in {this_year}." if missing < len(items) else ""
    )  # fmt: skip
    tail = f"{missing} of {len(items)} headlines have no England figure held for {this_year}."
    sentences.append(f"{against} {tail}".strip())
    return sentences
