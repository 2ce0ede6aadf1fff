"""Syndicated copies: the threshold measured on edited copies and distinct stories, and
copies stored once as aliases of the story they copy."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from assistant.evaluate.copies import copy_scores, distinct_scores
from assistant.evaluate.realtimeqa import load_realtimeqa
from assistant.index.build import NewsIndex
from assistant.index.syndication import COPY_THRESHOLD, jaccard, signature, similarities
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.sources import expand_sources, load_source
from assistant.retrieve.filters import Filters
from assistant.retrieve.search import HybridSearch
from tests.helpers import CORPORA, SAMPLE_ARTICLES, write_article

WIRE_COPY = "b02-alaska-hawaiian-deal-wire.md"


def bundled_texts() -> dict[str, str]:
    texts = {}
    for path in expand_sources([SAMPLE_ARTICLES]):
        for article in load_source(Path(path), LoadOptions(max_mb=20)):
            texts[Path(path).name] = article.text
    return texts


def test_minhash_estimate_follows_exact_jaccard():
    texts = list(bundled_texts().values())
    for score in copy_scores(texts[:6]):
        assert abs(score.estimate - score.exact) < 0.15, score


def test_threshold_separates_edited_copies_from_distinct_bundled_stories():
    texts = bundled_texts()
    originals = [t for name, t in texts.items() if name != WIRE_COPY]
    copies = copy_scores(originals)
    distinct = distinct_scores(originals)
    by_label = defaultdict(list)
    for score in copies:
        by_label[score.label].append(score.estimate)
    assert set(by_label) == {
        "carried in full",
        "trimmed 25%",
        "house style",
        "local paragraph",
        "all edits",
    }
    assert min(s.estimate for s in copies) >= COPY_THRESHOLD
    assert max(s.estimate for s in distinct) < COPY_THRESHOLD
    wire = signature(texts[WIRE_COPY])
    original = signature(texts["b01-alaska-hawaiian-deal.md"])
    assert similarities(wire, original[None, :])[0] >= COPY_THRESHOLD
    assert jaccard(texts[WIRE_COPY], texts["b01-alaska-hawaiian-deal.md"]) > 0.8


@pytest.mark.skipif(not (CORPORA / "realtimeqa").exists(), reason="../shared/corpora not here")
def test_threshold_merges_no_two_distinct_realtimeqa_stories():
    texts = [a.text for a in load_realtimeqa(CORPORA, "all").articles]
    assert len(texts) > 150
    assert max(s.estimate for s in distinct_scores(texts)) < COPY_THRESHOLD
    assert min(s.estimate for s in copy_scores(texts[:40])) >= COPY_THRESHOLD


WIRE = (
    "Workers reopened the Harbor Line tunnel on Monday after a three-week closure for "
    "flood repairs, the regional transit agency said. Trains will run every six minutes at "
    "peak hours, and the agency expects ridership to return to normal by the end of the "
    "month. The repairs cost 41 million dollars, paid from an emergency fund approved in "
    "June. Engineers replaced two pumps and sealed a crack in the tunnel wall that let "
    "water in during the storm."
)


def test_a_copy_from_another_outlet_is_stored_once_and_cited_with_both_outlets(
    settings, embedder, tmp_path
):
    folder = tmp_path / "wire"
    write_article(
        folder,
        "a.md",
        "Harbor Line tunnel reopens",
        WIRE,
        outlet="Bay Herald",
        url="https://bay-herald.example/tunnel",
        published="2024-07-01",
    )
    write_article(
        folder,
        "b.md",
        "Tunnel back in service after floods",
        "This story was carried from a news agency. " + WIRE,
        outlet="Valley Times",
        url="https://valley-times.example/t",
        published="2024-07-02",
    )
    write_article(
        folder,
        "c.md",
        "Ferry fares rise",
        "Ferry fares rise by 5 percent in May. "
        "The operator blamed fuel costs and said winter timetables stay the same.",
        outlet="Bay Herald",
        url="https://bay-herald.example/ferry",
    )
    with NewsIndex.open(settings, "wire", embedder=embedder, create=True) as index:
        report = index.ingest([folder])
        assert (len(report.added), len(report.copies)) == (2, 1)
        stats = index.stats()
        assert (stats["articles"], stats["copies"]) == (2, 1)
        again = index.ingest([folder])
        assert (len(again.added), len(again.copies), len(again.unchanged)) == (0, 0, 3)

    search = HybridSearch.from_index("wire", settings=settings, embedder=embedder)
    from assistant.pipeline import Assistant

    answer = Assistant(search).ask("How much did the Harbor Line tunnel repairs cost?")
    assert not answer.refused and "41 million" in answer.text
    cited = answer.citations[0]
    carriers = {(c.outlet, c.url) for c in cited.also_carried_by}
    assert {cited.outlet} | {o for o, _ in carriers} == {"Bay Herald", "Valley Times"}
    assert ("Valley Times", "https://valley-times.example/t") in carriers
    only_valley = search.search("tunnel repairs cost", 3, Filters(outlets=("Valley Times",)))
    assert [p.article.outlet for p in only_valley] == ["Bay Herald"]
    assert only_valley[0].copies[0].outlet == "Valley Times"
    search.index.close()


def test_deleting_a_story_deletes_its_copies_and_a_copy_can_be_deleted_alone(
    settings, embedder, tmp_path
):
    folder = tmp_path / "wire"
    write_article(
        folder, "a.md", "Harbor Line tunnel reopens", WIRE, url="https://bay-herald.example/tunnel"
    )
    write_article(
        folder,
        "b.md",
        "Tunnel reopens",
        WIRE + " Local buses resume.",
        url="https://valley-times.example/t",
    )
    write_article(
        folder,
        "c.md",
        "Tunnel reopened",
        "From the wire: " + WIRE,
        url="https://coast-news.example/t",
    )
    with NewsIndex.open(settings, "wire", embedder=embedder, create=True) as index:
        report = index.ingest([folder])
        original = report.added[0]
        copy_ids = report.copies
        assert len(copy_ids) == 2
        deleted, missing = index.delete([copy_ids[0]])
        assert (deleted, missing) == ([copy_ids[0]], [])
        assert index.stats()["copies"] == 1
        index.delete([original])
        assert index.stats()["articles"] == 0 and index.stats()["copies"] == 0
