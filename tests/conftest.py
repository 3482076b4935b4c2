"""Shared test helpers: an in-process app client for emulator-level tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import Store, create_app
from emulator.state import state_of


class GraphQLClient:
    """A Starlette TestClient with a ``query`` helper, over a fresh in-memory store."""

    def __init__(self, http: TestClient, store: Store) -> None:
        self.http = http
        self.store = store

    def query(self, document: str, variables: dict[str, Any] | None = None, **extra: Any) -> dict:
        """POST a query the way the SDK does (``operationName: ""``) and return the JSON body."""
        body = {"operationName": "", "query": document, "variables": variables or {}, **extra}
        response = self.http.post("/graphql", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, document: str, variables: dict[str, Any] | None = None) -> dict:
        """Like :meth:`query` but asserts there were no errors and returns ``data``."""
        result = self.query(document, variables)
        assert "errors" not in result, result["errors"]
        return result["data"]


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store()
    yield store
    store.close()


@pytest.fixture
def gql(store: Store) -> Iterator[GraphQLClient]:
    with TestClient(create_app(store)) as http:
        yield GraphQLClient(http, store)


@pytest.fixture(params=["parquet", "live"])
def history_source(request: pytest.FixtureRequest, wandb_emulator: Any) -> Iterator[str]:
    """Run the test with history served as parquet files, then with parquet turned off."""
    state = state_of(wandb_emulator.server.app)
    settings = state.settings
    if request.param == "live":
        state.settings = replace(settings, parquet_history=False)
    yield request.param
    state.settings = settings
