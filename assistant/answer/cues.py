"""What a question asks for, and which sentences hold that kind of thing (pure heuristics:
no NER model can be had offline cheaply enough to run at query time)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.retrieve.timescope import asks_for_current, without_news_request
from assistant.text import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    STOPWORDS,
    WEEKDAY_NAMES,
    names,
    terms,
    words,
)

Kind = Literal["number", "date", "name", "any"]

_MONTHS = "|".join(MONTH_NAMES + MONTH_ABBREVIATIONS)
_SPANS = "week|weekend|month|year|spring|summer|fall|autumn|winter|season|decade"
_WEEKDAYS = "|".join(WEEKDAY_NAMES)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens|half"
)
# a figure stands alone: the digits of a name ("4moms", "G7", "COVID-19", "BA.5", "5G") are none,
# an ordinal or a unit letter after them ("10th", "4K", "£15m") keeps them a figure
NUMBER = re.compile(
    r"(?<![A-Za-z\d.-])(?<![A-Za-z]-)(?:[$€£¥]\s?)?\d+(?:,\d{3})*(?:\.\d+)?"
    r"(?:\s?(?:%|(?:percent|per cent|million|billion|trillion|bn)\b))?"
    r"(?!(?!(?:st|nd|rd|th|m|k|s)\b)[A-Za-z])"
    rf"|\b(?:{_NUMBER_WORDS})\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+(?:1[89]|20)\d\d)?\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTHS})\b\.?(?:\s+(?:1[89]|20)\d\d)?"
    rf"|\b(?:{_WEEKDAYS})\b|\b(?:1[89]|20)\d\d\b"
    # times told relative to the report: "as early as next week", "later this year"
    rf"|\b(?:next|this|later this|early next|by next|end of the)\s+(?:{_SPANS})\b"
    r"|\b(?:tomorrow|tonight|yesterday)\b",
    re.IGNORECASE,
)
# a question asking when something will happen, and a sentence speaking of what is to come
_FUTURE_ASKED = re.compile(
    r"\b(?:will|could|would|set to|expected|soon|going to|plans?|upcoming|deadline)\b", re.I
)
_LOOKS_AHEAD = re.compile(
    r"\b(?:will|would|could|expected|set to|scheduled|plans?|planned|as early as|next|"
    r"upcoming|later this)\b",
    re.I,
)
_PAST_DAY = re.compile(rf"(?:{_WEEKDAYS}|yesterday)", re.I)
# What a question asks for is read from its question clause (RealTimeQA questions open with
# a sentence of context: "The IRS started accepting returns this week. When is the deadline?")
# and, for "which/what ...", from the first of its next few words that names a kind of thing
# ("which Ivy League school" asks for an organisation, "which massive figure" for a number).
Asked = Literal["number", "date", "person", "place", "organisation", "named", "thing"]
_WH = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"(?<=[.?!:])\s+")
_HOW_MUCH = re.compile(
    r"how (?:many|much|long|far|old|large|big|high|tall|often|fast|deep)\b", re.IGNORECASE
)
_NUMBER_PHRASE = re.compile(r"\bdeath toll\b|\bby how\b", re.IGNORECASE)
_WHEN = re.compile(r"when\b|how soon\b", re.IGNORECASE)
_NAMED = re.compile(r"\bname of\b|\bcalled\b", re.IGNORECASE)
_PERSON_NAME = re.compile(r"what is (?:his|her|their) name\b", re.IGNORECASE)
HEAD_WORDS = 6  # "what was the highest ever mean price": the kind is named within this many words
_COPULA = re.compile(r"is|are|was|were")
# a verb of these ends the phrase after "which"/"what" that can name the asked kind
_AUXILIARY = re.compile(
    r"is|are|was|were|be|been|has|have|had|do|does|did|will|would|can|could|should|may|might|must"
)
_NOUNS: tuple[tuple[Asked, str], ...] = (
    (
        "number",
        "percentage|percent|share|number|amount|rate|price|score|sum|figure|total|proportion|"
        "size|toll|cost|value|magnitude|age|temperature|speed|fine|salary|valuation|distance|"
        "height|weight|count|tally|budget|fee|fare|wage",
    ),
    ("date", "year|date|day|month|time|decade|century|centuries"),
    (
        "place",
        "country|countries|city|cities|state|nation|region|province|island|capital|town|"
        "county|location|place|area|park|continent|territory|village|port|border|sea|river|"
        "mountain|airport|stadium|venue|site",
    ),
    (
        "organisation",
        "company|companies|firm|team|club|organisation|organization|agency|party|bank|airline|union|"
        "group|network|brand|retailer|carrier|court|university|school|college|chain|service|"
        "platform|automaker|maker|manufacturer|studio|newspaper|website|startup|business|"
        "store|league|institution|government|department|ministry|alliance|bloc",
    ),
    (
        "person",
        "person|people|president|minister|leader|official|chief|executive|ceo|judge|player|"
        "striker|goalkeeper|actor|actress|singer|author|writer|director|star|senator|governor|"
        "candidate|coach|king|queen|prince|princess|pope|artist|rapper|musician|host|"
        "celebrity|athlete|quarterback|politician|lawmaker|billionaire|founder|journalist|"
        "comedian|member|representative|mayor|philosopher|scientist|successor",
    ),
    (
        "named",
        "show|series|film|films|movie|song|album|book|novel|play|storm|hurricane|ship|vessel|"
        "operation|mission|variant|subvariant|award|awards|prize|holiday|event|festival|"
        "tournament|app|product|law|bill|treaty|name",
    ),
)
_NOUN_KIND: dict[str, Asked] = {}
for _asked, _nouns in _NOUNS:
    for _noun in _nouns.split("|"):
        _NOUN_KIND.setdefault(_noun, _asked)
KIND_OF: dict[Asked, Kind] = {
    "number": "number",
    "date": "date",
    "person": "name",
    "place": "name",
    "organisation": "name",
    "named": "name",
    "thing": "any",
}


def question_clause(question: str) -> str:
    """The part of `question` that asks: its last sentence holding a question word."""
    parts = [p for p in _CLAUSE_END.split(question.strip()) if p]
    asking = [p for p in parts if _WH.search(p)]
    return (asking or parts or [question])[-1]


def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word.lower().strip(".,;:!?'’\"“”"))


def _noun_kind(word: str) -> Asked | None:
    word = _bare(word)
    return _NOUN_KIND.get(word) or _NOUN_KIND.get(word.removesuffix("s"))


def asked_for(question: str) -> Asked:
    """What kind of thing answers `question`: read at its first question word that asks (a
    "when" or "who" inside the clause joins a clause: "Who was in charge when it fell?")."""
    return _asked(question)[0]


def _asked(question: str) -> tuple[Asked, str | None]:
    """`asked_for`, and the noun that named the kind when one did ("show" in "Which hugely
    popular show got the green light?": a source that says "the show" speaks of the answer without
    naming it)."""
    clause = question_clause(question)
    if _NUMBER_PHRASE.search(clause):
        return "number", None
    for match in _WH.finditer(clause):
        word, at = match.group(0).lower(), match.start()
        rest = clause[at:]
        if word == "how":
            if _HOW_MUCH.match(rest):
                return "number", None
            return ("date" if _WHEN.match(rest) else "thing"), None
        if word == "when":
            if at == 0 or clause[:at].rstrip().lower().endswith(("since", "by", "until")):
                return "date", None
            continue
        if word == "where":
            return "place", None
        if word in ("who", "whom", "whose"):
            if clause[:at].rstrip().endswith(","):  # "Cindy Williams, who played ..."
                continue
            return "person", _role(rest)
        if word == "why":
            return "thing", None
        if _PERSON_NAME.match(rest):
            return "person", None
        found = _kind_noun(rest.split()[1:])
        if found is not None:
            return found
        return ("named" if _NAMED.search(rest) else "thing"), None
    return "thing", None


def _kind_noun(phrase: list[str], only: Asked | None = None) -> tuple[Asked, str] | None:
    """The first noun within HEAD_WORDS words of `phrase` that names a kind (of kind `only`,
    when given), with its kind: "school" in "Ivy League school announced ...". The phrase
    ends at a verb or a comma."""
    for i, word in enumerate(phrase[:HEAD_WORDS]):
        if _AUXILIARY.fullmatch(_bare(word)):
            if i == 0 and _COPULA.fullmatch(_bare(word)):
                continue  # "What was the magnitude ...": the kind's noun follows
            break  # "Which virus is making officials ...": the asking phrase ended
        kind = _noun_kind(word)
        if kind is not None and only in (None, kind):
            return kind, _bare(word)
        if word.endswith((",", ";", ":")):
            break  # "... which spice, leaving shoppers angry nationwide"
    return None


_WHO_IS = re.compile(r"\w+\s+(?:is|was|are|were)\s+(?:the|an?)\s+(.*)", re.IGNORECASE)


def _role(rest: str) -> str | None:
    """The noun naming the person asked for in "who is the chief executive of ...?": asked by
    it, the answer names a person, as for "which chief executive"."""
    match = _WHO_IS.match(rest)
    found = _kind_noun(match.group(1).split(), only="person") if match else None
    return found[1] if found else None


@dataclass(frozen=True)
class QuestionCues:
    asked: Asked  # the kind of thing that answers: which named entities (entities.py)
    terms: tuple[str, ...]  # content words, lower case
    key_terms: tuple[str, ...]  # names and numbers the question is about, lower case
    # the key terms of the question clause: what a source must mention to answer (the
    # context sentences before it paraphrase the story: "down for seven weeks in a row")
    required_terms: tuple[str, ...] = ()
    years: tuple[str, ...] = ()  # years the question clause names ("the 2019 final")
    head: str | None = None  # the noun that named the asked kind ("show"), if one did
    future: bool = False  # the clause asks when something is still to happen
    counted: tuple[str, ...] = ()  # what "how many" counts ("employees"): a figure names it
    current: bool = False  # asks for the current state of things ("latest", "news on ...")

    @property
    def kind(self) -> Kind:
        """The coarse kind the sentence features read (person, place ... are all "name")."""
        return KIND_OF[self.asked]


def key_terms_of(text: str) -> tuple[str, ...]:
    """Names (not a question's first word: "Who", "Name the ...") and numbers but no years
    (a year is usually the article's date, not a word in its text)."""
    key = dict.fromkeys(term for name in names(text) for term in terms(name))
    for word in terms(text):
        if any(ch.isdigit() for ch in word) and not YEAR.fullmatch(word):
            key.setdefault(word)
    return tuple(key)


def question_cues(question: str) -> QuestionCues:
    asked, head = _asked(question)
    key = key_terms_of(question)
    clause = question_clause(question)
    required = key if clause == question.strip() else key_terms_of(clause)
    years = tuple(dict.fromkeys(YEAR.findall(clause)))
    future = bool(_FUTURE_ASKED.search(clause))
    counted = counted_nouns(clause)
    # "latest news on the bridge" is about the bridge: the request's words are no terms
    own = tuple(terms(without_news_request(question)))
    current = asks_for_current(question)
    return QuestionCues(asked, own, key, required, years, head, future, counted, current)


_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)", re.IGNORECASE)
# words that end the counted phrase ("How many people were ...", "how many in 2023"): an
# auxiliary, a preposition, a determiner
_PHRASE_END = re.compile(
    _AUXILIARY.pattern + r"|in|on|at|of|for|to|by|from|with|this|that|these|those|since|after|"
    r"before|during|than|the|an?|its|their|his|her"
)
# not counted: modifiers, and "times" ("how many times" is told as "his 14th title")
_COUNT_MODIFIERS = frozenset(("and", "or", "more", "other", "new", "total", "additional", "times"))


def counted_nouns(clause: str) -> tuple[str, ...]:
    """The common nouns "how many" counts: "employees" in "How many Twitter employees were
    laid off?", "strollers" and "seats" in "how many strollers and seats were recalled".
    Names (capitalised) and modifiers ("new", "more") are left out; "how many were killed"
    counts nothing named. The phrase ends at an auxiliary, a preposition, an article or a word
    ending in "-ed"; a verb of another form is kept ("people" and "left" in "how many people
    left the city"), which only makes the check lenient: a source naming either passes."""
    match = _HOW_MANY.search(clause)
    if match is None:
        return ()
    nouns: list[str] = []
    for word in match.group(1).split():
        bare = _bare(word)
        if _PHRASE_END.fullmatch(bare) or bare.endswith("ed"):
            break
        if not word[:1].isupper() and bare not in _COUNT_MODIFIERS:
            nouns.append(bare)
    return tuple(nouns)


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


_MONTH = re.compile(rf"\b(?:{_MONTHS})\b", re.IGNORECASE)


def gives_the_date(thing: str, head: str | None) -> bool:
    """Whether a date thing gives the date asked for: more than a weekday, and the month or
    the year when the question asks "which month" or "what year" ("this week" is neither)."""
    if only_a_day(thing):
        return False
    if head == "month":
        return bool(_MONTH.search(thing))
    if head == "year":
        return bool(YEAR.search(thing))
    return True


def only_a_day(thing: str) -> bool:
    """Whether a date thing is only a weekday or "yesterday": the day a report's event
    happened, told in passing, rather than a date, month or year."""
    return bool(_PAST_DAY.fullmatch(thing.strip()))


def new_things(sentence: str, cues: QuestionCues) -> list[str]:
    """Things of the asked-for kind in `sentence` that the question does not already name.
    Asked when something will happen, a weekday in a sentence that looks ahead to nothing is
    the day something already happened ("voted on Wednesday"), not an answer."""
    asked = set(cues.terms) | set(cues.key_terms)
    found = things_of_kind(sentence, cues.kind)
    if cues.kind == "date" and cues.future and not _LOOKS_AHEAD.search(sentence):
        found = [thing for thing in found if not only_a_day(thing)]
    fresh = []
    for thing in found:
        thing_words = [w for w in words(thing) if w not in STOPWORDS]
        if thing_words and not all(w in asked for w in thing_words):
            fresh.append(thing)
    return fresh
