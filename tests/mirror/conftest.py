"""Servers for mirror tests: a seeded source, a target loaded from the snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator import EmulatorServer, Store, create_app
from fixtures.seeding import seed_project
from tests.reliability.harness import free_port

ENTITY, PROJECT = "team", "vision"


@dataclass
class Source:
    """A seeded emulator to mirror from, and the failures it answers with."""

    server: EmulatorServer
    store: Store
    failures: FailureSwitch

    @property
    def url(self) -> str:
        return self.server.url


class FailureSwitch:
    """ASGI middleware answering some requests with an error status instead of the app.

    ``every``: each N-th request fails with ``status`` (a flaky source); ``down``: every
    request fails (an outage); ``only``: only requests whose path contains it count.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.every = 0
        self.status = 503
        self.down = False
        self.requests = 0
        self.failed = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests += 1
            if self.down or (self.every and self.requests % self.every == 0):
                self.failed += 1
                headers = [(b"retry-after", b"0"), (b"content-type", b"application/json")]
                await send(
                    {"type": "http.response.start", "status": self.status, "headers": headers}
                )
                await send({"type": "http.response.body", "body": b'{"error": "injected"}'})
                return
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def source() -> Iterator[Source]:
    """One seeded source server per test module (mirroring only reads it)."""
    store = Store()
    seed_project(
        store,
        seed=3,
        entity=ENTITY,
        project=PROJECT,
        runs=5,
        steps=150,
        username="alice-ml",
        files=True,
        artifacts=True,
    )
    failures = FailureSwitch(create_app(store))
    with EmulatorServer(failures) as server:  # type: ignore[arg-type]  # any ASGI app serves
        yield Source(server, store, failures)
    store.close()


@pytest.fixture
def healthy(source: Source) -> Iterator[Source]:
    """The source, answering every request (tests that inject failures reset them)."""
    yield source
    source.failures.every, source.failures.down, source.failures.status = 0, False, 503


@pytest.fixture
def target() -> Iterator[EmulatorServer]:
    """An empty emulator to load snapshots into."""
    store = Store()
    with EmulatorServer(create_app(store)) as server:
        yield server
    store.close()


@pytest.fixture
def unused_tcp_port() -> int:
    """A loopback port nothing listens on."""
    return free_port()
