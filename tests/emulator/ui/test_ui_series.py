"""Chart series: every point of short runs, bucket minima and maxima of long ones."""

from __future__ import annotations

import math

from emulator.store import Run, Store
from emulator.store.history import HISTORY
from emulator.ui.charts import build_chart, nice_ticks
from emulator.ui.series import reduce_points, stream_series


def test_short_series_keep_every_finite_point() -> None:
    ys = [1.0, None, math.nan, 2, math.inf, True, "x", 3.5]
    reduced = reduce_points(list(range(len(ys))), ys, buckets=10)
    assert (reduced.xs, reduced.ys, reduced.total) == ([0, 3, 7], [1.0, 2, 3.5], 3)


def test_long_series_keep_each_buckets_extremes_so_spikes_show() -> None:
    n = 100_000
    ys = [math.sin(i / 500) for i in range(n)]
    ys[31_337] = 50.0
    ys[77_777] = -50.0
    reduced = reduce_points(list(range(n)), ys, buckets=200)
    assert reduced.total == n
    assert len(reduced.xs) <= 400
    assert reduced.xs == sorted(reduced.xs)
    assert (31_337, 50.0) in zip(reduced.xs, reduced.ys, strict=True)
    assert (77_777, -50.0) in zip(reduced.xs, reduced.ys, strict=True)
    assert (reduced.xs[0], reduced.xs[-1]) == (0, n - 1)
    assert reduce_points(list(range(n)), ys, buckets=200) == reduced  # deterministic


def test_stream_series_charts_numeric_keys_over_steps(store: Store) -> None:
    project = store.projects.ensure_project("e", "p")
    (run_id,) = store.runs.insert(project.id, [Run(name="r", username="e")])
    rows = [{"_step": i, "loss": 1 / (i + 1), "note": "text"} for i in range(10)]
    rows[4]["acc"] = 0.5  # a second shape of line: loss is read from two groups of lines
    rows[7]["loss"] = math.nan
    store.history.write_history(run_id, rows)
    series = stream_series(store.history, run_id, HISTORY)
    assert [(found.key, found.total) for found in series] == [("acc", 1), ("loss", 9)]
    assert series[0].xs == [4]
    assert series[1].xs == [0, 1, 2, 3, 4, 5, 6, 8, 9]  # in line order, NaN left out
    assert series[1].ys[4] == 1 / 5


def test_chart_maps_the_data_range_into_the_plot() -> None:
    reduced = reduce_points([0, 5, 10], [2.0, 4.0, 3.0])
    chart = build_chart("loss", "_step", [("loss", reduced)])
    points = [tuple(map(float, p.split(","))) for p in chart.lines[0].points.split()]
    assert points[0][0] == chart.left and points[-1][0] == chart.right
    assert max(y for _, y in points) == chart.bottom and min(y for _, y in points) == chart.top
    assert nice_ticks(0.15, 0.95) == [0.2, 0.4, 0.6, 0.8]
