"""Sweeps over GraphQL in-process: the mutations the SDK sends, the controller's answers,
and clear errors for bad input. The documents are the SDK's own (wandb 0.31)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from emulator.sweeps import grid
from emulator.sweeps import random as random_search
from tests.conftest import GraphQLClient

# What wandb.sweep() sends (wandb/apis/public/sweeps.py, _upsert_sweep, newest form).
UPSERT = """
mutation UpsertSweep($id: ID, $config: String, $description: String, $entityName: String,
    $projectName: String, $controller: JSONString, $launchScheduler: JSONString,
    $templateVariableValues: JSONString, $scheduler: JSONString, $state: String,
    $priorRunsFilters: JSONString, $displayName: String) {
  upsertSweep(input: {id: $id, config: $config, description: $description,
      entityName: $entityName, projectName: $projectName, controller: $controller,
      launchScheduler: $launchScheduler, templateVariableValues: $templateVariableValues,
      scheduler: $scheduler, state: $state, priorRunsFilters: $priorRunsFilters,
      displayName: $displayName}) {
    sweep { name project { id name entity { id name } } }
    configValidationWarnings
  }
}
"""
# _sweep_with_runs, with the agent's spec "{}".
SWEEP_WITH_RUNS = """
query SweepWithRuns($entity: String, $project: String, $sweep: String!, $specs: [JSONString!]!) {
  project(name: $project, entityName: $entity) {
    sweep(sweepName: $sweep) {
      id name method state description config createdAt heartbeatAt updatedAt
      earlyStopJobRunning bestLoss controller scheduler
      runs { edges { node { name state config exitcode heartbeatAt shouldStop failed
                            stopped running summaryMetrics sampledHistory(specs: $specs) } } }
    }
  }
}
"""
CREATE_AGENT = """
mutation CreateAgent($host: String!, $projectName: String, $entityName: String, $sweep: String!) {
  createAgent(input: {host: $host, projectName: $projectName, entityName: $entityName,
                      sweep: $sweep}) { agent { id } }
}
"""
HEARTBEAT = """
mutation Heartbeat($id: ID!, $metrics: JSONString, $runState: JSONString) {
  agentHeartbeat(input: {id: $id, metrics: $metrics, runState: $runState}) {
    agent { id } commands
  }
}
"""

GRID = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01]}, "layers": {"min": 1, "max": 3}},
}
RANDOM = {
    "method": "random",
    "parameters": {
        "lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
        "optimizer": {"values": ["adam", "sgd"]},
        "model": {"parameters": {"width": {"values": [64, 128]}, "dropout": {"value": 0.1}}},
    },
}


def create(gql: GraphQLClient, config: dict[str, Any] | str, **variables: Any) -> dict[str, Any]:
    text = config if isinstance(config, str) else yaml.safe_dump(config)
    return gql.query(
        UPSERT, {"config": text, "entityName": "alice", "projectName": "p", **variables}
    )


def sweep_name(gql: GraphQLClient, config: dict[str, Any]) -> str:
    result = create(gql, config)
    assert "errors" not in result, result
    assert result["data"]["upsertSweep"]["configValidationWarnings"] == []
    return str(result["data"]["upsertSweep"]["sweep"]["name"])


def agent(gql: GraphQLClient, sweep: str) -> str:
    data = gql.data(
        CREATE_AGENT, {"host": "h", "entityName": "alice", "projectName": "p", "sweep": sweep}
    )
    return str(data["createAgent"]["agent"]["id"])


def heartbeat(gql: GraphQLClient, agent_id: str, running: dict[str, bool] | None = None) -> list:
    data = gql.data(
        HEARTBEAT, {"id": agent_id, "metrics": "{}", "runState": json.dumps(running or {})}
    )
    return list(json.loads(data["agentHeartbeat"]["commands"]))


def read(gql: GraphQLClient, sweep: str) -> dict[str, Any]:
    data = gql.data(
        SWEEP_WITH_RUNS, {"entity": "alice", "project": "p", "sweep": sweep, "specs": "{}"}
    )
    return dict(data["project"]["sweep"])


def test_a_created_sweep_reads_back_as_the_sdk_asks(gql: GraphQLClient) -> None:
    name = sweep_name(gql, GRID)
    sweep = read(gql, name)

    assert len(name) == 8 and name.isalnum() and name.islower()
    assert (sweep["name"], sweep["method"], sweep["state"]) == (name, "grid", "PENDING")
    assert yaml.safe_load(sweep["config"]) == GRID
    assert sweep["runs"]["edges"] == [] and sweep["bestLoss"] is None
    counts = gql.data(
        'query { project(name: "p", entityName: "alice") { totalSweeps'
        f' sweep(sweepName: "{name}") {{ runCount runCountExpected createdAt }} }} }}'
    )["project"]
    assert counts["totalSweeps"] == 1
    assert counts["sweep"]["runCount"] == 0 and counts["sweep"]["runCountExpected"] == 6
    assert counts["sweep"]["createdAt"]


def test_a_grid_hands_out_every_point_once_then_exits(gql: GraphQLClient) -> None:
    name = sweep_name(gql, GRID)
    agent_id = agent(gql, name)
    handed = []
    for _ in range(6):
        [command] = heartbeat(gql, agent_id)
        assert command["type"] == "run" and len(command["run_id"]) == 8
        # A busy agent gets nothing new.
        assert heartbeat(gql, agent_id, {command["run_id"]: True}) == []
        handed.append({key: arg["value"] for key, arg in command["args"].items()})

    stored = yaml.safe_load(yaml.safe_dump(GRID))  # the SDK sends YAML with sorted keys
    assert handed == [grid.point(stored, seq) for seq in range(6)]
    assert {(p["lr"], p["layers"]) for p in handed} == {
        (lr, layers) for lr in (0.1, 0.01) for layers in (1, 2, 3)
    }
    assert heartbeat(gql, agent_id) == [{"type": "exit"}]
    assert read(gql, name)["state"] == "FINISHED"


def test_random_suggestions_follow_the_parameters_and_the_sweep_seed(gql: GraphQLClient) -> None:
    name = sweep_name(gql, RANDOM)
    agent_id = agent(gql, name)
    handed = [heartbeat(gql, agent_id)[0]["args"] for _ in range(20)]

    values = [{key: arg["value"] for key, arg in args.items()} for args in handed]
    stored = yaml.safe_load(yaml.safe_dump(RANDOM))
    assert values == [random_search.point(stored, name, seq) for seq in range(20)]
    assert all(1e-4 <= v["lr"] <= 1e-1 and v["optimizer"] in ("adam", "sgd") for v in values)
    assert all(v["model"]["width"] in (64, 128) and v["model"]["dropout"] == 0.1 for v in values)
    assert len({v["lr"] for v in values}) == 20
    assert read(gql, name)["state"] == "RUNNING"


def _set_state(gql: GraphQLClient, name: str, state: str) -> None:
    sweep_id = read(gql, name)["id"]
    result = gql.query(UPSERT, {"id": sweep_id, "state": state})
    assert "errors" not in result, result


def test_pause_resume_stop_and_cancel_steer_the_agents(gql: GraphQLClient) -> None:
    name = sweep_name(gql, RANDOM)
    agent_id = agent(gql, name)
    [first] = heartbeat(gql, agent_id)
    running = {first["run_id"]: True}

    _set_state(gql, name, "PAUSED")
    assert heartbeat(gql, agent_id) == []
    _set_state(gql, name, "RUNNING")
    assert heartbeat(gql, agent_id)[0]["type"] == "run"

    _set_state(gql, name, "FINISHED")  # wandb sweep --stop: running runs may end
    assert heartbeat(gql, agent_id, running) == []
    assert heartbeat(gql, agent_id) == [{"type": "exit"}]

    _set_state(gql, name, "CANCELED")  # wandb sweep --cancel: running runs are stopped
    assert heartbeat(gql, agent_id, running) == [{"type": "stop", "run_id": first["run_id"]}]
    assert heartbeat(gql, agent_id, {first["run_id"]: False}) == [{"type": "exit"}]


def test_runs_of_a_sweep_are_counted_and_filtered(gql: GraphQLClient) -> None:
    name = sweep_name(gql, GRID)
    upsert = (
        "mutation($name: String, $sweep: String, $summary: JSONString) {"
        ' upsertBucket(input: {name: $name, entityName: "alice", modelName: "p",'
        " sweep: $sweep, summaryMetrics: $summary}) { bucket { id } } }"
    )
    for run, loss in (("a", 0.5), ("b", 0.2)):
        gql.data(upsert, {"name": run, "sweep": name, "summary": json.dumps({"loss": loss})})
    gql.data(upsert, {"name": "other", "summary": json.dumps({"loss": 0.1})})

    sweep = read(gql, name)
    assert sorted(edge["node"]["name"] for edge in sweep["runs"]["edges"]) == ["a", "b"]
    assert sweep["bestLoss"] == 0.2
    assert all(edge["node"]["sampledHistory"] == [[]] for edge in sweep["runs"]["edges"])
    project = gql.data(
        'query($f: JSONString) { project(name: "p", entityName: "alice") {'
        " runs(filters: $f) { edges { node { name sweep { name } } } } } }",
        {"f": json.dumps({"sweep": name})},
    )["project"]
    assert [(e["node"]["name"], e["node"]["sweep"]["name"]) for e in project["runs"]["edges"]] == [
        ("b", name),
        ("a", name),
    ]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("method: [grid", "invalid sweep config YAML"),
        ("- a list", "sweep config must be a mapping"),
        ({"method": "annealing", "parameters": {"x": {"value": 1}}}, "method: must be one of"),
        ({"method": "grid"}, "parameters: must be a non-empty mapping"),
        (
            {"method": "random", "parameters": {"lr": {"min": 0.1, "max": 0.01}}},
            "parameters.lr: min 0.1 is greater than max 0.01",
        ),
        (
            {
                "method": "random",
                "parameters": {"lr": {"distribution": "log_uniform_values", "min": 0, "max": 1}},
            },
            "needs min > 0",
        ),
        (
            {"method": "random", "parameters": {"lr": {"distribution": "zipf"}}},
            "unknown distribution 'zipf'",
        ),
        (
            {"method": "random", "parameters": {"bs": {"values": []}}},
            "parameters.bs.values: must be a non-empty list",
        ),
        (
            {"method": "grid", "parameters": {"lr": {"min": 0.1, "max": 1.0}}},
            "grid search needs value, values or integer bounds",
        ),
        ({"method": "bayes", "parameters": {"x": {"value": 1}}}, "bayes search needs a metric"),
        (
            {
                "method": "random",
                "metric": {"name": "loss", "goal": "lowest"},
                "parameters": {"x": {"value": 1}},
            },
            "metric.goal: must be minimize or maximize",
        ),
        (
            {
                "method": "random",
                "metric": {"name": "loss"},
                "parameters": {"x": {"value": 1}},
                "early_terminate": {"type": "median"},
            },
            "early_terminate.type: must be hyperband",
        ),
        (
            {"method": "random", "run_cap": 0, "parameters": {"x": {"value": 1}}},
            "run_cap: must be a positive integer",
        ),
    ],
)
def test_invalid_configs_are_refused_naming_the_bad_part(
    gql: GraphQLClient, config: Any, message: str
) -> None:
    result = create(gql, config)

    assert result["data"]["upsertSweep"] is None
    assert message in result["errors"][0]["message"]
    assert gql.store.sweeps.count(gql.store.projects.ensure_project("alice", "p").id) == 0


def test_unknown_sweeps_and_agents_are_clear_errors(gql: GraphQLClient) -> None:
    result = gql.query(
        CREATE_AGENT, {"host": "h", "entityName": "alice", "projectName": "p", "sweep": "nosuchsw"}
    )
    assert result["errors"][0]["message"] == "sweep alice/p/nosuchsw not found"

    for bad in ("QWdlbnQ6OTk5", "not-an-id"):  # Agent:999, then garbage
        result = gql.query(HEARTBEAT, {"id": bad, "runState": "{}"})
        assert result["data"]["agentHeartbeat"] is None
        assert "agent" in result["errors"][0]["message"]

    result = gql.query(UPSERT, {"id": "U3dlZXA6OTk5", "state": "PAUSED"})  # Sweep:999
    assert "not found" in result["errors"][0]["message"]
    missing = gql.data(
        SWEEP_WITH_RUNS.replace("$specs: [JSONString!]!", "").replace(
            "sampledHistory(specs: $specs)", ""
        ),
        {"entity": "alice", "project": "p", "sweep": "nosuchsw"},
    )
    assert missing["project"] is None or missing["project"]["sweep"] is None


def test_finished_sweeps_take_no_agents_and_states_are_checked(gql: GraphQLClient) -> None:
    name = sweep_name(gql, GRID)
    sweep_id = read(gql, name)["id"]

    result = gql.query(UPSERT, {"id": sweep_id, "state": "DONE"})
    assert "unknown sweep state 'DONE'" in result["errors"][0]["message"]
    _set_state(gql, name, "FINISHED")
    result = gql.query(
        CREATE_AGENT, {"host": "h", "entityName": "alice", "projectName": "p", "sweep": name}
    )
    message = f"sweep alice/p/{name} is finished; it takes no more agents"
    assert result["errors"][0]["message"] == message
    stored = gql.store.sweeps.get("alice", "p", name)
    assert stored is not None and gql.store.sweeps.agents(stored.id) == []


def test_bayes_without_the_engine_names_the_extra(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sweeps", None)  # as if not installed
    config = {
        "method": "bayes",
        "metric": {"name": "loss"},
        "parameters": {"lr": {"min": 0.0, "max": 1.0}},
    }
    result = create(gql, config)
    assert "pip install 'wandb-emulator[sweeps]'" in result["errors"][0]["message"]


def test_hyperband_stops_a_run_that_falls_behind(gql: GraphQLClient) -> None:
    pytest.importorskip("emulator.sweeps.engine").load()  # skipped without the sweeps extra
    config = {
        "method": "random",
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"lr": {"min": 0.0, "max": 1.0}},
        "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2},
    }
    name = sweep_name(gql, config)
    store = gql.store
    project = store.projects.project("alice", "p")
    assert project is not None
    losses = {
        "a": [1, 0.5, 0.2, 0.1],
        "b": [1, 0.6, 0.3, 0.2],
        "c": [1, 0.4, 0.2, 0.1],
        "behind": [5, 5, 5],
    }
    for run, values in losses.items():
        state = "running" if run == "behind" else "finished"
        store.runs.upsert(
            "alice",
            "p",
            run,
            {"sweep_name": name, "state": state, "summary_metrics": {"loss": values[-1]}},
            username="alice",
        )
        stored = store.runs.get("alice", "p", run)
        assert stored is not None
        store.history.write_history(
            stored.id, [{"_step": step, "loss": loss} for step, loss in enumerate(values)]
        )
    agent_id = agent(gql, name)

    assert heartbeat(gql, agent_id, {"behind": True}) == [{"type": "stop", "run_id": "behind"}]
    assert heartbeat(gql, agent_id, {"c": True}) == []


def test_a_local_controllers_schedule_is_served_once_then_ends_the_sweep(
    gql: GraphQLClient,
) -> None:
    name = sweep_name(gql, {**GRID, "controller": {"type": "local"}})
    sweep_id = read(gql, name)["id"]
    agent_id = agent(gql, name)
    assert heartbeat(gql, agent_id) == []  # nothing scheduled yet

    def schedule(args: dict[str, Any] | None) -> None:
        controller = {"schedule": [{"id": f"s{len(str(args))}", "data": {"args": args}}]}
        gql.data(UPSERT, {"id": sweep_id, "controller": json.dumps(controller)})

    schedule({"lr": {"value": 0.5}, "layers": {"value": 2}})
    [command] = heartbeat(gql, agent_id)
    assert command["args"] == {"lr": {"value": 0.5}, "layers": {"value": 2}}
    assert heartbeat(gql, agent_id) == []  # served once
    scheduled = json.loads(read(gql, name)["scheduler"])["scheduled"]
    assert [entry["runid"] for entry in scheduled] == [command["run_id"]]

    schedule(None)  # the controller's search is over
    assert heartbeat(gql, agent_id) == [{"type": "exit"}]
    assert read(gql, name)["state"] == "FINISHED"
