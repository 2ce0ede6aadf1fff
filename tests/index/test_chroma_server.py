"""The same index through a real `chroma run` server gives what embedded Chroma gives."""

from __future__ import annotations

from assistant.index.build import NewsIndex
from assistant.settings import load_settings

QUERIES = [
    "Which countries were invited to join BRICS?",
    "What is the central bank's interest rate?",
    "How many residents left their homes after the eruption?",
    "Who won the cup final?",
]


def test_server_and_embedded_chroma_hold_the_same_chunks_and_neighbours(
    embedder, small_corpus, chroma_server, monkeypatch
):
    local = NewsIndex.open(load_settings(), "local", embedder=embedder, create=True)
    monkeypatch.setenv("NEWSQA_CHROMA_URL", chroma_server)
    remote = NewsIndex.open(load_settings(), "remote", embedder=embedder, create=True)
    try:
        local.ingest([small_corpus])
        remote.ingest([small_corpus])
        assert remote.vectors.where == chroma_server
        assert not (remote.folder / "chroma").exists()
        local_ids, remote_ids = local.vectors.ids(), remote.vectors.ids()
        assert local_ids == remote_ids and len(local_ids) >= 4
        assert {k: v.metadata for k, v in local.vectors.get(sorted(local_ids)).items()} == {
            k: v.metadata for k, v in remote.vectors.get(sorted(remote_ids)).items()
        }
        for question in QUERIES:
            vector = embedder.embed([question])[0]
            near_local = [h.id for h in local.vectors.query(vector, n=3)]
            near_remote = [h.id for h in remote.vectors.query(vector, n=3)]
            assert near_local == near_remote, question
    finally:
        local.close()
        remote.close()


def test_an_unreachable_chroma_server_is_a_clear_error(embedder, monkeypatch):
    import pytest

    from assistant.errors import IndexStateError
    from tests.helpers import free_port

    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("NEWSQA_CHROMA_URL", url)
    with pytest.raises(IndexStateError, match=f"cannot reach the Chroma server at {url}"):
        NewsIndex.open(load_settings(), "remote", embedder=embedder, create=True)
