"""A server killed (-9) in the middle of an upload leaves an index that opens consistent,
with every article whole or absent, and an ingest of the same files adds just the rest."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import api, free_port, newsqa, numbered_articles, running_server, served, upload

pytestmark = pytest.mark.slow  # started first by make test (tests/conftest.py)


def chunked_titles(index: Path) -> dict[str, int]:
    """Title -> chunk count of the uploaded articles in the catalog."""
    with sqlite3.connect(index / "catalog.sqlite") as db:
        rows = db.execute(
            "SELECT a.title, COUNT(c.id) FROM articles a LEFT JOIN chunks c "
            "ON c.article_id = a.id WHERE a.title LIKE 'Townsville%' GROUP BY a.id"
        )
        return {title: count for title, count in rows}


def job_left_running(index: Path) -> bool:
    """Whether a process still holds the index's write lock."""
    with open(index / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


def test_a_server_killed_mid_upload_leaves_every_article_whole_or_absent(
    tmp_path, sample_index_dir, caplog
):
    root = tmp_path
    index = root / "index"
    shutil.copytree(sample_index_dir, index)
    articles = numbered_articles(root / "upload", 50)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # small commits, so the kill lands between two of them; no reader: nothing is asked
    command, env = served(root, index, port, NEWSQA_INGEST__COMMIT_EVERY="6", NEWSQA_READERS="0")
    with running_server(command, f"{url}/openapi.json", root / "server.log", env=env,
                        timeout=180, cwd=root):  # fmt: skip
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

    # the next process to open the index (the CLI, in this process) repairs the cut write
    here = {"NEWSQA_INDEXES_DIR": str(root)}
    stored = chunked_titles(index)
    assert 0 < len(stored) < 50  # the kill landed inside the upload
    assert all(chunks > 0 for chunks in stored.values())  # no article stored half
    n = int(min(stored).split()[1])
    asked = newsqa("ask", "--index", str(index), "--json",
                   f"How long is the footbridge of Townsville {n}?", env=here)  # fmt: skip
    assert "was cut short" in caplog.text
    assert f"{n * 10 + 7} metres" in json.loads(asked.stdout)["answer"]
    doctor = newsqa("doctor", "--index", str(index), env=here)
    assert "consistent: nothing to repair" in doctor.stdout, doctor.stdout + doctor.stderr
    again = newsqa("ingest", "--index", str(index), "--json", str(root / "upload"), env=here)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["added"] == 50 - len(stored)
    assert len(chunked_titles(index)) == 50
    doctor = newsqa("doctor", "--index", str(index), env=here)
    assert "consistent: nothing to repair" in doctor.stdout
