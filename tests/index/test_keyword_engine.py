"""The keyword index is updated in place by each write (adds and deletes of its own chunks,
never a rebuild), bounds hits by publication date as the vector store does, and a keyword
index made by the engine before (bm25s) is rebuilt from the catalog once, with a message."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from assistant.index.bm25 import STATE_FILE, ChunkBM25, DateBounds, KeywordEntry
from assistant.index.build import NewsIndex
from assistant.retrieve.search import HybridSearch
from assistant.text import TOKENIZER
from tests.helpers import write_article

DAY = 86_400
ENTRIES = [
    KeywordEntry("volcano:0", "volcano", "Volcano erupts\nLava reached the harbour.", 10 * DAY),
    KeywordEntry("harbour:0", "harbour", "Harbour reopens\nFerries left the harbour.", 20 * DAY),
    KeywordEntry("harbour:1", "harbour", "Harbour reopens\nThe harbour master spoke.", 20 * DAY),
    KeywordEntry("undated:0", "undated", "Old harbour\nA harbour wall from long ago.", None),
]

# many chunks strong for "harbour", published after most as-of times the tests ask
LATE = [
    KeywordEntry(f"late{i}:0", f"late{i}", "Harbour\nharbour harbour harbour", 20 * DAY)
    for i in range(40)
]


def found(index: ChunkBM25, question: str, dates: DateBounds | None = None) -> set[str]:
    return {chunk_id for chunk_id, _ in index.query(question, 10, dates)}


def test_chunks_added_and_deleted_in_place_are_found_and_counted(tmp_path: Path) -> None:
    index = ChunkBM25.build(tmp_path / "bm25", ENTRIES[:2], generation=1)
    assert (index.count, index.frequency("harbour")) == (2, 2)
    index.add(ENTRIES[2:])
    index.commit(2)
    assert found(index, "harbour") == {e.chunk_id for e in ENTRIES}
    assert (index.count, index.frequency("harbour"), index.frequency("ferries")) == (4, 4, 1)
    index.delete_articles(["harbour"])
    index.commit(3)
    index.close_writer()
    assert found(index, "harbour") == {"volcano:0", "undated:0"}
    # (document frequencies count deleted chunks until tantivy merges their segment away)
    assert index.count == 2
    reopened = ChunkBM25.load(tmp_path / "bm25")
    assert reopened is not None and reopened.generation == 3 and reopened.tokenizer == TOKENIZER
    assert sorted(reopened.ids) == ["undated:0", "volcano:0"]


def test_date_bounds_keep_undated_chunks_only_as_of_a_time(tmp_path: Path) -> None:
    index = ChunkBM25.build(tmp_path / "bm25", ENTRIES, generation=1)
    assert found(index, "harbour", DateBounds(as_of=15 * DAY)) == {"volcano:0", "undated:0"}
    assert found(index, "harbour", DateBounds(since=15 * DAY)) == {"harbour:0", "harbour:1"}
    assert found(index, "harbour", DateBounds(until=15 * DAY)) == {"volcano:0"}
    assert found(index, "harbour", DateBounds(as_of=30 * DAY, since=15 * DAY)) == {
        "harbour:0",
        "harbour:1",
    }
    assert found(index, "harbour", DateBounds(as_of=5 * DAY)) == {"undated:0"}


def test_bounded_hits_are_the_best_in_bounds_even_when_the_best_overall_are_not(
    tmp_path: Path,
) -> None:
    # many strong chunks after the as-of time, one weak chunk before it: the bounded query
    # must still find the weak one (past what a wider unbounded query returns)
    early = KeywordEntry("early:0", "early", "Town news\nthe harbour and many other words", DAY)
    index = ChunkBM25.build(tmp_path / "bm25", [*LATE, early], generation=1)
    assert [c for c, _ in index.query("harbour", 3, DateBounds(as_of=10 * DAY))] == ["early:0"]


def test_one_memo_over_several_bounds_gives_each_the_hits_a_fresh_query_gives(
    tmp_path: Path,
) -> None:
    # a question whose window holds no answer asks again around it: with one memo, the
    # unbounded search, the dates and the chunk ids are read once, and every bound still
    # gets its own hits (the wide search kept serves the narrow window and the bounded
    # fallback both)
    index = ChunkBM25.build(tmp_path / "bm25", [*LATE, *ENTRIES], generation=1)
    bounds = [
        None,
        DateBounds(as_of=30 * DAY, since=15 * DAY),
        DateBounds(as_of=30 * DAY, until=15 * DAY),
        DateBounds(as_of=30 * DAY),
        DateBounds(as_of=5 * DAY),
    ]
    memo: dict = {}
    shared = [index.query("harbour ferries", 5, dates, memo) for dates in bounds]
    assert shared == [index.query("harbour ferries", 5, dates) for dates in bounds]
    assert [c for c, _ in shared[4]] == ["undated:0"]
    assert {c for c, _ in shared[2]} == {"volcano:0"}
    assert any(key[0] == "bounded" for key in memo)  # the fallback query ran and was kept


def keyword_folder_id(folder: Path) -> int:
    return (folder / "bm25").stat().st_ino


def test_writes_update_the_keyword_index_in_place(settings, embedder, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "lava.md", "Volcano erupts", "Lava reached the harbour by evening.")
    more = tmp_path / "more"
    write_article(more, "ferry.md", "Ferries return", "Ferries sailed from the harbour again.")
    with NewsIndex.open(settings, "in-place", embedder=embedder, create=True) as index:
        index.ingest([corpus])
        built = keyword_folder_id(index.folder)
        index.ingest([more])  # a rebuild would swap in a new folder
        assert keyword_folder_id(index.folder) == built
        search = HybridSearch(index, embedder)
        titles = {p.article.title for p in search.search("harbour", k=5, mode="bm25")}
        assert titles == {"Volcano erupts", "Ferries return"}
        ferry = next(a.id for a in index.catalog.articles() if a.title == "Ferries return")
        index.delete([ferry])
        assert keyword_folder_id(index.folder) == built
        titles = {p.article.title for p in search.search("harbour", k=5, mode="bm25")}
        assert titles == {"Volcano erupts"}
        assert index.examine().consistent


def save_with_bm25s(index: NewsIndex) -> None:
    """The keyword index as newsqa wrote it with bm25s: today's tokens, bm25s files."""
    import bm25s

    from assistant.text import tokens

    ids, texts = index.catalog.chunks_for_search()
    retriever = bm25s.BM25()
    retriever.index([tokens(text) for text in texts], show_progress=False)
    folder = index.folder / "bm25"
    for path in folder.iterdir():
        path.unlink()
    retriever.save(str(folder), show_progress=False)
    state = {"ids": ids, "generation": index.catalog.generation, "tokenizer": TOKENIZER}
    (folder / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")


def test_a_keyword_index_made_by_bm25s_is_rebuilt_once_with_a_message(
    settings, embedder, tmp_path: Path, caplog
) -> None:
    corpus = tmp_path / "corpus"
    write_article(corpus, "lava.md", "Volcano erupts", "Lava reached the harbour by evening.")
    with NewsIndex.open(settings, "older", embedder=embedder, create=True) as index:
        index.ingest([corpus])
        save_with_bm25s(index)
        assert not index.examine().consistent
    caplog.set_level(logging.WARNING, logger="assistant.index.build")
    for _ in range(2):
        with NewsIndex.open(settings, "older", embedder=embedder) as index:
            search = HybridSearch(index, embedder)
            assert [p.article.title for p in search.search("lava", mode="bm25")] == [
                "Volcano erupts"
            ]
            assert index.examine().consistent
    messages = [r.getMessage() for r in caplog.records if r.name == "assistant.index.build"]
    assert len(messages) == 1 and "made by an older newsqa" in messages[0]
