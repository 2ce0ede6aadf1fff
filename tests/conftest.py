"""Shared fixtures: one model load per session, an index folder per test, a Chroma server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import offline

offline.enforce()

from assistant.index.embeddings import Embedder  # noqa: E402
from assistant.settings import Settings, load_settings  # noqa: E402
from tests.helpers import (  # noqa: E402
    BIN,
    BROWSER_FLAGS,
    CHROMIUM,
    SAMPLE_ARTICLES,
    free_port,
    running_server,
    write_article,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files holding slow tests first, in collection order otherwise: `make test`'s
    workers take a file at a time, so the long ones start early and the short ones fill
    the end, and both workers finish near the same time (the Makefile's
    --no-loadscope-reorder keeps this order)."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One folder for the converted local LLM, shared by the workers of a run (their tmp
    folders are siblings) and the processes they start: the first converts, the rest load.
    Set for the whole session: module fixtures that load the model start before each test's
    own environment is."""
    folder = tmp_path_factory.getbasetemp().parent / "model-cache"
    before = os.environ.get("NEWSQA_MODEL_CACHE")
    os.environ["NEWSQA_MODEL_CACHE"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("NEWSQA_MODEL_CACHE", None)
    else:
        os.environ["NEWSQA_MODEL_CACHE"] = before


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_cache: Path) -> Path:
    """Every test writes its indexes under its own tmp folder, never the user's, and keeps
    the converted local model in the run's cache, not the user's."""
    for key in list(os.environ):
        if key.startswith("NEWSQA_"):
            monkeypatch.delenv(key)
    indexes = tmp_path / "indexes"
    monkeypatch.setenv("NEWSQA_INDEXES_DIR", str(indexes))
    monkeypatch.setenv("NEWSQA_MODEL_CACHE", str(model_cache))
    return indexes


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    if os.environ.get("PYTEST_XDIST_WORKER"):  # `make test`: workers, not threads, use the cores
        import torch

        torch.set_num_threads(1)
    return Embedder.packaged()


@pytest.fixture
def settings() -> Settings:
    return load_settings()


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


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright, one for the session."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing; .ci/run installs Debian's chromium")
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_FLAGS)
        yield browser
        browser.close()
