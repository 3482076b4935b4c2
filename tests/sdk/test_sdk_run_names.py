"""Runs created without a name get W&B's generated display name, ``adjective-noun-N``."""

from __future__ import annotations

import re
from collections.abc import Callable
from subprocess import CompletedProcess

import wandb

from client import Api, Run
from fixtures.handle import EmulatorHandle

RunScript = Callable[..., CompletedProcess]
GENERATED = re.compile(r"^[a-z]+-[a-z]+-[0-9]+$")


def test_a_run_logged_without_a_name_gets_one_that_lasts_through_resume(
    run_script: RunScript, wandb_env: EmulatorHandle, sdk: wandb.Api, wandb_api: Api
) -> None:
    first = run_script("train.py", "--project", "p", "--id", "first001", "--steps", 3)
    second = run_script("train.py", "--project", "p", "--id", "second01", "--steps", 3)
    path = f"{wandb_env.entity}/p/first001"
    name = sdk.run(path).name

    assert GENERATED.match(name)
    assert wandb_api.run(path).name == name
    assert f"View run {name} at: {wandb_env.url}/{path.replace('/p/', '/p/runs/')}" in (
        first.stderr
    )
    other = sdk.run(f"{wandb_env.entity}/p/second01").name
    assert GENERATED.match(other) and other != name
    assert f"View run {other}" in second.stderr

    resumed = run_script(
        "train.py", "--project", "p", "--id", "first001", "--resume", "must", "--steps", 3
    )
    assert sdk.run(path).name == name
    assert f"View run {name}" in resumed.stderr


def test_an_explicit_name_wins(run_script: RunScript, wandb_env: EmulatorHandle) -> None:
    run_script("train.py", "--project", "p", "--id", "named001", "--name", "my-baseline")
    assert wandb.Api().run(f"{wandb_env.entity}/p/named001").name == "my-baseline"


def test_runs_created_through_the_public_apis_get_names(
    wandb_env: EmulatorHandle, sdk: wandb.Api, wandb_api: Api
) -> None:
    theirs = sdk.create_run(project="p", run_id="fromsdk1")
    ours = Run.create(wandb_api, project="p", run_id="fromapi1")

    theirs_name = sdk.run("/".join(theirs.path)).name
    assert GENERATED.match(theirs_name or "")
    assert GENERATED.match(ours.name or "")
    assert wandb_api.run("/".join(ours.path)).name == ours.name
    assert theirs_name != ours.name


def test_renaming_a_run_replaces_its_generated_name(
    wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    created = sdk.create_run(project="p", run_id="renamed1")
    run = sdk.run("/".join(created.path))
    run.name = "a-better-name"
    run.update()
    assert sdk.run("/".join(run.path)).name == "a-better-name"
