"""The real SDK under injected faults: it retries rate limits and outages and loses
nothing; GraphQL errors reach the caller; delays show in the journal."""

from __future__ import annotations

from collections.abc import Callable
from subprocess import CompletedProcess

import pytest
import wandb
from wandb.sdk.lib.service.service_connection import WandbApiFailedError

from fixtures.handle import EmulatorHandle

RunScript = Callable[..., CompletedProcess]
STEPS = 50


def test_logging_survives_rate_limits_and_an_outage(
    run_script: RunScript, wandb_env: EmulatorHandle
) -> None:
    # wandb-core waits as long as Retry-After says (its own backoff starts at seconds).
    faults = wandb_env.faults
    limited = faults.add(route="file_stream", status=429, retry_after=0.1, times=2)
    outage = faults.add(route="file_stream", status=503, retry_after=0.1, after=1, times=3)
    upsert = faults.add(operation="UpsertBucket", status=503, retry_after=0.1, times=2)

    run_script("train.py", "--project", "faults", "--steps", STEPS)

    [run] = wandb_env.runs("faults")
    assert (run.state, run.exit_code) == ("finished", 0)
    assert [row["_step"] for row in run.history] == list(range(STEPS))
    assert run.summary["loss"] == 1 / STEPS
    assert (limited.fired, outage.fired, upsert.fired) == (2, 3, 2)
    statuses = [request["status"] for request in wandb_env.requests(route="file_stream")]
    assert statuses[:2] == [429, 429]
    assert statuses.count(503) == 3
    assert statuses[-1] == 200
    refused = wandb_env.requests(operation="UpsertBucket")[:2]
    assert [(r["status"], r["fault"], r["applied"]) for r in refused] == [
        (503, upsert.id, False),
        (503, upsert.id, False),
    ]


def test_a_graphql_error_reaches_the_public_api(wandb_env: EmulatorHandle, sdk: wandb.Api) -> None:
    wandb_env.seed(project="p", runs=2)
    wandb_env.faults.add(operation="Runs", graphql_error="the database is on fire")

    # wandb.Api() hands GraphQL to wandb-core, which raises a GraphQL error at once.
    with pytest.raises(WandbApiFailedError, match="the database is on fire"):
        list(sdk.runs(f"{wandb_env.entity}/p"))
    wandb_env.requests(operation="Runs").assert_once()
    # api.run() turns it into the SDK's CommError.
    wandb_env.faults.add(operation="Run", graphql_error="no runs today")
    with pytest.raises(wandb.errors.CommError, match="no runs today"):
        sdk.run(f"{wandb_env.entity}/p/x")


def test_a_delay_shows_in_the_journal(wandb_env: EmulatorHandle, sdk: wandb.Api) -> None:
    [seeded] = wandb_env.seed(project="p", runs=1)
    wandb_env.faults.add(operation="Run", delay_ms=300)

    run = sdk.run(f"{wandb_env.entity}/p/{seeded.name}")

    assert run.id == seeded.name
    [request] = wandb_env.requests(operation="Run")
    assert request["duration_ms"] >= 300
    assert (request["status"], request["applied"]) == (200, True)
