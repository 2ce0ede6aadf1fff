"""Helpers the tests share: paths, literal articles and citations, servers on loopback ports,
the `newsqa` command run in this process. Fixtures live in conftest.py."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from assistant.answer.entities import Entity
from assistant.answer.extractive import ScoredSentence
from assistant.types import Answer, Article, Citation, Sentence

# the documented keys of `newsqa ask --json` (README)
ANSWER_JSON_KEYS = frozenset(
    ("question", "answer", "refused", "citations", "conflicts", "timings_ms", "answerer", "note",
     "unsupported", "as_of", "earlier", "sentences", "refusal_reason", "sources")
)  # fmt: skip

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ARTICLES = REPO / "data" / "articles"
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = REPO / "tests" / "artifacts"  # screenshots of failed browser tests


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


# a news page with its furniture: Open Graph metadata, a cookie banner, a menu, a footer
NEWS_PAGE = """<!doctype html><html><head>
<title>Harbour reopens after storm | Coast Courier</title>
<meta property="og:title" content="Harbour reopens after storm">
<meta property="og:site_name" content="Coast Courier">
<meta name="author" content="Mara Quinn">
<meta property="article:published_time" content="2024-02-11T07:30:00+00:00">
<link rel="canonical" href="https://coast-courier.example/news/harbour-reopens">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour reopens after storm</h1>
<p class="byline">By Mara Quinn</p>
<p>The harbour reopened on Sunday after a storm kept fishing boats in port for four days,
the port authority said. Crews cleared fallen trees from the access road overnight.</p>
<p>Around 120 boats use the harbour each week, and owners said the closure had cost them
a week of catches at the busiest time of the winter season.</p>
<p>The authority said it would review its warning system before the next storm season.</p>
</article>
<footer>Copyright © 2024 Coast Courier. All rights reserved.</footer>
</body></html>"""


# -- an answer from literal sentences ------------------------------------------------------

VOLCANO = Article.create(
    title="Volcano erupts near fishing town",
    text="A volcano erupted on Monday. About 4,000 residents left their homes.",
    outlet="Island News",
)


class LiteralSource:
    """A SentenceSource over the one literal VOLCANO article (the protocol's in-memory form)."""

    def sentences(self, article_id):
        return [Sentence(VOLCANO.id, 0, 0, 28, VOLCANO.text[0:28]),
                Sentence(VOLCANO.id, 1, 29, 70, VOLCANO.text[29:70])]  # fmt: skip

    def sentence_vectors(self, article_id):
        return np.eye(2, dtype=np.float32)

    def term_weights(self, words):
        return dict.fromkeys(words, 5.0)  # rare words, as names in the question are


def scored(
    index: int, score: float, kind: float = 1.0, entities: tuple[Entity, ...] = ()
) -> ScoredSentence:
    """Sentence `index` of VOLCANO with the given score."""
    sentence = LiteralSource().sentences(VOLCANO.id)[index]
    features = {"similarity": score, "terms": 0.5, "context": 0.5, "kind": kind, "rank": 1.0}
    return ScoredSentence(sentence, VOLCANO, 0, score, features, (), entities)


def assert_both_troop_figures_with_their_outlets(answer: Answer) -> None:
    """One conflict: about 1,500 (Han River Daily) and 10,000 (Northgate Chronicle)."""
    assert len(answer.conflicts) == 1
    values = dict(answer.conflicts[0].values)
    assert {"about 1,500", "10,000"} <= set(values)
    cited = {c.n: c.outlet for c in answer.citations}
    assert {cited[values["about 1,500"]], cited[values["10,000"]]} == {
        "Han River Daily",
        "Northgate Chronicle",
    }
    assert "Sources differ" in answer.text


# -- the command ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ran:
    """What a `newsqa` command left: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def newsqa(*args: str, env: dict[str, str] | None = None) -> Ran:
    """`newsqa ARGS` as `assistant.cli.main` runs it, in this process (the session's model
    stays loaded), with `env` added to the environment for the call. Where the process
    itself is the point (a kill, a fresh process's view of an index, a server), tests start
    `python -m assistant.cli` instead."""
    from assistant.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    saved = {key: os.environ.get(key) for key in env or {}}
    os.environ.update(env or {})
    # a process of its own prints newsqa's warnings to stderr (logging's last resort); here
    # pytest's handlers would take them, so they are written to this call's stderr too
    warnings = logging.StreamHandler(stderr)
    warnings.setLevel(logging.WARNING)
    logging.getLogger("assistant").addHandler(warnings)
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        logging.getLogger("assistant").removeHandler(warnings)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Ran(code, stdout.getvalue(), stderr.getvalue())


# -- servers on loopback ports -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command(*args: str) -> list[str]:
    """`newsqa serve ARGS` as its own process."""
    return [sys.executable, "-m", "assistant.cli", "serve", *args]


# one reader process: each loads its own model; only answering side by side needs two, and
# tests/chat/test_writes.py checks that in process
ONE_READER = {"NEWSQA_READERS": "1"}


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


# -- the browser ---------------------------------------------------------------------------


def ask_in_browser(page, question: str) -> None:
    """Type `question` into the chat of the page and press Ask, once the question box is
    empty: an answer still arriving clears the box and would take a question typed early."""
    from playwright.sync_api import expect

    box = page.locator("#question textarea")
    expect(box).to_have_value("", timeout=60_000)
    box.fill(question)
    page.locator("#ask").click()


# -- the public question sets -------------------------------------------------------------

CORPORA = REPO.parent / "shared" / "corpora"
HEAD_WORDS = 150  # an article cut to its first paragraphs: about one chunk


def first_paragraphs(text: str, words: int) -> str:
    kept, count = [], 0
    for paragraph in (p for p in text.split("\n") if p.strip()):
        kept.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n\n".join(kept)


def assert_nothing_cited_after_as_of(index: Any, questions: Sequence[Any], embedder: Any) -> None:
    """Ask every question as of its date, as `newsqa eval` does, and check every citation."""
    from assistant.pipeline import Assistant
    from assistant.retrieve.search import HybridSearch

    assistant = Assistant(HybridSearch(index, embedder))
    late, dated = [], 0
    for q in questions:
        answer = assistant.ask(q.question, as_of=q.as_of)
        assert answer.as_of == q.as_of
        # a citation shows its own date and those of the outlets that also carried the story
        shown = [(c.n, c.published) for c in answer.citations]
        shown += [(c.n, k.published) for c in answer.citations for k in c.also_carried_by]
        late += [(q.id, q.as_of, n, when) for n, when in shown if when and when > q.as_of]
        dated += any(c.published for c in answer.citations)
    assert late == []
    # not vacuous: most questions are answered with dated citations
    assert dated > len(questions) / 2


# -- a server's REST API (background writes) ------------------------------------------------


def api(url: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"content-type": "application/json"} if body is not None else {}
    request = urllib.request.Request(f"{url}{path}", data, headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def upload(url: str, paths: list[Path]) -> dict:
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
    response = httpx.post(f"{url}/api/articles", files=files, timeout=60)
    assert response.status_code == 202, response.text
    return response.json()["job"]


def wait_for_job(url: str, job_id: int, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api(url, f"/api/jobs/{job_id}")["job"]
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    pytest.fail(f"job {job_id} did not end in {timeout} s: {job}")


def numbered_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    """`count` distinct small articles: town n opens a bridge of n*10 metres."""
    return [
        write_article(
            folder,
            f"bridge-{n}.md",
            f"Townsville {n} opens its new footbridge",
            f"The council of Townsville {n} opened a footbridge of {n * 10 + 7} metres over "
            f"the river Olm{n} on Monday. It cost {n + 2}.5 million euros, the mayor said. "
            f"Cyclists from Townsville {n} may use it from June.",
            outlet="Bridge Weekly",
            published=f"2025-03-{1 + n % 27:02d}T09:00:00+00:00",
        )
        for n in range(start, start + count)
    ]


def served(root: Path, index: Path, port: int, **extra: str) -> tuple[list[str], dict]:
    env = {**os.environ, "NEWSQA_INDEXES_DIR": str(root), **ONE_READER, **extra}
    return serve_command("--index", str(index), "--port", str(port)), env
