"""The service's background writes (in a thread here; the server's worker process runs the
same jobs, tests/chat/test_background_writes.py) and questions asked side by side."""

from __future__ import annotations

import fcntl
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.chat.session import ChatService
from assistant.evaluate.dataset import load_questions
from assistant.following import STATE_FILE
from assistant.index.build import NewsIndex
from assistant.index.locking import LOCK_FILE
from assistant.pipeline import Assistant
from assistant.retrieve.search import HybridSearch
from assistant.settings import load_settings
from tests.helpers import SAMPLE_ARTICLES, write_article


@pytest.fixture
def service(tmp_path: Path, embedder, small_corpus: Path):
    settings = load_settings(indexes_dir=tmp_path / "indexes")
    index = NewsIndex.open(settings, "writes", embedder=embedder, create=True)
    index.ingest([small_corpus])
    chat = ChatService(Assistant(HybridSearch(index, embedder)))
    yield chat
    chat.close()
    index.close()


FERRY_QUESTION = "How much is a return ticket on the Kelso ferry?"


def ferry_story(folder: Path) -> Path:
    return write_article(
        folder, "ferry.md", "Kelso ferry returns",
        "The Kelso ferry will return on 9 May after two years, with three crossings a day, "
        "the harbour board said. A return ticket will cost 6 euros.",
        outlet="Harbour Post",
    )  # fmt: skip


def test_an_upload_is_a_job_whose_progress_ends_in_its_summary(service, tmp_path):
    job = service.add_files([ferry_story(tmp_path / "new")])
    states = list(service.writes.follow(job.id, every=0.05))
    assert states[-1].state == "done"
    assert states[-1].summary.startswith("Added 1, updated 0")
    assert states[-1].done == states[-1].total == 1
    answer = service.ask("How much is a return ticket on the Kelso ferry?")
    assert answer.citations[0].outlet == "Harbour Post"


def test_uploaded_files_are_copied_so_the_caller_may_delete_them(service, tmp_path):
    story = ferry_story(tmp_path / "new")
    job = service.add_files([story])
    story.unlink()  # e.g. the UI's temporary upload, cleaned up at once
    assert service.writes.wait(job.id, timeout=120).result["added"] == 1


def test_a_delete_job_names_what_it_deleted_and_what_was_not_there(service):
    victim = service.index.catalog.articles()[0].id
    job = service.writes.wait(service.delete([victim, "no-such-id"]).id, timeout=120)
    assert job.state == "done"
    assert job.summary == f"Deleted {victim}.\nNo article with id 'no-such-id'."
    assert service.index.catalog.article(victim) is None


def test_a_job_waits_for_another_process_writing_the_index(service, tmp_path):
    other = (service.index.folder / LOCK_FILE).open("a+")
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a `newsqa ingest` elsewhere would
    job = service.add_files([ferry_story(tmp_path / "new")])
    assert service.writes.wait(job.id, timeout=1.5).state in ("queued", "running")
    threading.Timer(0.5, other.close).start()  # the other writer finishes
    assert service.writes.wait(job.id, timeout=120).state == "done"


def test_a_job_that_cannot_run_fails_with_one_line_and_the_next_job_runs(service, tmp_path):
    (service.index.folder / STATE_FILE).write_text("{not json")
    failed = service.writes.wait(service.refresh_feeds().id, timeout=120)
    assert failed.state == "failed"
    assert "\n" not in failed.summary and STATE_FILE in failed.summary
    job = service.add_files([ferry_story(tmp_path / "new")])
    assert service.writes.wait(job.id, timeout=120).state == "done"


def test_a_question_reads_one_catalog_state_from_start_to_end(service, tmp_path):
    search = service.assistant.search
    with search.reading() as before:
        service.writes.wait(service.add_files([ferry_story(tmp_path / "new")]).id, timeout=120)
        assert search.view is before  # the write committed, this question still reads before it
        seen = {a.id for a in service.index.catalog.articles()}  # this thread's snapshot
        found_before = {p.article.id for p in search.search(FERRY_QUESTION, k=10)}
    added = [a for a in service.index.catalog.articles() if a.id not in seen]
    assert [a.outlet for a in added] == ["Harbour Post"]
    assert added[0].id not in found_before
    assert added[0].id in {p.article.id for p in search.search(FERRY_QUESTION, k=10)}
    assert search.article(added[0].id) == added[0]


def test_questions_asked_side_by_side_get_the_answers_asked_one_by_one(sample_assistant):
    service = ChatService(sample_assistant)
    asked = [(q.question, q.as_of) for q in load_questions(SAMPLE_ARTICLES / "questions.jsonl")]

    def answer(item: tuple) -> tuple:
        got = service.ask(item[0], as_of=item[1])
        return got.text, [(c.article_id, c.sentence_index) for c in got.citations]

    one_by_one = [answer(item) for item in asked]
    with ThreadPoolExecutor(4) as pool:
        side_by_side = list(pool.map(answer, asked))
    assert side_by_side == one_by_one
