"""History over GraphQL, as the SDK sends it: shapes, bounds, sampling and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.store import Run, parquet_export
from tests.conftest import GraphQLClient

RUN_FIELD = """
query Q($project: String!, $entity: String!, $name: String!%s) {
  project(name: $project, entityName: $entity) { run(name: $name) { %s } }
}
"""
#: Types of the extra variables the tests pass.
TYPES = {"specs": "[JSONString!]!", "keys": "[String!]"}
VARIABLES = {"project": "proj", "entity": "team", "name": "run1"}


@pytest.fixture
def rows(gql: GraphQLClient) -> list[dict[str, Any]]:
    project = gql.store.projects.ensure_project("team", "proj")
    (run_id,) = gql.store.runs.insert(project.id, [Run(name="run1", username="team")])
    rows = [
        {"_step": step, "_runtime": step * 0.5, "loss": 1.0 / (step + 1)}
        | ({"val/loss": 2.0 / (step + 1)} if step % 5 == 4 else {})
        for step in range(40)
    ]
    gql.store.history.write_history(run_id, rows)
    gql.store.history.write_events(
        run_id, [{"_wandb": True, "_runtime": 15.0 * i, "system.cpu": 50.0 + i} for i in range(9)]
    )
    return rows


def _run(gql: GraphQLClient, selection: str, **variables: Any) -> Any:
    declared = "".join(f", ${name}: {TYPES[name]}" for name in variables if name in TYPES)
    return gql.query(RUN_FIELD % (declared, selection), {**VARIABLES, **variables})


def _field(gql: GraphQLClient, selection: str, name: str, **variables: Any) -> Any:
    result = _run(gql, selection, **variables)
    assert "errors" not in result, result["errors"]
    return result["data"]["project"]["run"][name]


def test_history_is_sampled_json_strings(gql: GraphQLClient, rows: list[dict]) -> None:
    lines = _field(gql, "history(samples: 4)", "history")
    assert all(isinstance(line, str) for line in lines)
    assert [json.loads(line) for line in lines] == [rows[0], rows[13], rows[26], rows[39]]
    assert len(_field(gql, "history", "history")) == 40


def test_history_page_max_step_is_exclusive(gql: GraphQLClient, rows: list[dict]) -> None:
    selection = "history(minStep: 10, maxStep: 20, samples: 10)"
    lines = _field(gql, selection, "history")
    assert [json.loads(line) for line in lines] == rows[10:20]


def test_sampled_history_filters_projects_and_includes_max_step(
    gql: GraphQLClient, rows: list[dict]
) -> None:
    specs = [
        json.dumps({"keys": ["_step", "val/loss", "_step"], "minStep": 4, "maxStep": 14}),
        json.dumps({"keys": ["_step", "loss"], "samples": 3}),
    ]
    answer = _field(gql, "sampledHistory(specs: $specs)", "sampledHistory", specs=specs)
    assert answer[0] == [{"_step": s, "val/loss": rows[s]["val/loss"]} for s in (4, 9, 14)]
    assert answer[1] == [{"_step": s, "loss": rows[s]["loss"]} for s in (0, 19, 39)]


def test_events_and_history_keys(gql: GraphQLClient, rows: list[dict]) -> None:
    events = [json.loads(line) for line in _field(gql, "events(samples: 3)", "events")]
    assert [event["_runtime"] for event in events] == [0.0, 60.0, 120.0]
    keys = _field(gql, "historyKeys", "historyKeys")
    assert keys["lastStep"] == 39
    assert keys["keys"]["val/loss"]["typeCounts"] == [{"type": "number", "count": 8}]


def test_live_data_lists_every_step_when_parquet_is_off(
    gql: GraphQLClient, rows: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setattr(parquet_export, "parquet_available", lambda: False)
    selection = "parquetHistory(liveKeys: $keys) { parquetUrls liveData }"
    answer = _field(gql, selection, "parquetHistory", keys=["_step"])
    assert answer == {"parquetUrls": [], "liveData": [{"_step": s} for s in range(40)]}
    answer = _field(gql, selection, "parquetHistory", keys=["_step", "val/loss"])
    assert answer["liveData"][0] == {"_step": 4, "val/loss": rows[4]["val/loss"]}


@pytest.mark.parametrize(
    ("selection", "fragment"),
    [
        ("history(samples: -1)", "samples must be a positive integer"),
        ("history(samples: 0)", "samples must be a positive integer"),
        ("events(samples: -5)", "samples must be a positive integer"),
        ("history(samples: 99999999999)", "Int cannot represent"),
        ('history(minStep: "a")', "Int64"),
    ],
)
def test_bad_arguments_are_graphql_errors(
    gql: GraphQLClient, rows: list[dict], selection: str, fragment: str
) -> None:
    result = _run(gql, selection)
    assert fragment in result["errors"][0]["message"]


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("{not json", "invalid JSON"),
        ('["_step"]', "must be a JSON object"),
        ('{"keys": "loss"}', "keys must be a list of strings"),
        ('{"keys": []}', "keys must be a list of strings"),
        ('{"keys": ["loss"], "samples": -3}', "samples must be a positive integer"),
        ('{"keys": ["loss"], "minStep": "x"}', "minStep must be a number"),
        ('{"keys": ["loss"], "maxStep": Infinity}', "maxStep must be a number"),
    ],
)
def test_malformed_specs_are_graphql_errors(
    gql: GraphQLClient, rows: list[dict], spec: str, fragment: str
) -> None:
    result = _run(gql, "sampledHistory(specs: $specs)", specs=[spec])
    assert fragment in result["errors"][0]["message"]


def test_empty_results_for_empty_ranges_unknown_keys_and_huge_samples(
    gql: GraphQLClient, rows: list[dict]
) -> None:
    assert _field(gql, "history(minStep: 30, maxStep: 10, samples: 5)", "history") == []
    specs = [
        json.dumps({"keys": ["_step", "nope"]}),
        json.dumps({"keys": ["loss"], "minStep": 9, "maxStep": 3}),
    ]
    assert _field(gql, "sampledHistory(specs: $specs)", "sampledHistory", specs=specs) == [[], []]
    assert len(_field(gql, "history(samples: 2000000000)", "history")) == 40


def test_missing_run_is_null(gql: GraphQLClient, rows: list[dict]) -> None:
    result = _run(gql, "history(samples: 5) historyKeys", name="nope")
    assert result == {"data": {"project": {"run": None}}}


def test_non_finite_numbers_never_break_the_response(gql: GraphQLClient, rows: list[dict]) -> None:
    run = gql.store.runs.get("team", "proj", "run1")
    assert run is not None
    odd = [
        {"_step": 40, "loss": float("nan"), "deep": {"x": [float("-inf")]}},
        {"_step": 41, "loss": float("inf")},
    ]
    gql.store.history.write_history(run.id, odd, 40)
    specs = [json.dumps({"keys": ["loss", "deep"], "minStep": 40})]
    answer = _field(gql, "sampledHistory(specs: $specs)", "sampledHistory", specs=specs)
    assert answer == [[{"loss": "NaN", "deep": {"x": ["-Infinity"]}}]]
    specs = [json.dumps({"keys": ["loss"], "minStep": 41})]
    answer = _field(gql, "sampledHistory(specs: $specs)", "sampledHistory", specs=specs)
    assert answer == [[{"loss": "Infinity"}]]
    lines = _field(gql, "history(minStep: 40, maxStep: 42, samples: 5)", "history")
    assert [json.loads(line)["_step"] for line in lines] == [40, 41]
