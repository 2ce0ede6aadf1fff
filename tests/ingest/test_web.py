"""Loading articles from URLs, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.errors import SourceError
from assistant.ingest.web import (
    USER_AGENT,
    FetchPolicy,
    check_url,
    load_url,
    looks_like_url,
    pinned_request,
)
from tests.helpers import NEWS_PAGE

SEEN_AGENTS: list[str] = []


class NewsSite(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/news/harbour":
            self.send(200, NEWS_PAGE.encode())
        elif path == "/old-link":
            self.send(301, b"", headers={"Location": "/news/harbour"})
        elif path == "/loop":
            self.send(302, b"", headers={"Location": "/loop"})
        elif path == "/missing":
            self.send(404, b"<h1>Not found</h1>")
        elif path == "/broken":
            self.send(500, b"<h1>Server error</h1>")
        elif path == "/slow":
            time.sleep(2)
            # the client gave up waiting, as the test wants: its hang-up is nothing to report
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send(200, NEWS_PAGE.encode())
        elif path == "/report.pdf":
            self.send(200, b"%PDF-1.4 ...", "application/pdf")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the size shows only while reading
            chunk = b"<p>" + b"x" * 65_000 + b"</p>"
            try:
                for _ in range(30 * 1024 * 1024 // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.send(404, b"")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), NewsSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


ALLOWED = FetchPolicy(timeout_s=1.0, max_bytes=2 * 1024 * 1024, allow_private=True)


def test_a_news_page_is_fetched_politely_and_extracted_without_furniture(site):
    article = load_url(f"{site}/news/harbour", ALLOWED)
    assert article.title == "Harbour reopens after storm"
    assert article.outlet == "Coast Courier"
    assert article.published is not None and article.published.date().isoformat() == "2024-02-11"
    assert "Around 120 boats use the harbour" in article.text
    assert "cookies" not in article.text and "All rights reserved" not in article.text
    assert article.url == "https://coast-courier.example/news/harbour-reopens"  # canonical
    assert SEEN_AGENTS[-1] == USER_AGENT


def test_a_redirect_is_followed(site):
    assert load_url(f"{site}/old-link", ALLOWED).title == "Harbour reopens after storm"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404"),
        ("/broken", "HTTP 500"),
        ("/slow", "timed out after 1 s"),
        ("/report.pdf", "not an HTML page (content type application/pdf)"),
        ("/huge", "over the 2 MB limit"),
        ("/loop", "more than 5 redirects"),
    ],
)
def test_bad_pages_get_one_line_naming_the_url(site, path, message):
    with pytest.raises(SourceError) as caught:
        load_url(f"{site}{path}", ALLOWED)
    assert caught.value.source == f"{site}{path}" and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_private_addresses_are_refused_unless_allowed(site):
    with pytest.raises(
        SourceError, match=r"non-public address 127\.0\.0\.1.*NEWSQA_ALLOW_PRIVATE_URLS"
    ):
        load_url(f"{site}/news/harbour", FetchPolicy())
    with pytest.raises(SourceError, match="non-public address"):
        check_url("http://169.254.169.254/latest/meta-data", FetchPolicy())


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "data:text/html,hi"])
def test_only_http_and_https_are_fetched(url):
    assert looks_like_url(url)
    with pytest.raises(SourceError, match="only http and https"):
        check_url(url, ALLOWED)


def test_an_unreachable_host_is_an_error_not_a_crash():
    from tests.helpers import free_port

    with pytest.raises(SourceError, match="cannot fetch"):
        load_url(f"http://127.0.0.1:{free_port()}/", ALLOWED)


def test_ingest_takes_urls_beside_files_and_keeps_going_past_bad_ones(
    site, settings, embedder, monkeypatch
):
    from assistant.index.build import NewsIndex
    from assistant.settings import load_settings

    monkeypatch.setenv("NEWSQA_ALLOW_PRIVATE_URLS", "1")
    with NewsIndex.open(load_settings(), "web", embedder=embedder, create=True) as index:
        report = index.ingest([f"{site}/news/harbour", f"{site}/missing", "ftp://x.example/a"])
        assert len(report.added) == 1
        assert [f.source for f in report.failed] == [f"{site}/missing", "ftp://x.example/a"]
        again = index.ingest([f"{site}/old-link"])  # same canonical URL: same article
        assert len(again.unchanged) == 1


def test_the_connection_is_pinned_to_the_checked_address_with_the_real_host_name():
    url, headers, extensions = pinned_request("https://news.example:8443/a/b?x=1", "93.184.216.34")
    assert url == "https://93.184.216.34:8443/a/b?x=1"
    assert headers == {"Host": "news.example:8443"}
    assert extensions == {"sni_hostname": "news.example"}  # TLS name and certificate check
    url, headers, extensions = pinned_request("http://news.example/p", "2606:2800:220:1::1")
    assert (url, headers, extensions) == (
        "http://[2606:2800:220:1::1]/p",
        {"Host": "news.example"},
        {},
    )
    assert pinned_request("http://127.0.0.1:8000/p", None) == ("http://127.0.0.1:8000/p", {}, {})
    assert check_url("http://127.0.0.1:8000/p", ALLOWED) is None  # allowed: nothing to pin
