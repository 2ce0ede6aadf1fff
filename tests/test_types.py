"""Article identity (stable ids from canonical URLs, else from normalized text) and the
grouping of citations by article."""

from assistant.types import Article, article_id_for, by_article, canonical_url
from tests.helpers import citation


def test_canonical_url_drops_tracking_fragment_and_trailing_slash():
    assert (
        canonical_url("HTTPS://News.Example/world/story/?utm_source=x&id=7#comments")
        == "https://news.example/world/story?id=7"
    )


def test_same_url_gives_same_id_whatever_the_text():
    assert article_id_for("https://a.example/x?utm_medium=rss", "one") == article_id_for(
        "https://a.example/x/", "two"
    )


def test_without_url_the_id_follows_the_text_up_to_white_space():
    assert article_id_for(None, "Rates  rose.\n\nMarkets fell.") == article_id_for(
        None, "Rates rose. Markets fell."
    )
    assert article_id_for(None, "Rates rose.") != article_id_for(None, "Rates fell.")


def test_article_published_ts_is_epoch_seconds():
    from datetime import UTC, datetime

    article = Article.create(title="t", text="x", published=datetime(2024, 1, 1, tzinfo=UTC))
    assert article.published_ts == 1704067200


def test_citations_group_by_article_in_the_order_each_article_is_first_cited():
    cited = (
        citation(1, "Wire", None, article="brics"),
        citation(2, "Post", None, article="rates"),
        citation(3, "Wire", None, article="brics"),
    )
    groups = by_article(cited)
    assert [g.numbers for g in groups] == [(1, 3), (2,)]
    assert groups[0].as_json()["citations"] == [1, 3]
    assert groups[0].as_json()["title"] == "Story brics"
