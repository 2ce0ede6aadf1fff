"""A running server sees what another process writes to its index: an article ingested by
`newsqa ingest` is answered from with the citations and scores `newsqa ask` gives, and once
`newsqa delete` removes it, it is no longer cited."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ONE_READER, free_port, running_server, serve_command, write_article

pytestmark = pytest.mark.slow  # started first by make test (tests/conftest.py)

QUESTION = "How many homes will the Lumen Bay floating solar farm supply?"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, sample_index_dir: Path) -> Iterator[tuple]:
    root = tmp_path_factory.mktemp("outside-writes")
    index = root / "index"
    shutil.copytree(sample_index_dir, index)
    env = {**os.environ, "NEWSQA_INDEXES_DIR": str(root), **ONE_READER}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_server(
        serve_command("--index", str(index), "--port", str(port)),
        f"{url}/openapi.json",
        root / "server.log",
        env=env,
        timeout=180,
        cwd=root,
    ):
        yield url, index, env, root


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def api_ask(url: str, question: str) -> dict:
    request = urllib.request.Request(
        f"{url}/api/ask", json.dumps({"question": question}).encode(),
        {"content-type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def cited(answer: dict) -> list[tuple[str, int, float]]:
    return [
        (c["article_id"], c["sentence_index"], round(c["score"], 6)) for c in answer["citations"]
    ]


def test_an_article_another_process_ingests_then_deletes_is_answered_then_gone(served):
    url, index, env, root = served
    story = write_article(
        root / "new",
        "lumen-bay.md",
        "Lumen Bay opens a floating solar farm",
        "The town of Lumen Bay switched on a floating solar farm of 4,200 panels on its old "
        "quarry lake on Friday, the mayor Petra Olsen said. The farm will supply about 900 "
        "homes.\n\nOlsen said the council borrowed 3.1 million euros for the project.",
        outlet="Harbourside Times",
        published="2026-11-20T09:00:00+00:00",
    )
    before = api_ask(url, QUESTION)
    cli(env, "ingest", "--index", str(index), str(story))

    served_answer = api_ask(url, QUESTION)
    cli_answer = json.loads(cli(env, "ask", "--index", str(index), "--json", QUESTION))
    assert not served_answer["refused"]
    assert cited(served_answer) == cited(cli_answer)
    new_ids = {c["article_id"] for c in served_answer["citations"]} - {
        c["article_id"] for c in before["citations"]
    }
    assert len(new_ids) == 1
    (new_id,) = new_ids
    assert served_answer["citations"][0]["article_id"] == new_id

    cli(env, "delete", "--index", str(index), new_id)
    after = api_ask(url, QUESTION)
    assert new_id not in {c["article_id"] for c in after["citations"]}
