"""Incremental artifacts and drafts of logged versions with files removed, through the
real SDK, read back through the SDK and our client."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import wandb

from client import Api
from fixtures.handle import EmulatorHandle


def test_incremental_and_removed_files(
    run_script: Callable[..., CompletedProcess],
    wandb_env: EmulatorHandle,
    sdk: wandb.Api,
    wandb_api: Api,
    tmp_path: Path,
) -> None:
    done = run_script("incremental.py", "inc")
    assert json.loads(done.stdout.splitlines()[-1]) == [
        ["v1", ["a.txt", "b.txt", "c.txt"]],
        ["v2", ["b.txt", "c.txt"]],
    ]
    path = f"{wandb_env.entity}/inc/shards"
    for api in (sdk, wandb_api):
        assert sorted(f.name for f in api.artifact(f"{path}:v1").files()) == [
            "a.txt",
            "b.txt",
            "c.txt",
        ]
        assert sorted(f.name for f in api.artifact(f"{path}:v2").files()) == ["b.txt", "c.txt"]
    root = Path(sdk.artifact(f"{path}:v1").download(str(tmp_path / "v1")))
    assert (root / "a.txt").read_text() == "a.txt\n"
    assert (root / "c.txt").read_text() == "c.txt\n"
