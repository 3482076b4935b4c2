"""file_stream: what a logging run streams is stored at its offsets; bad posts are 4xx."""

from __future__ import annotations

import gzip
import json
import math
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import Settings, Store, create_app
from tests.conftest import GraphQLClient

URL = "/files/team/proj/run1/file_stream"


def _lines(offset: int, *rows: Any) -> dict[str, Any]:
    return {"offset": offset, "content": [json.dumps(row) for row in rows]}


@pytest.fixture
def run_id(gql: GraphQLClient) -> int:
    gql.store.runs.upsert("team", "proj", "run1", {}, username="team")
    run = gql.store.runs.get("team", "proj", "run1")
    assert run is not None
    return run.id


def _post(gql: GraphQLClient, body: Any, **kwargs: Any) -> Any:
    return gql.http.post(URL, json=body, **kwargs)


def test_history_events_summary_and_console_are_stored(gql: GraphQLClient, run_id: int) -> None:
    body = {
        "files": {
            "wandb-history.jsonl": _lines(0, {"_step": 0, "loss": 1.0}, {"_step": 1, "loss": 0.5}),
            "wandb-events.jsonl": _lines(0, {"_wandb": True, "system.cpu": 3}),
            "wandb-summary.json": _lines(0, {"loss": 0.5, "_step": 1}),
            "output.log": {"offset": 0, "content": ["2026-01-01T00:00:00.000001 hello"]},
        },
        "uploaded": ["config.yaml"],
    }
    response = _post(gql, body)
    assert response.status_code == 200
    assert response.json() == {}

    store = gql.store
    assert store.history.history_rows(run_id) == [
        {"_step": 0, "loss": 1.0},
        {"_step": 1, "loss": 0.5},
    ]
    assert store.history.event_rows(run_id) == [{"_wandb": True, "system.cpu": 3}]
    assert store.console.lines(run_id) == ["2026-01-01T00:00:00.000001 hello"]
    assert store.lifecycle.uploaded(run_id) == ["config.yaml"]
    run = store.runs.by_id(run_id)
    assert run is not None
    assert run.summary_metrics == {"loss": 0.5, "_step": 1}
    assert (run.state, run.history_line_count, run.events_line_count) == ("running", 2, 1)


def test_resent_offsets_overwrite_and_console_lines_can_be_rewritten(
    gql: GraphQLClient, run_id: int
) -> None:
    _post(gql, {"files": {"wandb-history.jsonl": _lines(0, {"_step": 0}, {"_step": 1})}})
    _post(gql, {"files": {"wandb-history.jsonl": _lines(1, {"_step": 1, "x": 2}, {"_step": 2})}})
    _post(gql, {"files": {"output.log": {"offset": 0, "content": ["a 10%", "b"]}}})
    _post(gql, {"files": {"output.log": {"offset": 0, "content": ["a 100%"]}}})
    assert gql.store.history.history_rows(run_id) == [
        {"_step": 0},
        {"_step": 1, "x": 2},
        {"_step": 2},
    ]
    assert gql.store.console.lines(run_id) == ["a 100%", "b"]


@pytest.mark.parametrize(
    ("exit_code", "state"), [(0, "finished"), (1, "failed"), (None, "finished")]
)
def test_complete_ends_the_run_with_its_exit_code(
    gql: GraphQLClient, run_id: int, exit_code: int | None, state: str
) -> None:
    assert _post(gql, {"complete": True, "exitcode": exit_code}).status_code == 200
    assert gql.store.runs.by_id(run_id).state == state
    assert gql.store.lifecycle.exit_code(run_id) == exit_code


def test_a_heartbeat_revives_an_ended_run(gql: GraphQLClient, run_id: int) -> None:
    gql.store.runs.update(run_id, {"state": "crashed", "heartbeat_at": "2020-01-01T00:00:00"})
    assert _post(gql, {}).json() == {}
    run = gql.store.runs.by_id(run_id)
    assert run.state == "running"
    assert run.heartbeat_at > "2020-01-01T00:00:00"


def test_gzip_bodies_are_accepted(gql: GraphQLClient, run_id: int) -> None:
    body = gzip.compress(
        json.dumps({"files": {"wandb-history.jsonl": _lines(0, {"a": 1})}}).encode()
    )
    response = gql.http.post(URL, content=body, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 200
    assert gql.store.history.history_rows(run_id) == [{"a": 1}]


def test_a_stopped_run_is_told_so(gql: GraphQLClient, run_id: int) -> None:
    run_storage_id = gql.data(
        '{ project(name: "proj", entityName: "team") { run(name: "run1") { id } } }'
    )
    stop = "mutation($id: ID!) { stopRun(input: {id: $id}) { success } }"
    assert gql.data(stop, {"id": run_storage_id["project"]["run"]["id"]}) == {
        "stopRun": {"success": True}
    }
    assert _post(gql, {}).json() == {"stopped": True}


BAD_BODIES = [
    ("not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ({"files": {"wandb-history.jsonl": _lines(-1, {"a": 1})}}, "non-negative"),
    ({"files": {"wandb-history.jsonl": _lines(5, {"a": 1})}}, "skips lines"),
    ({"files": {"wandb-events.jsonl": _lines(3, {"a": 1})}}, "skips lines"),
    ({"files": {"output.log": {"offset": 9, "content": ["x"]}}}, "skips lines"),
    ({"files": {"wandb-history.jsonl": {"offset": 1, "content": ["[1]"]}}}, "JSON object"),
    ({"files": {"wandb-history.jsonl": {"offset": 1, "content": ["{"]}}}, "not valid JSON"),
    ({"files": {"wandb-history.jsonl": {"offset": 1, "content": "{}"}}}, "list of strings"),
    ({"files": {"wandb-summary.json": {"content": ["3"]}}}, "JSON object"),
    ({"files": {"secret.bin": _lines(0, {})}}, "unsupported"),
    ({"uploaded": "x"}, "list of file names"),
    ({"complete": "yes"}, "boolean"),
    ({"complete": True, "exitcode": "1"}, "integer"),
]


@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_bad_bodies_are_refused_and_nothing_stored_is_lost(
    gql: GraphQLClient, run_id: int, body: Any, message: str
) -> None:
    _post(
        gql,
        {
            "files": {
                "wandb-history.jsonl": _lines(0, {"_step": 0}),
                "wandb-summary.json": _lines(0, {"loss": 1}),
            }
        },
    )
    # A valid part next to the bad one must not be stored either.
    if isinstance(body, dict):
        files = {"wandb-summary.json": _lines(0, {}), **body.get("files", {})}
        body = {"uploaded": ["late.txt"], **body, "files": files}
    content = body if isinstance(body, str) else json.dumps(body)
    response = gql.http.post(URL, content=content)
    assert response.status_code == 400
    assert message in response.json()["error"]
    run = gql.store.runs.by_id(run_id)
    assert gql.store.history.history_rows(run_id) == [{"_step": 0}]
    assert run.summary_metrics == {"loss": 1}
    assert run.state == "running"
    assert gql.store.lifecycle.uploaded(run_id) == []


def test_bad_gzip_unknown_runs_and_oversized_bodies_are_4xx(store: Store) -> None:
    app = create_app(store, settings=Settings(max_file_stream_bytes=1000))
    store.runs.upsert("team", "proj", "run1", {}, username="team")
    with TestClient(app) as http:
        bad_gzip = http.post(URL, content=b"\x1f\x8b nope", headers={"Content-Encoding": "gzip"})
        assert bad_gzip.status_code == 400
        assert "gzip" in bad_gzip.json()["error"]
        truncated = gzip.compress(b"{}" * 50)[:-8]
        response = http.post(URL, content=truncated, headers={"Content-Encoding": "gzip"})
        assert response.status_code == 400
        unknown = http.post("/files/team/proj/nope/file_stream", json={})
        assert unknown.status_code == 404
        assert "team/proj/nope" in unknown.json()["error"]
        assert http.post(URL, content=b" " * 1001).status_code == 413
        bomb = gzip.compress(b" " * 100_000)
        response = http.post(URL, content=bomb, headers={"Content-Encoding": "gzip"})
        assert response.status_code == 413
        assert "1000 bytes" in response.json()["error"]


def test_console_lines_become_the_output_log_file(gql: GraphQLClient, run_id: int) -> None:
    stamp = "2026-01-01T00:00:00.000001"
    lines = [f"{stamp} epoch 1", f"ERROR {stamp} oops", f"{stamp} 10%"]
    _post(gql, {"files": {"output.log": {"offset": 0, "content": lines}}})
    _post(gql, {"files": {"output.log": {"offset": 2, "content": [f"{stamp} 100%"]}}})
    stored = gql.store.files.get(run_id, "output.log")
    assert gql.store.files.read(stored) == b"epoch 1\noops\n100%\n"
    # The SDK uploads its own output.log at finish; the complete console replaces it.
    gql.store.files.put(run_id, "output.log", b"100%\n")
    _post(gql, {"complete": True, "exitcode": 0})
    stored = gql.store.files.get(run_id, "output.log")
    assert gql.store.files.read(stored) == b"epoch 1\noops\n100%\n"


def test_nan_and_infinities_keep_runs_queryable(gql: GraphQLClient, run_id: int) -> None:
    rows = [{"_step": 0, "loss": float("nan")}, {"_step": 1, "loss": float("-inf")}]
    body = {
        "files": {
            "wandb-history.jsonl": {"offset": 0, "content": [json.dumps(row) for row in rows]},
            "wandb-summary.json": {"offset": 0, "content": ['{"loss": -Infinity, "x": NaN}']},
        }
    }
    assert _post(gql, body).status_code == 200
    query = """{ project(name: "proj", entityName: "team") {
      runs(order: "-summary_metrics.loss", filters: "{\\"summary_metrics.loss\\": {\\"$lt\\": 0}}")
        { edges { node { name summaryMetrics historyKeys } } } } }"""
    [edge] = gql.data(query)["project"]["runs"]["edges"]
    assert json.loads(edge["node"]["summaryMetrics"]) == {"loss": float("-inf"), "x": "NaN"}
    assert edge["node"]["historyKeys"]["lastStep"] == 1
    first, second = gql.store.history.history_rows(run_id)
    assert math.isnan(first["loss"])
    assert second["loss"] == float("-inf")
