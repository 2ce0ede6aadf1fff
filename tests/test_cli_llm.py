"""`newsqa ask|eval --answerer llm` as a user runs them (in this process), with a real
OpenAI-compatible server on 127.0.0.1 (scripted replies) and the real local model."""

from __future__ import annotations

import json

import pytest

from assistant.answer.backends import local_extra_missing
from assistant.answer.llm import FALLBACK_NOTE
from tests.helpers import llm_server, newsqa

WRONG = "France and Germany will join BRICS in 2024 [1]."
RIGHT = (
    "Leaders invited Iran, Egypt, Ethiopia, Saudi Arabia, the United Arab Emirates and "
    "Argentina to join the bloc."
)


@pytest.fixture
def ingested(small_corpus):
    result = newsqa("ingest", str(small_corpus), "--quiet")
    assert result.returncode == 0, result.stderr
    return small_corpus


@pytest.mark.slow
def test_ask_shows_the_fallback_when_the_llm_names_a_country_no_source_mentions(ingested, tmp_path):
    with llm_server(tmp_path / "llm", reply=WRONG) as url:
        env = {"NEWSQA_LLM_URL": url}
        as_json = newsqa("ask", "Who is joining BRICS?", "--answerer", "llm", "--json", env=env)
        as_text = newsqa("ask", "Who is joining BRICS?", env={**env, "NEWSQA_ANSWERER": "llm"})
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["answerer"] == "llm-fallback"
    assert data["note"] == FALLBACK_NOTE
    assert data["unsupported"] == ["France and Germany will join BRICS in 2024."]
    assert "France" not in data["answer"] and "Iran" in data["answer"]
    assert as_text.returncode == 0, as_text.stderr
    assert f"({FALLBACK_NOTE})" in as_text.stdout
    assert "unsupported, dropped: France and Germany will join BRICS in 2024." in as_text.stdout


@pytest.mark.slow
def test_eval_with_the_llm_reports_how_many_shown_citations_support_their_sentence(
    ingested, tmp_path
):
    questions = tmp_path / "questions.jsonl"
    lines = [
        {"id": "q1", "question": "Who is joining BRICS?", "answers": ["Iran"]},
        {"id": "q2", "question": "What interest rate did the central bank keep?",
         "answers": ["5.25%"]},
    ]  # fmt: skip
    questions.write_text("\n".join(json.dumps(q) for q in lines) + "\n")
    out = tmp_path / "report"
    with llm_server(tmp_path / "llm", reply=RIGHT) as url:
        result = newsqa(
            "eval", str(questions), "--answerer", "llm", "--out", str(out), "-q",
            # three numbered sources: each question's own article (the lead sentences of the
            # other articles rank high enough to be numbered among eight)
            env={"NEWSQA_LLM_URL": url, "NEWSQA_LLM_SOURCES": "3"},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "report.json").read_text())["summary"]["hybrid"]
    # the scripted reply answers q1 (cited by the check) and not q2 (dropped, extracted)
    assert summary["llm_answer_share"] == 0.5 and summary["llm_fallback_share"] == 0.5
    assert summary["llm_citations_shown"] >= 1 and summary["llm_citation_support"] == 1.0
    assert summary["answer_recall"] == 1.0
    assert "| llm_citation_support | 1.000 |" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(local_extra_missing() is not None, reason=f"{local_extra_missing()}")
def test_ask_with_the_local_backend_from_the_environment(ingested):
    env = {"NEWSQA_ANSWERER": "llm", "NEWSQA_LLM_BACKEND": "local"}
    result = newsqa("ask", "What interest rate did the central bank keep?", "--json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # greedy decoding: the model's answer passes the check and is shown
    assert data["answerer"] == "llm" and data["note"] is None
    assert "5.25%" in data["answer"]
    article = (ingested / "rates.md").read_text()
    assert data["citations"] and all(c["text"] in article for c in data["citations"])
