"""Reading a run's metric history and system metrics, as ``wandb.apis.public`` does.

:class:`RunHistory` answers the history methods of :class:`client.Run`;
:func:`histories` is :meth:`client.Runs.histories`. Requests, shapes and column names
are the W&B SDK's: sampled rows from ``sampledHistory`` (with keys) or ``history`` /
``events`` (without), full scans through :class:`~client.history_scan.HistoryScan`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol

from client._lines import decode_rows
from client._optional import require
from client._session import RunLike
from client.errors import UsageError
from client.history_scan import HistoryScan

Stream = Literal["default", "system"]
Format = Literal["default", "pandas", "polars"]
_STREAM_FIELDS = {"default": ("RunFullHistory", "history"), "system": ("RunEvents", "events")}


def _check_keys(keys: Any) -> list[str] | None:
    if keys is None:
        return None
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise UsageError(f"keys must be a list of strings, got {keys!r}")
    return keys


def _check_positive(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{name} must be a positive integer, got {value!r}")
    return value


class RunHistory:
    """The history of one run; :class:`client.Run` answers its history methods with it."""

    def __init__(self, run: RunLike) -> None:
        self.run = run

    def keys(self) -> dict[str, Any]:
        """See :attr:`client.Run.history_keys`."""
        node = self.run._session.run_node(self.run, "RunHistoryKeys")
        keys: dict[str, Any] = node["historyKeys"] or {"lastStep": -1, "keys": {}}
        return keys

    def last_step(self) -> int:
        """See :attr:`client.Run.lastHistoryStep`."""
        last: int | None = self.keys().get("lastStep")
        return -1 if last is None else last

    def sampled(
        self, samples: int, keys: list[str] | None, x_axis: str, pandas: bool, stream: Stream
    ) -> Any:
        """See :meth:`client.Run.history`."""
        keys = _check_keys(keys)
        _check_positive(samples, "samples")
        if stream not in _STREAM_FIELDS:
            raise UsageError(f"stream must be 'default' or 'system', got {stream!r}")
        if keys and stream != "default":
            raise UsageError("stream must be 'default' when keys are given")
        session = self.run._session
        if keys:
            spec = json.dumps({"keys": [x_axis, *keys], "samples": samples})
            node = session.run_node(self.run, "RunSampledHistory", specs=[spec])
            rows = node["sampledHistory"][0]
        else:
            operation, field = _STREAM_FIELDS[stream]
            rows = decode_rows(session.run_node(self.run, operation, samples=samples)[field] or [])
        if pandas:
            return require("pandas", "history(pandas=True)").DataFrame.from_records(rows)
        return rows

    def scan(
        self, keys: list[str] | None, page_size: int, min_step: int | None, max_step: int | None
    ) -> HistoryScan:
        """See :meth:`client.Run.scan_history`."""
        keys = _check_keys(keys)
        _check_positive(page_size, "page_size")
        last = self.last_step()
        stop = last + 1 if max_step is None or max_step > last else max_step
        return HistoryScan(
            self.run, keys=keys, page_size=page_size, min_step=min_step or 0, max_step=stop
        )


class SampledRun(Protocol):
    """What :func:`histories` reads of each run (a :class:`client.Run`)."""

    @property
    def id(self) -> str: ...

    def history(
        self, samples: int, keys: list[str] | None, x_axis: str, pandas: bool, stream: Stream
    ) -> Any: ...


def histories(
    runs: Iterable[SampledRun],
    samples: int = 500,
    keys: list[str] | None = None,
    x_axis: str = "_step",
    format: Format = "default",
    stream: Stream = "default",
) -> Any:
    """Sampled history of every run, each row tagged with its ``run_id``.

    ``format="default"`` gives a list of dicts; ``"pandas"`` and ``"polars"`` one data
    frame with the columns sorted by name. See :meth:`client.Run.history`.
    """
    if format not in ("default", "pandas", "polars"):
        raise UsageError(f"format must be 'default', 'pandas' or 'polars', got {format!r}")
    module = None if format == "default" else require(format, f"histories(format={format!r})")
    per_run = []
    for run in runs:
        rows = run.history(samples=samples, keys=keys, x_axis=x_axis, pandas=False, stream=stream)
        if rows:
            per_run.append((run.id, rows))
    if module is None:
        return [{**row, "run_id": run_id} for run_id, rows in per_run for row in rows]
    if format == "pandas":
        return _pandas_frame(module, per_run)
    return _polars_frame(module, per_run)


def _pandas_frame(pd: Any, per_run: Sequence[tuple[str, list[dict[str, Any]]]]) -> Any:
    if not per_run:
        return pd.DataFrame()
    frames = [pd.DataFrame.from_records(rows).assign(run_id=run_id) for run_id, rows in per_run]
    combined = pd.concat(frames, ignore_index=True)
    return combined[sorted(combined.columns)]


def _polars_frame(pl: Any, per_run: Sequence[tuple[str, list[dict[str, Any]]]]) -> Any:
    if not per_run:
        return pl.DataFrame()
    frames = [
        pl.from_records(rows, infer_schema_length=None).with_columns(pl.lit(run_id).alias("run_id"))
        for run_id, rows in per_run
    ]
    # Runs may log different keys: "diagonal_relaxed" unions the columns (the SDK's
    # "vertical" concat would fail there) and gives the same frame when they agree.
    combined = pl.concat(frames, how="diagonal_relaxed")
    return combined.select(sorted(combined.columns))
