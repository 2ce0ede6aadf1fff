"""Clean article text: normalize white space and drop boilerplate lines."""

from __future__ import annotations

import re
import unicodedata

# Lines that sites put around articles and that never carry news.
_BOILERPLATE = re.compile(
    r"^\s*("
    r"advertisement|advertising|sponsored( content)?|"
    r"(share|tweet|email|print)( this( article| story)?)?|"
    r"(sign up|subscribe)( (now|today|for|to)\b.*)?|"
    r"read more:?.*|related( articles| stories)?:?|recommended( for you)?|"
    r"(click|tap) here.*|continue reading.*|"
    r"(we use|this (web)?site uses) cookies.*|accept( all)? cookies.*|"
    r"all rights reserved.*|copyright\s*(©|\(c\))\s*\d{4}.*|©\s*\d{4}.*|"
    r"follow us on .*|skip to (main )?content|back to top"
    r")\s*$",
    re.IGNORECASE,
)
_INLINE_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MANY_BLANKS = re.compile(r"\n{3,}")


# A long line is a paragraph, whatever its first words; only short lines are furniture.
_MAX_BOILERPLATE_CHARS = 120


def is_boilerplate(line: str) -> bool:
    return len(line) <= _MAX_BOILERPLATE_CHARS and bool(_BOILERPLATE.match(line))


# What a site says about the article or itself inside its text, not news: an editor's note,
# a newsletter sign-up, an update note that tells nothing ("This story has been updated with
# additional information."; one that says what changed is news). Read per sentence by the
# answerer (assistant/answer/extractive.py), beside the furniture above.
_NOTICE = re.compile(
    r"^\W*editor['’]?s note\b|\bsign up\b.{0,80}\bnewsletter\b|\bnewsletter\b.{0,80}\bsign up\b|"
    r"^\W*this (?:story|article) (?:has been|was) updated with (?:additional|more|new) "
    r"(?:information|details|reporting)\W*$",
    re.IGNORECASE,
)


def is_site_notice(text: str) -> bool:
    """Whether a sentence is a site's furniture or notice (`is_boilerplate`, `_NOTICE`)."""
    return is_boilerplate(text) or bool(_NOTICE.search(text))


def clean_text(text: str) -> str:
    """Article text with unified newlines, folded spaces, boilerplate lines removed and
    paragraphs separated by exactly one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00ad", "")  # soft hyphens split words for the tokenizer
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    kept = [line for line in lines if not is_boilerplate(line)]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in kept:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return _MANY_BLANKS.sub("\n\n", "\n\n".join(paragraphs)).strip()
