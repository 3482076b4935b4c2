"""Runs: lazy pagination by the last edge cursor, len() from runCount, indexing, lazy runs."""

from __future__ import annotations

import json

import pytest
from client_fakes import FakeServer, full_run_node, run_node, runs_handler

from client import Api, NotFoundError, Run

NODES = [run_node(f"run{index}") for index in range(5)]


@pytest.fixture
def served(fake_server: FakeServer) -> FakeServer:
    fake_server.on("Runs", runs_handler(NODES))
    return fake_server


def cursors(fake_server: FakeServer) -> list[str | None]:
    return [call.variables["cursor"] for call in fake_server.calls if call.operation == "Runs"]


def test_nothing_is_fetched_until_used(api: Api, served: FakeServer) -> None:
    runs = api.runs("e/p", filters={"state": "finished"}, per_page=2)

    assert served.calls == []
    assert repr(runs) == "<Runs e/p>"


def test_iteration_pages_by_the_last_edge_cursor(api: Api, served: FakeServer) -> None:
    runs = api.runs("e/p", per_page=2)

    assert [run.id for run in runs] == [node["name"] for node in NODES]
    assert cursors(served) == [None, "c1", "c3"]
    assert {call.variables["perPage"] for call in served.calls} == {2}


def test_query_variables(api: Api, served: FakeServer) -> None:
    filters = {"$and": [{"config.lr": {"$gte": 0.02}}, {"tags": "seed"}]}

    list(api.runs("e/p", filters=filters, order="-summary_metrics.loss", per_page=50))

    [call] = served.calls
    assert call.variables == {
        "project": "p",
        "entity": "e",
        "filters": json.dumps(filters),
        "order": "-summary_metrics.loss",
        "perPage": 50,
        "cursor": None,
        "withCount": True,
    }
    assert isinstance(call.variables["filters"], str)


def test_default_filters_and_order(api: Api, served: FakeServer) -> None:
    list(api.runs("e/p"))

    assert served.calls[0].variables["filters"] == "{}"
    assert served.calls[0].variables["order"] == "+created_at"


def test_iterating_again_reuses_fetched_pages(api: Api, served: FakeServer) -> None:
    runs = api.runs("e/p", per_page=2)
    first = list(runs)

    assert list(runs) == first
    assert len(served.calls) == 3


def test_len_is_the_servers_run_count(api: Api, fake_server: FakeServer) -> None:
    fake_server.on("Runs", runs_handler(NODES, run_count=7))
    runs = api.runs("e/p", per_page=2)

    assert len(runs) == 7
    assert len(runs) == 7
    assert len(fake_server.calls) == 1


def test_only_the_first_page_asks_for_the_count(api: Api, served: FakeServer) -> None:
    runs = api.runs("e/p", per_page=2)

    assert len(runs) == 5
    list(runs)

    assert [call.variables["withCount"] for call in served.calls] == [True, False, False]
    assert len(runs) == 5
    assert len(served.calls) == 3


def test_indexing_fetches_only_the_pages_needed(api: Api, served: FakeServer) -> None:
    runs = api.runs("e/p", per_page=2)

    assert runs[0].id == "run0"
    assert len(served.calls) == 1
    assert runs[3].id == "run3"
    assert len(served.calls) == 2
    assert [run.id for run in runs[1:4]] == ["run1", "run2", "run3"]
    assert len(served.calls) == 2
    assert runs[-1].id == "run4"
    assert len(served.calls) == 3


def test_open_slices_and_negative_indices_fetch_everything(api: Api, served: FakeServer) -> None:
    assert [run.id for run in api.runs("e/p", per_page=2)[3:]] == ["run3", "run4"]
    assert [run.id for run in api.runs("e/p", per_page=2)[-2:]] == ["run3", "run4"]
    assert [run.id for run in api.runs("e/p", per_page=2)[::-2]] == ["run4", "run2", "run0"]


def test_index_past_the_end_raises_index_error(api: Api, served: FakeServer) -> None:
    runs = api.runs("e/p", per_page=2)

    with pytest.raises(IndexError):
        runs[5]
    assert len(served.calls) == 3


def test_more_cursor_and_convert_objects(api: Api, served: FakeServer) -> None:
    runs = api.runs("e/p", per_page=3)
    assert runs.more
    assert runs.cursor is None

    runs[0]

    assert runs.more
    assert runs.cursor == "c2"
    assert [run.id for run in runs.convert_objects()] == ["run0", "run1", "run2"]
    list(runs)
    assert not runs.more
    assert runs.cursor == "c4"


def test_empty_pages_do_not_end_iteration(api: Api, fake_server: FakeServer) -> None:
    pages = [
        {"edges": [], "pageInfo": {"endCursor": None, "hasNextPage": True}},
        {
            "edges": [{"node": run_node("late"), "cursor": "x"}],
            "pageInfo": {"endCursor": "x", "hasNextPage": False},
        },
    ]
    fake_server.on("Runs", lambda _v: {"project": {"runCount": 1, "runs": pages.pop(0)}})

    assert [run.id for run in api.runs("e/p")] == ["late"]


def test_empty_project(api: Api, fake_server: FakeServer) -> None:
    fake_server.on("Runs", runs_handler([]))
    runs = api.runs("e/p")

    assert list(runs) == []
    assert len(runs) == 0


def test_missing_project_raises_not_found(api: Api, fake_server: FakeServer) -> None:
    fake_server.reply("Runs", {"project": None})
    runs = api.runs("e/nope")

    with pytest.raises(NotFoundError, match="Could not find project e/nope") as caught:
        list(runs)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(NotFoundError):
        len(runs)
    with pytest.raises(NotFoundError):
        runs[0]


def test_listed_runs_are_light_until_heavy_fields_are_read(
    api: Api, fake_server: FakeServer
) -> None:
    fake_server.on("Runs", runs_handler([run_node("run0", state="running")]))
    fake_server.on("Run", lambda v: {"project": {"run": full_run_node(v["name"])}})
    [run] = api.runs("e/p")

    assert isinstance(run, Run)
    assert (run.id, run.name, run.state, run.tags) == ("run0", "display-run0", "running", ["seed"])
    assert fake_server.operations() == ["Runs"]

    assert run.config == {"lr": 0.05, "batch": 32}
    assert fake_server.operations() == ["Runs", "Run"]
    assert fake_server.calls[-1].variables == {"entity": "e", "project": "p", "name": "run0"}
    assert run.summary["loss"] == 0.25
    assert run.system_metrics == {"system.cpu": 12.5}
    assert run.state == "finished"
    assert fake_server.operations() == ["Runs", "Run"]


@pytest.mark.parametrize("field", ["summary", "system_metrics", "rawconfig", "json_config"])
def test_each_heavy_field_triggers_the_full_load(
    api: Api, fake_server: FakeServer, field: str
) -> None:
    fake_server.on("Runs", runs_handler([run_node("run0")]))
    fake_server.on("Run", lambda v: {"project": {"run": full_run_node(v["name"])}})
    [run] = api.runs("e/p")

    getattr(run, field)

    assert fake_server.operations() == ["Runs", "Run"]
