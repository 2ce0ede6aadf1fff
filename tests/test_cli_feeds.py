"""`newsqa ingest --feed`, `refresh`, `watch` and `feeds` as a user runs them, against a
news site on 127.0.0.1 whose feed changes between polls."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.helpers import newsqa
from tests.ingest.news_pages import PAGES
from tests.ingest.news_site import Item, rss20, serve_site

PRIVATE_OK = {"NEWSQA_ALLOW_PRIVATE_URLS": "1"}


def stats() -> dict:
    return json.loads(newsqa("stats", "--json").stdout)


@pytest.mark.slow
def test_repolling_a_feed_adds_the_new_entry_updates_the_changed_one_and_leaves_the_rest():
    with serve_site() as site:
        when = datetime(2024, 10, 2, tzinfo=UTC)
        for page in PAGES:
            site.put(page.path, page.html)
        entries = [Item(p.title, site.url(p.path), when) for p in PAGES[:4]]
        feed = site.put("/rss", rss20("Regional Wire", entries), "application/rss+xml",
                        etag=True)  # fmt: skip

        first = newsqa("ingest", "--feed", feed, "--json", env=PRIVATE_OK)
        assert first.returncode == 0, first.stderr
        assert json.loads(first.stdout)["added"] == 4
        before = stats()
        assert (before["articles"], before["revised"], before["feeds"]) == (4, 0, 1)

        # one entry changes (a correction on its page, a new date in the feed), one is new
        corrected = PAGES[1].html.replace("41 percent", "43 percent")
        site.put(PAGES[1].path, corrected)
        entries[1] = Item(
            PAGES[1].title, site.url(PAGES[1].path), datetime(2024, 10, 3, tzinfo=UTC)
        )
        entries.append(Item(PAGES[4].title, site.url(PAGES[4].path), when))
        site.put("/rss", rss20("Regional Wire", entries), "application/rss+xml", etag=True)
        untouched = [site.hits(p.path) for p in (PAGES[0], PAGES[2], PAGES[3])]

        second = newsqa("refresh", "--json", env=PRIVATE_OK)
        assert second.returncode == 0, second.stderr
        summary = json.loads(second.stdout)
        assert (summary["added"], summary["updated"], summary["unchanged"]) == (1, 1, 0)
        assert summary["feeds"][0]["new_or_changed"] == 2
        after = stats()
        assert after["articles"] == before["articles"] + 1
        assert after["revised"] == before["revised"] + 1
        assert [site.hits(p.path) for p in (PAGES[0], PAGES[2], PAGES[3])] == untouched

        third = newsqa("refresh", env=PRIVATE_OK)
        assert third.returncode == 0, third.stderr
        assert "not modified since the last poll" in third.stdout
        assert stats()["articles"] == after["articles"]

        listed = newsqa("feeds")
        assert f"{feed} (Regional Wire): 5 entries indexed" in listed.stdout


@pytest.mark.slow
def test_bad_feeds_get_one_line_each_and_good_sources_still_ingest(small_corpus):
    with serve_site() as site:
        for page in PAGES[:2]:
            site.put(page.path, page.html)
        when = datetime(2024, 10, 2, tzinfo=UTC)
        listed = [Item(p.title, site.url(p.path), when) for p in PAGES[:2]]
        good = site.put("/good", rss20("Good", listed), "application/rss+xml")
        broken = site.put("/broken", "<rss><channel><title>x<item>", "application/rss+xml")
        page = site.put("/page", PAGES[2].html)
        pdf = site.put("/feed.pdf", b"%PDF-1.4", "application/pdf")
        missing = site.url("/nothing-here")
        unreachable = "http://127.0.0.1:9/feed"
        args = ["ingest", str(small_corpus)]
        for url in (broken, page, pdf, missing, unreachable, good):
            args += ["--feed", url]
        result = newsqa(*args, "--json", env=PRIVATE_OK)
        assert result.returncode == 1
        summary = json.loads(result.stdout)
        assert summary["added"] == 4 + 2
        failed = {f["source"]: f["error"] for f in summary["failed"]}
        assert "malformed feed" in failed[broken]
        assert "not an RSS or Atom feed" in failed[page]
        assert "not a feed (content type application/pdf)" in failed[pdf]
        assert "HTTP 404" in failed[missing]
        assert "cannot fetch" in failed[unreachable]
        lines = [line for line in result.stderr.splitlines() if line.startswith("newsqa:")]
        assert len(lines) == 5 and "Traceback" not in result.stderr

        refused = newsqa("ingest", "--feed", good, "--json")  # private address, not allowed
        assert refused.returncode == 1
        assert "NEWSQA_ALLOW_PRIVATE_URLS" in json.loads(refused.stdout)["failed"][0]["error"]
        assert stats()["articles"] == 6  # nothing already indexed is lost


@pytest.mark.slow
def test_watch_polls_named_and_followed_feeds_and_stops_after_the_polls_asked_for():
    with serve_site() as site:
        site.put(PAGES[5].path, PAGES[5].html)
        when = datetime(2024, 10, 2, tzinfo=UTC)
        feed = site.put("/rss", rss20("Port News", [Item(PAGES[5].title,
                        site.url(PAGES[5].path), when)]), "application/rss+xml")  # fmt: skip
        result = newsqa("watch", feed, "--every", "15m", "--polls", "1", env=PRIVATE_OK)
        assert result.returncode == 0, result.stderr
        assert "watching 1 feed(s) every 15m" in result.stdout
        assert "poll 1" in result.stdout and "added 1" in result.stdout
        assert feed in newsqa("feeds").stdout
        bad = newsqa("watch", feed, "--every", "1s", "--polls", "1")
        assert bad.returncode == 2 and "too often" in bad.stderr
