"""Reading a run's metric history and system metrics, as ``wandb.apis.public`` does.

:class:`RunHistory` holds the history methods of :class:`client.Run`;
:func:`histories` is :meth:`client.Runs.histories`. Requests, shapes and column names
are the W&B SDK's: sampled rows from ``sampledHistory`` (with keys) or ``history`` /
``events`` (without), full scans through :class:`~client.history_scan.HistoryScan`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from client._lines import decode_rows
from client._optional import require
from client._run_like import RunLike
from client.errors import NotFoundError, UsageError
from client.history_scan import HistoryScan

if TYPE_CHECKING:
    from client.run import Run

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


class RunHistory(RunLike):
    """The history methods of a run (mixed into :class:`client.Run`)."""

    def _run_field(self, operation: str, **variables: Any) -> dict[str, Any]:
        """The ``run`` node of ``operation``'s answer.

        Raises:
            NotFoundError: if the run does not exist.
        """
        run = {"project": self.project, "entity": self.entity, "name": self.id}
        data = self._session.graphql.execute(operation, {**run, **variables})
        node = (data.get("project") or {}).get("run")
        if node is None:
            raise NotFoundError(f"Could not find run {'/'.join(self.path)}")
        value: dict[str, Any] = node
        return value

    @property
    def history_keys(self) -> dict[str, Any]:
        """``{"lastStep": n, "keys": {key: {"typeCounts": [{"type", "count"}]}}}``: the
        last step logged and, per history key, how often each value type was logged."""
        return self._run_field("RunHistoryKeys")["historyKeys"] or {"lastStep": -1, "keys": {}}

    @property
    def lastHistoryStep(self) -> int:
        """The last step logged in the run's history (-1 when none was); W&B's camelCase name."""
        last = self.history_keys.get("lastStep")
        return -1 if last is None else last

    def history(
        self,
        samples: int = 500,
        keys: list[str] | None = None,
        x_axis: str = "_step",
        pandas: bool = True,
        stream: Stream = "default",
    ) -> Any:
        """Up to ``samples`` history rows, spread over the run (sampled by the server).

        Args:
            samples: How many rows at most.
            keys: Only rows that logged all of these keys, with only these keys and
                ``x_axis``. Without keys, whole rows.
            x_axis: The key returned beside ``keys``.
            pandas: Return a ``pandas.DataFrame`` instead of a list of dicts.
            stream: ``"default"`` for metrics, ``"system"`` for system metrics
                (``keys`` only go with ``"default"``).

        Raises:
            UsageError: for invalid arguments.
            NotFoundError: if the run does not exist.
            MissingDependencyError: if ``pandas=True`` and pandas is not installed.
        """
        keys = _check_keys(keys)
        _check_positive(samples, "samples")
        if stream not in _STREAM_FIELDS:
            raise UsageError(f"stream must be 'default' or 'system', got {stream!r}")
        if keys and stream != "default":
            raise UsageError("stream must be 'default' when keys are given")
        if keys:
            spec = json.dumps({"keys": [x_axis, *keys], "samples": samples})
            rows = self._run_field("RunSampledHistory", specs=[spec])["sampledHistory"][0]
        else:
            operation, field = _STREAM_FIELDS[stream]
            rows = decode_rows(self._run_field(operation, samples=samples)[field] or [])
        if pandas:
            return require("pandas", "history(pandas=True)").DataFrame.from_records(rows)
        return rows

    def scan_history(
        self,
        keys: list[str] | None = None,
        page_size: int = 1000,
        min_step: int | None = None,
        max_step: int | None = None,
    ) -> HistoryScan:
        """Every history row, lazily, ``page_size`` steps per request.

        Args:
            keys: Only ``_step`` and these keys.
            page_size: Steps fetched per request.
            min_step: First step (inclusive); 0 by default.
            max_step: Last step (exclusive); past the run's last step by default.

        Raises:
            UsageError: for invalid arguments.
            NotFoundError: if the run does not exist.
        """
        keys = _check_keys(keys)
        _check_positive(page_size, "page_size")
        last = self.lastHistoryStep
        stop = last + 1 if max_step is None or max_step > last else max_step
        return HistoryScan(
            self, keys=keys, page_size=page_size, min_step=min_step or 0, max_step=stop
        )


def histories(
    runs: Iterable[Run],
    samples: int = 500,
    keys: list[str] | None = None,
    x_axis: str = "_step",
    format: Format = "default",
    stream: Stream = "default",
) -> Any:
    """Sampled history of every run, each row tagged with its ``run_id``.

    ``format="default"`` gives a list of dicts; ``"pandas"`` and ``"polars"`` one data
    frame with the columns sorted by name. See :meth:`RunHistory.history`.
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
