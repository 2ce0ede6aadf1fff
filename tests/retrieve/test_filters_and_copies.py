"""Outlet and date filters, recency, and syndicated-copy detection (pure)."""

from datetime import UTC, datetime

import pytest

from assistant.retrieve.dedupe import containment, group_copies, shingles
from assistant.retrieve.filters import Filters

MAY = int(datetime(2024, 5, 1, tzinfo=UTC).timestamp())


def test_empty_filters_accept_everything_and_build_no_where_clause():
    assert Filters().accepts({"outlet": "X"}) and Filters().chroma_where() is None


def test_outlet_and_date_filters_agree_between_python_and_chroma():
    f = Filters(outlets=("A",), since=datetime(2024, 1, 1, tzinfo=UTC))
    assert f.accepts({"outlet": "A", "published_ts": MAY})
    assert not f.accepts({"outlet": "B", "published_ts": MAY})
    assert not f.accepts({"outlet": "A", "published_ts": MAY - 200 * 86400})
    assert not f.accepts({"outlet": "A"})  # undated articles fail a date filter
    assert f.chroma_where() == {
        "$and": [{"outlet": {"$in": ["A"]}}, {"published_ts": {"$gte": 1704067200}}]
    }


def test_the_as_of_time_rejects_later_articles_and_keeps_undated_ones():
    f = Filters(as_of=datetime(2024, 5, 1, tzinfo=UTC))
    assert f.accepts({"outlet": "A", "published_ts": MAY})
    assert not f.accepts({"outlet": "A", "published_ts": MAY + 1})
    assert f.accepts({"outlet": "A"})  # undated: older than any dated article


def test_recency_bonus_halves_every_half_life_and_never_costs_more_than_a_fifth():
    f = Filters(recency_half_life_days=10)
    assert f.recency_factor(MAY, MAY) == 1.0
    assert f.recency_factor(MAY - 20 * 86400, MAY) == pytest.approx(1 - 0.2 * 0.75)
    assert 0.8 < f.recency_factor(MAY - 100 * 86400, MAY) < 0.801
    assert Filters().recency_factor(0, MAY) == 1.0


WIRE = (
    "Alaska Air Group said on Sunday that it has agreed to acquire Hawaiian Holdings in an "
    "all-cash deal valued at about 1.9 billion dollars including debt, creating the fifth "
    "largest airline in the United States."
)


def test_two_outlets_carrying_one_wire_story_are_grouped():
    copy = "The Ledger carries this report in full. " + WIRE.replace("about", "roughly")
    other = "The central bank kept rates unchanged on Wednesday and signalled a cut in June."
    assert containment(shingles(WIRE), shingles(copy)) > 0.6
    assert group_copies([WIRE, copy, other], ["a1", "a2", "a3"]) == [[0, 1], [2]]


def test_passages_of_one_article_never_merge():
    assert group_copies([WIRE, WIRE], ["a1", "a1"]) == [[0], [1]]
