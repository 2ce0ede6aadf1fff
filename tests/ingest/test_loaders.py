"""Loading local files into articles, and a one-line error for every kind of bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import SourceError
from assistant.ingest.loaders import LoadOptions
from assistant.ingest.sources import expand_sources, load_source
from assistant.settings import load_settings
from assistant.types import Article
from tests.helpers import NEWS_PAGE


def load_all(path: Path, max_mb: float = 20.0) -> list[Article | SourceError]:
    return list(load_source(path, LoadOptions(max_mb=max_mb)))


def only_article(path: Path) -> Article:
    results = load_all(path)
    assert len(results) == 1 and isinstance(results[0], Article), results
    return results[0]


def only_error(path: Path, max_mb: float = 20.0) -> SourceError:
    results = load_all(path, max_mb)
    assert len(results) == 1 and isinstance(results[0], SourceError), results
    return results[0]


def test_markdown_front_matter_gives_the_metadata(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Rates held\noutlet: Money Daily\nurl: https://m.example/r\n"
        "published: 2024-03-20T18:00:00+01:00\nauthors: [Ann Lee, Bo Chen]\n---\n"
        "The bank held **rates** at [5.25%](https://x.example).\n\nMarkets expected it.\n",
        encoding="utf-8",
    )
    article = only_article(path)
    assert article.title == "Rates held"
    assert article.outlet == "Money Daily"
    assert article.url == "https://m.example/r"
    assert article.published == datetime(2024, 3, 20, 17, 0, tzinfo=UTC)
    assert article.authors == ("Ann Lee", "Bo Chen")
    assert article.text == "The bank held rates at 5.25%.\n\nMarkets expected it."


def test_text_file_without_front_matter_takes_its_first_line_as_title(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Storm closes ports\nPorts closed on Monday. Ships waited.\n")
    article = only_article(path)
    assert article.title == "Storm closes ports"
    assert article.text == "Ports closed on Monday. Ships waited."
    assert article.url is None and article.published is None


def test_html_page_gives_main_text_and_metadata_without_furniture(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    article = only_article(path)
    assert article.title == "Harbour reopens after storm"
    assert article.outlet == "Coast Courier"
    assert article.url == "https://coast-courier.example/news/harbour-reopens"
    assert article.published is not None and article.published.date().isoformat() == "2024-02-11"
    assert "Around 120 boats use the harbour" in article.text
    for furniture in ("cookies", "Home", "All rights reserved"):
        assert furniture not in article.text


def test_json_list_and_jsonl_records_each_become_articles(tmp_path):
    records = [
        {
            "title": "One",
            "text": "First story text. It is short.",
            "url": "https://x.example/1",
            "published": "2024-01-02",
            "source": {"name": "Wire"},
            "author": "A and B",
        },
        {"headline": "Two", "body": "Second story text.", "link": "https://x.example/2"},
    ]
    (tmp_path / "list.json").write_text(json.dumps(records))
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": records}))
    (tmp_path / "lines.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    for name in ("list.json", "wrapped.json", "lines.jsonl"):
        articles = load_all(tmp_path / name)
        assert [a.title for a in articles] == ["One", "Two"], name
    first = load_all(tmp_path / "list.json")[0]
    assert first.outlet == "Wire" and first.authors == ("A", "B")


def test_a_json_record_without_text_fails_alone_and_names_its_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"title": "ok", "text": "Fine text."}\n{"title": "no text"}\nnot json\n')
    results = load_all(path)
    assert isinstance(results[0], Article)
    assert isinstance(results[1], SourceError) and results[1].source == f"{path}:2"
    assert "no article text" in str(results[1])
    assert isinstance(results[2], SourceError) and results[2].source == f"{path}:3"


def test_empty_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    error = only_error(path)
    assert str(path) in str(error) and "empty" in str(error)


def test_binary_file_is_an_error(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 20)
    assert "binary" in str(only_error(path))


def test_non_utf8_text_is_decoded_not_dropped(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "Preise in München\nCafé-Besitzer in München klagen über höhere Preise für Strom.".encode(
            "cp1252"
        )
    )
    article = only_article(path)
    assert article.title == "Preise in München"
    assert "Café-Besitzer" in article.text


def test_html_with_no_article_text_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    assert "no article text" in str(only_error(path))


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: cheap to make
    error = only_error(path, max_mb=20)
    assert "50.0 MB" in str(error) and "20 MB limit" in str(error)


def test_missing_and_unsupported_paths_are_errors_naming_them(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    results = list(expand_sources([tmp_path / "missing.md", tmp_path / "notes.pdf"]))
    assert [type(r) for r in results] == [SourceError, SourceError]
    assert "no such file" in str(results[0]) and "missing.md" in str(results[0])
    assert "unsupported file type" in str(results[1])


def test_folders_are_walked_recursively_skipping_hidden_files_and_question_sets(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "a.txt").write_text("T\nBody.")
    (tmp_path / "b.md").write_text("T\nBody.")
    (tmp_path / ".hidden.md").write_text("T\nBody.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "questions.jsonl").write_text('{"id": "q1", "question": "Who?"}\n')
    found = list(expand_sources([tmp_path]))
    assert found == [tmp_path / "b.md", tmp_path / "sub" / "deeper" / "a.txt"]


def test_plain_text_header_lines_give_outlet_and_date_and_leave_the_text(tmp_path):
    path = tmp_path / "harbour.txt"
    path.write_text(
        "Storm floods the harbour\nhttps://img.example/flood.jpg\nLe Monde\nInternational\n"
        "21/10/2024 22h20\n\nSea water flooded the harbour. Homes lost power.\n"
    )
    article = only_article(path)
    assert (article.title, article.outlet) == ("Storm floods the harbour", "Le Monde")
    assert article.published == datetime(2024, 10, 21, 22, 20, tzinfo=UTC)
    assert article.text == "Sea water flooded the harbour. Homes lost power."


def test_front_matter_files_keep_their_first_lines_as_text(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Rates held\n---\nReuters\n21/10/2024\nThe bank held rates.\n")
    article = only_article(path)
    assert article.outlet is None and article.published is None
    assert article.text.startswith("Reuters")


def test_a_date_in_the_file_name_dates_an_article_that_gives_none(tmp_path):
    (tmp_path / "2024-10-21-story.txt").write_text("Storm\nPorts closed on Monday.\n")
    (tmp_path / "20241021_dated.md").write_text(
        "---\npublished: 2024-10-20\n---\nPorts closed on Sunday.\n"
    )
    assert only_article(tmp_path / "2024-10-21-story.txt").published == datetime(
        2024, 10, 21, tzinfo=UTC
    )
    assert only_article(tmp_path / "20241021_dated.md").published == datetime(
        2024, 10, 20, tzinfo=UTC
    )  # the front matter's own date wins


def test_a_date_in_the_url_dates_a_json_record_that_gives_none(tmp_path):
    records = [
        {"title": "A", "text": "Ports closed.", "url": "https://x.example/2024/10/21/ports"},
        {"title": "B", "text": "Ports opened.", "url": "https://x.example/2024/10/21/open",
         "published": "2024-10-22T08:00:00Z"},
    ]  # fmt: skip
    (tmp_path / "records.json").write_text(json.dumps(records))
    first, second = load_all(tmp_path / "records.json")
    assert first.published == datetime(2024, 10, 21, tzinfo=UTC)
    assert second.published == datetime(2024, 10, 22, 8, tzinfo=UTC)


def test_an_html_page_without_a_date_takes_its_file_names(tmp_path):
    page = NEWS_PAGE.replace(
        '<meta property="article:published_time" content="2024-02-11T07:30:00+00:00">\n', ""
    ).replace("Copyright © 2024 Coast Courier. ", "")  # trafilatura reads 2024 as 1 January
    assert "2024-02-11" not in page
    (tmp_path / "2024-02-11-harbour.html").write_text(page, encoding="utf-8")
    article = only_article(tmp_path / "2024-02-11-harbour.html")
    assert article.published == datetime(2024, 2, 11, tzinfo=UTC)


def test_the_day_first_setting_orders_an_ambiguous_header_date(tmp_path, monkeypatch):
    path = tmp_path / "vote.txt"
    path.write_text("Vote annulled\n03/04/2024\nThe vote was annulled by the court.\n")
    assert only_article(path).published == datetime(2024, 4, 3, tzinfo=UTC)
    monkeypatch.setenv("NEWSQA_TIME__DAY_FIRST", "false")
    options = LoadOptions.from_settings(load_settings())
    (article,) = load_source(path, options)
    assert isinstance(article, Article)
    assert article.published == datetime(2024, 3, 4, tzinfo=UTC)


def test_month_first_dates_elsewhere_in_the_text_order_an_ambiguous_header_date(tmp_path):
    path = tmp_path / "vote.txt"
    path.write_text(
        "Vote annulled\n03/04/2024\nThe court annulled the vote of 10/21/2023 on Monday.\n"
    )
    assert only_article(path).published == datetime(2024, 3, 4, tzinfo=UTC)
