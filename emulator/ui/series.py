"""Series of a run's history for charts: every numeric metric over ``_step`` (system
metrics over ``_runtime``), reduced to a bounded number of points that keep each
bucket's minimum and maximum, so a spike between plotted points still shows.

The reduction is deterministic: buckets are the evenly spaced positions the store's
own sampling picks (:meth:`emulator.store.history.Selection.sample`, first and last
line included), and each bucket contributes its lowest and highest point, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from emulator.store.history import EVENTS, HISTORY, HistoryStore, StreamInfo

#: Buckets per series: about one per horizontal pixel of a chart on a laptop screen.
BUCKETS = 500
#: The x axis of each stream: history is plotted over steps, system metrics over time.
X_KEYS = {HISTORY: "_step", EVENTS: "_runtime"}
_NUMBER_TYPES = frozenset({int, float})


@dataclass(frozen=True)
class Series:
    """The points of one metric, in line order: ``xs[i], ys[i]``. ``total`` counts the
    lines that logged a finite number for the metric (``len(xs)`` when none was dropped)."""

    key: str
    xs: list[float]
    ys: list[float]
    total: int


def metric_keys(info: StreamInfo) -> list[str]:
    """Keys logged only as numbers (nulls aside), W&B's own ``_`` keys excluded, sorted."""
    return sorted(
        key
        for key, types in info.types.items()
        if not key.startswith("_") and "number" in types and set(types) <= {"number", "nil"}
    )


def _is_finite(value: Any) -> bool:
    # bool is not in _NUMBER_TYPES (type() is exact); NaN and infinities fail v - v == 0.
    return type(value) in _NUMBER_TYPES and value - value == 0


def reduce_points(xs: Sequence[Any], ys: Sequence[Any], buckets: int = BUCKETS) -> Series:
    """The finite ``(x, y)`` pairs, all of them when there are at most ``2 * buckets``,
    else each bucket's minimum and maximum (``key`` is left empty for the caller)."""
    pairs = enumerate(zip(xs, ys, strict=True))
    kept = [i for i, (x, y) in pairs if _is_finite(y) and _is_finite(x)]
    px = [xs[i] for i in kept]
    py = [ys[i] for i in kept]
    total = len(kept)
    if total <= 2 * buckets:
        return Series("", px, py, total)
    bounds = [index * (total - 1) // buckets for index in range(buckets)] + [total]
    out_x: list[float] = []
    out_y: list[float] = []
    for start, stop in pairwise(bounds):
        part = py[start:stop]
        low = start + part.index(min(part))
        high = start + part.index(max(part))
        for index in sorted({low, high}):
            out_x.append(px[index])
            out_y.append(py[index])
    return Series("", out_x, out_y, total)


def stream_series(
    history: HistoryStore, run_id: int, stream: str, buckets: int = BUCKETS
) -> list[Series]:
    """One reduced series per numeric metric of a run's ``stream``, by key."""
    info = history.info(run_id, stream)
    keys = metric_keys(info)
    if not keys:
        return []
    selection = history.select(run_id, stream)
    x_key = X_KEYS[stream]
    xs: Sequence[Any] = selection.column(x_key)
    if all(x is None for x in xs):
        xs = range(len(xs))  # no x key at all: plot by line
    series = []
    for key in keys:
        reduced = reduce_points(xs, selection.column(key), buckets)
        if reduced.total:
            series.append(Series(key, reduced.xs, reduced.ys, reduced.total))
    return series
