"""This project's client against injected faults: what it retries, what it gives up on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from client import Api, CommError
from fixtures.handle import EmulatorHandle


@pytest.fixture
def api(wandb_emulator: EmulatorHandle) -> Iterator[Api]:
    """A client retrying twice, quickly, with a short timeout."""
    wandb_emulator.seed(project="p", runs=3)
    with Api(
        wandb_emulator.url,
        wandb_emulator.api_key,
        max_retries=2,
        retry_backoff=0.01,
        timeout=0.5,
    ) as client:
        yield client


def _statuses(wandb_emulator: EmulatorHandle, operation: str) -> list[int | None]:
    return [request["status"] for request in wandb_emulator.requests(operation=operation)]


@pytest.mark.parametrize("status", [429, 502, 503])
def test_retries_rate_limits_and_outages(
    api: Api, wandb_emulator: EmulatorHandle, status: int
) -> None:
    fault = wandb_emulator.faults.add(operation="Runs", status=status, times=2)
    assert len(api.runs("p")) == 3
    assert fault.fired == 2
    assert _statuses(wandb_emulator, "Runs") == [status, status, 200]


def test_gives_up_after_its_retries(api: Api, wandb_emulator: EmulatorHandle) -> None:
    wandb_emulator.faults.add(operation="Runs", status=503, retry_after=0)
    with pytest.raises(CommError, match="HTTP 503") as raised:
        len(api.runs("p"))
    assert raised.value.status == 503
    assert _statuses(wandb_emulator, "Runs") == [503, 503, 503]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_does_not_retry_client_errors(
    api: Api, wandb_emulator: EmulatorHandle, status: int
) -> None:
    wandb_emulator.faults.add(operation="Runs", status=status)
    with pytest.raises(CommError) as raised:
        len(api.runs("p"))
    assert raised.value.status == status
    wandb_emulator.requests(operation="Runs").assert_once()


def test_graphql_errors_are_raised_at_once(api: Api, wandb_emulator: EmulatorHandle) -> None:
    wandb_emulator.faults.add(operation="Runs", graphql_error="quota exceeded")
    with pytest.raises(CommError, match="quota exceeded") as raised:
        len(api.runs("p"))
    assert raised.value.messages == ["quota exceeded"]
    wandb_emulator.requests(operation="Runs").assert_once()


@pytest.mark.parametrize("effect", [{"reset": True}, {"truncate": True}, {"delay_ms": 1500}])
def test_retries_dropped_connections_and_timeouts(
    api: Api, wandb_emulator: EmulatorHandle, effect: dict[str, object]
) -> None:
    fault = wandb_emulator.faults.add(operation="Runs", times=1, **effect)
    assert len(api.runs("p")) == 3
    assert fault.fired == 1
    [faulted, retried] = wandb_emulator.requests(operation="Runs")
    assert faulted["fault"] == fault.id
    assert (retried["fault"], retried["status"]) == (None, 200)


def test_times_out_when_every_answer_is_late(api: Api, wandb_emulator: EmulatorHandle) -> None:
    wandb_emulator.faults.add(operation="Runs", delay_ms=800)
    with pytest.raises(CommError, match="after 3 attempts"):
        len(api.runs("p"))
