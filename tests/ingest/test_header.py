"""The lines under a plain-text headline: read as metadata and cut from the body, or,
when they are the story's own, left alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.ingest.header import classify, read_header

STORY = (
    "Sea water flooded the harbour district on Monday night, the council said.\n\n"
    "About 200 homes lost power."
)


def test_header_line_with_day_first_date_and_outlet_is_read():
    body = (
        "https://img.harbourside.example/2024/10/21/flood.jpg\n"
        "The Harbourside Times\nPolitics\n21/10/2024 22h20\n\n" + STORY
    )
    header = read_header(body)
    assert header.outlet == "The Harbourside Times"
    assert header.published == datetime(2024, 10, 21, 22, 20, tzinfo=UTC)
    assert header.body.strip() == STORY


def test_article_url_byline_and_update_lines_are_read():
    body = (
        "https://www.lemonde.fr/international/article/2024/10/21/crue_123.html\n"
        "By Ann Lee and Bo Chen\n"
        "Published 21 October 2024, 10:20 BST\nUpdated 22 October 2024\n" + STORY
    )
    header = read_header(body)
    assert header.url == "https://www.lemonde.fr/international/article/2024/10/21/crue_123.html"
    assert header.authors == ("Ann Lee", "Bo Chen")
    assert header.published == datetime(2024, 10, 21, 9, 20, tzinfo=UTC)
    assert header.updated == datetime(2024, 10, 22, tzinfo=UTC)
    assert header.body == STORY


@pytest.mark.parametrize(
    ("line", "outlet", "authors"),
    [
        ("By Ann Lee | 21 October 2024", None, ("Ann Lee",)),
        ("The Harbourside Times · Politics · 21/10/2024", "The Harbourside Times", ()),
        ("21 October 2024 — By Ann Lee and Bo Chen", None, ("Ann Lee", "Bo Chen")),
    ],
)
def test_header_pieces_sharing_one_line_are_each_read(line, outlet, authors):
    header = read_header(line + "\n\n" + STORY)
    assert header.published == datetime(2024, 10, 21, tzinfo=UTC)
    assert (header.outlet, header.authors) == (outlet, authors)
    assert header.body.strip() == STORY


@pytest.mark.parametrize(
    "line", ["The vote was 12 | 3 in favour.", "Politics | Sport", "By Ann Lee | Oct 21"]
)
def test_a_line_is_header_pieces_only_when_every_piece_is_one_and_one_vouches(line):
    assert read_header(line + "\n" + STORY).body == line + "\n" + STORY


def test_an_updated_line_alone_dates_the_article():
    header = read_header("Updated 22 October 2024\n" + STORY)
    assert header.published == header.updated == datetime(2024, 10, 22, tzinfo=UTC)


def test_an_ambiguous_header_date_is_month_first_when_the_text_writes_month_first():
    body = "03/04/2024\n" + STORY + "\n\nThe vote of 10/21/2024 was annulled."
    assert read_header(body).published == datetime(2024, 3, 4, tzinfo=UTC)
    assert read_header("03/04/2024\n" + STORY).published == datetime(2024, 4, 3, tzinfo=UTC)
    assert read_header("03/04/2024\n" + STORY, day_first=False).published == datetime(
        2024, 3, 4, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "body",
    [
        STORY,
        "Reuters\n" + STORY,  # a lone short line may be the story's: no date or URL vouches
        "Key findings\n" + STORY,
        "The summit opened on 21 October 2024.\n" + STORY,
        "By the end of May, the harbour had flooded twice.\n21/10/2024\n" + STORY,
        "21/10/2024 22h20\n",  # nothing would be left of the article
    ],
)
def test_a_body_without_a_header_is_left_whole(body):
    header = read_header(body)
    assert header.body == body
    assert (header.published, header.outlet, header.url) == (None, None, None)


def test_a_short_line_after_the_header_stays_unless_it_is_a_known_section():
    header = read_header("21/10/2024\nKey Findings\n" + STORY)
    assert header.outlet is None and header.body.startswith("Key Findings")
    assert read_header("21/10/2024\nWorld > Europe\n" + STORY).body == STORY


def test_only_the_first_lines_are_looked_at():
    lines = "Politics\n" * 6 + "21/10/2024\n" + STORY
    assert read_header(lines).body == lines


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("https://img.example/photo.jpg", "image"),
        ("https://news.example/2024/10/21/flood", "url"),
        ("21/10/2024 22h20", "date"),
        ("By Ann Lee", "byline"),
        ("Politics", "section"),
        ("UK Politics", "section"),
        ("News > World", "section"),
        ("5 min read", "furniture"),
        ("Photo: AFP", "furniture"),
        ("Le Monde", "outlet"),
        ("Reuters", "outlet"),
        ("France 24", "outlet"),
        ("The Harbourside Times", "outlet"),
    ],
)
def test_each_kind_of_header_line_is_told_by_its_shape(line, kind):
    found = classify(line)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "line",
    ["The bank held rates.", "Prices rose by 3% in March", "Oct 21", "By the end of May, rain"],
)
def test_a_sentence_is_no_header_line(line):
    assert classify(line) is None


def test_a_broken_url_line_is_no_header_line():
    assert classify("http://[broken") is None
    assert read_header("http://[broken\n21/10/2024\n" + STORY).body.startswith("http://[broken")
