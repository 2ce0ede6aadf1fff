"""A news site on 127.0.0.1 for tests: pages and feeds that a test can change between polls,
with ETag support (a matching If-None-Match gets 304), and a log of the requests."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: bool = False  # answer conditional GETs with 304 when the body is unchanged


@dataclass
class Site:
    base: str = ""
    resources: dict[str, Resource] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def put(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8",
            status: int = 200, etag: bool = False) -> str:  # fmt: skip
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.resources[path] = Resource(data, content_type, status, etag)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers.items())))
            resource = site.resources.get(self.path)
            if resource is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            tag = f'"{hashlib.sha1(resource.body).hexdigest()[:16]}"'
            if resource.etag and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            self.send_response(resource.status)
            self.send_header("Content-Type", resource.content_type)
            self.send_header("Content-Length", str(len(resource.body)))
            if resource.etag:
                self.send_header("ETag", tag)
            self.end_headers()
            self.wfile.write(resource.body)

    return Handler


@contextmanager
def serve_site() -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    date: datetime
    text: str = ""  # the entry's content (HTML allowed)
    guid: str | None = None


def rss20(title: str, items: Sequence[Item]) -> str:
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
        f"<guid isPermaLink='false'>{escape(i.guid or i.link)}</guid>"
        f"<pubDate>{format_datetime(i.date)}</pubDate>"
        f"<description>{escape(i.text)}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"<description>Latest news</description>{entries}</channel></rss>"
    )


def rss091(title: str, items: Sequence[Item]) -> str:
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
        f"<description>{escape(i.text)}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0"?><rss version="0.91"><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"<description>News</description><language>en</language>{entries}</channel></rss>"
    )


def rss10(title: str, items: Sequence[Item]) -> str:
    entries = "".join(
        f'<item rdf:about="{escape(i.link)}"><title>{escape(i.title)}</title>'
        f"<link>{escape(i.link)}</link><dc:date>{i.date.isoformat()}</dc:date>"
        f"<description>{escape(i.text)}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="https://example.org/feed"><title>{escape(title)}</title>'
        "<link>https://example.org/</link><description>News</description></channel>"
        f"{entries}</rdf:RDF>"
    )


def atom(title: str, items: Sequence[Item]) -> str:
    entries = "".join(
        f'<entry><title>{escape(i.title)}</title><link href="{escape(i.link)}"/>'
        f"<id>{escape(i.guid or i.link)}</id><updated>{i.date.isoformat()}</updated>"
        f"<published>{i.date.isoformat()}</published>"
        f'<content type="html">{escape(i.text)}</content></entry>'
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:example:feed</id>"
        f"<updated>2024-10-02T00:00:00Z</updated>{entries}</feed>"
    )
