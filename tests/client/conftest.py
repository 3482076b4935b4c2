"""Fixtures of the client's unit tests: an Api wired to a scripted fake server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from client_fakes import API_KEY, BASE_URL, WANDB_ENV_VARS, FakeServer

from client import Api


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No W&B environment variables leak in from the machine running the tests."""
    for name in WANDB_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def fake_server() -> FakeServer:
    fake = FakeServer()
    fake.reply("GetDefaultEntity", {"viewer": {"id": "VXNlcjox", "entity": "ent"}})
    return fake


@pytest.fixture
def fake_http(fake_server: FakeServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(fake_server)) as client:
        yield client


@pytest.fixture
def api(clean_env: pytest.MonkeyPatch, fake_http: httpx.Client) -> Api:
    return Api(api_key=API_KEY, http_client=fake_http, retry_backoff=0)
