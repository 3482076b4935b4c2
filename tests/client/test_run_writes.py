"""Our client's run writes and files: the paths the SDK-paired tests do not cover."""

from __future__ import annotations

from pathlib import Path

import pytest

from client import Api, NotFoundError, Run, UsageError, WaitTimeoutError
from client.files import local_path
from fixtures.handle import EmulatorHandle


@pytest.fixture
def run(wandb_emulator: EmulatorHandle, wandb_api: Api) -> Run:
    (seeded,) = wandb_emulator.seed(project="p", runs=1, steps=3)
    return wandb_api.run(f"{seeded.entity}/p/{seeded.name}")


def test_create_defaults_to_the_uncategorized_project(
    wandb_emulator: EmulatorHandle, wandb_api: Api
) -> None:
    created = Run.create(wandb_api)
    assert (created.entity, created.project) == (wandb_emulator.entity, "uncategorized")
    assert wandb_emulator.store.runs.get(created.entity, "uncategorized", created.id)


def test_wait_until_finished(wandb_emulator: EmulatorHandle, wandb_api: Api) -> None:
    running = Run.create(wandb_api, run_id="slow", project="p")
    with pytest.raises(WaitTimeoutError, match="still 'running'"):
        running.wait_until_finished(poll_interval=0, timeout=0)
    stored = wandb_emulator.store.runs.get(running.entity, "p", "slow")
    wandb_emulator.store.runs.update(stored.id, {"state": "crashed"})
    running.wait_until_finished(poll_interval=0, timeout=0)
    assert running.state == "crashed"
    wandb_emulator.store.delete_run(stored.id)
    with pytest.raises(NotFoundError):
        running.wait_until_finished(poll_interval=0)


def test_summary_items_are_local_until_update(wandb_emulator: EmulatorHandle, run: Run) -> None:
    run.summary["local"] = 1
    del run.summary["loss"]
    stored = wandb_emulator.store.runs.get(run.entity, "p", run.id)
    assert "local" not in stored.summary_metrics
    run.summary.update(extra=2)
    stored = wandb_emulator.store.runs.get(run.entity, "p", run.id)
    assert stored.summary_metrics["local"] == 1
    assert stored.summary_metrics["extra"] == 2
    assert "loss" not in stored.summary_metrics
    assert len(run.summary) == len(stored.summary_metrics)


def test_files_by_name_and_pattern(run: Run) -> None:
    assert len(run.files(names=["config.yaml", "missing.txt"])) == 1
    assert [f.name for f in run.files(pattern="wandb-%")] == [
        "wandb-metadata.json",
        "wandb-summary.json",
    ]
    with pytest.raises(UsageError, match="both names and pattern"):
        run.files(names=["a"], pattern="%")
    with pytest.raises(NotFoundError, match="no file 'missing"):
        run.file("missing.txt")
    config = run.file("config.yaml")
    assert config.read().startswith(b"wandb_version: 1")
    assert config.md5 and config.updated_at and config.direct_url == config.url
    assert repr(config).startswith("<File config.yaml")


def test_files_of_a_deleted_run(wandb_emulator: EmulatorHandle, run: Run) -> None:
    wandb_emulator.store.delete_run(wandb_emulator.store.runs.get(run.entity, "p", run.id).id)
    with pytest.raises(NotFoundError):
        list(run.files())


@pytest.mark.parametrize("name", ["../up.txt", "/etc/passwd", "a/../../up.txt"])
def test_downloads_never_leave_the_root(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError, match="outside"):
        local_path(tmp_path, name)
    assert local_path(tmp_path, "a/b.txt") == tmp_path.resolve() / "a" / "b.txt"
