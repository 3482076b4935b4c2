"""The client's history methods against the emulator: shapes, paging, formats, errors.

Expected rows come from the seeded store; sampled rows are the evenly spaced ones the
emulator documents (first and last included).
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from client import Api, HistoryScan, MissingDependencyError, NotFoundError, UsageError
from emulator.store import Run as RunRecord
from fixtures.handle import EmulatorHandle

STEPS = 120


@pytest.fixture
def seeded(wandb_emulator: EmulatorHandle) -> list[RunRecord]:
    return wandb_emulator.seed(project="hist", runs=4, steps=STEPS, seed=11)


@pytest.fixture
def record(seeded: list[RunRecord]) -> RunRecord:
    return max(seeded, key=lambda run: run.history_line_count)


def _rows(wandb_emulator: EmulatorHandle, record: RunRecord) -> list[dict[str, Any]]:
    return wandb_emulator.store.history.history_rows(record.id)


def _spread(rows: list[Any], samples: int) -> list[Any]:
    if samples >= len(rows):
        return rows
    return [rows[i * (len(rows) - 1) // (samples - 1)] for i in range(samples)]


def _path(record: RunRecord) -> str:
    return f"{record.entity}/{record.project}/{record.name}"


def test_history_samples_whole_rows(
    wandb_api: Api, wandb_emulator: EmulatorHandle, record: RunRecord
) -> None:
    run = wandb_api.run(_path(record))
    rows = _rows(wandb_emulator, record)
    assert run.history(samples=9, pandas=False) == _spread(rows, 9)
    frame = run.history(samples=9)
    assert list(frame["_step"]) == [row["_step"] for row in _spread(rows, 9)]
    assert set(frame.columns) == {key for row in _spread(rows, 9) for key in row}


def test_history_with_keys_keeps_rows_that_logged_them(
    wandb_api: Api, wandb_emulator: EmulatorHandle, record: RunRecord
) -> None:
    run = wandb_api.run(_path(record))
    validated = [row for row in _rows(wandb_emulator, record) if "val/loss" in row]
    expected = [{"_step": row["_step"], "val/loss": row["val/loss"]} for row in validated]
    assert run.history(keys=["val/loss"], pandas=False) == expected
    assert run.history(samples=3, keys=["val/loss"], pandas=False) == _spread(expected, 3)
    by_epoch = run.history(keys=["loss"], x_axis="epoch", pandas=False)
    assert set(by_epoch[0]) == {"epoch", "loss"}


def test_system_stream(wandb_api: Api, wandb_emulator: EmulatorHandle, record: RunRecord) -> None:
    events = wandb_emulator.store.history.event_rows(record.id)
    run = wandb_api.run(_path(record))
    assert run.history(samples=2, stream="system", pandas=False) == _spread(events, 2)
    assert "system.gpu.0.gpu" in run.history(stream="system").columns


def test_history_keys_and_last_step(
    wandb_api: Api, wandb_emulator: EmulatorHandle, record: RunRecord
) -> None:
    run = wandb_api.run(_path(record))
    last = _rows(wandb_emulator, record)[-1]["_step"]
    assert run.lastHistoryStep == last
    keys = run.history_keys
    assert keys["lastStep"] == last
    assert keys["keys"]["loss"]["typeCounts"] == [
        {"type": "number", "count": record.history_line_count}
    ]


def test_scan_history_pages_lazily_through_every_row(
    wandb_api: Api, wandb_emulator: EmulatorHandle, record: RunRecord, history_source: str
) -> None:
    rows = _rows(wandb_emulator, record)
    if history_source == "parquet":  # a column per key, None where a row lacks it
        keys = {key for row in rows for key in row}
        rows = [{key: row.get(key) for key in keys} for row in rows]
    scan = wandb_api.run(_path(record)).scan_history(page_size=25)
    assert isinstance(scan, HistoryScan)
    assert (scan.page_offset, scan.rows) == (0, [])
    assert next(scan) == rows[0]
    assert scan.page_offset == 25 and len(scan.rows) == 25
    assert list(scan) == rows  # iterating starts over


def test_scan_history_step_range_and_keys(
    wandb_api: Api, wandb_emulator: EmulatorHandle, record: RunRecord, history_source: str
) -> None:
    rows = _rows(wandb_emulator, record)
    run = wandb_api.run(_path(record))
    scan = run.scan_history(keys=["val/loss"], page_size=7, min_step=10, max_step=60)
    picked = [row for row in rows if 10 <= row["_step"] < 60]
    if history_source == "live":  # only rows that logged the keys
        picked = [row for row in picked if "val/loss" in row]
    assert list(scan) == [{"_step": r["_step"], "val/loss": r.get("val/loss")} for r in picked]
    assert scan.max_step == 59
    assert list(run.scan_history(min_step=50, max_step=10)) == []
    past_the_end = run.scan_history(min_step=rows[-1]["_step"], max_step=10**9)
    assert [row["_step"] for row in past_the_end] == [rows[-1]["_step"]]


def test_histories_in_every_format(
    wandb_api: Api, wandb_emulator: EmulatorHandle, seeded: list[RunRecord]
) -> None:
    runs = wandb_api.runs(f"{seeded[0].entity}/hist")
    expected = [
        {"_step": row["_step"], "loss": row["loss"], "run_id": run.name}
        for run in seeded
        for row in _spread(wandb_emulator.store.history.history_rows(run.id), 5)
    ]
    assert runs.histories(samples=5, keys=["loss"]) == expected
    frame = runs.histories(samples=5, keys=["loss"], format="pandas")
    assert list(frame.columns) == ["_step", "loss", "run_id"]
    assert frame.to_dict("records") == expected
    polars_frame = runs.histories(samples=5, keys=["loss"], format="polars")
    assert polars_frame.columns == ["_step", "loss", "run_id"]
    assert polars_frame.to_dicts() == expected
    whole = runs.histories(samples=3, format="polars")
    assert "val/loss" in whole.columns and whole.height == 3 * len(seeded)


def test_histories_of_no_runs(wandb_api: Api, wandb_emulator: EmulatorHandle) -> None:
    wandb_emulator.seed(project="empty", runs=0)
    runs = wandb_api.runs(f"{wandb_emulator.entity}/empty")
    assert runs.histories() == []
    assert runs.histories(format="pandas").empty
    assert runs.histories(format="polars").is_empty()


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda run: run.history(keys="loss"), "keys must be a list of strings"),
        (lambda run: run.history(keys=[1]), "keys must be a list of strings"),
        (lambda run: run.history(samples=0), "samples must be a positive integer"),
        (lambda run: run.history(stream="gpu"), "stream must be"),
        (lambda run: run.history(keys=["loss"], stream="system"), "stream must be 'default'"),
        (lambda run: run.scan_history(page_size=0), "page_size must be a positive integer"),
        (lambda run: run.scan_history(keys="loss"), "keys must be a list of strings"),
    ],
)
def test_bad_arguments(wandb_api: Api, record: RunRecord, call: Any, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        call(wandb_api.run(_path(record)))


def test_bad_histories_format(wandb_api: Api, record: RunRecord) -> None:
    with pytest.raises(UsageError, match="format must be"):
        wandb_api.runs(f"{record.entity}/hist").histories(format="csv")


def test_history_of_a_deleted_run(
    wandb_api: Api, wandb_emulator: EmulatorHandle, record: RunRecord
) -> None:
    run = wandb_api.run(_path(record))
    wandb_emulator.store.delete_run(record.id)
    with pytest.raises(NotFoundError, match=record.name):
        run.history()
    with pytest.raises(NotFoundError, match=record.name):
        run.scan_history()


def test_missing_pandas_is_explained(
    wandb_api: Api, record: RunRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "polars", None)
    run = wandb_api.run(_path(record))
    with pytest.raises(MissingDependencyError, match="pip install pandas"):
        run.history()
    assert run.history(samples=2, pandas=False)
    with pytest.raises(MissingDependencyError, match="polars"):
        wandb_api.runs(f"{record.entity}/hist").histories(format="polars")
