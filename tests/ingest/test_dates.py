"""Dates read from news date lines, file names and URLs; day first or month first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.ingest.dates import date_in_name, date_in_url, day_first_in, read_date_line


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("21/10/2024 22h20", utc(2024, 10, 21, 22, 20)),
        ("21.10.2024", utc(2024, 10, 21)),
        ("10/21/2024 10:20 PM", utc(2024, 10, 21, 22, 20)),
        ("Oct. 21, 2024", utc(2024, 10, 21)),
        ("October 21st, 2024", utc(2024, 10, 21)),
        ("21 October 2024", utc(2024, 10, 21)),
        ("Monday 21 October 2024", utc(2024, 10, 21)),
        ("2024-10-21T22:20", utc(2024, 10, 21, 22, 20)),
        ("2024-10-21T22:20:00+02:00", utc(2024, 10, 21, 20, 20)),
        ("Published 21 October 2024, 10:20 BST", utc(2024, 10, 21, 9, 20)),
        ("Mon, 21 Oct 2024 10:20:00 GMT", utc(2024, 10, 21, 10, 20)),
        ("Oct. 21, 2024 at 10:20 p.m. EDT", utc(2024, 10, 22, 2, 20)),
        ("Publié le 21 octobre 2024 à 22h20", utc(2024, 10, 21, 22, 20)),
    ],
)
def test_a_date_line_in_a_common_news_shape_is_read(line, published):
    assert read_date_line(line) == (published, None)


def test_a_date_after_updated_is_the_update_and_the_other_the_publication():
    line = "Publié le 21 octobre 2024 à 22h20, modifié le 22 octobre 2024 à 08h15"
    assert read_date_line(line) == (utc(2024, 10, 21, 22, 20), utc(2024, 10, 22, 8, 15))
    assert read_date_line("Updated 22 October 2024") == (None, utc(2024, 10, 22))


@pytest.mark.parametrize(
    "line",
    [
        "The summit opened on 21 October 2024.",
        "Leaders met in Kazan on 21/10/2024 to discuss trade",
        "31/02/2024",  # no such day
        "21/10/2024 25h20",  # no such hour
        "Reuters",
        "",
    ],
)
def test_a_sentence_or_an_impossible_date_is_no_date_line(line):
    assert read_date_line(line) is None


def test_an_ambiguous_numeric_date_follows_the_order_it_is_given():
    assert read_date_line("03/04/2024", day_first=True) == (utc(2024, 4, 3), None)
    assert read_date_line("03/04/2024", day_first=False) == (utc(2024, 3, 4), None)


def test_a_day_over_12_elsewhere_in_the_text_decides_the_order():
    assert day_first_in("Filed 03/04/2024. The vote of 10/21/2024 stands.") is False
    assert day_first_in("Filed 03/04/2024. The vote of 21/10/2024 stands.") is True


def test_the_text_decides_before_the_setting_and_the_setting_before_day_first():
    assert day_first_in("The vote of 10/21/2024.", setting=True) is False
    assert day_first_in("Filed 03/04/2024.", setting=False) is False
    assert day_first_in("Filed 03/04/2024.") is True
    assert day_first_in("21/10/2024 and 10/21/2024", setting=False) is False  # text undecided


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("2024-10-21-story.txt", utc(2024, 10, 21)),
        ("20241021_story.md", utc(2024, 10, 21)),
        ("story-2024-10-21.txt", utc(2024, 10, 21)),
        ("2024_10_21 harbour.md", utc(2024, 10, 21)),
        ("story.txt", None),
        ("draft20241021.txt", None),  # glued to a word: not a date field
        ("12345678.txt", None),  # a number, not a calendar day
    ],
)
def test_a_year_first_date_in_a_file_name_is_read(name, day):
    assert date_in_name(name) == day


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://news.example/world/2024/10/21/storm", utc(2024, 10, 21)),
        ("https://news.example/2024-10-21/storm", utc(2024, 10, 21)),
        ("https://news.example/20241021/storm", utc(2024, 10, 21)),
        ("https://news.example/world/2024/oct/21/storm", utc(2024, 10, 21)),
        ("https://news.example/world-67012345", None),
        ("https://news.example/storm?date=2024-10-21", None),  # only the path is read
        ("http://[broken", None),
        (None, None),
    ],
)
def test_a_date_in_a_url_path_is_read(url, day):
    assert date_in_url(url) == day
