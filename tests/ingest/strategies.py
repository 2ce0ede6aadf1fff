"""Hypothesis strategies for odd inputs: malformed front matter, cut HTML, odd JSON."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

front_matter = st.builds(
    lambda keys, values, body: (
        "---\n"
        + "".join(f"{k}: {v}\n" for k, v in zip(keys, values, strict=False))
        + "---\n"
        + body
    ),
    st.lists(st.sampled_from(["title", "outlet", "published", "url", "authors", "x"]), max_size=5),
    st.lists(st.text(max_size=30), max_size=5),
    st.text(max_size=400),
)
html_pages = st.builds(
    lambda head, body, cut: ("<html><head><title>" + head + "</title></head><body><p>" + body)[
        :cut
    ],
    st.text(max_size=60),
    st.text(max_size=400),
    st.integers(min_value=0, max_value=500),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "text",
                    "published",
                    "outlet",
                    "url",
                    "id",
                    "body",
                    "question",
                    "answers",
                    "question_date",
                    "answerable",
                    "articles",
                    "as_of",
                    "category",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=12,
)


def content(data: bytes | str) -> bytes:
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
