"""Notice sources that give different figures for the same question (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.aliases import counted_as
from assistant.answer.cues import numbers
from assistant.text import Vocabulary, words
from assistant.types import Conflict


@dataclass(frozen=True)
class Claim:
    """A candidate answer sentence from one article, with its citation number."""

    n: int
    article_id: str
    text: str


def figure_value(text: str, question: str) -> str | None:
    """The first figure in `text` that the question does not itself contain, as written,
    with a qualifier just before it and a scale word just after it kept ("about 1,500",
    "$1.35 billion")."""
    found = _figure(text, question)
    return found[0] if found else None


# the words that scale the figure before them, with their factors
SCALES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "thousand": 1e3}
_SCALE = "|".join(SCALES)


def _figure(text: str, question: str) -> tuple[str, int] | None:
    """`figure_value` and where in `text` it starts."""
    asked = set(words(question))
    for match in re.finditer(
        r"(?:\b(?:about|around|roughly|nearly|almost|some|up to|at least|"
        rf"more than|over|fewer than|less than)\s+)?(\S+)(?:\s+(?:{_SCALE})\b)?",
        text,
        re.I,  # "About 1,500 troops" opens a sentence
    ):
        figure = match.group(1).strip(".,;:()")
        if numbers(figure) and not set(words(figure)) <= asked:
            value = match.group(0).strip(" .,;:()")
            return value, text.index(value, match.start())
    return None


def magnitude_of(value: str) -> float | None:
    digits = re.search(r"\d+(?:,\d{3})*(?:\.\d+)?", value)
    if not digits:
        return None
    number = float(digits.group(0).replace(",", ""))
    for word, factor in SCALES.items():
        if word in value.lower():
            number *= factor
    return number


# a currency sign, or a currency named after the figure or its scale word ("35 million euros")
_MONEY = re.compile(
    rf"[$€£¥]|^\W*(?:(?:{_SCALE})\s+)?(?:dollars?|euros?|pounds?|yuan|yen|rupees?)\b", re.I
)
_PERCENT = re.compile(r"%|^\W*(?:percent|per cent|percentage points?)\b", re.I)
_CLOCK = re.compile(r"\d:\d\d|^\W*(?:a\.m\.|p\.m\.|am\b|pm\b)", re.I)
_AGE_BEFORE = re.compile(r"\b(?:age(?: of)?|aged)\s*$", re.I)
_AGE_AFTER = re.compile(r"^(?:-year-old|\s+years? old)\b", re.I)


def figure_kind(text: str, value: str, at: int) -> str:
    """What the figure `value`, standing at `at` in `text`, measures, read from its sign and
    the words around it: money, a percentage, a time of day, an age, or a count (anything
    else)."""
    before, after = text[:at], text[at + len(value) :]
    if _AGE_BEFORE.search(before) or _AGE_AFTER.match(after) or "-year-old" in value.lower():
        return "age"
    for kind, pattern in (("money", _MONEY), ("percent", _PERCENT), ("time", _CLOCK)):
        if pattern.search(value) or pattern.match(after):
            return kind
    return "count"


# what a question's measure noun says of the figures that answer it: of one kind, or none
# (a generic noun: "which massive figure"); any other noun must be named beside the figure
_MEASURE_KIND = {
    **dict.fromkeys(("percentage", "percent", "share", "proportion", "rate"), "percent"),
    **dict.fromkeys(
        ("price", "cost", "fee", "fare", "salary", "wage", "budget", "valuation", "fine"), "money"
    ),
    "age": "age",
}
_GENERIC_MEASURES = frozenset(
    ("number", "amount", "sum", "figure", "total", "count", "tally", "size", "value")
)


def measures(text: str, kind: str, measure: str | None) -> bool:
    """Whether a figure of `kind` in `text` can be the `measure` the question asks for
    ("magnitude": the sentence names it; "price": the figure is money)."""
    if measure is None or measure in _GENERIC_MEASURES:
        return True
    if measure in _MEASURE_KIND:
        return kind == _MEASURE_KIND[measure]
    held = Vocabulary(words(text))
    return measure in held or any(other in held for other in counted_as(measure))


def of_the_measure(text: str, question: str, measure: str | None) -> bool:
    """Whether the first figure of `text` that the question does not hold can be the
    `measure` the question asks for (`measures`): "the magnitude" is not a death toll."""
    found = _figure(text, question)
    return found is not None and measures(text, figure_kind(text, *found), measure)


def counts_any(text: str, question: str, nouns: Sequence[str]) -> bool:
    """Whether `text` gives a figure the question does not hold and names one of the `nouns`
    "how many" counts (`cues.counted_nouns`): "2 million strollers" counts strollers; "a $44
    billion acquisition" counts no employees."""
    return any(of_the_measure(text, question, noun) for noun in nouns)


def figure_conflict(
    claims: Sequence[Claim], question: str, measure: str | None = None
) -> Conflict | None:
    """A conflict when claims from different articles state different figures of the same
    kind as the first claim's (a sum of money and a count of drawings never differ), and of
    what the question's `measure` noun asks for (`measures`): two death tolls do not differ
    over "the magnitude of the quake"."""
    values: list[tuple[str, int]] = []
    magnitudes: set[float] = set()
    seen_articles: set[str] = set()
    measured: str | None = None
    for claim in claims:
        if claim.article_id in seen_articles:
            continue
        found = _figure(claim.text, question)
        magnitude = magnitude_of(found[0]) if found else None
        if found is None or magnitude is None:
            continue
        value, at = found
        kind = figure_kind(claim.text, value, at)
        if (measured is not None and kind != measured) or not measures(claim.text, kind, measure):
            continue
        measured = kind
        seen_articles.add(claim.article_id)
        values.append((value, claim.n))
        magnitudes.add(magnitude)
    if len(values) >= 2 and len(magnitudes) >= 2:
        return Conflict("figure", tuple(values))
    return None
