"""Damage to what the catalog derives (vectors, keyword index) is found and repaired from the
catalog, with a message; `newsqa doctor` says what it found and what it fixed. Each step is
a command run in this process, after forgetting the Chroma clients opened before it, as a
restarted server or a later command in a new process would see the index (Chroma keeps one
client per folder in a process, and a kept one would still hold the deleted folder's data)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import Ran
from tests.helpers import newsqa as newsqa_in_process

QUESTION = "How many North Korean troops have been sent to Russia?"


def newsqa(*args: str) -> Ran:
    """`newsqa ARGS` as a new process would run it: no Chroma client kept from before."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    return newsqa_in_process(*args)


def cited(folder: Path) -> tuple[list[tuple[str, int, float]], str]:
    done = newsqa("ask", "--index", str(folder), "--json", "--as-of", "2025-01-01", QUESTION)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    found = [
        (c["article_id"], c["sentence_index"], round(c["score"], 6)) for c in answer["citations"]
    ]
    return found, done.stderr


@pytest.fixture
def copy(tmp_path: Path, sample_index_dir: Path) -> Path:
    folder = tmp_path / "index"
    shutil.copytree(sample_index_dir, folder)
    return folder


@pytest.fixture(scope="module")
def sound_answer(tmp_path_factory: pytest.TempPathFactory, sample_index_dir: Path) -> list:
    """The citations of QUESTION from an undamaged copy of the sample index (asked once)."""
    folder = tmp_path_factory.mktemp("sound") / "index"
    shutil.copytree(sample_index_dir, folder)
    return cited(folder)[0]


@pytest.mark.parametrize("damage", ["delete chroma/", "empty bm25/"])
def test_damaged_derived_state_is_rebuilt_with_a_message_and_answers_stay_the_same(
    copy: Path, damage: str, sound_answer: list
) -> None:
    before = sound_answer
    assert before  # the question is answered with citations
    if damage == "delete chroma/":
        shutil.rmtree(copy / "chroma")
    else:
        for path in (copy / "bm25").iterdir():
            path.unlink()
    after, said = cited(copy)
    assert after == before
    assert str(copy) in said and "from the catalog" in said
    again, said = cited(copy)  # repaired for good: no second message
    assert again == before and "from the catalog" not in said


def test_doctor_reports_a_sound_index_and_repairs_a_damaged_one(copy: Path) -> None:
    sound = newsqa("doctor", "--index", str(copy))
    assert sound.returncode == 0 and "consistent: nothing to repair" in sound.stdout
    shutil.rmtree(copy / "chroma")
    repaired = newsqa("doctor", "--index", str(copy))
    out = repaired.stdout
    chunks = next(line for line in out.splitlines() if line.startswith("catalog")).split()[3]
    assert repaired.returncode == 0
    assert f"vectors    0 of {chunks} chunks" in out
    assert f"repaired   {chunks} vectors restored" in out
    assert "consistent after repair" in out
    again = newsqa("doctor", "--index", str(copy))
    assert "consistent: nothing to repair" in again.stdout
