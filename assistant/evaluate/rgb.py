"""RGB (en_fact) adapter: supporting snippets become the corpus for answerable runs; the
negative snippets alone make a corpus where every question should be refused.

A snippet is stored with its own words only (its headline is its first line, as for any
untitled text): with the question as every snippet's headline, each snippet would "mention"
all the question's names, and the check that a source names what is asked could never
refuse a related snippet that does not answer."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.errors import SourceError
from assistant.evaluate.dataset import Question
from assistant.evaluate.realtimeqa import CorpusSet
from assistant.ingest.loaders import article_from_record

FILE = "rgb/en_fact.json"


def load_rgb(root: Path, negative: bool = False) -> CorpusSet:
    articles = []
    questions = []
    for line in (root / FILE).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        snippets = record["negative"] if negative else record["positive"]
        ids = []
        for i, snippet in enumerate(snippets):
            kind = "neg" if negative else "pos"
            try:
                article = article_from_record(
                    {"text": snippet, "outlet": "RGB snippet"},
                    f"rgb:{record['id']}:{kind}:{i}",
                )
            except SourceError:
                continue  # a snippet that is only furniture ("...", an ad line)
            articles.append(article)
            ids.append(article.id)
        answers = record["answer"] if isinstance(record["answer"], list) else [record["answer"]]
        questions.append(
            Question(
                id=f"rgb-{record['id']}",
                question=record["query"],
                answers=() if negative else tuple(str(a) for a in answers),
                articles=() if negative else tuple(ids),
                answerable=not negative,
            )
        )
    unique = {a.id: a for a in articles}
    return CorpusSet(list(unique.values()), questions, 0)
