"""The one error hierarchy: every message names what failed and the offending value."""

from __future__ import annotations


class NewsQAError(Exception):
    """Base of every error newsqa raises on purpose; the CLI prints these as one line."""


class ConfigError(NewsQAError):
    """A setting or command-line value that cannot be used."""


class SourceError(NewsQAError):
    """One source (file, record, URL) could not be read as an article.

    Other sources of the same command go on; `source` names the one that failed.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class IndexStateError(NewsQAError):
    """Base for problems with an on-disk index."""


class IndexNotFoundError(IndexStateError):
    """The index folder does not exist or holds no manifest."""


class IndexMismatchError(IndexStateError):
    """The index was built with another model or chunking than the current settings."""


class IndexDamagedError(IndexStateError):
    """A file of the index is not what newsqa wrote (not a database, another schema)."""


class IndexBusyError(IndexStateError):
    """Another process is writing to the same index."""


class ArticleNotFoundError(NewsQAError):
    """An article id that the index does not hold."""
