"""newsqa: question answering over news articles, with the exact source sentences cited."""

from assistant import offline

offline.enforce()

from assistant.errors import (  # noqa: E402
    ArticleNotFoundError,
    ConfigError,
    IndexBusyError,
    IndexMismatchError,
    IndexNotFoundError,
    IndexStateError,
    NewsQAError,
    SourceError,
)
from assistant.index.build import IngestReport, NewsIndex  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.settings import Settings, load_settings  # noqa: E402
from assistant.types import Article, Chunk, Sentence  # noqa: E402

__all__ = [
    "Article",
    "ArticleNotFoundError",
    "Chunk",
    "ConfigError",
    "Embedder",
    "IndexBusyError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexStateError",
    "IngestReport",
    "NewsIndex",
    "NewsQAError",
    "Sentence",
    "Settings",
    "SourceError",
    "load_settings",
]
