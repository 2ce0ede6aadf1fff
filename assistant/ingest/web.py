"""Fetch one article page over HTTP(S), politely and safely, and extract it.

Safety rules: only http and https; every hop of a redirect is checked; hosts that resolve to
private, loopback, link-local or reserved addresses are refused unless the user allows them
(NEWSQA_ALLOW_PRIVATE_URLS=1), and the connection goes to the address that was checked; a
timeout, a size cap, a redirect limit and a content-type
check keep a bad server from stalling or flooding an ingest.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from assistant.errors import SourceError
from assistant.ingest.loaders import article_from_html
from assistant.ingest.read import decode_text
from assistant.settings import Settings
from assistant.types import Article

USER_AGENT = "newsqa/0.1 (news question answering; fetches pages a user asked for)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
URL_PATTERN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class FetchPolicy:
    timeout_s: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        ingest = settings.ingest
        return cls(
            timeout_s=ingest.fetch_timeout_s,
            max_bytes=int(ingest.max_page_mb * 1024 * 1024),
            allow_private=settings.allow_private_urls,
        )


def looks_like_url(name: str) -> bool:
    """True for anything with a scheme ("https://...", "ftp://...", "data:..."), so that
    every non-http(s) scheme gets a clear refusal instead of a file-not-found."""
    return bool(URL_PATTERN.match(name)) and not re.match(r"^[a-zA-Z]:[\\/]", name)


def check_url(url: str, policy: FetchPolicy) -> str | None:
    """Refuse schemes other than http(s) and, unless allowed, private destinations.

    Returns the checked public address to connect to (None when private addresses are
    allowed): connecting to that very address, rather than resolving the name again, keeps
    a DNS server from answering "public" for the check and "private" for the connection
    (DNS rebinding)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(url, f"only http and https URLs are fetched, not {parts.scheme}:")
    if not parts.hostname:
        raise SourceError(url, "the URL has no host")
    if policy.allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or None, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise SourceError(url, f"cannot resolve the host {parts.hostname}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise SourceError(
                url,
                f"{parts.hostname} resolves to the non-public address {address}; "
                "set NEWSQA_ALLOW_PRIVATE_URLS=1 to fetch it",
            )
    return str(infos[0][4][0])


def pinned_request(url: str, address: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
    """The URL to request, extra headers and httpx extensions so that the connection goes
    to `address` while Host, TLS server name and certificate checks use the URL's host."""
    if address is None:
        return url, {}, {}
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = f"{host}:{parts.port}" if parts.port else host
    extensions = {"sni_hostname": host} if parts.scheme.lower() == "https" else {}
    return parts._replace(netloc=netloc).geturl(), {"Host": host_header}, extensions


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content_type: str
    body: bytes
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a conditional GET answered 304: body is empty


def fetch(
    url: str,
    policy: FetchPolicy,
    accept: tuple[str, ...] = HTML_TYPES,
    what: str = "an HTML page",
    headers: dict[str, str] | None = None,
) -> Page:
    """GET `url` following at most `max_redirects` redirects, each hop checked; the final
    content type must be one of `accept`. `headers` may make the request conditional
    (If-None-Match, If-Modified-Since): a 304 answer comes back as `not_modified`."""
    import httpx

    current = url
    with httpx.Client(
        timeout=policy.timeout_s,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
    ) as client:
        for _ in range(policy.max_redirects + 1):
            target, pinned_headers, extensions = pinned_request(current, check_url(current, policy))
            try:
                with client.stream(
                    "GET", target, headers=pinned_headers, extensions=extensions
                ) as response:
                    if response.status_code == 304:
                        return Page(current, "", b"", None, not_modified=True)
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise SourceError(
                                url, f"HTTP {response.status_code} without a Location"
                            )
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise SourceError(
                            url, f"HTTP {response.status_code} {response.reason_phrase}"
                        )
                    content_type = response.headers.get("content-type", "")
                    mime = content_type.split(";")[0].strip().lower()
                    if mime not in accept:
                        raise SourceError(url, f"not {what} (content type {mime or 'none'})")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                        raise SourceError(url, _too_large(int(declared), policy))
                    body = bytearray()
                    for piece in response.iter_bytes():
                        body.extend(piece)
                        if len(body) > policy.max_bytes:
                            raise SourceError(url, _too_large(len(body), policy, at_least=True))
                    return Page(
                        current,
                        mime,
                        bytes(body),
                        response.charset_encoding,
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                    )
            except httpx.TimeoutException:
                raise SourceError(url, f"timed out after {policy.timeout_s:g} s") from None
            except httpx.HTTPError as exc:
                raise SourceError(url, f"cannot fetch: {exc}") from None
    raise SourceError(url, f"more than {policy.max_redirects} redirects (a redirect loop?)")


def _too_large(size: int, policy: FetchPolicy, at_least: bool = False) -> str:
    more = "over " if at_least else ""
    return (
        f"page is {more}{size / 1024 / 1024:.1f} MB, over the "
        f"{policy.max_bytes / 1024 / 1024:g} MB limit (NEWSQA_INGEST__MAX_PAGE_MB)"
    )


def load_url(url: str, policy: FetchPolicy, *, published: datetime | None = None) -> Article:
    """The article at `url`: fetched, decoded, extracted (canonical URL kept when given).
    `published` (a feed entry's date) stands in when the page has no date."""
    page = fetch(url, policy)
    if page.charset:
        try:
            html = page.body.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            html = decode_text(page.body, url)
    else:
        html = decode_text(page.body, url)
    return article_from_html(html, url, url=page.url, published=published)
