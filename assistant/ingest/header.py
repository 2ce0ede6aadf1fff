"""Read the metadata lines people save under a plain-text article's headline: the date,
the outlet, the section, an image or article URL, the byline; they leave the body text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from assistant.ingest.clean import is_boilerplate
from assistant.ingest.dates import MONTHS, WEEKDAYS, DateLine, day_first_in, read_date_line

# Only the top of an article holds its header; a line further down is the story's own.
MAX_HEADER_LINES = 6
MAX_OUTLET_CHARS = 40
MAX_BYLINE_CHARS = 80

Kind = Literal["image", "url", "date", "byline", "section", "outlet", "furniture"]
# A header needs one line of these shapes, which sentences never take; a lone short
# capitalised line ("Key findings", "Reuters") is left in the text, since it may be the story's.
_FIRM: frozenset[Kind] = frozenset({"image", "url", "date", "byline"})

_URL = re.compile(r"<?(https?://\S+?)>?")
_IMAGE_PATH = re.compile(r"\.(jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$|/(images?|img|photos?)/")
_IMAGE_HOST = re.compile(r"^(img|images?|image-cdn|photos?|media|static|i)\d*\.")
_BYLINE = re.compile(r"(?:By|BY|Par|PAR)\s+(?P<names>.+)")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|\bet\b)\s*")
_NAME_PARTICLES = frozenset({"de", "da", "di", "del", "der", "den", "van", "von", "la", "le", "du"})
_CRUMB = re.compile(r"\s*(?:>|›|»|\||/|·)\s*")
_READING_TIME = re.compile(
    r"(?:\d+\s*(?:min|mins|minutes?)\s*(?:read|de lecture)|lecture\s*\d+\s*min|"
    r"listen to this article|écouter cet article)",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"(?:photo|image|credit|crédit|illustration)s?\s*[:©].{0,60}|©.{0,60}", re.I)
_LABELS = frozenset({"first", "last", "published", "updated", "posted", "publié", "modifié"})
SECTIONS = frozenset(
    (
        "world", "politics", "business", "economy", "economics", "markets", "money", "finance",
        "sport", "sports", "football", "soccer", "cricket", "rugby", "tennis", "technology",
        "tech", "science", "sciences", "health", "culture", "arts", "art", "music", "film",
        "books", "entertainment", "lifestyle", "life", "style", "fashion", "food", "travel",
        "opinion", "opinions", "comment", "commentary", "editorial", "analysis", "explainer",
        "feature", "features", "interview", "review", "reviews", "obituary", "obituaries",
        "news", "local", "national", "international", "global", "nation", "metro", "home",
        "environment", "climate", "planet", "weather", "education", "society", "media", "crime",
        "justice", "law", "religion", "security", "defence", "defense", "election", "elections",
        "europe", "africa", "asia", "pacific", "americas", "america", "middle", "east", "latin",
        "uk", "us", "usa", "u.s.", "live", "breaking", "exclusive", "latest", "top", "stories",
        "in", "brief", "fact", "check", "pictures", "video", "politique", "économie", "société",
        "planète", "idées", "monde"
    )
)  # fmt: skip
_CONNECTORS = frozenset(
    (
        "the", "of", "and", "&", "de", "la", "le", "les", "du", "des", "di", "del", "el", "al",
        "y", "et", "für", "am", "with", "avec"
    )
)  # fmt: skip
_OUTLET_FORBIDDEN = re.compile(r"[!?,;:\"“”()\[\]{}<>*#=]|\.$")
_DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}")


@dataclass(frozen=True)
class Header:
    """What the lines under a headline said; `body` is the text after them."""

    body: str
    published: datetime | None = None
    updated: datetime | None = None
    outlet: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()


class HeaderLine(NamedTuple):
    """One line under a headline read as header: its kind, its text (the URL for a URL
    line), and what a date or byline line says."""

    kind: Kind
    text: str
    dates: DateLine | None = None
    names: tuple[str, ...] = ()


def _word(token: str) -> str:
    return token.lower().strip(".'’")


def _is_section(line: str) -> bool:
    """ "Politics", "UK Politics", "News > World": one to three words a part, all known."""
    if len(line) > MAX_OUTLET_CHARS:
        return False
    parts = [p for p in _CRUMB.split(line) if p]
    if not parts:
        return False
    return all(
        1 <= len(p.split()) <= 3 and all(_word(w) in SECTIONS for w in p.split()) for p in parts
    )


def _is_outlet(line: str) -> bool:
    """ "Le Monde", "Reuters", "The Harbourside Times", "France 24", "lemonde.fr": short,
    capitalised, no sentence punctuation, no date words."""
    if len(line) > MAX_OUTLET_CHARS or _OUTLET_FORBIDDEN.search(line):
        return False
    if _DOMAIN.fullmatch(line):
        return True
    words = line.split()
    if not 1 <= len(words) <= 5 or not words[0][0].isupper():
        return False
    if any(_word(w) in MONTHS or _word(w) in WEEKDAYS for w in words):
        return False
    return all(w[0].isupper() or w.isdigit() or w.lower() in _CONNECTORS for w in words)


def _byline_names(line: str) -> tuple[str, ...] | None:
    """("Ann Lee", "Bo Chen") from "By Ann Lee and Bo Chen"; None unless every part is a
    name (one to four capitalised words), so "By the end of May, ..." stays a sentence."""
    match = _BYLINE.fullmatch(line)
    if not match or len(line) > MAX_BYLINE_CHARS or re.search(r"[!?;:\d]|\.$", line):
        return None
    names = tuple(n for n in _NAME_SEPARATORS.split(match["names"]) if n)
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 4:
            return None
        if not all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words):
            return None
    return names or None


def _is_image(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_IMAGE_PATH.search(parts.path.lower()) or _IMAGE_HOST.match(parts.netloc.lower()))


def classify(line: str, day_first: bool = True) -> HeaderLine | None:
    """What one stripped line under a headline is; None for a line of the article itself."""
    url = _URL.fullmatch(line)
    if url:
        try:
            image = _is_image(url[1])
        except ValueError:  # "http://[broken": no URL to keep, so a line of the text
            return None
        return HeaderLine("image" if image else "url", url[1])
    dated = read_date_line(line, day_first)
    if dated:
        return HeaderLine("date", line, dates=dated)
    names = _byline_names(line)
    if names:
        return HeaderLine("byline", line, names=names)
    if _is_section(line):
        return HeaderLine("section", line)
    if (
        is_boilerplate(line)
        or _READING_TIME.fullmatch(line)
        or _CREDIT.fullmatch(line)
        or {_word(w) for w in line.split()} <= _LABELS
    ):
        return HeaderLine("furniture", line)
    if _is_outlet(line):
        return HeaderLine("outlet", line)
    return None


# "By Ann Lee | 21 October 2024 | Politics": header pieces sharing one line
_PIECES = re.compile(r"\s+[|·•—–]\s+")


def classify_line(line: str, day_first: bool = True) -> list[HeaderLine] | None:
    """What one stripped line under a headline holds: one header line, or the pieces of a
    line joining several ("By Ann Lee | 21 October 2024"), each of which must be one; None
    for a line of the article itself."""
    whole = classify(line, day_first)
    if whole is not None:
        return [whole]
    pieces = [classify(piece, day_first) for piece in _PIECES.split(line)]
    if len(pieces) < 2 or None in pieces:
        return None
    return [piece for piece in pieces if piece is not None]


def read_header(body: str, day_first: bool | None = None) -> Header:
    """The header lines at the top of `body` (the text under the headline) read and cut off.

    Looks at most MAX_HEADER_LINES non-empty lines and stops at the first line of the
    article; reads nothing unless a date, URL or byline line is among them, and leaves the
    body whole when nothing would remain of it. `day_first` is the setting for ambiguous
    numeric dates, used when the article's other dates do not decide."""
    lines = body.split("\n")
    order = day_first_in(body, day_first)
    found: list[tuple[int, HeaderLine]] = []  # (line number, what it is)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if len(found) >= MAX_HEADER_LINES:
            break
        header_lines = classify_line(stripped, order)
        if header_lines is None:
            break
        found.extend((number, header_line) for header_line in header_lines)
    firm = [i for i, (_, line) in enumerate(found) if line.kind in _FIRM]
    if not firm:
        return Header(body)
    # After the last firm line only known furniture goes: a guessed outlet there could be
    # the story's first short line.
    end = firm[-1] + 1
    while end < len(found) and found[end][1].kind in ("section", "furniture"):
        end += 1
    rest = "\n".join(lines[found[end - 1][0] + 1 :])
    if not rest.strip():
        return Header(body)
    read = [line for _, line in found[:end]]
    dates = [line.dates for line in read if line.dates]
    published = next((d.published for d in dates if d.published), None)
    updated = next((d.updated for d in dates if d.updated), None)
    # With only an "Updated" line, that is the date: the text we hold is that version, which
    # an as-of question before it must not see.
    return Header(
        body=rest,
        published=published or updated,
        updated=updated,
        outlet=next((line.text for line in read if line.kind == "outlet"), None),
        url=next((line.text for line in read if line.kind == "url"), None),
        authors=next((line.names for line in read if line.names), ()),
    )
