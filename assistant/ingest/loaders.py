"""Turn one local file into articles: .txt/.md (front matter), .html, .json/.jsonl."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.errors import SourceError
from assistant.ingest.clean import clean_text
from assistant.ingest.dates import date_in_name, date_in_url, parse_published
from assistant.ingest.header import read_header
from assistant.ingest.read import read_text
from assistant.settings import Settings
from assistant.types import Article


@dataclass(frozen=True)
class LoadOptions:
    """How local files are read."""

    max_mb: float = 20.0  # larger files are refused
    day_first: bool | None = None  # ambiguous numeric dates (03/04/2024); None: day first

    @classmethod
    def from_settings(cls, settings: Settings) -> LoadOptions:
        return cls(max_mb=settings.ingest.max_file_mb, day_first=settings.time.day_first)


LoadResult = Article | SourceError
Loader = Callable[[Path, LoadOptions], Iterator[LoadResult]]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w))")

# Record keys accepted for each article field, in order of preference.
_KEYS = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "article", "maintext"),
    "url": ("url", "link", "canonical_url", "source_url"),
    "published": ("published", "date", "published_at", "publishedAt", "pubDate", "date_publish"),
    "updated": ("updated", "modified", "updated_at", "date_modify"),
    "outlet": ("outlet", "source", "site", "site_name", "sitename", "publisher"),
    "authors": ("authors", "author", "byline"),
}


def _first(record: Mapping[str, Any], field: str) -> Any:
    for key in _KEYS[field]:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Mapping):  # NewsAPI-style {"source": {"name": "..."}}
        value = value.get("name") or value.get("title")
    return str(value).strip() or None


def _as_authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [a.strip() for a in re.split(r",| and |;", value) if a.strip()]
    if isinstance(value, list | tuple):
        return [str(_as_str(a)) for a in value if _as_str(a)]
    return [str(value)]


def article_from_record(
    record: Mapping[str, Any],
    source: str,
    *,
    text: str | None = None,
    published: datetime | None = None,
) -> Article:
    """An Article from a mapping of metadata (front matter, a JSON record, HTML metadata).

    `text` overrides the record's text field (front matter files carry it outside).
    The publication date is the record's, else `published` (known from elsewhere: a file
    name, a feed entry), else the date in the article's URL.
    """
    if not isinstance(record, Mapping):
        raise SourceError(source, f"expected an object, got {type(record).__name__}")
    body = text if text is not None else _first(record, "text")
    if not isinstance(body, str) or not body.strip():
        raise SourceError(source, "record has no article text (keys tried: text, body, content)")
    cleaned = clean_text(body)
    if not cleaned:
        raise SourceError(source, "article text is empty after cleaning")
    title = _as_str(_first(record, "title")) or cleaned.split("\n", 1)[0][:120]
    url = _as_str(_first(record, "url"))
    return Article.create(
        title=title,
        text=cleaned,
        outlet=_as_str(_first(record, "outlet")),
        url=url,
        published=parse_published(_first(record, "published")) or published or date_in_url(url),
        updated=parse_published(_first(record, "updated")),
        authors=_as_authors(_first(record, "authors")),
        source=source,
    )


def _plain_markdown(text: str) -> str:
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    return _MD_EMPHASIS.sub("", text)


def load_text_file(path: Path, options: LoadOptions) -> Iterator[LoadResult]:
    """.txt or .md: optional YAML front matter; otherwise the first line is the title and
    the header lines under it (date, outlet, section, URLs, byline) give the metadata.
    A date in the file name counts when neither gives one."""
    import yaml

    raw = read_text(path, options.max_mb)
    meta: dict[str, Any] = {}
    body = raw
    match = _FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark else ""
            raise SourceError(str(path), f"front matter is not valid YAML{where}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise SourceError(str(path), "front matter must be a mapping of key: value")
        meta = loaded or {}
        body = raw[match.end() :]
    if path.suffix.lower() in (".md", ".markdown"):
        body = _plain_markdown(body)
    if "title" not in meta:
        stripped = body.strip()
        first, _, rest = stripped.partition("\n")
        if first.strip() and rest.strip():
            meta["title"] = first.strip()
            body = rest
            if not match:  # front matter says what it says; only plain text has a header
                header = read_header(body, options.day_first)
                body = header.body
                found = {
                    "published": header.published,
                    "updated": header.updated,
                    "outlet": header.outlet,
                    "url": header.url,
                    "authors": list(header.authors),
                }
                meta.update({key: value for key, value in found.items() if value})
    yield article_from_record(meta, str(path), text=body, published=date_in_name(path.name))


def load_html_file(path: Path, options: LoadOptions) -> Iterator[LoadResult]:
    """.html: main text and metadata extracted with trafilatura (menus, banners left out);
    a date in the file name counts when the page gives none."""
    html = read_text(path, options.max_mb)
    yield article_from_html(html, str(path), published=date_in_name(path.name))


# Fewer words than this is a menu, a paywall stub or an error page, not an article.
MIN_HTML_WORDS = 15


def article_from_html(
    html: str, source: str, url: str | None = None, *, published: datetime | None = None
) -> Article:
    """The article of an HTML page; `published` stands in when the page has no date."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False
    )
    extracted = document.as_dict() if document is not None else None  # type: ignore[union-attr]
    text = (extracted or {}).get("text") or ""
    words = len(text.split())
    if words < MIN_HTML_WORDS:
        found = f" (only {words} words)" if words else ""
        raise SourceError(source, f"no article text found in the HTML{found}")
    assert extracted is not None
    title = (extracted.get("title") or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest  # trafilatura repeats the headline as the first line
    record = {
        "title": title or None,
        "url": extracted.get("url") or url,
        "published": extracted.get("date"),
        "outlet": extracted.get("sitename") or extracted.get("hostname"),
        "authors": extracted.get("author"),
    }
    return article_from_record(record, source, text=text, published=published)


def _is_question_record(record: Any) -> bool:
    return isinstance(record, Mapping) and "question" in record and _first(record, "text") is None


def load_json_file(path: Path, options: LoadOptions) -> Iterator[LoadResult]:
    """.json (an object, a list, or {"articles": [...]}) or .jsonl (one object a line).

    A bad record gets its own error (file:line) and the file's other records go on. The
    file name's date is not used: one file holds articles of many days.
    """
    raw = read_text(path, options.max_mb)
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield SourceError(source, f"invalid JSON ({exc.msg})")
                continue
            yield from _records_to_articles([record], lambda _i, s=source: s)
        return
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SourceError(str(path), f"invalid JSON at line {exc.lineno} ({exc.msg})") from None
    if isinstance(data, Mapping) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    single = not isinstance(data, list)
    yield from _records_to_articles(records, lambda i: str(path) if single else f"{path}[{i}]")


def _records_to_articles(records: list[Any], name: Callable[[int], str]) -> Iterator[LoadResult]:
    for i, record in enumerate(records):
        try:
            if _is_question_record(record):
                raise SourceError(name(i), "a question, not an article (use `newsqa eval`)")
            yield article_from_record(record, name(i))
        except SourceError as exc:
            yield exc


def is_question_set(path: Path) -> bool:
    """True for a JSON/JSONL question set (format: docs/evaluation.md), which directory walks
    skip."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    first_line = head.lstrip().split("\n", 1)[0]
    try:
        record = json.loads(first_line)
    except json.JSONDecodeError:
        return False
    return _is_question_record(record)


LOADERS: dict[str, Loader] = {
    ".txt": load_text_file,
    ".md": load_text_file,
    ".markdown": load_text_file,
    ".html": load_html_file,
    ".htm": load_html_file,
    ".json": load_json_file,
    ".jsonl": load_json_file,
}
