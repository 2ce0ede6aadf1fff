"""RSS 0.9x/1.0/2.0 and Atom feeds: fetch (conditionally), parse, and turn entries into
articles by fetching each entry's page; when a page cannot be read, the entry's own content
or summary stands in and the article is marked partial."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Any

from assistant.errors import SourceError
from assistant.ingest.clean import clean_text
from assistant.ingest.dates import date_in_url, parse_published
from assistant.ingest.web import FetchPolicy, fetch, load_url
from assistant.types import Article, article_id_for

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "application/feed+xml",
    # servers often send feeds as these; the parser decides whether it is a feed
    "text/html",
    "text/plain",
    "application/octet-stream",
)
_HTML_START = re.compile(
    rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S
)
MIN_PARTIAL_WORDS = 12  # an entry text shorter than this is a teaser, not an article


@dataclass(frozen=True)
class FeedEntry:
    key: str  # the entry's id (guid), else its link, else its title
    link: str | None
    title: str
    published: str | None
    updated: str | None
    authors: tuple[str, ...]
    content_html: str  # the entry's content, else its summary (HTML or text)

    @property
    def digest(self) -> str:
        """Changes when the feed changes anything about the entry."""
        parts = (self.key, self.link or "", self.title, self.published or "", self.updated or "")
        basis = "\x1f".join((*parts, self.content_html))
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    entries: tuple[FeedEntry, ...]
    etag: str | None = None
    last_modified: str | None = None


def parse_feed(body: bytes, url: str) -> Feed:
    """A feed's title and entries; a malformed document or one that is not a feed is an
    error naming `url`."""
    import feedparser

    if _HTML_START.match(body[:2048]):
        raise SourceError(url, "not an RSS or Atom feed (it is an HTML page)")
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and _is_xml_error(problem):
        where = getattr(problem, "getLineNumber", lambda: None)()
        at = f" at line {where}" if where else ""
        raise SourceError(url, f"malformed feed: {_message(problem)}{at}")
    if not parsed.get("version") and not parsed.entries:
        raise SourceError(url, "not an RSS or Atom feed")
    entries = []
    for raw in parsed.entries:
        entry = _entry(raw)
        if entry is not None:
            entries.append(entry)
    title = parsed.feed.get("title")
    return Feed(url, title.strip() if title else None, tuple(entries))


def _is_xml_error(problem: Any) -> bool:
    import xml.sax

    return isinstance(problem, xml.sax.SAXException)


def _message(problem: Any) -> str:
    getter = getattr(problem, "getMessage", None)
    return str(getter() if getter else problem)


def _entry(raw: Any) -> FeedEntry | None:
    link = raw.get("link") or None
    title = html.unescape(raw.get("title") or "").strip()
    content = raw.get("content") or []
    body = content[0].get("value", "") if content else ""
    body = body or raw.get("summary") or raw.get("description") or ""
    key = raw.get("id") or link or title
    if not key:
        return None
    authors = tuple(a.get("name", "").strip() for a in raw.get("authors") or [] if a.get("name"))
    if not authors and raw.get("author"):
        authors = (str(raw.get("author")).strip(),)
    return FeedEntry(
        key=str(key),
        link=link,
        title=title,
        published=raw.get("published") or raw.get("created") or None,
        updated=dict.get(raw, "updated") or None,  # plain get maps a missing one to published
        authors=authors,
        content_html=body,
    )


def fetch_feed(
    url: str, policy: FetchPolicy, etag: str | None = None, last_modified: str | None = None
) -> Feed | None:
    """The feed at `url`, or None when the server says it has not changed since the
    ETag / Last-Modified given (a conditional GET)."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    page = fetch(url, policy, accept=FEED_TYPES, what="a feed", headers=headers)
    if page.not_modified:
        return None
    feed = parse_feed(page.body, url)
    return replace(feed, etag=page.etag, last_modified=page.last_modified)


class _TextOfHTML(HTMLParser):
    _BREAKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), paragraphs kept."""
    parser = _TextOfHTML()
    parser.feed(fragment)
    parser.close()
    return re.sub(r"[ \t]*\n[ \t\n]*\n[ \t\n]*", "\n\n", "".join(parser.parts)).strip()


Warn = Callable[[SourceError], None]


def entry_article(
    entry: FeedEntry, feed: Feed, policy: FetchPolicy, warn: Warn | None = None
) -> Article:
    """The article behind an entry: its page fetched and extracted, with the feed's date,
    authors and title filling gaps; else the entry's own text, marked partial. The id
    comes from the entry's link, so a partial article is replaced once its page reads."""
    name = entry.link or f"{feed.url}#{entry.key}"
    published = parse_published(entry.published)
    updated = parse_published(entry.updated)
    reason = "the entry has no link"
    if entry.link:
        try:
            article = load_url(entry.link, policy, published=published)
        except SourceError as exc:
            reason = exc.reason
        else:
            return replace(
                article,
                id=article_id_for(entry.link, article.text),
                title=article.title or entry.title,
                outlet=article.outlet or feed.title,
                published=article.published or published,
                updated=article.updated or (updated if updated != published else None),
                authors=article.authors or entry.authors,
                source=name,
            )
    text = clean_text(html_to_text(entry.content_html))
    if len(text.split()) < MIN_PARTIAL_WORDS:
        raise SourceError(name, f"cannot read the page ({reason}) and the entry has no text")
    if warn:
        warn(SourceError(name, f"{reason}; indexed the feed entry's own text (partial)"))
    return Article.create(
        title=entry.title or text.split("\n", 1)[0][:120],
        text=text,
        outlet=feed.title,
        url=entry.link,
        published=published or date_in_url(entry.link),
        updated=updated if updated != published else None,
        authors=entry.authors,
        source=name,
        partial=True,
    )
