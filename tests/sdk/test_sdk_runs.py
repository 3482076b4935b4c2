"""The real SDK's runs API against the emulator, with our client giving the same answers."""

from __future__ import annotations

import pytest
import wandb
from wandb.errors import CommError

from client import Api
from emulator.store import Run
from fixtures.handle import EmulatorHandle


def _unwrapped(config: dict) -> dict:
    return {key: item["value"] for key, item in config.items() if key != "_wandb"}


@pytest.fixture
def seeded(wandb_env: EmulatorHandle) -> list[Run]:
    return wandb_env.seed(project="vision", runs=23, steps=20, seed=7)


def test_paged_filtered_ordered_listing_matches_python(
    sdk: wandb.Api, wandb_api: Api, seeded: list[Run]
) -> None:
    finished = [run for run in seeded if run.state == "finished"]
    expected = [run.name for run in sorted(finished, key=lambda run: run.created_at, reverse=True)]
    path = f"{seeded[0].entity}/vision"

    runs = sdk.runs(path, filters={"state": "finished"}, order="-created_at", per_page=4)
    assert len(runs) == len(expected)
    assert [run.id for run in runs] == expected
    ours = wandb_api.runs(path, filters={"state": "finished"}, order="-created_at", per_page=4)
    assert len(ours) == len(expected)
    assert [run.id for run in ours] == expected


def test_config_and_summary_filters_with_metric_order(
    sdk: wandb.Api, wandb_api: Api, seeded: list[Run]
) -> None:
    threshold = sorted(run.config["lr"]["value"] for run in seeded)[len(seeded) // 2]
    matching = [run for run in seeded if run.config["lr"]["value"] >= threshold]
    expected = [
        run.name for run in sorted(matching, key=lambda run: (run.summary_metrics["loss"], run.id))
    ]
    filters = {"$and": [{"config.lr": {"$gte": threshold}}, {"summary_metrics.loss": {"$gt": 0}}]}
    path = f"{seeded[0].entity}/vision"

    assert [r.id for r in sdk.runs(path, filters, order="+summary_metrics.loss", per_page=5)] == (
        expected
    )
    assert [r.id for r in wandb_api.runs(path, filters, order="+summary_metrics.loss")] == expected


def test_run_attributes_agree_with_the_store(
    sdk: wandb.Api, wandb_api: Api, seeded: list[Run]
) -> None:
    stored = next(run for run in seeded if run.group and run.tags)
    path = f"{stored.entity}/vision/{stored.name}"
    for run in (sdk.run(path), wandb_api.run(path)):
        assert run.id == stored.name
        assert run.name == stored.display_name
        assert run.state == stored.state
        assert run.config == _unwrapped(stored.config)
        assert run.summary_metrics == stored.summary_metrics
        assert run.summary["loss"] == stored.summary_metrics["loss"]
        assert run.tags == stored.tags
        assert run.group == stored.group
        assert run.job_type == stored.job_type
        assert run.created_at == stored.created_at
        assert run.path == [stored.entity, "vision", stored.name]
        assert run.url.endswith(f"/{stored.entity}/vision/runs/{stored.name}")
        assert run.entity == stored.entity
        assert run.project == "vision"


def test_projects_are_listed(sdk: wandb.Api, wandb_api: Api, wandb_env: EmulatorHandle) -> None:
    wandb_env.seed(project="alpha", runs=1, steps=1)
    wandb_env.seed(project="beta", runs=1, steps=1)
    assert [p.name for p in sdk.projects(wandb_env.entity)] == ["alpha", "beta"]
    assert [p.name for p in wandb_api.projects(wandb_env.entity)] == ["alpha", "beta"]


def test_missing_run_and_project_raise_the_sdk_errors(
    sdk: wandb.Api, wandb_api: Api, seeded: list[Run]
) -> None:
    entity = seeded[0].entity
    with pytest.raises(CommError, match="Could not find run"):
        sdk.run(f"{entity}/vision/nonexist")
    with pytest.raises(ValueError, match="Could not find project"):
        len(sdk.runs(f"{entity}/no-such-project"))
    with pytest.raises(ValueError, match="nonexist"):
        wandb_api.run(f"{entity}/vision/nonexist")
    with pytest.raises(ValueError, match="no-such-project"):
        len(wandb_api.runs(f"{entity}/no-such-project"))
