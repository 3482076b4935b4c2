"""The geometry of a sweep's parallel-coordinates plot: axes in the config's order then
the metric, positions on linear, log and categorical axes, runs lacking a parameter or
the metric, and lines shaded and ordered by the metric with the best drawn last."""

from __future__ import annotations

from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from emulator.store import Run
from emulator.sweeps.metric import Metric, sweep_metric
from emulator.ui.parallel import BOTTOM, SHADES, TOP, Parallel, RunLine, sweep_parallel

PARAMETERS: dict[str, Any] = {
    "layers": {"values": [8, 2, 4]},
    "lr": {"distribution": "log_uniform_values", "min": 0.001, "max": 0.1},
    "batch": {"min": 10, "max": 30},
    "fixed": {"value": 3},
}


def _config(goal: str = "minimize", parameters: dict[str, Any] | None = None) -> str:
    text: str = yaml.safe_dump(
        {
            "method": "random",
            "metric": {"name": "loss", "goal": goal},
            "parameters": PARAMETERS if parameters is None else parameters,
        },
        sort_keys=False,  # the config's order is the axes' order
    )
    return text


def _run(name: str, loss: float | None, **values: Any) -> Run:
    return Run(
        name,
        config={key: {"value": value} for key, value in values.items()},
        summary_metrics={} if loss is None else {"loss": loss},
    )


RUNS = [
    _run("a", 0.3, layers=8, lr=0.001, batch=10, fixed=3),
    _run("b", 0.1, layers=2, lr=0.01, batch=20, fixed=3),
    _run("c", 0.2, layers=4, lr=0.1, batch=30, fixed=3),
]


def _plot(runs: list[Run], goal: str = "minimize") -> Parallel:
    config = _config(goal)
    metric = sweep_metric(config)
    assert metric is not None
    plot = sweep_parallel(config, metric, runs, metric.best(r.summary_metrics for r in runs))
    assert plot is not None
    return plot


def _points(line: RunLine) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in line.points.split())]


def _ys(plot: Parallel) -> dict[str, list[float]]:
    """Each run's y on each axis it crosses, left to right."""
    return {line.run.name: [y for _, y in _points(line)] for line in plot.lines}


def test_one_axis_per_swept_parameter_in_order_then_the_metric() -> None:
    plot = _plot(RUNS)
    assert [(a.name, a.scale) for a in plot.axes] == [
        ("layers", "categorical"),
        ("lr", "log"),
        ("batch", "linear"),
        ("loss", "linear"),
    ]
    xs = [axis.x for axis in plot.axes]
    assert xs == sorted(xs) and xs[0] > 0 and xs[-1] < plot.width
    for line in plot.lines:  # every run crosses every axis, at the axis's x
        assert [x for x, _ in _points(line)] == [round(x, 1) for x in xs]
        assert all(TOP <= y <= BOTTOM for _, y in _points(line))


def test_values_sit_on_linear_log_and_categorical_scales() -> None:
    ys = _ys(_plot(RUNS))
    columns = zip(*(ys[name] for name in "abc"), strict=True)
    layers, lr, batch, loss = (dict(zip("abc", column, strict=True)) for column in columns)
    # Categories in the config's order (8, 2, 4) from the bottom up, evenly spaced.
    assert layers["a"] > layers["b"] > layers["c"]
    assert layers["a"] - layers["b"] == pytest.approx(layers["b"] - layers["c"], abs=0.1)
    # 0.01 is halfway between 0.001 and 0.1 on a log scale; 20 between 10 and 30 on a linear one.
    assert lr["a"] > lr["b"] > lr["c"]
    assert lr["b"] == pytest.approx((lr["a"] + lr["c"]) / 2, abs=0.1)
    assert batch["b"] == pytest.approx((batch["a"] + batch["c"]) / 2, abs=0.1)
    assert loss["a"] < loss["c"] < loss["b"]  # the higher the loss, the higher the point
    plot = _plot(RUNS)
    assert [t.label for t in plot.axes[0].ticks] == ["8", "2", "4"]
    assert [t.label for t in plot.axes[1].ticks] == [
        "0.001",
        "0.002",
        "0.005",
        "0.01",
        "0.02",
        "0.05",
        "0.1",
    ]
    assert [t.position for t in plot.axes[0].ticks] == pytest.approx(
        [layers["a"], layers["b"], layers["c"]], abs=0.1
    )


def test_a_run_lacking_a_parameter_skips_that_axis_and_runs_lacking_the_metric_are_left_out() -> (
    None
):
    runs = [*RUNS, _run("d", 0.25, layers=2, batch=15), _run("e", None, layers=8, lr=0.01)]
    plot = _plot(runs)
    lines = {line.run.name: line for line in plot.lines}
    assert set(lines) == {"a", "b", "c", "d"}
    x_of = {axis.name: round(axis.x, 1) for axis in plot.axes}
    assert [x for x, _ in _points(lines["d"])] == [x_of["layers"], x_of["batch"], x_of["loss"]]
    assert lines["d"].values == [("layers", "2"), ("batch", "15"), ("loss", "0.25")]
    assert _points(lines["d"])[0][1] == _points(lines["b"])[0][1]  # same category, same y


def test_lines_are_shaded_and_ordered_by_the_metric_with_the_best_last() -> None:
    plot = _plot(RUNS)  # minimize: b (0.1) best, then c (0.2), then a (0.3)
    assert [(line.run.name, line.shade, line.best) for line in plot.lines] == [
        ("a", 0, False),
        ("c", plot.lines[1].shade, False),
        ("b", SHADES - 1, True),
    ]
    assert plot.lines[1].shade in (3, 4)  # halfway along the ramp
    plot = _plot(RUNS, goal="maximize")  # a (0.3) best
    assert [(line.run.name, line.shade, line.best) for line in plot.lines] == [
        ("b", 0, False),
        ("c", plot.lines[1].shade, False),
        ("a", SHADES - 1, True),
    ]
    assert plot.lines[1].shade in (3, 4)


def test_runs_tied_for_the_best_are_all_emphasised_on_top() -> None:
    runs = [_run("x", 0.1, layers=8), *RUNS, _run("y", 0.5, layers=4)]
    names = [(line.run.name, line.best) for line in _plot(runs).lines]
    assert names[:3] == [("y", False), ("a", False), ("c", False)]
    assert sorted(names[3:]) == [("b", True), ("x", True)]


def test_no_plot_without_a_metric_or_a_swept_parameter() -> None:
    metric = Metric("loss", "minimize")
    assert sweep_parallel(_config(), None, RUNS, None) is None
    constants = _config(parameters={"fixed": {"value": 3}})
    assert sweep_parallel(constants, metric, RUNS, 0.1) is None
    assert sweep_parallel("not: [valid", metric, RUNS, 0.1) is None


def test_a_plot_without_runs_having_the_metric_has_bare_axes() -> None:
    plot = _plot([_run("e", None, layers=8, lr=0.01)])
    assert plot.lines == []
    assert [axis.name for axis in plot.axes] == ["layers", "lr", "batch", "loss"]
    # The listed categories still label their axis; the others have no values to scale.
    assert [t.label for t in plot.axes[0].ticks] == ["8", "2", "4"]
    assert [axis.ticks for axis in plot.axes[1:]] == [[], [], []]


def test_long_parameter_names_are_shortened_above_their_axes() -> None:
    long_name = "optimizer_learning_rate_warmup"
    config = _config(parameters={long_name: {"values": [1, 2]}, "lr": {"values": [0.1]}})
    metric = sweep_metric(config)
    assert metric is not None
    runs = [Run("a", config={long_name: {"value": 1}, "lr": {"value": 0.1}})]
    plot = sweep_parallel(config, metric, runs, None)
    assert plot is not None
    labels = [(axis.name, axis.label) for axis in plot.axes]
    assert labels == [(long_name, "optimizer_learnin…"), ("lr", "lr"), ("loss", "loss")]
