"""The chat with the LLM answerer on: the real app in real Chromium, its LLM a real
OpenAI-compatible server on 127.0.0.1 that answers with a country no source mentions."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from assistant.answer.llm import FALLBACK_NOTE
from tests.helpers import (
    ONE_READER,
    SAMPLE_ARTICLES,
    ask_in_browser,
    free_port,
    llm_server,
    running_server,
    serve_command,
)

pytestmark = pytest.mark.slow  # started first by make test (tests/conftest.py)

WRONG = "France and Germany will join BRICS in 2024 [1]."


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("app-llm")
    corpus = root / "articles"
    shutil.copytree(SAMPLE_ARTICLES, corpus)
    with llm_server(root / "llm", reply=WRONG) as llm_url:
        port = free_port()
        env = {
            **os.environ,
            "NEWSQA_INDEXES_DIR": str(root / "indexes"),
            "NEWSQA_SAMPLE_ARTICLES": str(corpus),
            "NEWSQA_ANSWERER": "llm",
            "NEWSQA_LLM_URL": llm_url,
            **ONE_READER,
        }
        url = f"http://127.0.0.1:{port}"
        command = serve_command("--port", str(port))
        with running_server(
            command, f"{url}/openapi.json", root / "server.log", env=env, timeout=180, cwd=root
        ):
            yield url


def test_the_chat_marks_the_wrong_llm_sentence_unsupported_and_shows_the_fallback(
    browser,
    llm_app,
):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    try:
        page.goto(llm_app)
        ask_in_browser(page, "Who is joining BRICS?")
        chat = page.locator(".bubble-wrap, [role=log]").first
        expect(chat).to_contain_text(FALLBACK_NOTE, timeout=90_000)
        expect(chat).to_contain_text("France and Germany will join BRICS in 2024.")
        expect(chat).to_contain_text("(unsupported)")
        expect(chat.locator("del, s").first).to_contain_text("France")
        expect(chat).to_contain_text("Ethiopia")
        sources = page.locator("#sources")
        expect(sources.locator(".note")).to_contain_text("could not be checked")
        expect(sources).to_contain_text("BRICS enlargement agreed in Johannesburg")
    finally:
        context.close()
