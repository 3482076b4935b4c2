"""A sweep's scatter plots: for each swept parameter, its value in each run (x) against
the sweep's metric in that run's summary (y), as SVG geometry for the ``scatter`` macro.

The x axis follows the parameter's distribution in the sweep config: logarithmic for the
``log`` distributions (when every value is positive), evenly spaced categories for
``values`` (and for any parameter whose values are not all numbers), linear otherwise.
Like :mod:`emulator.ui.charts`, the geometry is computed here and the template writes
(and escapes) the markup, so the plots read without JavaScript.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from emulator.store import Run
from emulator.sweeps import SweepConfigError, parse
from emulator.sweeps.metric import Metric
from emulator.sweeps.params import Leaf, leaves
from emulator.ui.charts import (
    BOTTOM,
    LEFT,
    RIGHT,
    TOP,
    Tick,
    ViewBox,
    nice_ticks,
    tick_label,
    value_range,
)
from emulator.ui.templating import format_value

LOG_DISTRIBUTIONS = frozenset(
    {
        "log_uniform",
        "log_uniform_values",
        "q_log_uniform",
        "q_log_uniform_values",
        "inv_log_uniform",
        "inv_log_uniform_values",
        "log_normal",
        "q_log_normal",
    }
)
CATEGORICAL_DISTRIBUTIONS = frozenset({"categorical", "categorical_w"})
#: Fraction of the data range left free on each side, so no point sits on the frame.
_PAD = 0.05
_MISSING = object()


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
    level keeps W&B's ``{"value": ...}`` wrapping; ``_MISSING`` when the run lacks it."""
    top = config.get(path[0])
    value = top.get("value", _MISSING) if isinstance(top, Mapping) else _MISSING
    for part in path[1:]:
        value = value.get(part, _MISSING) if isinstance(value, Mapping) else _MISSING
    return value


def parameter_cell(run: Run, leaf: Leaf) -> str:
    """The parameter's value in ``run`` as table text (empty when the run lacks it)."""
    value = parameter_value(run.config, leaf.path)
    return "" if value is _MISSING else format_value(value)


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


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _padded(low: float, high: float) -> tuple[float, float]:
    pad = (high - low) * _PAD
    return low - pad, high + pad


def _log_ticks(low: float, high: float) -> list[float]:
    """Round values (1, 2 or 5 times a power of 10) between ``10**low`` and ``10**high``."""
    candidates = [
        (multiple * 10.0**power, multiple)
        for power in range(math.floor(low), math.ceil(high) + 1)
        for multiple in (1, 2, 5)
    ]
    inside = [(v, m) for v, m in candidates if low <= math.log10(v) <= high]
    if len(inside) > 8:
        inside = [(v, m) for v, m in inside if m == 1]
    return [v for v, _ in inside] if len(inside) >= 2 else [10**low, 10**high]


def _axis(values: list[Any], leaf: Leaf) -> tuple[str, Callable[[Any], float], list[Tick]]:
    """The x axis of ``values``: its scale, value -> view-box x, and its ticks."""
    width = RIGHT - LEFT
    numeric = all(map(_is_number, values))
    if leaf.distribution in CATEGORICAL_DISTRIBUTIONS or not numeric:
        listed = leaf.spec.get("values")
        order = {_key(v): v for v in (listed if isinstance(listed, list) else [])}
        order.update((_key(v), v) for v in values if _key(v) not in order)
        slot = {key: index for index, key in enumerate(order)}
        step = width / max(1, len(slot))

        def category(value: Any) -> float:
            return LEFT + (slot[_key(value)] + 0.5) * step

        ticks = [Tick(category(v), format_value(v)) for v in order.values()]
        return "categorical", category, ticks
    log = leaf.distribution in LOG_DISTRIBUTIONS and all(v > 0 for v in values)
    transform: Callable[[float], float] = math.log10 if log else float
    low, high = _padded(*value_range([transform(v) for v in values]))

    def position(value: Any) -> float:
        return LEFT + (transform(value) - low) / (high - low) * width

    marks = _log_ticks(low, high) if log else nice_ticks(low, high)
    return ("log" if log else "linear"), position, [Tick(position(v), tick_label(v)) for v in marks]


def build_scatter(leaf: Leaf, metric: Metric, runs: Sequence[Run]) -> Scatter:
    """The plot of parameter ``leaf`` against ``metric`` over the ``runs`` that have both."""
    samples = [
        (run, value, measured)
        for run in runs
        for value in [parameter_value(run.config, leaf.path)]
        for measured in [metric.value(run.summary_metrics)]
        if value is not _MISSING and measured is not None
    ]
    if not samples:
        return Scatter(leaf.name, metric.name, "linear", [], [], [])
    scale, x_of, x_ticks = _axis([value for _, value, _ in samples], leaf)
    y0, y1 = _padded(*value_range([measured for _, _, measured in samples]))

    def y_of(value: float) -> float:
        return BOTTOM - (value - y0) / (y1 - y0) * (BOTTOM - TOP)

    return Scatter(
        leaf.name,
        metric.name,
        scale,
        [
            Point(x_of(value), y_of(measured), run, format_value(value), measured)
            for run, value, measured in samples
        ],
        x_ticks,
        [Tick(y_of(value), tick_label(value)) for value in nice_ticks(y0, y1)],
    )


def sweep_plots(config_text: str, metric: Metric | None, runs: Sequence[Run]) -> list[Scatter]:
    """One plot per swept parameter (none when the sweep has no metric)."""
    if metric is None:
        return []
    return [build_scatter(leaf, metric, runs) for leaf in swept_parameters(config_text)]
