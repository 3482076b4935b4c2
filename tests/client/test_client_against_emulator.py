"""The client against the real emulator: what a user of ``wandb.Api`` would check.

Uses the ``wandb_emulator`` and ``wandb_api`` fixtures of the ``fixtures`` pytest plugin.
Expected values are computed in Python from the seeded run records.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest

from client import Api, NotFoundError, Run

RUN_COUNT = 12
INTERNAL_KEYS = ("_wandb", "wandb_version")


def plain_config(record: Any) -> dict[str, Any]:
    """A seeded record's W&B-form config as the user-facing plain dict."""
    return {key: entry["value"] for key, entry in record.config.items() if key not in INTERNAL_KEYS}


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numeric_config_key(records: list[Any]) -> str:
    """A config key whose value is a number in every record."""
    keys = [
        key
        for key in plain_config(records[0])
        if all(is_number(plain_config(record).get(key)) for record in records)
    ]
    assert keys, "the seeded runs share no numeric config key"
    return sorted(keys)[0]


def numeric_summary_key(records: list[Any]) -> str:
    """A user summary key whose value is a number in every record."""
    keys = [
        key
        for key in records[0].summary_metrics
        if not key.startswith("_")
        and all(is_number(record.summary_metrics.get(key)) for record in records)
    ]
    assert keys, "the seeded runs share no numeric summary metric"
    return sorted(keys)[0]


def instant(timestamp: str) -> datetime:
    """An ISO timestamp as an aware datetime (naive ones are UTC)."""
    parsed = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def ids(runs: Any) -> list[str]:
    return [run.id for run in runs]


@pytest.fixture
def entity() -> str:
    return f"ent-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def seeded(wandb_emulator: Any, entity: str) -> list[Any]:
    return wandb_emulator.seed(entity=entity, project="proj", runs=RUN_COUNT, seed=7)


@pytest.fixture
def path(entity: str) -> str:
    return f"{entity}/proj"


# Listing.


def test_lists_every_seeded_run(wandb_api: Api, seeded: list[Any], path: str) -> None:
    runs = wandb_api.runs(path)

    assert len(runs) == RUN_COUNT
    listed = ids(runs)
    assert sorted(listed) == sorted(record.name for record in seeded)
    assert all(isinstance(run, Run) for run in runs)


@pytest.mark.parametrize("per_page", [1, 5, RUN_COUNT, 1000])
def test_page_size_does_not_change_the_result(
    wandb_api: Api, seeded: list[Any], path: str, per_page: int
) -> None:
    expected = ids(wandb_api.runs(path, per_page=1000))
    runs = wandb_api.runs(path, per_page=per_page)

    assert ids(runs) == expected
    assert len(runs) == RUN_COUNT
    assert [runs[index].id for index in range(RUN_COUNT)] == expected
    assert ids(runs[2:7]) == expected[2:7]


def test_default_order_is_oldest_first(wandb_api: Api, seeded: list[Any], path: str) -> None:
    created = [instant(run.created_at) for run in wandb_api.runs(path, per_page=5)]

    assert created == sorted(created)


def test_descending_created_at(wandb_api: Api, seeded: list[Any], path: str) -> None:
    created = [instant(run.created_at) for run in wandb_api.runs(path, order="-created_at")]

    assert created == sorted(created, reverse=True)
    assert len(created) == RUN_COUNT


def test_order_by_summary_metric(wandb_api: Api, seeded: list[Any], path: str) -> None:
    key = numeric_summary_key(seeded)

    ascending = [run.summary[key] for run in wandb_api.runs(path, order=f"+summary_metrics.{key}")]
    descending = [run.summary[key] for run in wandb_api.runs(path, order=f"-summary_metrics.{key}")]

    expected = sorted(record.summary_metrics[key] for record in seeded)
    assert ascending == expected
    assert descending == expected[::-1]


def test_filter_by_state(wandb_api: Api, seeded: list[Any], path: str) -> None:
    state = seeded[0].state
    expected = sorted(record.name for record in seeded if record.state == state)

    runs = wandb_api.runs(path, filters={"state": state}, per_page=2)

    assert sorted(ids(runs)) == expected
    assert len(runs) == len(expected)
    assert {run.state for run in runs} == {state}


def test_filter_by_config_range(wandb_api: Api, seeded: list[Any], path: str) -> None:
    key = numeric_config_key(seeded)
    values = sorted(plain_config(record)[key] for record in seeded)
    threshold = values[len(values) // 2]
    expected = sorted(record.name for record in seeded if plain_config(record)[key] >= threshold)

    runs = wandb_api.runs(path, filters={f"config.{key}": {"$gte": threshold}}, per_page=3)

    assert sorted(ids(runs)) == expected
    assert len(runs) == len(expected)
    assert all(run.config[key] >= threshold for run in runs)


def test_filter_with_or_and_and(wandb_api: Api, seeded: list[Any], path: str) -> None:
    key = numeric_config_key(seeded)
    threshold = sorted(plain_config(record)[key] for record in seeded)[len(seeded) // 2]
    states = sorted({record.state for record in seeded})[:2]
    filters = {
        "$and": [
            {"$or": [{"state": state} for state in states]},
            {f"config.{key}": {"$lt": threshold}},
        ]
    }
    expected = sorted(
        record.name
        for record in seeded
        if record.state in states and plain_config(record)[key] < threshold
    )

    runs = wandb_api.runs(path, filters=filters)

    assert sorted(ids(runs)) == expected
    assert len(runs) == len(expected)


def test_filter_matching_nothing(wandb_api: Api, seeded: list[Any], path: str) -> None:
    runs = wandb_api.runs(path, filters={"state": "no-such-state"})

    assert len(runs) == 0
    assert list(runs) == []


def test_listing_a_missing_project_raises_not_found(wandb_api: Api, entity: str) -> None:
    with pytest.raises(NotFoundError, match="no-such-project"):
        list(wandb_api.runs(f"{entity}/no-such-project"))


# One run.


def test_run_attributes_match_the_seeded_record(
    wandb_api: Api, seeded: list[Any], entity: str
) -> None:
    record = seeded[0]

    run = wandb_api.run(f"{entity}/proj/{record.name}")

    assert run.id == record.name
    assert run.path == [entity, "proj", record.name]
    assert (run.entity, run.project) == (entity, "proj")
    assert run.name == run.display_name == record.display_name
    assert run.state == record.state
    assert run.config == plain_config(record)
    assert run.summary == record.summary_metrics
    assert run.system_metrics == record.system_metrics
    assert run.tags == record.tags
    assert (run.group, run.job_type, run.notes) == (record.group, record.job_type, record.notes)
    assert run.sweep_name == record.sweep_name
    assert instant(run.created_at) == instant(record.created_at)
    assert isinstance(run.project_internal_id, int)
    assert run.storage_id
    assert run.url == f"{wandb_api.settings['base_url']}/{entity}/proj/runs/{record.name}"
    assert repr(run) == f"<Run {entity}/proj/{record.name} ({record.state})>"


def test_listed_runs_load_config_and_summary_lazily(
    wandb_api: Api, seeded: list[Any], path: str
) -> None:
    by_name = {record.name: record for record in seeded}

    for run in wandb_api.runs(path, per_page=4):
        record = by_name[run.id]
        assert run.config == plain_config(record)
        assert run.summary == record.summary_metrics


def test_run_path_forms_reach_the_same_run(
    wandb_emulator: Any, seeded: list[Any], entity: str
) -> None:
    name = seeded[3].name
    api = Api(wandb_emulator.url, wandb_emulator.api_key, overrides={"entity": entity})

    with api:
        full = api.run(f"{entity}/proj/{name}")
        assert api.run(f"{entity}/proj/runs/{name}") is full
        assert api.run(f"proj/{name}") is full
        assert full.config == plain_config(seeded[3])


def test_missing_run_raises_not_found(wandb_api: Api, seeded: list[Any], entity: str) -> None:
    with pytest.raises(NotFoundError, match=f"{entity}/proj/nosuchrun"):
        wandb_api.run(f"{entity}/proj/nosuchrun")


# Projects.


def test_projects_of_an_entity(wandb_api: Api, wandb_emulator: Any, entity: str) -> None:
    for name in ("alpha", "beta", "gamma"):
        wandb_emulator.seed(entity=entity, project=name, runs=1, seed=1)

    projects = list(wandb_api.projects(entity, per_page=2))

    assert sorted(project.name for project in projects) == ["alpha", "beta", "gamma"]
    assert {project.entity for project in projects} == {entity}
    assert all(project.id and project.created_at for project in projects)


def test_project_is_loaded_lazily(wandb_api: Api, seeded: list[Any], entity: str) -> None:
    project = wandb_api.project("proj", entity=entity)

    assert project.path == [entity, "proj"]
    assert project.url == f"{wandb_api.settings['base_url']}/{entity}/proj/workspace"
    assert project.id
    assert project.created_at
    assert project.is_benchmark is False


def test_missing_project_raises_not_found(wandb_api: Api, seeded: list[Any], entity: str) -> None:
    with pytest.raises(NotFoundError, match="no-such-project"):
        wandb_api.project("no-such-project", entity=entity).id  # noqa: B018
