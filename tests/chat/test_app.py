"""The real app (UI + REST + Gradio client API) on a loopback port, driven by real
headless Chromium through Playwright, and called over HTTP."""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.helpers import (
    ANSWER_JSON_KEYS,
    ARTIFACTS,
    ONE_READER,
    SAMPLE_ARTICLES,
    ask_in_browser,
    free_port,
    running_server,
    serve_command,
    write_article,
)
from tests.ingest.news_pages import PAGES
from tests.ingest.news_site import Item, Site, rss20, serve_site

pytestmark = pytest.mark.slow  # started first by make test (tests/conftest.py)

XSS_BODY = (
    "The Kestrel Bay harbour council approved a plan to restore the old lighthouse for "
    "2.4 million euros on Tuesday. <img src=x onerror=\"window.__xss='img'\"> Work starts in "
    "spring. <script>window.__xss='script'</script> The keeper's cottage becomes a museum."
)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """A news site on 127.0.0.1 with two article pages and a feed listing one of them."""
    with serve_site() as site:
        for page in PAGES[:2]:
            site.put(page.path, page.html)
        when = datetime(2024, 10, 2, tzinfo=UTC)
        item = Item(PAGES[1].title, site.url(PAGES[1].path), when)
        site.put("/rss", rss20("Vale Wire", [item]), "application/rss+xml")
        yield site


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, site: Site) -> Iterator[str]:
    """`newsqa serve` on a free loopback port; first start indexes the sample articles
    plus one article full of script payloads. It may fetch from the loopback news site."""
    root = tmp_path_factory.mktemp("app")
    corpus = root / "articles"
    shutil.copytree(SAMPLE_ARTICLES, corpus)
    write_article(
        corpus, "xss.md", "Harbour council backs lighthouse <script>window.__xss='title'</script>",
        XSS_BODY, outlet="Bay <b>Courier</b>", url="javascript:window.__xss='link'",
    )  # fmt: skip
    port = free_port()
    env = {
        **os.environ,
        "NEWSQA_INDEXES_DIR": str(root / "indexes"),
        "NEWSQA_SAMPLE_ARTICLES": str(corpus),
        "NEWSQA_MAX_UPLOAD_MB": "1",
        "NEWSQA_ALLOW_PRIVATE_URLS": "1",
        **ONE_READER,
    }
    url = f"http://127.0.0.1:{port}"
    command = serve_command("--port", str(port))
    with running_server(
        command, f"{url}/openapi.json", root / "server.log", env=env, timeout=180, cwd=root
    ):
        yield url


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_api_ask_returns_the_cli_json_with_citations(server):
    data = post(f"{server}/api/ask", {"question": "Who is joining BRICS?"})
    assert not data["refused"]
    assert "Iran" in data["answer"]
    assert any("BRICS" in c["title"] for c in data["citations"])
    assert {"n", "article_id", "sentence_index", "text", "outlet", "url"} <= set(
        data["citations"][0]
    )


def test_api_ask_takes_history_and_filters(server):
    data = post(
        f"{server}/api/ask",
        {"question": "And which countries applied?", "history": ["Who is joining BRICS?"],
         "filters": {"outlets": ["The Atlas Dispatch"]}},
    )  # fmt: skip
    assert data["standalone_question"] == "Which countries applied - BRICS?"
    assert {c["outlet"] for c in data["citations"]} == {"The Atlas Dispatch"}


def test_api_retrieve_returns_passages_with_scores_and_metadata(server):
    data = post(f"{server}/api/retrieve", {"question": "North Korean troops Russia", "k": 3})
    assert len(data["passages"]) == 3
    first = data["passages"][0]
    assert first["score"] > 0 and first["outlet"] and first["text"]


def test_openapi_schema_documents_both_endpoints(server):
    with urllib.request.urlopen(f"{server}/openapi.json") as response:
        paths = json.loads(response.read())["paths"]
    assert "/api/ask" in paths and "/api/retrieve" in paths


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message(server):
    import httpx

    response = httpx.post(
        f"{server}/gradio_api/upload", files={"files": ("big.txt", b"a" * 2_000_000)}
    )
    assert response.status_code == 413
    assert "maximum allowed size of 1048576 bytes" in response.text


def test_gradio_client_api_answers_with_citations(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = json.loads(client.predict("Who is joining BRICS?", 5, api_name="/ask"))
    assert "Egypt" in result["answer"] and result["citations"]
    # as of the day after Meridian Wire's report, before The Atlas Dispatch's Kazan story
    dated = json.loads(client.predict("Who is joining BRICS?", 5, "2023-12-31", api_name="/ask"))
    assert dated["as_of"] == "2023-12-31T23:59:59.999999+00:00" and dated["citations"]
    assert all(c["published"] < "2024" for c in dated["citations"])
    with pytest.raises(Exception, match="cannot read 'someday' as a date"):
        client.predict("Who is joining BRICS?", 5, "someday", api_name="/ask")


# -- the browser -------------------------------------------------------------------------


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(server)
    yield page
    if getattr(request.node, "rep_call", None) is None or request.node.rep_call.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_chat_answers_brics_with_sources_then_a_follow_up_in_context(page):
    from playwright.sync_api import expect

    ask_in_browser(page, "Who is joining BRICS?")
    sources = page.locator("#sources")
    expect(sources).to_contain_text("BRICS enlargement agreed in Johannesburg", timeout=60_000)
    chat = page.locator(".bubble-wrap, [role=log]").first
    for member in ("Iran", "Egypt", "Ethiopia"):
        expect(chat).to_contain_text(member)
    expect(sources.locator(".cited mark", has_text="Egypt").first).to_be_visible()

    ask_in_browser(page, "And which countries applied?")
    expect(sources).to_contain_text(
        "Searched for: Which countries applied - BRICS?", timeout=60_000
    )
    expect(sources).to_contain_text("BRICS")


def test_each_cited_article_is_one_source_entry_listing_its_sentences_with_answers_marked(
    page, server
):
    from playwright.sync_api import expect

    question = "Who is joining BRICS?"
    answer = post(f"{server}/api/ask", {"question": question})
    ask_in_browser(page, question)
    sources = page.locator("#sources")
    brics = sources.locator(".source", has_text="BRICS enlargement agreed in Johannesburg")
    expect(brics).to_have_count(1, timeout=60_000)
    # one entry per cited article, each listing every sentence cited from it
    entries = sources.locator(".source")
    expect(entries).to_have_count(len(answer["sources"]))
    for i, cited in enumerate(answer["sources"]):
        entry = entries.nth(i)
        expect(entry).to_contain_text(cited["title"])
        expect(entry.locator(".cited")).to_have_count(len(cited["citations"]))
        for n in cited["citations"]:
            expect(entry.locator(".cited .n", has_text=f"[{n}]")).to_have_count(1)
    assert any(len(s["citations"]) > 1 for s in answer["sources"]), answer["sources"]
    # the answering words are marked inside the cited sentences
    marked = sources.locator(".cited mark").all_inner_texts()
    assert {"Egypt", "Ethiopia"} <= set(marked), marked


def test_an_as_of_date_in_the_filters_keeps_newer_articles_out_of_the_answer(page):
    from playwright.sync_api import expect

    page.get_by_text("Filters (apply to the next question)").click()
    as_of = page.locator("#as-of textarea")
    chat = page.locator(".bubble-wrap, [role=log]").first
    as_of.fill("someday")
    ask_in_browser(page, "Who is joining BRICS?")
    expect(chat).to_contain_text("as of: cannot read 'someday' as a date", timeout=60_000)

    # the day after Meridian Wire's report; The Atlas Dispatch told the story again in 2024
    as_of.fill("2023-12-31")
    ask_in_browser(page, "Who is joining BRICS?")
    sources = page.locator("#sources")
    expect(sources).to_contain_text("BRICS enlargement agreed in Johannesburg", timeout=60_000)
    expect(chat).to_contain_text("Meridian Wire, 30 December 2023")
    expect(sources).not_to_contain_text("The Atlas Dispatch")
    meta = " ".join(sources.locator(".source .meta").all_inner_texts())
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", meta)
    assert dates and all(d <= "2023-12-31" for d in dates), dates


def test_conflicting_figures_are_marked_in_the_sources_panel(page):
    from playwright.sync_api import expect

    ask_in_browser(page, "How many North Korean troops have been sent to Russia?")
    conflict = page.locator("#sources .conflict")
    expect(conflict).to_contain_text("Sources disagree", timeout=60_000)
    expect(conflict).to_contain_text("about 1,500")
    expect(conflict).to_contain_text("10,000")


def test_a_file_uploaded_in_the_library_answers_a_question(page, tmp_path):
    from playwright.sync_api import expect

    article = write_article(
        tmp_path, "rail.md", "Marlow Valley rail line to reopen",
        "The Marlow Valley rail line will reopen on 3 March with 14 new stations, the "
        "transport ministry said on Monday. Trains will run every 20 minutes.",
        outlet="Valley Echo", url="https://valley-echo.example/rail",
    )  # fmt: skip
    page.get_by_role("tab", name="Library").click()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    page.locator("#add").click()
    expect(page.locator("#add-status")).to_contain_text("Added 1", timeout=60_000)
    expect(page.locator("#library")).to_contain_text("Marlow Valley rail line to reopen")
    # the background writes panel (refreshed every 2 s) lists the upload as done
    expect(page.locator("#writes")).to_contain_text("upload of 1 file: done", timeout=20_000)
    page.get_by_role("tab", name="Chat").click()
    ask_in_browser(page, "How many new stations will the Marlow Valley rail line have?")
    expect(page.locator("#sources")).to_contain_text("Valley Echo", timeout=60_000)
    expect(page.locator("#sources")).to_contain_text("14 new stations")


def test_articles_added_by_url_and_by_feed_in_the_library_answer_questions(page, site):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Library").click()
    page.locator("#url-box textarea").fill(f"{site.url(PAGES[0].path)} {site.url('/none')}")
    page.locator("#add-url").click()
    status = page.locator("#add-status")
    expect(status).to_contain_text("Added 1", timeout=60_000)
    expect(status).to_contain_text("HTTP 404")
    expect(page.locator("#library")).to_contain_text(PAGES[0].title)

    page.locator("#feed-box textarea").fill(site.url("/rss"))
    page.locator("#add-feed").click()
    expect(status).to_contain_text("Vale Wire", timeout=60_000)
    expect(status).to_contain_text("Added 1")
    expect(page.locator("#library")).to_contain_text(PAGES[1].title)

    page.get_by_role("tab", name="Chat").click()
    ask_in_browser(page, "How much will the River Ashby flood barrier cost?")
    expect(page.locator("#sources")).to_contain_text("The Ashby Standard", timeout=60_000)
    expect(page.locator("#sources")).to_contain_text("14.2 million pounds")


def test_article_script_payloads_show_as_text_and_never_run(page):
    from playwright.sync_api import expect

    ask_in_browser(page, "What did the Kestrel Bay harbour council approve for the lighthouse?")
    sources = page.locator("#sources")
    expect(sources).to_contain_text("Kestrel Bay", timeout=60_000)
    expect(sources).to_contain_text("<script>window.__xss='title'</script>")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert sources.locator("script, img[onerror]").count() == 0
    assert sources.locator("a[href^='javascript']").count() == 0


def test_mcp_tools_ask_and_retrieve_return_json_text_over_the_protocol(server, sample_assistant):
    import asyncio

    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    question = "Who is joining BRICS?"

    async def talk() -> tuple[set[str], str, str]:
        async with (
            streamable_http_client(f"{server}/gradio_api/mcp/") as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            tools = {tool.name for tool in (await session.list_tools()).tools}
            asked = await session.call_tool("ask", {"question": question})
            found = await session.call_tool("retrieve", {"question": "BRICS Kazan", "k": 2})
            assert not asked.isError and not found.isError
            return tools, *(" ".join(getattr(c, "text", "") for c in r.content)
                            for r in (asked, found))  # fmt: skip

    # Playwright's sync API keeps an event loop on this thread; the client gets its own.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        tools, asked, found = pool.submit(asyncio.run, talk()).result(timeout=120)
    assert {"ask", "retrieve"} <= tools
    answer = json.loads(asked)
    # the same object `newsqa ask --json` prints for the question
    assert set(answer) == set(sample_assistant.ask(question).as_json()) == ANSWER_JSON_KEYS
    assert answer["question"] == question and "Iran" in answer["answer"]
    assert answer["sources"] and answer["citations"][0]["answer_spans"]
    passages = json.loads(found)
    assert len(passages) == 2 and all("BRICS" in p["text"] for p in passages)
