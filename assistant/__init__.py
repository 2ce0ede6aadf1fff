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
from assistant.index.build import NewsIndex  # noqa: E402
from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.index.reports import IngestReport  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.retrieve.filters import Filters  # noqa: E402
from assistant.retrieve.search import HybridSearch, Passage  # noqa: E402
from assistant.settings import Settings, load_settings  # noqa: E402
from assistant.types import (  # noqa: E402
    Answer,
    AnswerSentence,
    Article,
    Chunk,
    Citation,
    CitedArticle,
    Conflict,
    Sentence,
)


def __getattr__(name: str) -> object:
    # NewsRetriever imports llama-index (slow); load it only when asked for.
    if name == "NewsRetriever":
        from assistant.retrieve.retriever import NewsRetriever

        return NewsRetriever
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")


__all__ = [
    "Answer",
    "AnswerSentence",
    "Article",
    "ArticleNotFoundError",
    "Assistant",
    "Chunk",
    "Citation",
    "CitedArticle",
    "ConfigError",
    "Conflict",
    "Embedder",
    "Filters",
    "HybridSearch",
    "IndexBusyError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexStateError",
    "IngestReport",
    "NewsIndex",
    "NewsQAError",
    "NewsRetriever",
    "Passage",
    "Sentence",
    "Settings",
    "SourceError",
    "load_settings",
]
