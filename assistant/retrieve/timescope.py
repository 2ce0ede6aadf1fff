"""The as-of time of a question, and what its time words ("this week", "in March",
"latest") ask for relative to it: a window of publication dates or a preference for newer
news (pure; docs/time.md lists every word)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from assistant.errors import ConfigError
from assistant.text import MONTH_NAMES, WEEKDAY_NAMES, words

AsOf = str | date | datetime | None  # what callers may give as the as-of time

_MONTH_NAMES = tuple(name.capitalize() for name in MONTH_NAMES)
_MONTH = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTH_RE = "|".join(_MONTH_NAMES)
_WINDOW_WORD = "(?i:in|since|during)"  # "In March, ..." opens a question too
# after "in", "since" or "during" a month may be typed in lower case ("what changed in march"),
# but not "may", which is then more often the verb
_ANY_CASE_MONTH_RE = "|".join((*_MONTH_NAMES, *(name for name in MONTH_NAMES if name != "may")))
_YEAR_RE = r"(?:19|20)\d\d"
_YEAR = re.compile(_YEAR_RE)

# Words that ask for the state of things now: prefer newer sources, and say when the newest
# source is old. Lower case only: "New York" and "Now This" are names.
_CURRENT = re.compile(
    r"\b(?:latest|newest|recent|recently|new|newly|now|current|currently|still|"
    r"so far|to date|as of now|at the moment|these days|nowadays)\b"
)
_CURRENT_AT_START = re.compile(r"^\s*(?:Latest|Recently|Currently|Now|Still)\b")
# Words that ask for the news on a subject rather than a fact of it ("latest news on the
# bridge", "what's the latest on BRICS", "any updates about ...", "what's new with ..."):
# they ask for the current state of things, and say nothing about what a sentence must hold.
# "News" alone is a request only at the start ("any news on ..."): "broke the news on Tuesday"
# is a fact.
_NEWS_WORDS = r"(?:news|updates?|developments?)\s+(?:on|about|from|in|with|regarding|for)\b"
_NEWS_REQUEST = re.compile(
    rf"^\s*(?:(?:what(?:'s|’s|\s+is|\s+are)\s+)?(?:the\s+)?|any\s+)"
    rf"(?:(?:latest|newest|recent)\s+)?{_NEWS_WORDS}"
    rf"|\b(?:latest|newest|recent)\s+{_NEWS_WORDS}"
    r"|\b(?:the\s+)?latest\s+(?:on|about|with|from|regarding)\b"
    r"|\bwhat(?:'s|’s|\s+is)\s+new\s+(?:with|at|in|on|for)\b",
    re.IGNORECASE,
)

_WEEKDAYS = tuple(name.capitalize() for name in WEEKDAY_NAMES)
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b")
# capitalised words that may stand before a weekday that is a day, not part of a name
_WEEKDAY_OPENERS = frozenset({"on", "since", "by", "until", "early", "late", "last", "this"})
_DATED = re.compile(rf"\b(?:{_MONTH_RE}|{_YEAR_RE})\b")


@dataclass(frozen=True)
class TimeScope:
    """What a question's time words ask for, relative to its as-of time."""

    as_of: datetime
    since: datetime | None = None  # window of publication dates, when a word sets one
    until: datetime | None = None
    label: str | None = None  # the words that set the window, as written ("this week")
    wants_current: bool = False  # "latest", "now", "current", "still", "recently", "new"

    @property
    def window(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def published(self) -> str:
        """The window in words that follow "published": "this week", "in March", "on
        Tuesday"."""
        label = self.label or "then"
        return f"on {label}" if label in _WEEKDAYS else label


def as_of_time(value: AsOf, *, name: str = "as_of") -> datetime:
    """The as-of time: now when `value` is None; a bare date means the end of that day (UTC),
    so everything published on it counts. A value that is not a date raises ConfigError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return datetime.now(UTC)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return _end_of_day(value)
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _end_of_day(date.fromisoformat(text))
        except ValueError:
            pass
    else:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    raise ConfigError(
        f"{name}: cannot read {value!r} as a date (use YYYY-MM-DD or an ISO date and time)"
    )


def _end_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1, microseconds=-1)


def _day_start(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _month_start(year: int, month: int, tz: object) -> datetime:
    return datetime(year, month, 1, tzinfo=tz)  # type: ignore[arg-type]


def _next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def _named_month(month: int, year: int | None, as_of: datetime) -> datetime:
    """The start of a named month: in `year`, else the latest one not after the as-of time."""
    if year is None:
        year = as_of.year if month <= as_of.month else as_of.year - 1
    return _month_start(year, month, as_of.tzinfo)


def asks_for_current(question: str) -> bool:
    """Whether the question asks for the current state of things ("latest", "now", "still",
    "news on ...")."""
    return bool(
        _CURRENT.search(question)
        or _CURRENT_AT_START.search(question)
        or _NEWS_REQUEST.search(question)
    )


def without_news_request(question: str) -> str:
    """The question without the words asking for news on its subject ("What's the latest on
    BRICS?" -> "What's BRICS?"): what is left names what a source must be about."""
    return " ".join(_NEWS_REQUEST.sub(" ", question).split())


# the words a follow-up made of time words alone may hold ("And in March?", "What about now?")
_TIME_PHRASE_WORDS = frozenset(
    (
        "in", "on", "since", "during", "early", "late", "mid", "this", "last", "past", "the",
        "today", "tonight", "yesterday", "week", "month", "year", "now", "currently", "still",
        "recently", "latest", *MONTH_NAMES, *WEEKDAY_NAMES,
    )
)  # fmt: skip


def is_time_phrase(text: str) -> bool:
    """Whether `text` says only when ("in March", "last year", "now", "on Tuesday"): words of
    time that set a window or ask for the current state of things, and nothing else."""
    found = words(text)
    if not found or not all(w in _TIME_PHRASE_WORDS or _YEAR.fullmatch(w) for w in found):
        return False
    scope = time_scope(text, datetime.now(UTC))
    return scope.window or scope.wants_current


def as_time_phrase(text: str) -> str | None:
    """`text` as the words of time that end a question ("In 2023?" -> "in 2023"), or None
    when it says more than when (`is_time_phrase`)."""
    phrase = text.strip().rstrip("?").strip()
    if phrase.split(" ", 1)[0].lower() not in (*MONTH_NAMES, *WEEKDAY_NAMES):
        phrase = phrase[:1].lower() + phrase[1:]
    return phrase if is_time_phrase(phrase) else None


def time_scope(question: str, as_of: datetime) -> TimeScope:
    """The window or preference the question's time words set (the first window word wins)."""
    wants_current = asks_for_current(question)
    day = _day_start(as_of)
    lowered = question.lower()

    def scope(since: datetime | None, until: datetime | None, label: str) -> TimeScope:
        until = min(until, as_of) if until else as_of
        return TimeScope(as_of, since, until, label, wants_current)

    relative = re.search(
        r"\b(today|tonight|yesterday|this week|last week|past week|this month|last month|"
        r"past month|this year|last year|past year)\b",
        lowered,
    )
    named = re.search(
        rf"\b({_WINDOW_WORD}) (?:early |late |mid-)?({_ANY_CASE_MONTH_RE})(?:,? ({_YEAR_RE}))?\b"
        rf"|\b({_WINDOW_WORD}) ({_YEAR_RE})\b",
        question,
    )
    if relative and (not named or relative.start() < named.start()):
        word = relative.group(1)
        month = _month_start(as_of.year, as_of.month, as_of.tzinfo)
        year = _month_start(as_of.year, 1, as_of.tzinfo)
        windows = {
            "today": (day, None),
            "tonight": (day, None),
            "yesterday": (day - timedelta(days=1), None),  # yesterday's news runs today too
            "this week": (day - timedelta(days=7), None),
            "past week": (day - timedelta(days=7), None),
            "last week": (day - timedelta(days=14), day - timedelta(days=7)),
            "this month": (month, None),
            "past month": (day - timedelta(days=31), None),
            "last month": (_named_month(12 if as_of.month == 1 else as_of.month - 1,
                                        None, as_of), month),
            "this year": (year, None),
            "past year": (day - timedelta(days=365), None),
            "last year": (year.replace(year=as_of.year - 1), year),
        }  # fmt: skip
        since, until = windows[word]
        return scope(since, until, word)
    if named:
        if named.group(4):  # "in 2023", "since 2021"
            preposition, year_value = named.group(4).lower(), int(named.group(5))
            start = _month_start(year_value, 1, as_of.tzinfo)
            end = start.replace(year=year_value + 1)
        else:
            preposition = named.group(1).lower()
            year_given = int(named.group(3)) if named.group(3) else None
            start = _named_month(_MONTH[named.group(2).capitalize()], year_given, as_of)
            end = _next_month(start)
        label = named.group(0)[:1].lower() + named.group(0)[1:]  # "In March, ..." -> "in March"
        if start > as_of:
            return TimeScope(as_of, wants_current=wants_current)
        return scope(start, None if preposition == "since" else end, label)
    weekday = _named_weekday(question)
    if weekday:  # "announced on Tuesday": from the latest Tuesday up to the as-of time
        back = (day.weekday() - _WEEKDAYS.index(weekday)) % 7
        return scope(day - timedelta(days=back), None, weekday)
    return TimeScope(as_of, wants_current=wants_current)


def _named_weekday(question: str) -> str | None:
    """A weekday the question names as a day of its own week ("announced on Tuesday", "early
    Thursday", "made history Sunday"); not one in a name ("Black Friday", "Super Tuesday"),
    after "next", or beside a month or a year ("Sunday, February 12": a dated day)."""
    if _DATED.search(question):
        return None
    for found in _WEEKDAY.finditer(question):
        before = question[: found.start()].split()
        word = before[-1] if before else ""
        if word.lower() == "next" or (word[:1].isupper() and word.lower() not in _WEEKDAY_OPENERS):
            continue
        return found.group(1)
    return None
