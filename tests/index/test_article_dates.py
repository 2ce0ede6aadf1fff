"""Dates and outlets read from the articles themselves, stored through a real ingest, and
`newsqa stats` counting the articles left undated."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from assistant.cli import main
from assistant.index.build import NewsIndex

HARBOUR = """Storm floods the harbour district
https://img.harbourside.example/2024/10/21/flood.jpg
The Harbourside Times
Politics
21/10/2024 22h20

Sea water flooded the harbour district on Monday night after the storm pushed the tide
over the sea wall, the council said.

About 200 homes lost power and the ferry to Kell Island was cancelled until Wednesday.
"""
HEADER_LINES = ("img.harbourside", "The Harbourside Times", "Politics", "21/10/2024", "22h20")


def open_index(settings, embedder):
    return NewsIndex.open(settings, "test", embedder=embedder, create=True)


def test_plain_text_header_gives_outlet_and_date_and_leaves_the_text(settings, embedder, tmp_path):
    (tmp_path / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    with open_index(settings, embedder) as index:
        report = index.ingest([tmp_path / "harbour.txt"])
        assert len(report.added) == 1 and not report.failed
        article = index.require_article(report.added[0])
        sentences = index.catalog.sentences_of(article.id)
    assert article.title == "Storm floods the harbour district"
    assert article.outlet == "The Harbourside Times"
    assert article.published == datetime(2024, 10, 21, 22, 20, tzinfo=UTC)
    assert article.text.startswith("Sea water flooded the harbour district")
    for line in HEADER_LINES:
        assert line not in article.text
        assert all(line not in s.text for s in sentences)


def test_stats_count_the_articles_left_undated(settings, embedder, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "2024-03-05-ferry.txt").write_text(
        "Ferry returns to service\nThe Kell Island ferry sailed again on Tuesday.\n"
    )
    (corpus / "wire.json").write_text(
        json.dumps(
            {
                "title": "Port reopens",
                "text": "The port reopened to cargo ships after the storm.",
                "url": "https://wire.example/business/2024/10/23/port-reopens",
            }
        )
    )
    (corpus / "notes.txt").write_text("Harbour notes\nThe harbour wall will be raised.\n")
    with open_index(settings, embedder) as index:
        report = index.ingest([corpus])
        assert len(report.added) == 3 and not report.failed
    assert main(["stats", "--json", "--index", "test"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["undated"] == 1
    assert (stats["published_from"], stats["published_to"]) == ("2024-03-05", "2024-10-23")
    assert main(["stats", "--index", "test"]) == 0
    assert "(1 undated)" in capsys.readouterr().out
