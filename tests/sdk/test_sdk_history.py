"""The real SDK's history API against the emulator, and our client giving the same rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
import wandb
from wandb.errors import CommError

from client import Api
from emulator.store import Run
from fixtures.handle import EmulatorHandle


@pytest.fixture
def seeded(wandb_env: EmulatorHandle) -> list[Run]:
    return wandb_env.seed(project="curves", runs=3, steps=70, seed=5)


@pytest.fixture
def record(seeded: list[Run]) -> Run:
    return max(seeded, key=lambda run: run.history_line_count)


def _both(sdk: wandb.Api, ours: Api, record: Run) -> tuple[Any, Any]:
    path = f"{record.entity}/{record.project}/{record.name}"
    return sdk.run(path), ours.run(path)


def _spread(rows: list[Any], samples: int) -> list[Any]:
    if samples >= len(rows):
        return rows
    return [rows[i * (len(rows) - 1) // (samples - 1)] for i in range(samples)]


def test_sampled_history_with_and_without_keys(
    sdk: wandb.Api, wandb_api: Api, wandb_env: EmulatorHandle, record: Run
) -> None:
    rows = wandb_env.store.history.history_rows(record.id)
    validated = [{"_step": r["_step"], "val/loss": r["val/loss"]} for r in rows if "val/loss" in r]
    theirs, ours = _both(sdk, wandb_api, record)
    assert theirs.history_keys == ours.history_keys
    assert theirs.history_keys["keys"]["samples"]["typeCounts"] == [
        {"type": "table-file", "count": 3}
    ]
    for run in (theirs, ours):
        assert run.lastHistoryStep == rows[-1]["_step"]
        assert run.history(samples=8, pandas=False) == _spread(rows, 8)
        assert run.history(samples=4, keys=["val/loss"], pandas=False) == _spread(validated, 4)
    pd.testing.assert_frame_equal(theirs.history(samples=8), ours.history(samples=8))
    pd.testing.assert_frame_equal(
        theirs.history(keys=["loss", "lr"], x_axis="epoch"),
        ours.history(keys=["loss", "lr"], x_axis="epoch"),
    )


def test_system_metrics_stream(
    sdk: wandb.Api, wandb_api: Api, wandb_env: EmulatorHandle, record: Run
) -> None:
    events = wandb_env.store.history.event_rows(record.id)
    theirs, ours = _both(sdk, wandb_api, record)
    assert theirs.history(samples=3, stream="system", pandas=False) == _spread(events, 3)
    assert ours.history(samples=3, stream="system", pandas=False) == _spread(events, 3)
    pd.testing.assert_frame_equal(theirs.history(stream="system"), ours.history(stream="system"))


def test_scan_history_over_several_pages(
    sdk: wandb.Api, wandb_api: Api, wandb_env: EmulatorHandle, record: Run, history_source: str
) -> None:
    rows = wandb_env.store.history.history_rows(record.id)
    theirs, ours = _both(sdk, wandb_api, record)
    scanned = list(theirs.scan_history(page_size=9))
    assert list(ours.scan_history(page_size=9)) == scanned
    if history_source == "live":
        assert scanned == rows
    else:  # parquet: one column per key, None where a row did not log it
        keys = {key for row in rows for key in row}
        assert scanned == [{key: row.get(key) for key in keys} for row in rows]

    calls = [
        {"keys": ["val/loss", "loss"], "page_size": 6, "min_step": 5, "max_step": 40},
        {"keys": ["lr"], "page_size": 1000},
        {"page_size": 4, "min_step": 60},
        {"min_step": 30, "max_step": 10},
        {"keys": ["no-such-key"], "page_size": 20},
    ]
    for call in calls:
        expected = list(theirs.scan_history(**call))
        assert list(ours.scan_history(**call)) == expected, call
    live_only = [r for r in rows if "val/loss" in r and 5 <= r["_step"] < 40]
    with_keys = list(ours.scan_history(**calls[0]))
    assert [row["_step"] for row in with_keys if row["val/loss"] is not None] == [
        row["_step"] for row in live_only
    ]


# The SDK's pandas branch calls reset_index(inplace=True), which newer pandas deprecates.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_runs_histories_in_every_format(sdk: wandb.Api, wandb_api: Api, seeded: list[Run]) -> None:
    path = f"{seeded[0].entity}/curves"
    theirs, ours = sdk.runs(path), wandb_api.runs(path)
    assert theirs.histories(samples=6) == ours.histories(samples=6)
    assert {row["run_id"] for row in ours.histories(samples=6)} == {run.name for run in seeded}
    pd.testing.assert_frame_equal(
        theirs.histories(samples=6, format="pandas"), ours.histories(samples=6, format="pandas")
    )
    # The SDK concatenates polars frames "vertically": runs must share their columns.
    expected = theirs.histories(samples=6, keys=["loss"], format="polars")
    assert ours.histories(samples=6, keys=["loss"], format="polars").equals(expected)
    assert expected.columns == ["_step", "loss", "run_id"]


def test_runs_without_history(sdk: wandb.Api, wandb_api: Api, wandb_env: EmulatorHandle) -> None:
    (record,) = wandb_env.seed(project="blank", runs=1, steps=0)
    theirs, ours = _both(sdk, wandb_api, record)
    for run in (theirs, ours):
        assert run.lastHistoryStep == -1
        assert run.history(pandas=False) == []
        assert list(run.scan_history()) == []


def test_bad_input_through_the_sdk(sdk: wandb.Api, wandb_api: Api, record: Run) -> None:
    theirs, _ = _both(sdk, wandb_api, record)
    with pytest.raises(CommError, match="samples must be a positive integer"):
        theirs.history(samples=-1)
    with pytest.raises(CommError, match="samples must be a positive integer"):
        theirs.history(samples=0, keys=["loss"])
    assert theirs.history(samples=10**9, keys=["loss"], pandas=False)
    assert theirs.history(keys=["no-such-key"], pandas=False) == []
