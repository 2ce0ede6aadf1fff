"""Basic auth on the REST API, the loopback check behind the start-up warning, and
request validation; the real FastAPI app in process."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from assistant.chat.api import build_app
from assistant.chat.serve import is_loopback, parse_auth
from assistant.chat.session import ChatService
from assistant.errors import ConfigError


@pytest.fixture(scope="module")
def client(sample_assistant):
    return TestClient(build_app(ChatService(sample_assistant), ("ann", "s3cret")))


def test_without_the_password_the_api_refuses(client):
    assert client.post("/api/ask", json={"question": "Who is joining BRICS?"}).status_code == 401
    wrong = client.post("/api/ask", json={"question": "x"}, auth=("ann", "nope"))
    assert wrong.status_code == 401


def test_with_the_password_the_api_answers(client):
    response = client.post(
        "/api/retrieve", json={"question": "BRICS", "k": 2}, auth=("ann", "s3cret")
    )
    assert response.status_code == 200 and len(response.json()["passages"]) == 2


def test_bad_requests_get_a_422_naming_the_field(client):
    response = client.post("/api/ask", json={"question": "", "k": 0}, auth=("ann", "s3cret"))
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"question", "k"}


def test_loopback_addresses_are_recognised():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")


def test_auth_setting_must_be_user_colon_password():
    assert parse_auth("ann:s3:cret") == ("ann", "s3:cret")
    assert parse_auth(None) is None
    with pytest.raises(ConfigError, match="user:password"):
        parse_auth("ann")
