"""Artifacts logged and used from real ``wandb.init()`` runs, read back through both clients."""

from __future__ import annotations

from collections.abc import Callable
from subprocess import CompletedProcess

import wandb

from client import Api
from fixtures.handle import EmulatorHandle


def test_produce_then_consume_with_dedup(
    run_script: Callable[..., CompletedProcess],
    wandb_env: EmulatorHandle,
    sdk: wandb.Api,
    wandb_api: Api,
) -> None:
    producer = run_script("pipeline.py", "produce", "--project", "etl").stdout.split()[-1]
    consumer = run_script("pipeline.py", "consume", "--project", "etl").stdout.split()[-1]

    path = f"{wandb_env.entity}/etl"
    for api in (sdk, wandb_api):
        rows = api.artifact(f"{path}/rows:latest", type="dataset")
        assert (rows.version, rows.metadata) == ("v0", {"rows": 2})
        assert sorted(rows.aliases) == ["best", "latest"]
        assert rows.tags == ["raw"]
        assert [f.name for f in rows.files()] == ["data.csv"]
        assert rows.logged_by().id == producer
        assert [run.id for run in rows.used_by()] == [consumer]
        assert [a.name for a in api.run(f"{path}/{producer}").logged_artifacts()] == ["rows:v0"]
        assert [a.name for a in api.run(f"{path}/{consumer}").used_artifacts()] == ["rows:v0"]
    assert [a.version for a in sdk.artifacts("dataset", f"{path}/rows")] == ["v0"]
