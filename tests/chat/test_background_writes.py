"""A real `newsqa serve` writes in the background: uploads through POST /api/articles (the
Library's path) run as jobs in the worker process while questions are answered, the server
re-polls its followed feeds by itself, and a server killed (-9) in the middle of an upload
leaves an index that opens consistent, with every article whole or absent."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.helpers import (
    ONE_READER,
    free_port,
    newsqa,
    running_server,
    serve_command,
    write_article,
)
from tests.ingest.news_pages import PAGES
from tests.ingest.news_site import Item, Site, rss20, serve_site


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


def cli(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=check,
    )  # fmt: skip


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


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as site:
        site.put(PAGES[0].path, PAGES[0].html)
        site.put("/rss", rss20("Vale Wire", []), "application/rss+xml")
        yield site


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sample_index_dir: Path, site: Site
) -> Iterator[tuple[str, Path, dict]]:
    """A server over a copy of the sample index that follows the (empty) feed of `site` and
    re-polls it every 3 seconds."""
    root = tmp_path_factory.mktemp("background")
    index = root / "index"
    shutil.copytree(sample_index_dir, index)
    private_ok = {"NEWSQA_INDEXES_DIR": str(root), "NEWSQA_ALLOW_PRIVATE_URLS": "1"}
    followed = newsqa("ingest", "--index", str(index), "--feed", site.url("/rss"), env=private_ok)
    assert followed.returncode == 0, followed.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command, env = served(
        root, index, port, NEWSQA_ALLOW_PRIVATE_URLS="1", NEWSQA_REFRESH_MINUTES="0.05"
    )
    with running_server(command, f"{url}/openapi.json", root / "server.log", env=env,
                        timeout=180, cwd=root):  # fmt: skip
        yield url, root, env


def test_an_upload_runs_in_the_background_and_its_articles_then_answer(server, tmp_path):
    url, _, _ = server
    story = write_article(
        tmp_path, "ferry.md", "Kelso ferry returns",
        "The Kelso ferry will return on 9 May after two years, with three crossings a day, "
        "the harbour board said. A return ticket will cost 6 euros.",
        outlet="Harbour Post",
    )  # fmt: skip
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    job = upload(url, [story, broken])
    assert job["state"] in ("queued", "running", "done")
    assert job["total"] == 2
    # questions are answered while the job is queued or running
    assert api(url, "/api/ask", {"question": "Who is joining BRICS?"})["citations"]
    ended = wait_for_job(url, job["id"])
    assert ended["state"] == "done"
    assert ended["added"] == 1
    assert "broken.pdf" in ended["message"]  # the bad file is named; the good one landed
    answer = api(url, "/api/ask", {"question": "How much is a return ticket on the Kelso ferry?"})
    assert any(c["outlet"] == "Harbour Post" for c in answer["citations"])
    listed = api(url, "/api/jobs")["jobs"]
    assert any(j["id"] == job["id"] and j["state"] == "done" for j in listed)


def test_an_unknown_job_is_a_404(server):
    url, _, _ = server
    response = httpx.get(f"{url}/api/jobs/999999", timeout=30)
    assert response.status_code == 404
    assert "no job 999999" in response.text


def test_the_server_polls_its_followed_feed_by_itself(server, site):
    url, _, _ = server
    when = datetime(2024, 10, 2, tzinfo=UTC)
    site.put("/rss", rss20("Vale Wire", [Item(PAGES[0].title, site.url(PAGES[0].path), when)]),
             "application/rss+xml")  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        polls = [j for j in api(url, "/api/jobs")["jobs"] if j["kind"] == "refresh"]
        if any(j["state"] == "done" and j["added"] == 1 for j in polls):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"no poll added the new feed entry: {polls}")
    answer = api(url, "/api/ask", {"question": "How much will the River Ashby flood barrier cost?"})
    assert any(c["url"] == site.url(PAGES[0].path) for c in answer["citations"])
    assert "14.2 million pounds" in answer["answer"]


def test_a_server_killed_mid_upload_leaves_every_article_whole_or_absent(
    tmp_path, sample_index_dir
):
    root = tmp_path
    index = root / "index"
    shutil.copytree(sample_index_dir, index)
    articles = numbered_articles(root / "upload", 50)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # small commits, so the kill lands between two of them
    command, env = served(root, index, port, NEWSQA_INGEST__COMMIT_EVERY="6")
    log = root / "server.log"
    with running_server(command, f"{url}/openapi.json", log, env=env, timeout=180, cwd=root):
        job = upload(url, articles)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            state = api(url, f"/api/jobs/{job['id']}")["job"]
            if state["state"] == "running" and state["done"] >= 10:
                break
            assert state["state"] in ("queued", "running"), state
            time.sleep(0.1)
        pids = subprocess.run(["pgrep", "-f", "assistant.cli serve --index " + str(index)],
                              capture_output=True, text=True).stdout.split()  # fmt: skip
        for pid in pids:
            os.kill(int(pid), signal.SIGKILL)
        time.sleep(1.5)  # the worker process sees its server gone and ends
    assert not job_left_running(index)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command, env = served(root, index, port)
    with running_server(command, f"{url}/openapi.json", root / "again.log", env=env,
                        timeout=180, cwd=root):  # fmt: skip
        doctor = cli(env, "doctor", "--index", str(index))
        assert "consistent: nothing to repair" in doctor.stdout, doctor.stdout
        stored = chunked_titles(index)
        assert 0 < len(stored) < 50  # the kill landed inside the upload
        assert all(chunks > 0 for chunks in stored.values())  # no article stored half
        n = int(min(stored).split()[1])
        answer = api(
            url, "/api/ask", {"question": f"How long is the footbridge of Townsville {n}?"}
        )
        assert f"{n * 10 + 7} metres" in answer["answer"]
        ended = wait_for_job(url, upload(url, articles)["id"])
        assert ended["state"] == "done"
        assert ended["added"] == 50 - len(stored)
        assert len(chunked_titles(index)) == 50
        assert "consistent: nothing to repair" in cli(env, "doctor", "--index", str(index)).stdout


def chunked_titles(index: Path) -> dict[str, int]:
    """Title -> chunk count of the uploaded articles in the catalog."""
    import sqlite3

    with sqlite3.connect(index / "catalog.sqlite") as db:
        rows = db.execute(
            "SELECT a.title, COUNT(c.id) FROM articles a LEFT JOIN chunks c "
            "ON c.article_id = a.id WHERE a.title LIKE 'Townsville%' GROUP BY a.id"
        )
        return {title: count for title, count in rows}


def job_left_running(index: Path) -> bool:
    """Whether a process still holds the index's write lock."""
    import fcntl

    with open(index / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False
