"""What a question asks for, and which sentences hold that kind of thing (pure heuristics:
no NER model can be had offline cheaply enough to run at query time)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.text import STOPWORDS, names, terms, words

Kind = Literal["number", "date", "name", "any"]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens|half"
)
NUMBER = re.compile(
    r"(?:[$€£¥]\s?)?\d+(?:,\d{3})*(?:\.\d+)?"
    r"(?:\s?(?:%|(?:percent|per cent|million|billion|trillion|bn)\b))?"
    rf"|\b(?:{_NUMBER_WORDS})\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:1[89]|20)\d\d)?\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})\b\.?(?:\s+(?:1[89]|20)\d\d)?"
    rf"|\b(?:{_WEEKDAYS})\b|\b(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)
_NUMBER_QUESTION = re.compile(
    r"\bhow (?:many|much|long|far|old|large|big|high|tall|often)\b|\bwhat (?:percentage|percent|"
    r"share|number|amount|rate|price|score|sum|figure|total|proportion|size|toll|cost|value)\b|"
    r"\bby how\b|\bwhich (?:rate|number|percentage)\b|\bdeath toll\b|"
    r"\bwhat\b(?:\s+[\w'’-]+){0,4}\s+(?:rate|percentage|price|toll|score|amount|figure|cost|"
    r"value|share|temperature|size)s?\b",
    re.IGNORECASE,
)
_DATE_QUESTION = re.compile(
    r"^\s*when\b|\bwhat (?:year|date|day|month|time)\b|\bwhich (?:year|date|day|month)\b|"
    r"\bsince when\b",
    re.IGNORECASE,
)
_PERSON_OR_PLACE = (
    "person|people|president|prime minister|minister|leader|official|chief|executive|judge|"
    "company|firm|bank|team|club|player|striker|goalkeeper|country|city|state|nation|party|"
    "agency|group|philosopher|scientist|author|writer|director|ship|vessel|stadium|venue|"
    "operation|mission|airline|carrier|port|union|court|region|province|island|capital|member"
)
_NAME_QUESTION = re.compile(
    r"\b(?:who|whom|whose|where)\b|\bwhich (?:country|countries|city|cities|"
    r"company|companies|team|teams|person|people|organi[sz]ation|state|states|nation|"
    r"nations|party|player|court|agency|group|firm|leader|official|members?)\b|\bwhat "
    r"(?:country|countries|city|company|team|organi[sz]ation|agency|name)\b|\bname of\b|"
    rf"\b(?:which|what)\b(?:\s+[\w'’-]+){{0,3}}\s+(?:{_PERSON_OR_PLACE})s?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuestionCues:
    kind: Kind
    terms: tuple[str, ...]  # content words, lower case
    key_terms: tuple[str, ...]  # names and numbers the question is about, lower case


def question_cues(question: str) -> QuestionCues:
    if _NUMBER_QUESTION.search(question):
        kind: Kind = "number"
    elif _DATE_QUESTION.search(question):
        kind = "date"
    elif _NAME_QUESTION.search(question):
        kind = "name"
    else:
        kind = "any"
    # names (not a question's first word: "Who", "Name the ..."), then numbers but no years
    # (a year is usually the article's date, not a word in its text)
    key = dict.fromkeys(term for name in names(question) for term in terms(name))
    for word in terms(question):
        if any(ch.isdigit() for ch in word) and not YEAR.fullmatch(word):
            key.setdefault(word)
    return QuestionCues(kind, tuple(terms(question)), tuple(key))


def numbers(sentence: str) -> list[str]:
    """Numbers and amounts, years left out (they are dates)."""
    return [
        m.group(0).strip()
        for m in NUMBER.finditer(sentence)
        if not YEAR.fullmatch(m.group(0).strip())
    ]


def dates(sentence: str) -> list[str]:
    return [m.group(0) for m in DATE.finditer(sentence)]


def things_of_kind(sentence: str, kind: Kind) -> list[str]:
    if kind == "number":
        return numbers(sentence)
    if kind == "date":
        return dates(sentence)
    if kind == "name":
        return names(sentence)
    return []


def new_things(sentence: str, cues: QuestionCues) -> list[str]:
    """Things of the asked-for kind in `sentence` that the question does not already name."""
    asked = set(cues.terms) | set(cues.key_terms)
    fresh = []
    for thing in things_of_kind(sentence, cues.kind):
        thing_words = [w for w in words(thing) if w not in STOPWORDS]
        if thing_words and not all(w in asked for w in thing_words):
            fresh.append(thing)
    return fresh
