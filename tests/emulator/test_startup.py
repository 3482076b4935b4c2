"""What starting a server loads: the GraphQL stack only for ``/graphql`` or the warm-up.

Each check runs in a fresh interpreter, since this one has long imported everything.
"""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from emulator.cli import main
from emulator.server import EmulatorServer

_GRAPHQL_STACK = ("graphql", "ariadne", "emulator.resolvers", "emulator.endpoints.graphql")


def _run(script: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"GRAPHQL_STACK = {_GRAPHQL_STACK!r}\n{script}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_other_routes_answer_without_the_graphql_stack_and_graphql_loads_it() -> None:
    _run("""
import sys
from starlette.testclient import TestClient
from emulator import create_app

with TestClient(create_app()) as client:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert [name for name in GRAPHQL_STACK if name in sys.modules] == []
    answer = client.post("/graphql", json={"query": "{ viewer { entity } }"}).json()
    assert answer == {"data": {"viewer": {"entity": "emulator"}}}, answer
    assert "<html" in client.get("/graphql").text.lower()
    assert [name for name in GRAPHQL_STACK if name not in sys.modules] == []
""")


def test_warm_up_loads_the_graphql_stack() -> None:
    _run("""
import sys
from emulator.endpoints import warm_up

warm_up()
assert [name for name in GRAPHQL_STACK if name not in sys.modules] == []
""")


def test_threads_asking_for_the_schema_at_once_share_one() -> None:
    _run("""
import threading
from emulator.graphql_schema import build_schema

start = threading.Barrier(4)
built = []

def build():
    start.wait()
    built.append(build_schema())

threads = [threading.Thread(target=build) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert len(built) == 4 and all(schema is built[0] for schema in built)
""")


def test_serve_warms_the_graphql_stack_up_once_it_listens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warmed = threading.Event()

    def wait_for_the_warm_up(server: EmulatorServer) -> None:
        """Instead of serving: wait for the warm-up started just before, then close."""
        warmed.wait(timeout=60)
        server.stop()

    monkeypatch.setattr("emulator.endpoints.warm_up", warmed.set)
    monkeypatch.setattr(EmulatorServer, "serve_forever", wait_for_the_warm_up)
    main(["serve", "--port", "0"])
    assert warmed.is_set()
