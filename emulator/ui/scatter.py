"""A sweep's scatter plots: for each swept parameter, its value in each run (x) against
the sweep's metric in that run's summary (y), as SVG geometry for the ``scatter`` macro.

The x axis follows the parameter's distribution in the sweep config, as
:func:`emulator.ui.axes.parameter_axis` scales it.
Like :mod:`emulator.ui.charts`, the geometry is computed here and the template writes
(and escapes) the markup, so the plots read without JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from emulator.store import Run
from emulator.sweeps import SweepConfigError, parse
from emulator.sweeps.metric import Metric
from emulator.sweeps.params import Leaf, leaves
from emulator.ui.axes import linear_axis, parameter_axis
from emulator.ui.charts import BOTTOM, LEFT, RIGHT, TOP, Tick, ViewBox
from emulator.ui.templating import format_value

#: What :func:`parameter_value` returns for a parameter a run lacks.
MISSING = object()


@dataclass(frozen=True)
class Point:
    """One run in view-box coordinates, with what its hover title says."""

    x: float
    y: float
    run: Run
    value: str
    metric: float


@dataclass(frozen=True)
class Scatter(ViewBox):
    """One parameter against the metric: ``scale`` is linear, log or categorical."""

    parameter: str
    metric: str
    scale: str
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def parameter_value(config: Mapping[str, Any], path: Sequence[str]) -> Any:
    """The value of the (possibly nested) parameter ``path`` in a run's config, whose top
    level keeps W&B's ``{"value": ...}`` wrapping; ``MISSING`` when the run lacks it."""
    top = config.get(path[0])
    value = top.get("value", MISSING) if isinstance(top, Mapping) else MISSING
    for part in path[1:]:
        value = value.get(part, MISSING) if isinstance(value, Mapping) else MISSING
    return value


def parameter_cell(run: Run, leaf: Leaf) -> str:
    """The parameter's value in ``run`` as table text (empty when the run lacks it)."""
    value = parameter_value(run.config, leaf.path)
    return "" if value is MISSING else format_value(value)


def swept_parameters(config_text: str) -> list[Leaf]:
    """The parameters a sweep varies (every leaf but constants), in the config's order."""
    try:
        parameters = parse(config_text).get("parameters")
    except SweepConfigError:
        return []
    if not isinstance(parameters, Mapping):
        return []
    return [
        leaf
        for leaf in leaves(parameters)
        if isinstance(leaf.spec, Mapping) and leaf.distribution != "constant"
    ]


def build_scatter(leaf: Leaf, metric: Metric, runs: Sequence[Run]) -> Scatter:
    """The plot of parameter ``leaf`` against ``metric`` over the ``runs`` that have both."""
    samples = [
        (run, value, measured)
        for run in runs
        for value in [parameter_value(run.config, leaf.path)]
        for measured in [metric.value(run.summary_metrics)]
        if value is not MISSING and measured is not None
    ]
    if not samples:
        return Scatter(leaf.name, metric.name, "linear", [], [], [])
    x_axis = parameter_axis([value for _, value, _ in samples], leaf)
    y_axis = linear_axis([measured for _, _, measured in samples])

    def x_of(value: Any) -> float:
        return LEFT + x_axis.fraction(value) * (RIGHT - LEFT)

    def y_of(value: float) -> float:
        return BOTTOM - y_axis.fraction(value) * (BOTTOM - TOP)

    return Scatter(
        leaf.name,
        metric.name,
        x_axis.scale,
        [
            Point(x_of(value), y_of(measured), run, format_value(value), measured)
            for run, value, measured in samples
        ],
        [Tick(LEFT + f * (RIGHT - LEFT), label) for f, label in x_axis.ticks],
        [Tick(BOTTOM - f * (BOTTOM - TOP), label) for f, label in y_axis.ticks],
    )


def sweep_plots(config_text: str, metric: Metric | None, runs: Sequence[Run]) -> list[Scatter]:
    """One plot per swept parameter (none when the sweep has no metric)."""
    if metric is None:
        return []
    return [build_scatter(leaf, metric, runs) for leaf in swept_parameters(config_text)]
