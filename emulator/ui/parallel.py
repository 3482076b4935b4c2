"""A sweep's parallel-coordinates plot: one vertical axis per swept parameter (in the
config's order) and a last one for the sweep's metric, and each run that has the metric
as one polyline crossing every axis at its value, as SVG geometry for the ``parallel``
macro.

The axes scale as the scatter plots' x axes do (:func:`emulator.ui.axes.parameter_axis`);
the metric's axis is linear. Lines are shaded from the worst metric value (light) to the
best (dark), drawn worst first, so the best runs lie on top and the best of all last.
Like the other plots, the geometry is computed here and the template writes (and
escapes) the markup, so the plot reads without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from emulator.store import Run
from emulator.sweeps.metric import Metric
from emulator.sweeps.params import Leaf
from emulator.ui.axes import Axis, linear_axis, parameter_axis
from emulator.ui.charts import Tick
from emulator.ui.scatter import MISSING, parameter_value, swept_parameters
from emulator.ui.templating import format_value

HEIGHT = 320
#: Vertical room: axis names above ``TOP``, nothing below ``BOTTOM`` but the low end.
TOP, BOTTOM = 40, 304
#: Horizontal room: half an axis name left of the first axis, tick labels right of the last.
MARGIN_LEFT, MARGIN_RIGHT = 60, 80
#: Space between two axes, and the least width of the view box.
SPACING, MIN_WIDTH = 140, 640
#: Shades of the colour ramp, ``p0`` (worst metric value) to ``p{SHADES - 1}`` (best).
SHADES = 8
#: Characters of an axis name shown above its axis (about the space between two axes).
NAME_CHARS = 18


@dataclass(frozen=True)
class ParallelAxis:
    """One vertical axis at ``x``: a parameter's (or the metric's) name, its scale and its
    ticks, whose ``position`` is a view-box y."""

    name: str
    scale: str
    x: float
    ticks: list[Tick]

    @property
    def label(self) -> str:
        """The name as shown above the axis: shortened with "…" when it would run into
        the next axis's (the full name is the label's hover title)."""
        if len(self.name) <= NAME_CHARS:
            return self.name
        return self.name[: NAME_CHARS - 1] + "…"


@dataclass(frozen=True)
class RunLine:
    """One run: ``points`` as the SVG ``points`` attribute, its ``values`` on each axis as
    (axis name, text) for its hover title, its metric and the shade of its colour."""

    run: Run
    points: str
    values: list[tuple[str, str]]
    metric: float
    shade: int
    best: bool


@dataclass(frozen=True)
class Parallel:
    """The plot: its view box, its axes left to right and its lines in drawing order."""

    metric: str
    width: int
    height: int
    top: int
    bottom: int
    axes: list[ParallelAxis]
    lines: list[RunLine]


def _y(fraction: float) -> float:
    return BOTTOM - fraction * (BOTTOM - TOP)


def _goodness(metric: Metric, values: Sequence[float]) -> list[float]:
    """Each value as 0 (the worst of ``values``) to 1 (the best), by the metric's goal."""
    low, high = min(values), max(values)
    if low == high:
        return [1.0] * len(values)
    if metric.goal == "maximize":
        return [(v - low) / (high - low) for v in values]
    return [(high - v) / (high - low) for v in values]


def _axis_of(leaf: Leaf, values: list[Any]) -> Axis | None:
    """The axis of ``leaf`` over the values the plotted runs have; none when no run has
    the parameter and the config lists no values either."""
    listed = leaf.spec.get("values")
    if not values and not (isinstance(listed, list) and listed):
        return None
    return parameter_axis(values, leaf)


def build_parallel(
    leaves: Sequence[Leaf], metric: Metric, runs: Sequence[Run], best: float | None
) -> Parallel:
    """The plot of the ``runs`` that have ``metric`` over the parameters ``leaves``;
    ``best`` is the sweep's best metric value, whose runs are emphasised."""
    samples = [
        (run, measured)
        for run in runs
        for measured in [metric.value(run.summary_metrics)]
        if measured is not None
    ]
    columns = [[parameter_value(run.config, leaf.path) for run, _ in samples] for leaf in leaves]
    measured = [value for _, value in samples]
    axes = [
        _axis_of(leaf, [v for v in column if v is not MISSING])
        for leaf, column in zip(leaves, columns, strict=True)
    ]
    axes.append(linear_axis(measured) if measured else None)
    columns.append(list(measured))
    names = [leaf.name for leaf in leaves] + [metric.name]
    width = max(MIN_WIDTH, MARGIN_LEFT + MARGIN_RIGHT + SPACING * (len(names) - 1))
    step = (width - MARGIN_LEFT - MARGIN_RIGHT) / max(1, len(names) - 1)
    xs = [MARGIN_LEFT + index * step for index in range(len(names))]

    lines = []
    goodness = _goodness(metric, measured) if measured else []
    for row, (run, value) in enumerate(samples):
        # A run lacking a parameter skips that axis: its line goes straight from the axis
        # before to the axis after, so each run stays one polyline (one element per run
        # keeps a 1,000-run page small) and still crosses every axis it has a value on.
        crossings = [
            (x, axis, column[row], name)
            for x, axis, column, name in zip(xs, axes, columns, names, strict=True)
            if axis is not None and column[row] is not MISSING
        ]
        lines.append(
            RunLine(
                run,
                " ".join(f"{x:.1f},{_y(axis.fraction(v)):.1f}" for x, axis, v, _ in crossings),
                [(name, format_value(v)) for _, _, v, name in crossings],
                value,
                round(goodness[row] * (SHADES - 1)),
                value == best,
            )
        )
    # Worst first, so better runs are drawn over worse ones; the best last of all.
    order = sorted(range(len(lines)), key=lambda i: (lines[i].best, goodness[i]))
    return Parallel(
        metric.name,
        width,
        HEIGHT,
        TOP,
        BOTTOM,
        [
            ParallelAxis(
                name,
                "linear" if axis is None else axis.scale,
                x,
                [] if axis is None else [Tick(_y(f), label) for f, label in axis.ticks],
            )
            for name, axis, x in zip(names, axes, xs, strict=True)
        ],
        [lines[i] for i in order],
    )


def sweep_parallel(
    config_text: str, metric: Metric | None, runs: Sequence[Run], best: float | None
) -> Parallel | None:
    """The sweep's plot; none when it has no metric or varies no parameter."""
    leaves = swept_parameters(config_text)
    if metric is None or not leaves:
        return None
    return build_parallel(leaves, metric, runs, best)
