"""Read publication dates: metadata values, news date lines, file names and URLs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import NamedTuple
from urllib.parse import urlsplit


def parse_published(value: object) -> datetime | None:
    """A timezone-aware datetime from a date, datetime, epoch number or date string.

    Naive values are taken as UTC; an unreadable value gives None, never an error,
    because a missing date must not cost the article.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            from dateutil import parser

            try:
                parsed = parser.parse(text)
            except (ValueError, OverflowError):
                return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


# English and French month names and the abbreviations news sites print.
MONTHS = {
    **dict.fromkeys(("january", "jan", "janvier", "janv"), 1),
    **dict.fromkeys(("february", "feb", "février", "fevrier", "févr", "fevr"), 2),
    **dict.fromkeys(("march", "mar", "mars"), 3),
    **dict.fromkeys(("april", "apr", "avril", "avr"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("june", "jun", "juin"), 6),
    **dict.fromkeys(("july", "jul", "juillet", "juil"), 7),
    **dict.fromkeys(("august", "aug", "août", "aout"), 8),
    **dict.fromkeys(("september", "sep", "sept", "septembre"), 9),
    **dict.fromkeys(("october", "oct", "octobre"), 10),
    **dict.fromkeys(("november", "nov", "novembre"), 11),
    **dict.fromkeys(("december", "dec", "décembre", "decembre", "déc"), 12),
}
WEEKDAYS = frozenset(
    (
        "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu",
        "thur", "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun", "lundi", "mardi",
        "mercredi", "jeudi", "vendredi", "samedi", "dimanche"
    )
)  # fmt: skip
# Longest first, so that "sept" is not read as "sep" followed by a stray "t".
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))


def calendar_day(year: int, month: int, day: int) -> datetime | None:
    """Midnight UTC of a real calendar day in a plausible news range, else None (so that an
    id such as 20241399 or 78901234 is not taken for a date)."""
    if not 1900 <= year <= 2100:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


# -- dates in file names and URLs: always year first -------------------------------------
_YMD_IN_NAME = re.compile(r"(?<![0-9A-Za-z])(\d{4})([-_.]?)(\d{2})\2(\d{2})(?![0-9A-Za-z])")
_YMD_IN_PATH = re.compile(rf"/(\d{{4}})/(\d{{1,2}}|{_MONTH})/(\d{{1,2}})(?=/|$)", re.IGNORECASE)


def date_in_name(name: str) -> datetime | None:
    """The date in a file name such as 2024-10-21-story.txt, 20241021_story.md or
    story-2024-10-21.txt (year, month, day), else None."""
    for match in _YMD_IN_NAME.finditer(name):
        found = calendar_day(int(match[1]), int(match[3]), int(match[4]))
        if found:
            return found
    return None


def date_in_url(url: str | None) -> datetime | None:
    """The date in a URL's path: /2024/10/21/, /2024/oct/21/, /2024-10-21/, /20241021/."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for match in _YMD_IN_PATH.finditer(path):
        month = match[2]
        number = int(month) if month.isdigit() else MONTHS[month.lower()]
        found = calendar_day(int(match[1]), number, int(match[3]))
        if found:
            return found
    for segment in path.split("/"):
        found = date_in_name(segment)
        if found:
            return found
    return None


# -- day first or month first ----------------------------------------------------------
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d|[/.-]\d)")


def day_first_in(text: str, setting: bool | None = None) -> bool:
    """Whether the ambiguous numeric dates of `text` (03/04/2024) put the day first.

    A number over 12 shows where a text puts its day (21/10/2024: day first; 10/21/2024:
    month first), and one article keeps one convention; when the text shows none, or both,
    the setting decides, else day first (the order most of the world writes)."""
    day_first = month_first = False
    for match in _NUMERIC_DATE.finditer(text):
        first, second = int(match[1]), int(match[3])
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
    if day_first != month_first:
        return day_first
    return True if setting is None else setting


# -- date lines under a headline ---------------------------------------------------------
_DATE = re.compile(
    rf"""
    (?<!\d)(?P<iy>\d{{4}})(?P<isep>[-/.])(?P<im>\d{{1,2}})(?P=isep)(?P<id>\d{{1,2}})(?!\d)
    | (?<![\d/.-])(?P<na>\d{{1,2}})(?P<nsep>[/.-])(?P<nb>\d{{1,2}})(?P=nsep)(?P<ny>\d{{4}})(?!\d)
    | (?<!\d)(?P<dd>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:of\s+)?(?P<dm>{_MONTH})\b\.?,?\s+
      (?P<dy>\d{{4}})(?!\d)
    | \b(?P<mm>{_MONTH})\b\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}})(?!\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)
# 22h20, 22:20, 10:20 PM, 10.20am, 10 p.m., T22:20:00+02:00, each with an optional zone.
_TIME = re.compile(
    r"(?<![\w:])T?(?P<hour>\d{1,2})"
    r"(?:(?:[:.]|h)(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?|(?P<h>h)(?![A-Za-z]))?"
    r"(?:\s?(?P<half>[aApP])\.?\s?[mM]\.?(?![A-Za-z]))?"
    r"(?:\s?\(?(?P<zone>Z|[+-]\d{2}:?\d{2}|(?:UTC|GMT)\s?[+-]\d{1,2}(?::?\d{2})?|[A-Z]{2,5})"
    r"(?![A-Za-z])\)?)?"
)
# Fixed offsets (minutes) of zone abbreviations that mean one thing in news; others (ET, IST,
# CST...) are read as the printed local time, which keeps at least the printed day.
_ZONES = {
    "Z": 0, "UTC": 0, "GMT": 0, "WET": 0, "BST": 60, "CET": 60, "WEST": 60, "CEST": 120,
    "EET": 120, "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "HKT": 480, "SGT": 480, "JST": 540, "KST": 540,
    "AEST": 600, "AEDT": 660,
}  # fmt: skip
_UPDATE_WORDS = re.compile(r"\b(updated|modified|modifié|modifiée|mis à jour|mise à jour)\b", re.I)
# Words that may sit around a date on its line without making it a sentence.
_FILLER = re.compile(
    r"\b(?:first|last|published|updated|posted|modified|on|at|date|publié|publiée|modifié|"
    r"modifiée|mis|mise|à|jour|le|et|and|" + "|".join(sorted(WEEKDAYS)) + r")\b"
    r"|[\s,.;:|·•/()\[\]–—-]+",
    re.IGNORECASE,
)
MAX_DATE_LINE = 100


class DateLine(NamedTuple):
    published: datetime | None
    updated: datetime | None


def _day(match: re.Match[str], day_first: bool) -> datetime | None:
    if match["iy"]:
        return calendar_day(int(match["iy"]), int(match["im"]), int(match["id"]))
    if match["ny"]:
        first, second = int(match["na"]), int(match["nb"])
        if first > 12 or (day_first and second <= 12):
            return calendar_day(int(match["ny"]), second, first)
        return calendar_day(int(match["ny"]), first, second)
    if match["dy"]:
        return calendar_day(int(match["dy"]), MONTHS[match["dm"].lower()], int(match["dd"]))
    return calendar_day(int(match["my"]), MONTHS[match["mm"].lower()], int(match["md"]))


def _zone(name: str | None) -> timezone:
    if not name:
        return UTC
    if name in _ZONES:
        return timezone(timedelta(minutes=_ZONES[name]))
    offset = re.fullmatch(r"(?:UTC|GMT)?\s?([+-])(\d{1,2}):?(\d{2})?", name)
    if offset:
        minutes = int(offset[2]) * 60 + int(offset[3] or 0)
        if minutes < 24 * 60:
            return timezone(timedelta(minutes=minutes if offset[1] == "+" else -minutes))
    return UTC


def _at_time(day: datetime, time: re.Match[str]) -> datetime | None:
    hour, half = int(time["hour"]), (time["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    minute, second = int(time["minute"] or 0), int(time["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    local = day.replace(hour=hour, minute=minute, second=second, tzinfo=_zone(time["zone"]))
    return local.astimezone(UTC)


def read_date_line(line: str, day_first: bool = True) -> DateLine | None:
    """The dates of a line that holds nothing but dates, times and their labels
    ("21/10/2024 22h20", "Published 21 October 2024, 10:20 BST", "Updated Oct. 22, 2024");
    None for anything else, a sentence mentioning a date included. A date after "Updated"
    (or "modifié", "mis à jour") is the update, the others the publication."""
    if len(line) > MAX_DATE_LINE:
        return None
    dates = list(_DATE.finditer(line))
    if not dates:
        return None
    days = [_day(match, day_first) for match in dates]
    if any(day is None for day in days):
        return None  # 31/02/2024: digits that are no date make this no date line
    # Blank the dates out (keeping offsets), then the times, and see what words are left.
    masked = list(line)
    for match in dates:
        masked[match.start() : match.end()] = " " * (match.end() - match.start())
    rest = "".join(masked)
    times: list[tuple[int, datetime]] = []  # (index of the date a time belongs to, time)
    for time in _TIME.finditer(rest):
        if not (time["minute"] or time["h"] or time["half"]):
            continue  # a bare number is no time
        # A time belongs to the date before it ("21/10/2024 22h20"), or to the first date
        # when it comes first ("22h20, 21/10/2024").
        owner = max([i for i, m in enumerate(dates) if m.start() < time.start()], default=0)
        day = days[owner]
        assert day is not None
        at = _at_time(day, time)
        if at is None:
            return None
        times.append((owner, at))
        rest = rest[: time.start()] + " " * (time.end() - time.start()) + rest[time.end() :]
    if _FILLER.sub("", rest).strip():
        return None
    published = updated = None
    for i, match in enumerate(dates):
        when = next((at for owner, at in times if owner == i), days[i])
        label = line[dates[i - 1].end() if i else 0 : match.start()]
        if _UPDATE_WORDS.search(label):
            updated = updated or when
        else:
            published = published or when
    return DateLine(published, updated)
