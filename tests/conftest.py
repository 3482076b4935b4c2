"""Shared test helpers: an in-process app client for emulator-level tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
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


#: The browser the UI tests drive: Debian's chromium package (see .ci/run).
CHROMIUM = os.environ.get("WANDB_EMULATOR_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Playwright driving the system's chromium)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium not found at {CHROMIUM}: install it (apt-get install -y chromium) or set"
            " WANDB_EMULATOR_CHROMIUM; the UI tests need a real browser"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # No sandbox: CI runs as root, and the pages come from our own loopback server.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open browser pages, each in its own context (``viewport``, ``color_scheme``...:
    Playwright's context options); the test fails on a console error in any of them."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_(**options: Any) -> Any:
        context = browser.new_context(**{"accept_downloads": True, **options})
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def page(open_page: Callable[..., Any]) -> Any:
    """A browser page at laptop width; the test fails on any console error."""
    return open_page(viewport={"width": 1280, "height": 900})
