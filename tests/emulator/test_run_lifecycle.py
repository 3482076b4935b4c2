"""What resuming a run reads back, and runs that stop heartbeating becoming crashed."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from starlette.testclient import TestClient

from emulator import Settings, Store, create_app
from emulator.cli import _parser, serve_settings
from emulator.store import Lines, StreamBatch
from tests.conftest import GraphQLClient

RESUME_STATUS = """
query RunResumeStatus($project: String, $entity: String, $name: String!) {
  model(name: $project, entityName: $entity) {
    bucket(name: $name, missingOk: true) {
      name summaryMetrics logLineCount historyLineCount eventsLineCount
      historyTail eventsTail config wandbConfig(keys: ["t"])
    }
  }
}
"""
CONFIG = {"lr": {"value": 0.1}, "_wandb": {"value": {"t": {"4": "3.11"}, "m": []}}}


def _resume_status(gql: GraphQLClient, name: str) -> dict | None:
    variables = {"project": "proj", "entity": "team", "name": name}
    return gql.data(RESUME_STATUS, variables)["model"]["bucket"]


def test_resume_status_has_counts_tails_and_wandb_config(gql: GraphQLClient) -> None:
    gql.store.runs.upsert("team", "proj", "run1", {"config": CONFIG}, username="team")
    run_id = gql.store.runs.get("team", "proj", "run1").id
    rows = [{"_step": step, "loss": 1 / (step + 1)} for step in range(12)]
    batch = StreamBatch(
        history=Lines(0, rows),
        events=Lines(0, [{"_wandb": True}]),
        console=Lines(0, ["a", "b", "c"]),
        summary={"loss": rows[-1]["loss"], "_step": 11},
    )
    gql.store.stream.apply(run_id, batch)

    bucket = _resume_status(gql, "run1")
    assert (bucket["historyLineCount"], bucket["eventsLineCount"], bucket["logLineCount"]) == (
        12,
        1,
        3,
    )
    tail = [json.loads(line) for line in json.loads(bucket["historyTail"])]
    assert tail == rows[-10:]
    assert [json.loads(line) for line in json.loads(bucket["eventsTail"])] == [{"_wandb": True}]
    assert json.loads(bucket["wandbConfig"]) == {"t": {"4": "3.11"}}
    assert json.loads(bucket["config"]) == CONFIG
    assert json.loads(bucket["summaryMetrics"])["_step"] == 11


def test_a_new_run_has_no_resume_status_and_empty_tails(gql: GraphQLClient) -> None:
    gql.store.runs.upsert("team", "proj", "fresh", {}, username="team")
    assert _resume_status(gql, "nope") is None
    bucket = _resume_status(gql, "fresh")
    assert json.loads(bucket["historyTail"]) == []
    assert json.loads(bucket["wandbConfig"]) == {}
    assert bucket["logLineCount"] == 0


def test_crash_stale_marks_only_running_runs_without_recent_heartbeat(store: Store) -> None:
    for name, state, beat in [
        ("old", "running", "2026-01-01T00:00:00"),
        ("recent", "running", "2026-01-01T00:00:50"),
        ("done", "finished", "2026-01-01T00:00:00"),
    ]:
        store.runs.upsert(
            "team", "proj", name, {"state": state, "heartbeat_at": beat}, username="t"
        )
    now = datetime(2026, 1, 1, 0, 1, 0, tzinfo=timezone.utc)
    assert store.lifecycle.crash_stale(30, now=now) == 1
    assert store.lifecycle.crash_stale(30, now=now) == 0
    states = {
        name: store.runs.get("team", "proj", name).state for name in ("old", "recent", "done")
    }
    assert states == {"old": "crashed", "recent": "running", "done": "finished"}


def test_the_heartbeat_timeout_setting_applies_when_runs_are_read(store: Store) -> None:
    store.runs.upsert(
        "team", "proj", "quiet", {"heartbeat_at": "2020-01-01T00:00:00"}, username="t"
    )
    store.runs.upsert("team", "proj", "alive", {}, username="t")
    query = '{ project(name: "proj", entityName: "team") { q: run(name: "quiet") { state }'
    query += ' a: run(name: "alive") { state } } }'
    with TestClient(create_app(store, settings=Settings(heartbeat_timeout_s=3600))) as http:
        data = http.post("/graphql", json={"query": query}).json()["data"]["project"]
    assert data == {"q": {"state": "crashed"}, "a": {"state": "running"}}


def test_without_a_timeout_silent_runs_stay_running(gql: GraphQLClient) -> None:
    gql.store.runs.upsert("team", "proj", "quiet", {"heartbeat_at": "2020-01-01"}, username="t")
    query = '{ project(name: "proj", entityName: "team") { run(name: "quiet") { state } } }'
    assert gql.data(query)["project"]["run"]["state"] == "running"


@pytest.mark.parametrize(("flags", "timeout"), [([], None), (["--heartbeat-timeout", "90"], 90)])
def test_serve_takes_a_heartbeat_timeout(flags: list[str], timeout: float | None) -> None:
    args = _parser().parse_args(["serve", *flags])
    assert serve_settings(args).heartbeat_timeout_s == timeout


def test_serve_refuses_a_non_positive_heartbeat_timeout(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["serve", "--heartbeat-timeout", "0"])
    assert "must be positive" in capsys.readouterr().err
