"""Shared fixtures: one model load per session, an index folder per test, a Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from assistant import offline

offline.enforce()

from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.settings import Settings, load_settings  # noqa: E402
from assistant.types import Citation  # noqa: E402

# the documented keys of `newsqa ask --json` (README)
ANSWER_JSON_KEYS = frozenset(
    ("question", "answer", "refused", "citations", "conflicts", "timings_ms", "answerer", "note",
     "unsupported", "as_of", "earlier", "sentences", "refusal_reason", "sources")
)  # fmt: skip

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ARTICLES = REPO / "data" / "articles"
BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes its indexes under its own tmp folder, never the user's."""
    for key in list(os.environ):
        if key.startswith("NEWSQA_"):
            monkeypatch.delenv(key)
    indexes = tmp_path / "indexes"
    monkeypatch.setenv("NEWSQA_INDEXES_DIR", str(indexes))
    return indexes


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder.packaged()


@pytest.fixture
def settings() -> Settings:
    return load_settings()


def write_article(
    folder: Path,
    name: str,
    title: str,
    body: str,
    *,
    outlet: str = "Test Gazette",
    url: str | None = None,
    published: str | None = "2024-05-01T09:00:00+00:00",
) -> Path:
    """A small .md article with front matter (undated when `published` is None)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["---", f'title: "{title}"', f'outlet: "{outlet}"']
    if published:
        lines.append(f'published: "{published}"')
    if url:
        lines.append(f'url: "{url}"')
    path = folder / name
    path.write_text("\n".join([*lines, "---", body, ""]), encoding="utf-8")
    return path


def citation(
    n: int,
    outlet: str | None,
    published: datetime | None,
    *,
    article: str | None = None,
    text: str | None = None,
    spans: tuple[tuple[int, int], ...] = (),
) -> Citation:
    """A literal citation numbered `n` from "Story <n>" (or from the story named `article`),
    for tests of how answers are shown."""
    article = article or str(n)
    return Citation(
        n=n, article_id=f"a{article}", sentence_index=n - 1, text=text or f"Sentence {n}.",
        title=f"Story {article}", outlet=outlet, published=published, url=None, score=1.0,
        answer_spans=spans,
    )  # fmt: skip


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Four short articles on distinct topics: quick to embed, easy to tell apart."""
    folder = tmp_path / "corpus"
    write_article(
        folder,
        "brics.md",
        "BRICS invites six countries to join",
        "Leaders meeting in Johannesburg invited Iran, Egypt, Ethiopia, Saudi Arabia, the "
        "United Arab Emirates and Argentina to join the bloc. The original members are "
        "Brazil, Russia, India, China and South Africa.\n\nThe invitations take effect in "
        "January. Analysts said the bloc wants more weight in global finance.",
        outlet="Wire One",
        url="https://wire-one.example/brics",
        published="2023-08-24T12:00:00+00:00",
    )
    write_article(
        folder,
        "rates.md",
        "Central bank holds interest rate at 5.25%",
        "The central bank kept its main interest rate at 5.25% on Wednesday. Officials said "
        "inflation was easing but remained above the 2% target.\n\nMarkets had expected the "
        "decision. Two members of the committee voted for a cut.",
        outlet="Money Daily",
        url="https://money-daily.example/rates",
        published="2024-03-20T18:00:00+00:00",
    )
    write_article(
        folder,
        "football.md",
        "Underdogs win the cup final 2-1",
        "The underdogs won the cup final 2-1 at the national stadium on Saturday. Their "
        "striker scored twice in the second half.\n\nMore than 80,000 fans watched the match. "
        "The coach said the victory was the best day of his career.",
        outlet="Sport Weekly",
        url="https://sport-weekly.example/final",
        published="2024-05-25T21:00:00+00:00",
    )
    write_article(
        folder,
        "volcano.md",
        "Volcano erupts near fishing town",
        "A volcano erupted near a fishing town on Monday, forcing 4,000 residents to leave "
        "their homes. Lava reached the edge of the harbour by evening.\n\nScientists had "
        "recorded hundreds of small earthquakes in the weeks before. No deaths were reported.",
        outlet="Island News",
        url="https://island-news.example/volcano",
        published="2023-12-18T23:00:00+00:00",
    )
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(
    command: list[str],
    ready_url: str,
    log_path: Path,
    *,
    env: dict[str, str],
    timeout: float,
    cwd: Path | None = None,
) -> Iterator[None]:
    """Run `command` until the block ends; wait until `ready_url` answers, or fail the test
    with the end of the server's log. Stopped with SIGTERM, then SIGKILL after 30 s."""
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    with urllib.request.urlopen(ready_url, timeout=2):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        tail = log_path.read_text(errors="replace")[-3000:]
                        pytest.fail(f"{command[0]} did not start:\n{tail}")
                    time.sleep(0.3)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on 127.0.0.1, started for the session and stopped after."""
    chroma = shutil.which("chroma", path=str(BIN)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command is missing; chromadb is not installed properly")
    data = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        chroma,
        "run",
        "--path",
        str(data / "db"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    with running_server(
        command, f"{url}/api/v2/heartbeat", data / "server.log", env=env, timeout=60
    ):
        yield url


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """The bundled sample corpus, indexed once per session; tests must only read it."""
    from assistant.index.build import NewsIndex

    folder = tmp_path_factory.mktemp("sample") / "index"
    settings = load_settings(indexes_dir=folder.parent)
    with NewsIndex.open(settings, str(folder), embedder=embedder, create=True) as index:
        report = index.ingest([SAMPLE_ARTICLES])
    assert not report.failed, report.failed
    return folder


@pytest.fixture(scope="session")
def sample_assistant(sample_index_dir: Path, embedder: Embedder) -> Iterator[object]:
    from assistant.pipeline import Assistant

    assistant = Assistant.from_index(
        str(sample_index_dir),
        settings=load_settings(indexes_dir=sample_index_dir.parent),
        embedder=embedder,
    )
    yield assistant
    assistant.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@contextmanager
def llm_server(folder: Path, reply: str | None = None, max_tokens: int = 60) -> Iterator[str]:
    """assistant.answer.llm_server on a free loopback port (the local model, or a scripted
    `reply`); yields its /v1 base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "assistant.answer.llm_server", "--port", str(port),
               "--max-tokens", str(max_tokens)]  # fmt: skip
    if reply is not None:
        command += ["--reply", reply]
    folder.mkdir(parents=True, exist_ok=True)
    with running_server(
        command, f"{url}/models", folder / "llm-server.log", env=dict(os.environ), timeout=180
    ):
        yield url
