"""Series of a run's history for charts: every numeric metric over ``_step`` (system
metrics over ``_runtime``), reduced to a bounded number of points that keep each
bucket's minimum and maximum, so a spike between plotted points still shows.

The reduction is deterministic: buckets are the evenly spaced positions the store's
own sampling picks (:meth:`emulator.store.history.Selection.sample`, first and last
line included), and each bucket contributes its lowest and highest point, in order.

A history long enough that a bucket spans more than a block of the store's extremes
(:data:`emulator.store.history_chunks.EXTREME_BLOCK` lines) is reduced from those
extremes, each block's lowest and highest point, instead of from every line: the same
spikes show, and a million lines cost a read of a few thousand points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from operator import itemgetter
from typing import Any

from emulator.store.history import EVENTS, HISTORY, HistoryStore, Selection, StreamInfo
from emulator.store.history_chunks import EXTREME_BLOCK, all_finite, is_finite_number

#: Buckets per series: about one per horizontal pixel of a chart on a laptop screen.
BUCKETS = 500
#: The x axis of each stream: history is plotted over steps, system metrics over time.
X_KEYS = {HISTORY: "_step", EVENTS: "_runtime"}


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


@dataclass
class _Points:
    """The finite points of one metric gathered so far, in line order."""

    xs: list[Any] = field(default_factory=list)
    ys: list[Any] = field(default_factory=list)

    def add(self, xs: Sequence[Any], ys: Sequence[Any], *, finite: bool = False) -> None:
        """Append the pairs whose values are finite numbers (all of them, unchecked, when
        ``finite`` says they are)."""
        if finite:
            self.xs.extend(xs)
            self.ys.extend(ys)
            return
        for x, y in zip(xs, ys, strict=True):
            if is_finite_number(x) and is_finite_number(y):
                self.xs.append(x)
                self.ys.append(y)


def _gather(selection: Selection, x_key: str, keys: Sequence[str]) -> dict[str, _Points]:
    """Every finite ``(x, y)`` of each key, read column by column from each chunk's groups
    of lines (lines that logged the same keys), in line order."""
    points = {key: _Points() for key in keys}
    for chunk, _ in selection.parts:  # the whole stream is selected: every written line
        groups = list(chunk.groups.values())
        orders: dict[tuple[int, ...], Callable[[Sequence[Any]], Sequence[Any]]] = {}
        for key in keys:
            found = [
                (index, x, y)
                for index, group in enumerate(groups)
                if (x := group.column(x_key)) is not None and (y := group.column(key)) is not None
            ]
            if not found:
                continue
            members = tuple(index for index, _, _ in found)
            xs = [x for _, x, _ in found]
            ys = [y for _, _, y in found]
            finite = all(map(all_finite, xs)) and all(map(all_finite, ys))
            if len(members) == 1:
                points[key].add(xs[0], ys[0], finite=finite)
                continue
            # Lines of several shapes hold the key: put their values back in line order.
            if members not in orders:
                orders[members] = _line_order([groups[index].slots for index in members])
            order = orders[members]
            points[key].add(order(_joined(xs)), order(_joined(ys)), finite=finite)
    return points


def _joined(columns: list[Any]) -> list[Any]:
    return list(chain.from_iterable(columns))


def _line_order(slots: list[Sequence[int]]) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """Picks the values of groups' joined columns in the order of their joined slots."""
    joined = _joined(slots)
    order = sorted(range(len(joined)), key=joined.__getitem__)
    pick = itemgetter(*order)
    return (lambda values: [pick(values)]) if len(order) == 1 else pick


def reduce_points(xs: Sequence[Any], ys: Sequence[Any], buckets: int = BUCKETS) -> Series:
    """The finite ``(x, y)`` pairs, all of them when there are at most ``2 * buckets``,
    else each bucket's minimum and maximum (``key`` is left empty for the caller)."""
    found = _Points()
    found.add(xs, ys, finite=all_finite(xs) and all_finite(ys))
    return _reduced("", found, buckets)


def _reduced(key: str, points: _Points, buckets: int, total: int | None = None) -> Series:
    """Each bucket's extremes of ``points``; ``total`` counts the lines they stand for
    (``len(points.xs)`` when ``None``: every line)."""
    px, py = points.xs, points.ys
    size = len(px)
    total = size if total is None else total
    if size <= 2 * buckets:
        return Series(key, px, py, total)
    bounds = [index * (size - 1) // buckets for index in range(buckets)] + [size]
    out_x: list[float] = []
    out_y: list[float] = []
    for start, stop in pairwise(bounds):
        part = py[start:stop]
        low = start + part.index(min(part))
        high = start + part.index(max(part))
        for index in sorted({low, high}):
            out_x.append(px[index])
            out_y.append(py[index])
    return Series(key, out_x, out_y, total)


def stream_series(
    history: HistoryStore, run_id: int, stream: str, buckets: int = BUCKETS
) -> list[Series]:
    """One reduced series per numeric metric of a run's ``stream``, by key; lines without
    the stream's x key (``_step`` or ``_runtime``) are not plotted."""
    info = history.info(run_id, stream)
    keys = metric_keys(info)
    if not keys:
        return []
    if stream == HISTORY and info.line_count >= buckets * EXTREME_BLOCK:
        extremes = history.step_extremes(run_id, keys)
        return [
            _reduced(key, _Points(found.steps, found.values), buckets, found.count)
            for key, found in extremes.items()
        ]
    points = _gather(history.select(run_id, stream), X_KEYS[stream], keys)
    return [_reduced(key, found, buckets) for key, found in points.items() if found.xs]
