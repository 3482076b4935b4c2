"""What each fault does on the wire, over loopback, and that faults never corrupt the store."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

import httpx
import pytest

from emulator import EmulatorServer, Store, create_app
from emulator.fault_rules import parse_rule
from emulator.state import EmulatorState, state_of

UPSERT = """mutation UpsertBucket($entity: String, $project: String, $name: String) {
  upsertBucket(input: {entityName: $entity, modelName: $project, name: $name}) { bucket { id } }
}"""
VARIABLES = {"entity": "team", "project": "p", "name": "run1"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(create_app(Store())) as running:
        yield running


@pytest.fixture
def state(server: EmulatorServer) -> EmulatorState:
    emulator = state_of(server.app)
    emulator.store.clear()
    emulator.reset_harness()
    return emulator


@pytest.fixture
def http(server: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def _fault(state: EmulatorState, **rule: Any) -> str:
    [added] = state.faults.add([parse_rule(rule)])
    return added.id


def _upsert(http: httpx.Client) -> httpx.Response:
    body = {"operationName": "", "query": UPSERT, "variables": VARIABLES}
    return http.post("/graphql", json=body)


def _last(state: EmulatorState) -> dict[str, Any]:
    return state.journal.entries()[-1].as_dict()


def test_a_rate_limit_says_when_to_come_back(state: EmulatorState, http: httpx.Client) -> None:
    rule = _fault(state, operation="UpsertBucket", status=429)
    response = _upsert(http)
    assert response.status_code == 429
    assert response.json() == {
        "errors": [{"message": f"Too Many Requests (fault {rule} of wandb-emulator)"}]
    }
    headers = response.headers
    assert (headers["retry-after"], headers["ratelimit-remaining"], headers["ratelimit-reset"]) == (
        "1",
        "0",
        "1",
    )
    assert headers["ratelimit-limit"].isdigit()


def test_other_statuses_and_routes(state: EmulatorState, http: httpx.Client) -> None:
    _fault(state, route="download", status=503, retry_after=0.25)
    _fault(state, route="parquet", status=404)
    outage = http.get("/_download/runfiles/e/p/r/a.txt")
    assert (outage.status_code, outage.headers["retry-after"]) == (503, "0.25")
    assert "Service Unavailable" in outage.json()["error"]
    missing = http.get("/_history/1/1.parquet")
    assert missing.status_code == 404
    assert "retry-after" not in missing.headers
    assert http.get("/healthz").status_code == 200


def test_a_graphql_error_is_an_http_200(state: EmulatorState, http: httpx.Client) -> None:
    _fault(state, operation="UpsertBucket", graphql_error="permission denied")
    response = _upsert(http)
    assert response.status_code == 200
    assert response.json() == {"errors": [{"message": "permission denied"}], "data": None}


def test_a_refused_write_changes_nothing(state: EmulatorState, http: httpx.Client) -> None:
    before = state.store.export()
    for rule in ({"status": 503}, {"graphql_error": "no"}, {"reset": True}):
        rule_id = _fault(state, operation="UpsertBucket", times=1, **rule)
        with pytest.raises(httpx.TransportError) if "reset" in rule else nullcontext():
            _upsert(http)
        entry = _last(state)
        assert (entry["fault"], entry["applied"]) == (rule_id, False)
        assert state.store.export() == before


def test_a_delayed_or_truncated_write_is_applied_whole(
    state: EmulatorState, http: httpx.Client
) -> None:
    rule = _fault(state, operation="UpsertBucket", delay_ms=150, times=1)
    assert _upsert(http).status_code == 200
    delayed = _last(state)
    assert (delayed["fault"], delayed["applied"], delayed["status"]) == (rule, True, 200)
    assert delayed["duration_ms"] >= 150

    state.store.clear()
    rule = _fault(state, operation="UpsertBucket", truncate=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        _upsert(http)
    truncated = _last(state)
    assert (truncated["fault"], truncated["applied"], truncated["status"]) == (rule, True, 200)
    assert state.store.runs.get("team", "p", "run1") is not None


def test_a_reset_drops_the_connection_without_an_answer(
    state: EmulatorState, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    _fault(state, route="graphql", reset=True, times=1)
    with caplog.at_level(logging.WARNING), pytest.raises(httpx.TransportError):
        _upsert(http)
    assert _last(state)["status"] is None
    assert _upsert(http).status_code == 200  # the next request is answered
    assert [record.getMessage() for record in caplog.records] == []  # no server error


def test_a_request_delayed_past_a_reset_is_dropped(
    state: EmulatorState, http: httpx.Client
) -> None:
    rule = state.faults.add([parse_rule({"operation": "UpsertBucket", "delay_ms": 300})])[0]
    failures: list[Exception] = []

    def send() -> None:
        try:
            _upsert(http)
        except httpx.TransportError as error:
            failures.append(error)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 10
    while rule.fired == 0 and time.monotonic() < deadline:
        time.sleep(0.001)  # until the request is waiting out its delay
    state.reset_harness()  # what the plugin does when the next test starts
    sender.join()
    assert len(failures) == 1
    assert state.store.runs.get("team", "p", "run1") is None
