"""The Library's page of the catalog: newest first, bounded, searchable by title or outlet
(an article's or a copy's), with chunk counts and no article texts."""

from __future__ import annotations

from pathlib import Path

from assistant.index.build import CATALOG_FILE
from assistant.index.catalog import Catalog


def open_catalog(sample_index_dir: Path) -> Catalog:
    return Catalog(sample_index_dir / CATALOG_FILE)


def test_the_library_lists_the_newest_articles_first_with_their_chunk_counts(sample_index_dir):
    catalog = open_catalog(sample_index_dir)
    everything = catalog.articles()
    page = catalog.library(limit=5)
    assert [a.id for a, _ in page] == [a.id for a in everything[:5]]
    counts = catalog.chunk_counts()
    assert [n for _, n in page] == [counts[a.id] for a, _ in page]
    assert all(a.text == "" for a, _ in page)
    assert len(catalog.library()) == len(everything)


def test_the_library_search_finds_an_article_by_the_outlet_of_its_copy(sample_index_dir):
    catalog = open_catalog(sample_index_dir)
    original, copies = next(iter(catalog.copies().items()))
    copy_outlet = copies[0].outlet
    found = {a.id: a.outlet for a, _ in catalog.library(copy_outlet.upper())}
    assert found.pop(original) != copy_outlet  # found through its copy
    assert set(found.values()) == {copy_outlet}  # and the outlet's own articles


def test_the_library_search_takes_percent_and_underscore_literally(sample_index_dir):
    catalog = open_catalog(sample_index_dir)
    with_percent = [a.id for a in catalog.articles() if "%" in a.title]
    assert with_percent  # "ECB lowers deposit rate to 2% ..."
    assert [a.id for a, _ in catalog.library("%")] == with_percent
    assert catalog.library("_") == []
    title = catalog.articles()[0].title
    assert catalog.library(title[3:20])[0][0].title == title
