"""History that grows after it was read: wandb-core caches exported parquet files by
their position, so a reader must see new rows whether it asks again from the same
process or from a new one sharing the cache directory."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import httpx
import wandb

from fixtures.handle import EmulatorHandle


def _steps(sdk: wandb.Api, path: str) -> list[int]:
    return [row["_step"] for row in sdk.run(path).scan_history()]


def _scan_in_new_process(run_script: Callable[..., CompletedProcess], path: str) -> list[int]:
    """The steps a new process scans, sharing this test's cache directory."""
    steps: list[int] = json.loads(run_script("scan.py", path).stdout.splitlines()[-1])
    cached = Path(os.environ["WANDB_CACHE_DIR"]).rglob(f"*_{path.split('/')[-1]}_0*")
    assert list(cached), "the scan left no parquet file in the cache"
    return steps


def test_a_resumed_run_is_read_whole_again(
    run_script: Callable[..., CompletedProcess], wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    run_script("train.py", "--project", "grow", "--id", "growing1", "--steps", "4")
    path = f"{wandb_env.entity}/grow/growing1"
    assert _steps(sdk, path) == [0, 1, 2, 3]
    assert _scan_in_new_process(run_script, path) == [0, 1, 2, 3]

    run_script(
        "train.py", "--project", "grow", "--id", "growing1", "--resume", "allow", "--steps", "3"
    )
    assert _steps(sdk, path) == list(range(7))
    assert _scan_in_new_process(run_script, path) == list(range(7))


def test_a_running_run_is_read_whole_again(
    run_script: Callable[..., CompletedProcess], wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    created = wandb.apis.public.Run.create(sdk, project="live", state="running")
    assert created.state == "running"
    path = f"{wandb_env.entity}/live/{created.id}"
    stream = f"{wandb_env.url}/files/{path}/file_stream"
    auth = ("api", wandb_env.api_key)

    def log(offset: int, steps: range) -> None:
        lines = [json.dumps({"_step": step, "loss": 1 / (step + 1)}) for step in steps]
        body = {"files": {"wandb-history.jsonl": {"offset": offset, "content": lines}}}
        assert httpx.post(stream, json=body, auth=auth).status_code == 200

    log(0, range(3))
    assert _steps(sdk, path) == [0, 1, 2]
    assert _scan_in_new_process(run_script, path) == [0, 1, 2]
    log(3, range(3, 5))
    assert _steps(sdk, path) == [0, 1, 2, 3, 4]
    assert _scan_in_new_process(run_script, path) == [0, 1, 2, 3, 4]
