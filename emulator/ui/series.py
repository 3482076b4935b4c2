"""Series of a run's history for charts: every numeric metric over ``_step`` (system
metrics over ``_runtime``), reduced to a bounded number of points that keep each
bucket's minimum and maximum, so a spike between plotted points still shows.

The reduction is deterministic: buckets are the evenly spaced positions the store's
own sampling picks (:meth:`emulator.store.history.Selection.sample`, first and last
line included), and each bucket contributes its lowest and highest point, in order.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from operator import itemgetter
from typing import Any

from emulator.store.history import EVENTS, HISTORY, HistoryStore, Selection, StreamInfo

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


def _all_finite(values: Sequence[Any]) -> bool:
    """Whether a packed column holds only finite numbers: its sum is finite (a NaN or an
    infinity makes it not; so may an overflow, which only sends it the slow way)."""
    if not isinstance(values, array):
        return False
    total = sum(values)
    return bool(total - total == 0)


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
            if _is_finite(x) and _is_finite(y):
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
            finite = all(map(_all_finite, xs)) and all(map(_all_finite, ys))
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
    found.add(xs, ys, finite=_all_finite(xs) and _all_finite(ys))
    return _reduced("", found, buckets)


def _reduced(key: str, points: _Points, buckets: int) -> Series:
    px, py = points.xs, points.ys
    total = len(px)
    if total <= 2 * buckets:
        return Series(key, px, py, total)
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
    return Series(key, out_x, out_y, total)


def stream_series(
    history: HistoryStore, run_id: int, stream: str, buckets: int = BUCKETS
) -> list[Series]:
    """One reduced series per numeric metric of a run's ``stream``, by key; lines without
    the stream's x key (``_step`` or ``_runtime``) are not plotted."""
    keys = metric_keys(history.info(run_id, stream))
    if not keys:
        return []
    points = _gather(history.select(run_id, stream), X_KEYS[stream], keys)
    return [_reduced(key, found, buckets) for key, found in points.items() if found.xs]
