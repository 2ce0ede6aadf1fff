"""Feeds: RSS 0.91/1.0/2.0 and Atom parsed, entries fetched from a real loopback site, pages
that fail replaced by the entry's own text (partial), malformed feeds refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from assistant.errors import SourceError
from assistant.following import FeedState, poll_feeds, stats_with_feeds
from assistant.index.build import NewsIndex
from assistant.ingest.feeds import Feed, FeedEntry, entry_article, html_to_text, parse_feed
from assistant.ingest.web import FetchPolicy
from assistant.settings import load_settings
from tests.helpers import free_port
from tests.ingest.news_pages import PAGES
from tests.ingest.news_site import Item, Site, atom, rss091, rss10, rss20, serve_site

ALLOWED = FetchPolicy(timeout_s=5.0, allow_private=True)
WHEN = datetime(2024, 10, 2, 6, 0, tzinfo=UTC)
SUMMARY = (
    "<p>The ferry between Kell Island and the mainland will stop running for three weeks "
    "in November while its engines are replaced, the operator said.</p><p>A smaller boat "
    "will carry foot passengers twice a day.</p>"
)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as site:
        for page in PAGES:
            site.put(page.path, page.html)
        yield site


def items(site: Site) -> list[Item]:
    return [Item(p.title, site.url(p.path), WHEN, "A short teaser.") for p in PAGES[:3]]


@pytest.mark.parametrize(
    ("render", "version_dates"),
    [(rss091, False), (rss10, True), (rss20, True), (atom, True)],
    ids=["rss0.91", "rss1.0", "rss2.0", "atom"],
)
def test_each_feed_format_gives_its_entries(render, version_dates):
    entries = [Item("First story", "https://x.example/1", WHEN, "Text one."),
               Item("Second story", "https://x.example/2", WHEN, "<b>Text</b> two.")]  # fmt: skip
    feed = parse_feed(render("Kell News", entries).encode(), "https://x.example/feed")
    assert feed.title == "Kell News"
    assert [(e.title, e.link) for e in feed.entries] == [
        ("First story", "https://x.example/1"),
        ("Second story", "https://x.example/2"),
    ]
    assert html_to_text(feed.entries[1].content_html) == "Text two."
    if version_dates:
        assert all(e.published or e.updated for e in feed.entries)


def test_a_changed_entry_changes_its_digest():
    before = parse_feed(rss20("F", [Item("A", "https://x/a", WHEN, "one")]).encode(), "f")
    after = parse_feed(rss20("F", [Item("A", "https://x/a", WHEN, "two")]).encode(), "f")
    assert before.entries[0].key == after.entries[0].key
    assert before.entries[0].digest != after.entries[0].digest


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<rss version='2.0'><channel><title>Broken<item><title>x", "malformed feed"),
        (b"<html><body><p>Just a page</p></body></html>", "not an RSS or Atom feed"),
    ],
)
def test_a_malformed_feed_or_a_page_is_refused_naming_the_url(body, message):
    with pytest.raises(SourceError, match=message) as caught:
        parse_feed(body, "https://x.example/feed")
    assert caught.value.source == "https://x.example/feed" and "\n" not in str(caught.value)


def test_feed_entries_are_fetched_and_a_dead_link_falls_back_to_the_entry_text(site, embedder):
    feed_items = [
        *items(site),
        Item("Kell ferry suspended for engine work", site.url("/gone"), WHEN, SUMMARY),
        Item("Teaser only", site.url("/also-gone"), WHEN, "Read more."),
    ]
    url = site.put("/feed.xml", rss20("Coastal Wire", feed_items), "application/rss+xml")
    settings = load_settings(allow_private_urls=True)
    with NewsIndex.open(settings, "feeds", embedder=embedder, create=True) as index:
        polls, report = poll_feeds(index, [url], ALLOWED)
        assert len(report.added) == 4
        assert [f.source for f in report.failed] == [site.url("/also-gone")]
        assert "cannot read the page (HTTP 404" in report.failed[0].reason
        [poll] = polls
        assert (poll.entries, poll.fetched, poll.title) == (5, 4, "Coastal Wire")
        assert [n.source for n in poll.partial] == [site.url("/gone")]
        stats = stats_with_feeds(index)
        assert (stats["articles"], stats["partial"], stats["feeds"]) == (4, 1, 1)
        partial = [a for a in index.catalog.articles() if a.partial]
        assert partial[0].title == "Kell ferry suspended for engine work"
        assert partial[0].outlet == "Coastal Wire"
        assert "A smaller boat will carry foot passengers" in partial[0].text
        full = {a.title: a for a in index.catalog.articles() if not a.partial}
        assert full[PAGES[0].title].outlet == PAGES[0].outlet  # the page's own metadata
        record = FeedState.load(index.folder).feeds[url]
        assert len(record.entries) == 4  # the failed entry is retried next time

        # the page comes back: the partial article is replaced by the full one
        site.put("/gone", PAGES[0].html.replace("River Ashby", "River Kell"))
        polls, report = poll_feeds(index, [url], ALLOWED)
        assert polls[0].fetched == 0 and report.failed  # the feed did not change
        assert index.stats()["partial"] == 1


def test_an_undated_entry_whose_page_cannot_be_read_takes_the_date_in_its_link():
    link = f"http://127.0.0.1:{free_port()}/news/2024/10/21/ferry"  # nothing listens there
    entry = FeedEntry(link, link, "Kell ferry suspended", None, None, (), SUMMARY)
    feed = Feed("https://x.example/feed", "Coastal Wire", (entry,))
    article = entry_article(entry, feed, ALLOWED)
    assert article.partial
    assert article.published == datetime(2024, 10, 21, tzinfo=UTC)


def test_a_feed_is_fetched_conditionally_once_it_gave_an_etag(site, embedder):
    url = site.put("/atom.xml", atom("Kell News", items(site)), "application/atom+xml",
                   etag=True)  # fmt: skip
    settings = load_settings(allow_private_urls=True)
    with NewsIndex.open(settings, "feeds", embedder=embedder, create=True) as index:
        _, report = poll_feeds(index, [url], ALLOWED)
        assert len(report.added) == 3
        page_hits = site.hits(PAGES[0].path)
        second, report = poll_feeds(index, [url], ALLOWED)
        assert second[0].not_modified and not report.added and not report.unchanged
        assert site.requests[-1][1].get("If-None-Match")
        assert site.hits(PAGES[0].path) == page_hits  # no entry page fetched again


def test_feed_urls_get_the_same_safety_checks_as_pages(site, embedder):
    url = site.put("/feed.xml", rss20("F", items(site)), "application/rss+xml")
    with NewsIndex.open(load_settings(), "feeds", embedder=embedder, create=True) as index:
        _, report = poll_feeds(index, [url, "file:///etc/passwd"], FetchPolicy())
        assert [f.source for f in report.failed] == [url, "file:///etc/passwd"]
        assert "non-public address 127.0.0.1" in report.failed[0].reason
        assert "only http and https" in report.failed[1].reason
        assert index.stats()["articles"] == 0
