"""The as-of time on the REST API: the real FastAPI app in process over the sample index.

The bundled BRICS story is told by Meridian Wire on 2023-12-30 and again by The Atlas
Dispatch on 2024-10-24 (the Kazan summit); asked as of 2024-01-01, only the first may show."""

from __future__ import annotations

from datetime import datetime

import pytest
from starlette.testclient import TestClient

from assistant.chat.api import build_app
from assistant.chat.session import ChatService

AS_OF = "2024-01-01"
KAZAN = "Kazan summit opens new partner tier as BRICS weighs further growth"


@pytest.fixture(scope="module")
def client(sample_assistant):
    return TestClient(build_app(ChatService(sample_assistant)))


@pytest.mark.parametrize("endpoint", ["/api/ask", "/api/retrieve"])
def test_an_unreadable_as_of_gets_a_422_naming_it_in_one_line(client, endpoint):
    response = client.post(endpoint, json={"question": "Who is joining BRICS?", "as_of": "soon"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "as_of"]
    assert error["msg"].startswith("as_of: cannot read 'soon' as a date")
    assert "\n" not in error["msg"]


def test_ask_as_of_a_date_cites_nothing_published_after_it(client):
    response = client.post("/api/ask", json={"question": "Who is joining BRICS?", "as_of": AS_OF})
    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2024-01-01T23:59:59.999999+00:00"
    assert not data["refused"] and "Iran" in data["answer"]
    as_of = datetime.fromisoformat(data["as_of"])
    assert data["citations"]
    for cited in data["citations"]:
        assert datetime.fromisoformat(cited["published"]) <= as_of, cited["title"]


def test_retrieve_as_of_a_date_returns_no_passage_published_after_it(client):
    question = {"question": "BRICS summit in Kazan partner countries", "k": 10}
    now = client.post("/api/retrieve", json=question).json()
    assert KAZAN in {p["title"] for p in now["passages"]}  # without as_of the newer story leads

    data = client.post("/api/retrieve", json={**question, "as_of": AS_OF}).json()
    as_of = datetime.fromisoformat(data["as_of"])
    assert data["passages"]
    for passage in data["passages"]:
        assert datetime.fromisoformat(passage["published"]) <= as_of, passage["title"]
    assert KAZAN not in {p["title"] for p in data["passages"]}


def test_an_as_of_in_the_future_is_allowed_and_reads_everything(client):
    response = client.post(
        "/api/ask", json={"question": "What did the ECB decide?", "as_of": "2999-01-01T00:00Z"}
    )
    assert response.status_code == 200
    assert response.json()["as_of"] == "2999-01-01T00:00:00+00:00"
    assert "Continental Markets Journal" in {c["outlet"] for c in response.json()["citations"]}
