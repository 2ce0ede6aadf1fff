"""Start the app: make sure the index has articles (first start), then serve the UI and
the REST API in one server."""

from __future__ import annotations

import ipaddress
import logging
import sys
import threading
from typing import Any

from assistant.chat.readers import Readers
from assistant.chat.session import ChatService
from assistant.chat.writes import Writes
from assistant.errors import ConfigError, NewsQAError
from assistant.following import FeedState
from assistant.index.build import NewsIndex
from assistant.index.embeddings import Embedder
from assistant.pipeline import Assistant, llm_answerer
from assistant.progress import every, is_terminal, log_line
from assistant.retrieve.search import HybridSearch
from assistant.settings import Settings

log = logging.getLogger("newsqa")


def ensure_index(settings: Settings, index: str | None, embedder: Embedder) -> NewsIndex:
    """Open the index; on first start (missing or empty) fill it with the sample articles."""
    news_index = NewsIndex.open(settings, index, embedder=embedder, create=True)
    articles, _ = news_index.catalog.counts()
    if articles == 0 and settings.sample_articles.is_dir():
        print(
            f"newsqa: first start, indexing the sample articles in {settings.sample_articles} ...",
            file=sys.stderr,
        )

        terminal, due = is_terminal(sys.stderr), every()

        def on_progress(p: Any) -> None:
            if terminal:  # redrawn in place
                print(f"\r  {p.sources_done}/{p.sources_total} files", end="", file=sys.stderr)
            elif due(p.sources_done == p.sources_total):  # a log: a line every few seconds
                log_line(f"  {p.sources_done}/{p.sources_total} files")

        report = news_index.ingest([settings.sample_articles], on_progress)
        print(
            f"\nnewsqa: indexed {len(report.added)} articles ({report.chunks_written} chunks)",
            file=sys.stderr,
        )
    return news_index


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ConfigError("NEWSQA_AUTH must look like user:password")
    return user, password


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mcp_available() -> bool:
    try:
        import mcp  # noqa: F401
    except ImportError:
        return False
    return True


def follow_feeds(service: ChatService, every_s: float, stop: threading.Event) -> None:
    """Queue a poll of the index's followed feeds now and every `every_s` seconds (none
    when a poll is still queued or running), until `stop` is set."""
    while not stop.is_set():
        try:
            followed = FeedState.load(service.index.folder).feeds
        except NewsQAError as exc:
            log.warning("newsqa: not polling feeds: %s", exc)
            followed = {}
        if followed:
            service.refresh_feeds()
        stop.wait(every_s)


def build_server(settings: Settings, index: str | None = None) -> Any:
    """The FastAPI app: REST under /api, schema at /docs, the Gradio UI at /."""
    import gradio as gr

    from assistant.chat.api import build_app
    from assistant.chat.ui import CSS, build_ui

    embedder = Embedder.packaged(settings.embedding.batch_size)
    news_index = ensure_index(settings, index, embedder)
    search = HybridSearch(news_index, embedder)
    writes = Writes(news_index, settings.write_worker)
    readers = Readers(settings, news_index.folder, settings.readers) if settings.readers else None
    if readers is not None:
        readers.warm()
    assistant = Assistant(search, llm=llm_answerer(settings, search))
    service = ChatService(assistant, writes, readers)
    credentials = parse_auth(settings.auth)
    app = build_app(service, credentials)
    stop = threading.Event()
    if settings.refresh_minutes > 0:
        threading.Thread(
            target=follow_feeds,
            args=(service, settings.refresh_minutes * 60, stop),
            name="newsqa-feeds",
            daemon=True,
        ).start()

    @app.on_event("shutdown")
    def _stop_writes() -> None:
        stop.set()
        service.close()

    return gr.mount_gradio_app(
        app,
        build_ui(service),
        path="/",
        auth=credentials,
        max_file_size=f"{settings.max_upload_mb:g}mb",
        mcp_server=mcp_available(),
        footer_links=["api"],
        css=CSS,
    )


def serve(
    settings: Settings, index: str | None = None, host: str | None = None, port: int | None = None
) -> None:
    import uvicorn

    host = host or settings.host
    port = port or settings.port
    if not is_loopback(host) and not settings.auth:
        print(
            f"newsqa: warning: serving on {host} without a password; anyone who can reach "
            "this address can read and change the index (set NEWSQA_AUTH=user:password)",
            file=sys.stderr,
        )
    app = build_server(settings, index)
    print(f"newsqa: serving on http://{host}:{port} (API schema at /docs)", file=sys.stderr)
    # Streaming clients (MCP sessions, the UI's event stream) must not hold up a stop.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
