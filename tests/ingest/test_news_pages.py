"""Six news-shaped pages served on 127.0.0.1 and ingested by URL: title, date, outlet and
body right, and none of the page furniture in the indexed text."""

from __future__ import annotations

import pytest

from assistant.index.build import NewsIndex
from assistant.settings import load_settings
from tests.ingest.news_pages import PAGES
from tests.ingest.news_site import serve_site


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, embedder):
    settings = load_settings(
        allow_private_urls=True, indexes_dir=tmp_path_factory.mktemp("indexes")
    )
    with serve_site() as site:
        urls = [site.put(page.path, page.html) for page in PAGES]
        with NewsIndex.open(settings, "pages", embedder=embedder, create=True) as index:
            report = index.ingest(urls)
            assert not report.failed and len(report.added) == len(PAGES)
            articles = {a.source: a for a in index.catalog.articles()}
            chunks = {a.source: index.catalog.chunks_of([a.id]) for a in articles.values()}
            yield {page.path: (articles[site.url(page.path)], chunks[site.url(page.path)])
                   for page in PAGES}  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=[p.path.rsplit("/", 1)[-1] for p in PAGES])
def test_a_news_page_is_indexed_with_its_metadata_and_without_furniture(indexed, page):
    article, chunks = indexed[page.path]
    assert article.title == page.title
    assert article.outlet == page.outlet
    assert article.published is not None
    assert article.published.date().isoformat() == page.date
    for sentence in page.body:
        assert sentence in article.text
    indexed_text = "\n".join([article.text, *(c.text for c in chunks)])
    for line in page.furniture:
        assert line not in indexed_text, line
