"""Start the app: make sure the index has articles (first start), then serve the UI."""

from __future__ import annotations

import sys

from assistant.index.build import NewsIndex
from assistant.index.embeddings import Embedder
from assistant.settings import Settings


def ensure_index(settings: Settings, index: str | None = None) -> NewsIndex:
    """Open the index; on first start (missing or empty) fill it with the sample articles."""
    embedder = Embedder.packaged(settings.embedding.batch_size)
    news_index = NewsIndex.open(settings, index, embedder=embedder, create=True)
    articles, _ = news_index.catalog.counts()
    if articles == 0 and settings.sample_articles.is_dir():
        print(
            f"newsqa: first start, indexing the sample articles in {settings.sample_articles} ...",
            file=sys.stderr,
        )

        def on_progress(p: object) -> None:
            print(
                f"\r  {p.sources_done}/{p.sources_total} files, {p.chunks} chunks",  # type: ignore[attr-defined]
                end="",
                file=sys.stderr,
                flush=True,
            )

        report = news_index.ingest([settings.sample_articles], on_progress)
        print(
            f"\nnewsqa: indexed {len(report.added)} articles ({report.chunks_written} chunks)",
            file=sys.stderr,
        )
    return news_index


def serve(
    settings: Settings, index: str | None = None, host: str = "127.0.0.1", port: int = 7860
) -> None:
    from assistant.chat.ui import build_ui

    news_index = ensure_index(settings, index)
    demo = build_ui(news_index)
    print(f"newsqa: serving on http://{host}:{port}", file=sys.stderr)
    demo.launch(server_name=host, server_port=port, show_error=False)
