"""The `newsqa` command as a user runs it: its `main` in this process (real model, real
Chroma; exit codes, stdout and stderr as the shell sees them), and a real process where one
is killed."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.cli import format_answer
from assistant.types import Answer, AnswerSentence
from tests.helpers import ANSWER_JSON_KEYS, citation, newsqa, write_article


@pytest.mark.slow
def test_ingesting_twice_reports_all_unchanged_and_keeps_the_chunk_count(small_corpus):
    first = newsqa("ingest", str(small_corpus), "--json")
    assert first.returncode == 0, first.stderr
    stats_after_first = json.loads(newsqa("stats", "--json").stdout)
    second = newsqa("ingest", str(small_corpus), "--json")
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stdout)
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (0, 0, 4)
    assert summary["failed"] == []
    stats_after_second = json.loads(newsqa("stats", "--json").stdout)
    assert stats_after_first["chunks"] == stats_after_second["chunks"] == summary["chunks"]
    assert set(stats_after_second) >= {"articles", "chunks", "outlets", "model"}


@pytest.mark.slow
def test_bad_sources_print_one_line_each_and_exit_non_zero_while_good_ones_ingest(
    small_corpus, tmp_path
):
    (small_corpus / "empty.txt").write_text("")
    (small_corpus / "noise.txt").write_bytes(bytes(range(256)) * 10)
    result = newsqa("ingest", str(small_corpus), str(tmp_path / "missing.md"), "--json")
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["added"] == 4
    failed = {Path(f["source"]).name: f["error"] for f in summary["failed"]}
    assert set(failed) == {"empty.txt", "noise.txt", "missing.md"}
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("newsqa:")]
    assert len(error_lines) == 3
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_user_mistakes_get_a_clean_one_line_error(tmp_path):
    result = newsqa("stats", "--index", str(tmp_path / "never-built"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("newsqa: error: no index at")
    assert "Traceback" not in result.stderr
    bad_setting = newsqa("stats", env={"NEWSQA_CHUNKING__MAX_WORDS": "lots"})
    assert bad_setting.returncode == 2
    assert "invalid setting chunking.max_words" in bad_setting.stderr


def synthetic_corpus(folder: Path, count: int) -> list[Path]:
    """`count` distinct articles of ~250 words (two or three chunks each)."""
    rng = random.Random(7)
    nouns = [
        "port",
        "council",
        "storm",
        "market",
        "court",
        "harbour",
        "bridge",
        "school",
        "budget",
        "rail",
    ]
    verbs = ["approved", "delayed", "reported", "rejected", "announced", "reviewed", "funded"]
    paths = []
    for i in range(count):
        sentences = [
            f"The {rng.choice(nouns)} {rng.choice(verbs)} plan number {i}-{j} on day {j} "
            f"after {rng.randint(2, 900)} residents wrote to officials about the "
            f"{rng.choice(nouns)} and the {rng.choice(nouns)}."
            for j in range(12)
        ]
        body = " ".join(sentences[:6]) + "\n\n" + " ".join(sentences[6:])
        paths.append(
            write_article(
                folder,
                f"story-{i:03d}.md",
                f"Story {i}",
                body,
                url=f"https://synthetic.example/{i}",
            )
        )
    return paths


def catalog_article_count(index_dir: Path) -> int:
    path = index_dir / "catalog.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_an_ingest_killed_halfway_completes_on_rerun_with_every_article_whole(
    tmp_path, isolated_env, embedder
):
    total = 40
    corpus = tmp_path / "many"
    synthetic_corpus(corpus, total)
    index_dir = isolated_env / "default"
    env = {**os.environ, "NEWSQA_INGEST__COMMIT_EVERY": "4"}
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while catalog_article_count(index_dir) < 4:
        assert process.poll() is None, "ingest finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = catalog_article_count(index_dir)
    assert 4 <= killed_at < total, killed_at

    rerun = newsqa("ingest", str(corpus), "--json")
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["added"] + summary["unchanged"] == total
    assert summary["unchanged"] >= killed_at

    from assistant.index.build import NewsIndex
    from assistant.settings import load_settings

    with NewsIndex.open(load_settings(), "default", embedder=embedder) as index:
        articles, chunks = index.catalog.counts()
        assert articles == total
        assert (index.manifest.articles, index.manifest.chunks) == (articles, chunks)
        chroma_ids, bm25_ids = index.vectors.ids(), set(index.bm25.ids)
        for article in index.catalog.articles():
            expected = {c.id for c in index.catalog.chunks_of([article.id])}
            assert expected, article.title
            assert expected <= chroma_ids and expected <= bm25_ids, article.title
        assert chroma_ids == bm25_ids == index.catalog.chunk_ids()


@pytest.mark.slow
def test_ask_prints_a_cited_answer_and_json_in_the_api_shape(small_corpus):
    assert newsqa("ingest", str(small_corpus), "-q").returncode == 0
    text = newsqa("ask", "Which countries were invited to join BRICS?")
    assert text.returncode == 0, text.stderr
    assert "Iran" in text.stdout and "[1]" in text.stdout and "Wire One" in text.stdout
    as_json = newsqa(
        "ask", "What rate did the central bank keep?", "--json", "--outlet", "Money Daily"
    )
    data = json.loads(as_json.stdout)
    assert set(data) == ANSWER_JSON_KEYS
    assert data["citations"] and {c["outlet"] for c in data["citations"]} == {"Money Daily"}
    bad = newsqa("ask", "anything", "--since", "last tuesday-ish")
    assert bad.returncode == 2 and "newsqa: error: --since" in bad.stderr


@pytest.mark.slow
def test_ask_with_an_unreadable_as_of_prints_one_error_line_naming_it():
    result = newsqa("ask", "Who is joining BRICS?", "--as-of", "next tuesday-ish")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsqa: error: --as-of: cannot read 'next tuesday-ish' as a date")


@pytest.mark.slow
def test_ask_as_of_a_date_cites_nothing_published_after_it(sample_index_dir):
    # the bundled articles run from 2022-10-28 to 2025-06-05; the BRICS story is told by
    # Meridian Wire on 2023-12-30 and again by The Atlas Dispatch on 2024-10-24
    index = ("--index", str(sample_index_dir))
    before_all = newsqa("ask", "Who is joining BRICS?", *index, "--as-of", "2022-10-01", "--json")
    assert before_all.returncode == 0, before_all.stderr
    nothing = json.loads(before_all.stdout)
    assert nothing["refused"] and nothing["citations"] == []

    between = newsqa("ask", "Who is joining BRICS?", *index, "--as-of", "2024-01-01", "--json")
    data = json.loads(between.stdout)
    assert data["as_of"] == "2024-01-01T23:59:59.999999+00:00"
    assert not data["refused"] and "Iran" in data["answer"]
    as_of = datetime.fromisoformat(data["as_of"])
    assert all(datetime.fromisoformat(c["published"]) <= as_of for c in data["citations"])

    text = newsqa("ask", "Who is joining BRICS?", *index, "--as-of", "2024-01-01T12:00:00Z")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("As of 1 January 2024, 12:00 UTC\n")
    assert "Meridian Wire - 2023-12-30" in text.stdout
    assert "The Atlas Dispatch" not in text.stdout


def test_the_terminal_answer_shows_its_as_of_date_and_lists_earlier_reports_apart():
    answer = Answer(
        question="How many troops?",
        sentences=(AnswerSentence("Sentence 1.", (1,)), AnswerSentence("Sentence 3.", (3,))),
        citations=(
            citation(1, "Northgate Chronicle", datetime(2024, 10, 17, 16, 5, tzinfo=UTC)),
            citation(2, "Han River Daily", datetime(2024, 10, 10, tzinfo=UTC)),
            citation(3, "Undated Weekly", None),
        ),
        as_of=datetime(2024, 10, 21, 23, 59, 59, 999_999, tzinfo=UTC),
        earlier=(2,),
    )
    lines = format_answer(answer, show_as_of=True).splitlines()
    assert lines[0] == "As of 21 October 2024"
    assert (
        lines[2] == "As of 17 October 2024 (Northgate Chronicle): Sentence 1. [1] Sentence 3. [3]"
    )
    sources, earlier = lines.index("Sources:"), lines.index("Earlier reports:")
    assert lines[sources + 1] == "[1] Story 1 - Northgate Chronicle - 2024-10-17"
    assert lines[sources + 2] == '    "Sentence 1."'
    assert lines[sources + 3] == "[3] Story 3 - Undated Weekly - undated"
    assert earlier > sources + 3
    assert lines[earlier + 1] == "[2] Story 2 - Han River Daily - 2024-10-10"
    assert not format_answer(answer).startswith("As of 21 October 2024")


def test_the_terminal_lists_an_article_cited_twice_once_with_each_sentence_numbered_and_marked():
    when = datetime(2023, 12, 30, tzinfo=UTC)
    answer = Answer(
        question="Who is joining BRICS?",
        sentences=(AnswerSentence("Iran joins.", (1,)), AnswerSentence("Egypt joins.", (2,))),
        citations=(
            citation(1, "Meridian Wire", when, article="brics", text="Iran joins."),
            citation(2, "Meridian Wire", when, article="brics", text="Egypt joins."),
        ),
    )
    assert format_answer(answer).splitlines() == [
        "Iran joins. [1] Egypt joins. [2]",
        "",
        "Sources:",
        "[1, 2] Story brics - Meridian Wire - 2023-12-30",
        '    [1] "Iran joins."',
        '    [2] "Egypt joins."',
    ]
    dated = replace(answer, earlier=(2,))
    assert format_answer(dated).splitlines()[-4:] == [
        "Sources:",
        "[1, 2] Story brics - Meridian Wire - 2023-12-30",
        '    [1] "Iran joins."',
        '    [2] (earlier report) "Egypt joins."',
    ]


@pytest.mark.slow
def test_eval_writes_a_report_and_compare_diffs_two(small_corpus, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "b", "question": "Which countries were invited to join BRICS?", '
        '"answers": ["Iran"], "articles": ["https://wire-one.example/brics"]}\n'
        '{"id": "n", "question": "How many troops did Belarus send?", "answerable": false}\n'
    )
    out = tmp_path / "report"
    run = newsqa(
        "eval",
        str(questions),
        "--corpus",
        str(small_corpus),
        "--out",
        str(out),
        "-q",
        "--retriever",
        "hybrid",
        "bm25",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads((out / "report.json").read_text())
    assert set(data["summary"]) == {"hybrid", "bm25"}
    assert data["summary"]["hybrid"]["hits@1"] == 1.0
    assert data["summary"]["hybrid"]["refusal_accuracy"] == 1.0
    assert [r["id"] for r in data["records"]["hybrid"]] == ["b", "n"]
    assert (out / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert "| hits@1 |" in (out / "report.md").read_text()
    diff = newsqa("eval", "--compare", str(out / "report.json"), str(out / "report.json"))
    assert diff.returncode == 0 and "+0.000" in diff.stdout


@pytest.mark.slow
def test_eval_with_a_bad_question_file_writes_nothing(tmp_path):
    questions = tmp_path / "bad.jsonl"
    questions.write_text(
        '{"question": "fine", "colour": "red"}\n{"question": "x", "question_date": "soon"}\n'
    )
    out = tmp_path / "report"
    run = newsqa("eval", str(questions), "--out", str(out))
    assert run.returncode == 2
    assert run.stderr.strip() == (
        f"newsqa: error: {questions}:2: question_date: cannot read 'soon' as a date "
        "(use YYYY-MM-DD or an ISO date and time)"
    )
    assert not out.exists()


@pytest.mark.slow
def test_eval_asks_each_question_as_of_its_date_and_reports_each_category(small_corpus, tmp_path):
    questions = tmp_path / "q.jsonl"
    brics = "Which countries were invited to join BRICS?"
    rate = "What rate did the central bank keep?"
    lines = [
        # the BRICS story is from 2023-08-24: not yet published on the 1st
        {"id": "early", "question": brics, "answers": ["Iran"], "question_date": "2023-08-01",
         "category": "world", "note": "before the summit"},
        {"id": "late", "question": brics, "answers": ["Iran"], "question_date": "2023-09-01",
         "category": "world"},
        # no date of its own: asked as of --as-of, before the 2024-03-20 rate decision
        {"id": "rate", "question": rate, "answers": ["5.25%"], "category": "money"},
        {"id": "rate-after", "question": rate, "answers": ["5.25%"], "as_of": "2024-03-21",
         "category": "money"},
    ]  # fmt: skip
    questions.write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = tmp_path / "report"
    run = newsqa(
        "eval", str(questions), "--corpus", str(small_corpus), "--out", str(out), "-q",
        "--retriever", "hybrid", "--as-of", "2024-01-01",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = json.loads((out / "report.json").read_text())
    records = {r["id"]: r for r in data["records"]["hybrid"]}
    assert {k: r["as_of"] for k, r in records.items()} == {
        "early": "2023-08-01T23:59:59.999999+00:00",
        "late": "2023-09-01T23:59:59.999999+00:00",
        "rate": "2024-01-01T23:59:59.999999+00:00",
        "rate-after": "2024-03-21T23:59:59.999999+00:00",
    }
    assert records["early"]["refused"] and not records["early"]["citations"]
    assert records["late"]["answer_recall"] == 1.0
    assert records["late"]["first_sentence_found"] and records["late"]["answer_sentences"] >= 1
    assert records["early"]["first_sentence_found"] is False  # refused
    assert records["rate"]["answer_recall"] == 0.0
    assert records["rate-after"]["answer_recall"] == 1.0
    for record in records.values():
        for cited in record["citations"]:
            published = datetime.fromisoformat(cited["published"])
            assert published <= datetime.fromisoformat(record["as_of"]), (record["id"], cited)
    assert data["summary"]["hybrid"]["citations_after_as_of"] == 0
    assert "| first_sentence_recall |" in run.stdout and "| sentences_per_answer |" in run.stdout
    assert data["meta"]["as_of"] == "2024-01-01T23:59:59.999999+00:00"
    world = data["categories"]["hybrid"]["world"]
    assert (world["questions"], world["refused"], world["answer_recall"]) == (2, 1, 0.5)
    assert (
        "| category (hybrid) | answer_recall | first_sentence_recall | hits@1 | refused | "
        "questions |"
    ) in run.stdout
    assert "| money | 0.500 |" in run.stdout and "| citations_after_as_of | 0 |" in run.stdout
    assert "## By category (hybrid)" in (out / "report.md").read_text()


@pytest.mark.slow
def test_eval_with_an_unreadable_as_of_is_a_one_line_error(tmp_path):
    run = newsqa("eval", "--dataset", "rgb", "--as-of", "next friday", "--out", str(tmp_path))
    assert run.returncode == 2
    assert run.stderr.strip() == (
        "newsqa: error: --as-of: cannot read 'next friday' as a date "
        "(use YYYY-MM-DD or an ISO date and time)"
    )


def tiny_realtimeqa_2023(root: Path) -> Path:
    """A two-article stand-in for ../shared/corpora/realtimeqa-2023q1, same files and fields."""
    folder = root / "realtimeqa-2023q1"
    folder.mkdir(parents=True)
    articles = [
        {"id": "a1", "url": "https://news.example/bills", "title": "Bills safety collapses",
         "text": "Damar Hamlin of the Buffalo Bills went down during Monday's game in Cincinnati. "
         "Doctors said he was in critical condition.", "published": "2023-01-03",
         "outlet": "Example News", "authors": [], "corpus": "tiny", "weeks": ["20230106"]},
        {"id": "a2", "url": "https://news.example/fed", "title": "Fed raises rates again",
         "text": "The Federal Reserve lifted its key rate by a quarter point on "
         "Wednesday. It was the ninth increase in a row.", "published": "2023-03-22",
         "outlet": "Example News", "authors": [], "corpus": "tiny", "weeks": ["20230324"]},
    ]  # fmt: skip
    questions = [
        {"id": "rtqa-20230106_0", "question": "Damar Hamlin plays for which team?",
         "answers": ["Buffalo Bills"], "articles": ["https://news.example/bills"],
         "answerable": True, "question_date": "2023-01-05", "choices": ["Buffalo Bills"],
         "gold_choice": "Buffalo Bills", "article_scores": [0.7]},
        {"id": "rtqa-20230324_0", "question": "By how much did the Federal Reserve raise rates?",
         "answers": ["a quarter point"], "articles": ["https://news.example/fed"],
         "answerable": True, "question_date": "2023-03-23", "choices": ["a quarter point"],
         "gold_choice": "a quarter point", "article_scores": [0.7]},
    ]  # fmt: skip
    for name, records in (("articles.jsonl", articles), ("questions.jsonl", questions)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records))
    return folder


@pytest.mark.slow
def test_eval_realtimeqa_2023q1_builds_its_index_once_then_reuses_it(tmp_path, isolated_env):
    tiny_realtimeqa_2023(tmp_path / "corpora")
    args = ["eval", "--dataset", "realtimeqa-2023q1", "--corpus-root", str(tmp_path / "corpora"),
            "--retriever", "hybrid", "-q"]  # fmt: skip
    first = newsqa(*args, "--split", "all", "--out", str(tmp_path / "all"))
    assert first.returncode == 0, first.stderr
    cached = list((isolated_env / "eval-cache").iterdir())
    assert [p.name[:18] for p in cached] == ["realtimeqa-2023q1-"]
    assert "realtimeqa-2023q1 all: 2 questions, 2 articles" in first.stderr
    assert f"building the index at {cached[0]}" in first.stderr
    assert "complete, stamped for reuse (2 articles" in first.stderr
    data = json.loads((tmp_path / "all" / "report.json").read_text())
    assert [r["as_of"][:10] for r in data["records"]["hybrid"]] == ["2023-01-05", "2023-03-23"]
    assert data["summary"]["hybrid"]["citations_after_as_of"] == 0

    again = newsqa(*args, "--split", "test", "--out", str(tmp_path / "test"))
    assert again.returncode == 0, again.stderr
    assert f"reused the index at {cached[0]} (2 articles" in again.stderr
    assert "building" not in again.stderr
    data = json.loads((tmp_path / "test" / "report.json").read_text())
    assert [r["id"] for r in data["records"]["hybrid"]] == ["rtqa-20230324_0"]
