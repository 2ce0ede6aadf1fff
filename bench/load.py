"""Load on a real `newsqa serve` on 127.0.0.1: questions/s and latency for N concurrent clients,
beside a 1-client baseline measured in the same run, optionally while articles are uploaded
through the Library's upload endpoint, or with a slow LLM behind the answers.

    .venv/bin/python bench/load.py                          # 1, 4 and 20 clients, 20 s each
    .venv/bin/python bench/load.py --clients 1,4,20 --duration 20 --upload 200 --llm-delay 2
    .venv/bin/python bench/load.py --index indexes/default --json  # on a copy of that index

Each client is a thread with its own keep-alive HTTP connection that asks the bundled
questions (data/articles/questions.jsonl, each as of its question date) with POST /api/ask,
one after the other, for --duration seconds; a non-200 answer or an exception is an error.
Every question is asked once before the first level (not measured), so the model, the tagger
and their caches are equally warm for every level. q/s counts answered questions over the
level's wall time; p50/p95/max are over answered questions.

--upload M adds a level with 4 clients that ask while M generated articles (made up here,
distinct, plain text) are uploaded in one POST /api/articles; the level lasts until the upload
job ends, then the job's figures and the catalog are checked for every article. --llm-delay S
starts `assistant.answer.llm_server` with a scripted reply that takes S seconds and a second
server answering through it (NEWSQA_ANSWERER=llm), and times 8 questions asked one at a time
against the same 8 asked by 4 clients (2 each).

The servers run the code of this checkout (PYTHONPATH), each on a fresh copy of the index
(by default one built from data/articles), without the caller's NEWSQA_* settings; they are
stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from load_articles import MAX_ARTICLES, generated_articles  # bench/, beside this script

from assistant.evaluate.dataset import load_questions

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "articles"
QUESTIONS = CORPUS / "questions.jsonl"
START_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 120.0
UPLOAD_CLIENTS = 4
LLM_QUESTIONS = 8
LLM_CLIENTS = 4
# The citation check accepts it for the BRICS questions and drops it for the others, which
# then fall back to the extracted answer; either way the request completes.
LLM_REPLY = (
    "The six countries invited to join were Iran, Egypt, Ethiopia, the United Arab Emirates, "
    "Saudi Arabia and Argentina."
)


@dataclass(frozen=True)
class Asked:
    """One bundled question and the date it is asked as of (None: now)."""

    question: str
    as_of: str | None


@dataclass
class Outcome:
    """What one client saw: latencies of answered questions, and the errors."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Level:
    """One measured level: `clients` clients asking for `seconds` of wall time."""

    label: str
    clients: int
    seconds: float
    latencies_ms: tuple[float, ...]
    errors: tuple[str, ...]
    during_upload: bool = False

    @property
    def questions(self) -> int:
        return len(self.latencies_ms)

    @property
    def qps(self) -> float:
        return self.questions / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95)

    @property
    def max(self) -> float:
        return max(self.latencies_ms, default=float("nan"))

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "clients": self.clients,
            "during_upload": self.during_upload,
            "seconds": round(self.seconds, 3),
            "questions": self.questions,
            "qps": round(self.qps, 3),
            "p50_ms": round(self.p50, 1),
            "p95_ms": round(self.p95, 1),
            "max_ms": round(self.max, 1),
            "errors": len(self.errors),
            "errors_by_kind": dict(Counter(self.errors)),
        }


@dataclass(frozen=True)
class UploadResult:
    """The upload level's job as last seen, and how many generated titles the catalog holds."""

    articles: int
    seconds: float
    job: dict[str, Any]
    landed: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        done = self.job.get("state") == "done" and self.job.get("added") == self.articles
        return self.error is None and done and self.landed == self.articles


@dataclass(frozen=True)
class LlmResult:
    """8 questions through a slow LLM: one at a time, then by 4 clients."""

    delay_s: float
    questions: int
    one_at_a_time_s: float
    concurrent_s: float
    errors: tuple[str, ...]
    answerers: dict[str, int]


# ---------------------------------------------------------------- figures (pure)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile, as bench/query.py computes it (nan when empty)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def error_kind(exc: Exception) -> str:
    """What went wrong, short enough to count alike failures together."""
    return f"{type(exc).__name__}: {exc}"[:160]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def client_levels(given: Sequence[int], upload: bool) -> list[int]:
    """Client counts to measure: 1 first (the baseline), then the others as given, once
    each; 4 is added when the upload level needs its idle figure."""
    levels = [1, *(n for n in dict.fromkeys(given) if n != 1)]
    if upload and UPLOAD_CLIENTS not in levels:
        levels.append(UPLOAD_CLIENTS)
    return levels


def parse_clients(value: str) -> list[int]:
    try:
        counts = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1,4,20, got {value!r}") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"client counts must be 1 or more, got {value!r}")
    return counts


def multipart(files: Sequence[tuple[str, bytes]], field_name: str = "files") -> tuple[bytes, str]:
    """A multipart/form-data body holding `files` under one field, and its content type."""
    boundary = f"newsqa-load-{uuid.uuid4().hex}"
    parts = []
    for name, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
            f'filename="{name}"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(indexes_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without its NEWSQA_* settings, running this checkout."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSQA_")}
    path = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return {
        **env,
        "PYTHONPATH": path,
        "NEWSQA_INDEXES_DIR": str(indexes_dir),
        "NEWSQA_SAMPLE_ARTICLES": str(CORPUS),
        **extra,
    }


def say(message: str) -> None:
    print(f"load: {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def running(
    command: list[str], ready_url: str, log_path: Path, env: dict[str, str]
) -> Iterator[None]:
    """Run `command` in a session of its own until the block ends, once `ready_url` answers.
    Stopped with SIGTERM (SIGKILL after 30 s), then whatever it started gets SIGTERM too."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=log_path.parent,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_ready(process, ready_url, log_path)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)


def wait_ready(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{' '.join(process.args)} did not start:\n{tail}") from None
            time.sleep(0.3)


@contextlib.contextmanager
def newsqa_server(root: Path, index: Path, **env: str) -> Iterator[str]:
    """`newsqa serve` on a free loopback port over a fresh copy of `index`; yields its URL."""
    indexes_dir = root / "indexes"
    shutil.copytree(index, indexes_dir / "bench")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    say(f"starting newsqa serve on {url} (log {root / 'server.log'})")
    with running(
        [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1"],
        f"{url}/openapi.json",
        root / "server.log",
        server_env(indexes_dir, NEWSQA_INDEX="bench", NEWSQA_PORT=str(port), **env),
    ):
        yield url


@contextlib.contextmanager
def scripted_llm(root: Path, delay_s: float) -> Iterator[str]:
    """The scripted OpenAI-compatible server, `delay_s` per answer; yields its /v1 URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "assistant.answer.llm_server", "--port", str(port),
               "--reply", LLM_REPLY, "--delay", str(delay_s)]  # fmt: skip
    with running(command, f"{url}/models", root / "llm-server.log", server_env(root)):
        yield url


def build_index(root: Path) -> Path:
    """A fresh index of the bundled articles, built by `newsqa ingest` in its own process."""
    folder = root / "bench"
    say(f"indexing {CORPUS} into {folder} ...")
    root.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(CORPUS), "--index", str(folder)],
        env=server_env(root), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"newsqa ingest {CORPUS} failed:\n{done.stderr[-3000:]}")
    return folder


# ---------------------------------------------------------------- clients


class Client:
    """One keep-alive connection to the server, asking questions with POST /api/ask."""

    def __init__(self, url: str) -> None:
        self.host, _, port = url.removeprefix("http://").partition(":")
        self.port = int(port)
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None, content_type: str
    ) -> tuple[int, bytes]:
        """One request; a kept-alive connection the server has closed meanwhile (it does
        after a 500) is replaced once, as any HTTP client's pool does; other failures raise."""
        reused = self.connection is not None
        try:
            return self._send(method, path, body, content_type)
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            if not reused:
                raise
        return self._send(method, path, body, content_type)

    def _send(
        self, method: str, path: str, body: bytes | None, content_type: str
    ) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                self.host, self.port, timeout=REQUEST_TIMEOUT_S
            )
        try:
            headers = {"content-type": content_type} if body is not None else {}
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.close()  # a fresh connection for the next request
            raise

    def ask(self, asked: Asked) -> dict[str, Any]:
        """The answer's JSON; raises on a non-200 answer or a broken connection."""
        payload = {"question": asked.question, **({"as_of": asked.as_of} if asked.as_of else {})}
        status, data = self.request(
            "POST", "/api/ask", json.dumps(payload).encode(), "application/json"
        )
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {data[:200].decode(errors='replace')}")
        return json.loads(data)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def ask_until(
    client: Client, questions: Sequence[Asked], start: int, stop: threading.Event, outcome: Outcome
) -> None:
    """Ask questions from `start` on, round and round, until `stop` is set."""
    number = start
    while not stop.is_set():
        asked = questions[number % len(questions)]
        number += 1
        began = time.perf_counter()
        try:
            client.ask(asked)
        except Exception as exc:  # every failure is counted, none stops the level
            outcome.errors.append(error_kind(exc))
            time.sleep(0.1)  # a server that is down must not be hammered
            continue
        outcome.latencies_ms.append(1000 * (time.perf_counter() - began))
    client.close()


def measure(
    url: str, questions: Sequence[Asked], clients: int, stop: threading.Event, label: str
) -> Level:
    """`clients` threads asking until `stop` is set (each starts at another question)."""
    outcomes = [Outcome() for _ in range(clients)]
    threads = [
        threading.Thread(
            target=ask_until,
            args=(Client(url), questions, i * len(questions) // clients, stop, outcomes[i]),
            daemon=True,
        )
        for i in range(clients)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return Level(
        label=label,
        clients=clients,
        seconds=seconds,
        latencies_ms=tuple(ms for o in outcomes for ms in o.latencies_ms),
        errors=tuple(e for o in outcomes for e in o.errors),
    )


def timed_level(url: str, questions: Sequence[Asked], clients: int, duration: float) -> Level:
    stop = threading.Event()
    timer = threading.Timer(duration, stop.set)
    timer.start()
    try:
        say(f"{clients} client(s) for {duration:g} s ...")
        return measure(url, questions, clients, stop, f"{clients} client{'s' * (clients > 1)}")
    finally:
        timer.cancel()
        stop.set()


def warm_up(url: str, questions: Sequence[Asked]) -> None:
    """Every question once, not measured; a failure here stops the run before measuring."""
    say(f"warming up: {len(questions)} questions once ...")
    client = Client(url)
    try:
        for asked in questions:
            client.ask(asked)
    finally:
        client.close()


# ---------------------------------------------------------------- upload level


def upload(url: str, folder: Path, count: int) -> tuple[dict[str, Any], list[str]]:
    """Write `count` generated articles into `folder`, POST them to /api/articles in one
    request; the job as answered, and the titles sent."""
    articles = generated_articles(count)
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        (folder / article.file_name).write_text(article.text, encoding="utf-8")
    body, content_type = multipart(
        [(a.file_name, (folder / a.file_name).read_bytes()) for a in articles]
    )
    client = Client(url)
    try:
        status, data = client.request("POST", "/api/articles", body, content_type)
    finally:
        client.close()
    if not 200 <= status < 300:  # 202 Accepted: queued as a background job
        raise RuntimeError(
            f"POST /api/articles: HTTP {status}: {data[:300].decode(errors='replace')}"
        )
    return json.loads(data)["job"], [article.title for article in articles]


def wait_for_job(url: str, job: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    """Poll GET /api/jobs/{id} until the job is done or failed (or `timeout_s` passes)."""
    client = Client(url)
    deadline = time.monotonic() + timeout_s
    try:
        while job.get("state") not in ("done", "failed"):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"upload job {job.get('id')} not finished after {timeout_s:g} s: {job}"
                )
            time.sleep(0.5)
            status, data = client.request("GET", f"/api/jobs/{job['id']}", None, "")
            if status != 200:
                raise RuntimeError(f"GET /api/jobs/{job['id']}: HTTP {status}: {data[:300]!r}")
            job = json.loads(data)["job"]
    finally:
        client.close()
    return job


def titles_in_catalog(index: Path, titles: Sequence[str]) -> int:
    """How many of `titles` the index's catalog holds as articles (read-only)."""
    connection = sqlite3.connect(f"file:{index / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        stored = {row[0] for row in connection.execute("SELECT title FROM articles")}
    finally:
        connection.close()
    return sum(title in stored for title in titles)


def upload_level(
    url: str, index: Path, questions: Sequence[Asked], count: int, folder: Path, timeout_s: float
) -> tuple[Level, UploadResult]:
    """4 clients ask from the moment the upload is sent until its job ends."""
    stop = threading.Event()
    outcome: dict[str, Any] = {}

    def run_upload() -> None:
        began = time.perf_counter()
        try:
            job, titles = upload(url, folder, count)
            outcome["job"] = wait_for_job(url, job, timeout_s)
            outcome["titles"] = titles
        except Exception as exc:  # reported with the level, the clients stop
            outcome["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            outcome["seconds"] = time.perf_counter() - began
            stop.set()

    say(f"{UPLOAD_CLIENTS} clients while {count} articles are uploaded ...")
    uploader = threading.Thread(target=run_upload, daemon=True)
    uploader.start()
    level = measure(
        url, questions, UPLOAD_CLIENTS, stop, f"{UPLOAD_CLIENTS} clients + upload {count}"
    )
    level = replace(level, during_upload=True)
    uploader.join()
    job = outcome.get("job", {})
    landed = titles_in_catalog(index, outcome["titles"]) if "titles" in outcome else 0
    error = outcome.get("error")
    if error is None and job.get("state") != "done":
        error = f"job ended {job.get('state')}: {job.get('message')}"
    return level, UploadResult(count, outcome["seconds"], job, landed, error)


# ---------------------------------------------------------------- slow LLM


def answered_by(answer: dict[str, Any]) -> str:
    """The answerer, telling an unreachable LLM apart from an answer the check refused."""
    name = str(answer.get("answerer"))
    return f"{name} (LLM unreachable)" if "could not be used" in str(answer.get("note")) else name


def timed_batch(
    url: str, questions: Sequence[Asked], clients: int
) -> tuple[float, list[str], list[str]]:
    """Ask `questions` split over `clients` threads, each asking its share one at a time;
    the wall seconds, the answerers and the errors."""
    shares = [questions[i::clients] for i in range(clients)]
    answerers: list[str] = []
    errors: list[str] = []

    def work(share: Sequence[Asked]) -> None:
        client = Client(url)
        try:
            for asked in share:
                try:
                    answerers.append(answered_by(client.ask(asked)))
                except Exception as exc:  # counted, the others go on
                    errors.append(error_kind(exc))
        finally:
            client.close()

    threads = [threading.Thread(target=work, args=(share,), daemon=True) for share in shares]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, answerers, errors


def llm_phase(
    root: Path,
    index: Path,
    questions: Sequence[Asked],
    delay_s: float,
    settings: dict[str, str],
) -> LlmResult:
    asked = list(questions[:LLM_QUESTIONS])
    llm_settings = {**settings, "NEWSQA_ANSWERER": "llm"}
    with (
        scripted_llm(root, delay_s) as llm_url,
        newsqa_server(root, index, NEWSQA_LLM_URL=llm_url, **llm_settings) as url,
    ):
        say("LLM answerer: warming up with one question ...")
        warm = Client(url)
        try:
            warm.ask(asked[0])
        finally:
            warm.close()
        say(f"LLM answerer: {len(asked)} questions one at a time ...")
        alone_s, alone_by, alone_errors = timed_batch(url, asked, 1)
        say(f"LLM answerer: {len(asked)} questions by {LLM_CLIENTS} clients ...")
        together_s, together_by, together_errors = timed_batch(url, asked, LLM_CLIENTS)
    answerers: dict[str, int] = {}
    for name in alone_by + together_by:
        answerers[name] = answerers.get(name, 0) + 1
    return LlmResult(
        delay_s, len(asked), alone_s, together_s, tuple(alone_errors + together_errors), answerers
    )


# ---------------------------------------------------------------- report


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value != value else f"{value:.{digits}f}"  # nan: not measured


def times(value: float) -> str:
    return "-" if value != value else f"{value:.2f}x"


def table(levels: Sequence[Level], idle4: Level | None) -> list[str]:
    base = levels[0]
    lines = [
        "| level | clients | questions | q/s | p50 ms | p95 ms | max ms | errors "
        "| q/s vs 1 client | p95 / 1-client p50 | p95 / idle 4-client p95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for level in levels:
        vs_idle = ratio(level.p95, idle4.p95) if idle4 and level.during_upload else float("nan")
        lines.append(
            f"| {level.label} | {level.clients} | {level.questions} | {fmt(level.qps, 2)} "
            f"| {fmt(level.p50)} | {fmt(level.p95)} | {fmt(level.max)} | {len(level.errors)} "
            f"| {times(ratio(level.qps, base.qps))} | {times(ratio(level.p95, base.p50))} "
            f"| {times(vs_idle)} |"
        )
    return lines


def checks(
    levels: Sequence[Level],
    idle4: Level | None,
    uploaded: UploadResult | None,
    llm: LlmResult | None,
) -> list[tuple[str, bool]]:
    """The issue's acceptance figures that this run measured, each with whether it is met."""
    base = levels[0]
    by_clients = {level.clients: level for level in levels if not level.during_upload}
    found: list[tuple[str, bool]] = []
    errors = sum(len(level.errors) for level in levels)
    found.append((f"errors: {errors} (target 0)", errors == 0))
    if 4 in by_clients:
        r = ratio(by_clients[4].qps, base.qps)
        found.append((f"4 clients q/s / 1 client q/s: {times(r)} (target >= 1.5x)", r >= 1.5))
    if 20 in by_clients:
        r = ratio(by_clients[20].p95, base.p50)
        found.append((f"20 clients p95 / 1-client p50: {times(r)} (target <= 20x)", r <= 20))
    if uploaded is not None:
        loaded = next(level for level in levels if level.during_upload)
        r = ratio(loaded.p95, idle4.p95) if idle4 else float("nan")
        found.append(
            (f"p95 while uploading / idle 4-client p95: {times(r)} (target <= 3x)", r <= 3)
        )
        found.append((
            f"uploads landed: {uploaded.landed}/{uploaded.articles} in the catalog, job "
            f"{uploaded.job.get('state')} with added={uploaded.job.get('added')} in "
            f"{uploaded.seconds:.1f} s" + (f" ({uploaded.error})" if uploaded.error else ""),
            uploaded.ok,
        ))  # fmt: skip
    if llm is not None:
        found.append((
            f"LLM ({llm.delay_s:g} s per answer): {llm.questions} questions by {LLM_CLIENTS} "
            f"clients in {llm.concurrent_s:.1f} s (target < 6 s), one at a time "
            f"{llm.one_at_a_time_s:.1f} s; errors {len(llm.errors)}; answerers {llm.answerers}",
            llm.concurrent_s < 6 and not llm.errors,
        ))  # fmt: skip
    return found


def print_report(
    levels: Sequence[Level],
    idle4: Level | None,
    uploaded: UploadResult | None,
    llm: LlmResult | None,
    duration: float,
) -> None:
    print(f"newsqa serve on 127.0.0.1, bundled questions, {duration:g} s per level\n")
    print("\n".join(table(levels, idle4)))
    print()
    for text, met in checks(levels, idle4, uploaded, llm):
        print(f"{'met    ' if met else 'NOT MET'}  {text}")
    failures = [(level.label, level.errors) for level in levels]
    for label, errors in [*failures, ("LLM", llm.errors if llm else ())]:
        for kind, count in Counter(errors).most_common():
            print(f"errors ({label}): {count} x {kind}")


def report_json(
    levels: Sequence[Level],
    idle4: Level | None,
    uploaded: UploadResult | None,
    llm: LlmResult | None,
    duration: float,
) -> dict[str, Any]:
    return {
        "duration_s": duration,
        "levels": [level.as_json() for level in levels],
        "upload": None if uploaded is None else {**asdict(uploaded), "ok": uploaded.ok},
        "llm": None if llm is None else {**asdict(llm), "errors": dict(Counter(llm.errors))},
        "checks": [
            {"check": text, "met": met} for text, met in checks(levels, idle4, uploaded, llm)
        ],
    }


# ---------------------------------------------------------------- main


def bundled_questions() -> list[Asked]:
    return [
        Asked(q.question, q.as_of.isoformat() if q.as_of else None)
        for q in load_questions(QUESTIONS)
    ]


def run(args: argparse.Namespace, root: Path) -> int:
    questions = bundled_questions()
    if args.index:
        index = args.index.resolve()
        if not (index / "catalog.sqlite").is_file():
            raise SystemExit(f"load: --index {args.index}: no catalog.sqlite there")
    else:
        index = build_index(root / "built")
    levels: list[Level] = []
    uploaded: UploadResult | None = None
    settings = dict(args.set)
    with newsqa_server(root / "serve", index, **settings) as url:
        warm_up(url, questions)
        for clients in client_levels(args.clients, bool(args.upload)):
            levels.append(timed_level(url, questions, clients, args.duration))
        idle4 = next((level for level in levels if level.clients == UPLOAD_CLIENTS), None)
        if args.upload:
            served_index = root / "serve" / "indexes" / "bench"
            loaded, uploaded = upload_level(
                url, served_index, questions, args.upload, root / "upload", args.upload_timeout
            )
            levels.append(loaded)
    llm = (
        llm_phase(root / "llm", index, questions, args.llm_delay, settings)
        if args.llm_delay
        else None
    )
    if args.json:
        print(json.dumps(report_json(levels, idle4, uploaded, llm, args.duration), indent=2))
    else:
        print_report(levels, idle4, uploaded, llm, args.duration)
    failed = any(level.errors for level in levels) or (uploaded is not None and not uploaded.ok)
    return 1 if failed or (llm is not None and llm.errors) else 0


def parse_setting(text: str) -> tuple[str, str]:
    """ "readers=0" -> ("NEWSQA_READERS", "0")."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return f"NEWSQA_{name.strip().upper()}", value


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so the servers are stopped either way."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--clients",
        type=parse_clients,
        default=[1, 4, 20],
        help="client counts, e.g. 1,4,20 (1 is always measured first)",
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per level")
    parser.add_argument(
        "--index", type=Path, help="an index folder to copy (default: build one from data/articles)"
    )
    parser.add_argument(
        "--upload",
        type=int,
        default=0,
        metavar="M",
        help="a level with 4 clients while M generated articles are uploaded",
    )
    parser.add_argument(
        "--upload-timeout", type=float, default=900.0, help="seconds to wait for the upload job"
    )
    parser.add_argument(
        "--llm-delay",
        type=float,
        default=0.0,
        metavar="S",
        help="time 8 questions through a scripted LLM taking S seconds per answer",
    )
    parser.add_argument(
        "--set",
        type=parse_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the servers, e.g. --set readers=0 --set write_worker=thread",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (logs, index copies)"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.upload <= MAX_ARTICLES:
        parser.error(f"--upload must be 0 to {MAX_ARTICLES}, got {args.upload}")
    if args.duration <= 0 or args.llm_delay < 0:
        parser.error("--duration must be positive and --llm-delay 0 or more")
    signal.signal(signal.SIGTERM, interrupt)
    root = Path(tempfile.mkdtemp(prefix="newsqa-load-"))
    try:
        return run(args, root)
    except KeyboardInterrupt:
        say("interrupted; servers stopped")
        return 130
    except (RuntimeError, OSError, http.client.HTTPException) as exc:
        say(f"failed: {type(exc).__name__}: {exc}")
        return 2
    finally:
        if args.keep:
            say(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
