"""A real `newsqa serve` writes in the background: uploads through POST /api/articles (the
Library's path) run as jobs in the worker process while questions are answered, the server
re-polls its followed feeds by itself, and a server killed (-9) in the middle of an upload
leaves an index that opens consistent, with every article whole or absent."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.helpers import (
    api,
    free_port,
    newsqa,
    running_server,
    served,
    upload,
    wait_for_job,
    write_article,
)
from tests.ingest.news_pages import PAGES
from tests.ingest.news_site import Item, Site, rss20, serve_site

pytestmark = pytest.mark.slow  # started first by make test (tests/conftest.py)


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
