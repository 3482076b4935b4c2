"""The value axes of a sweep's plots: how a parameter's values (or the metric's) map to a
position from 0 (the low end) to 1 (the high end), and the ticks to label them with.

The scatter plots lay this fraction out horizontally and the parallel-coordinates plot
vertically. The scale follows the parameter's distribution in the sweep config:
logarithmic for the ``log`` distributions (when every value is positive), evenly spaced
categories for ``values`` (and for any parameter whose values are not all numbers),
linear otherwise.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from emulator.sweeps.params import DISTRIBUTIONS, Leaf
from emulator.ui.charts import nice_ticks, tick_label, value_range
from emulator.ui.templating import format_value

#: The log families: ``log_uniform``, ``inv_log_uniform``, ``log_normal``, their ``q_``
#: and ``_values`` variants.
LOG_DISTRIBUTIONS = frozenset(name for name in DISTRIBUTIONS if "log_" in name)
CATEGORICAL_DISTRIBUTIONS = frozenset({"categorical", "categorical_w"})
#: Fraction of the data range left free on each side, so no value sits on the frame.
_PAD = 0.05


@dataclass(frozen=True)
class Axis:
    """A scale (``linear``, ``log`` or ``categorical``), ``fraction`` mapping a value to
    0..1 along the axis, and ``ticks`` as (fraction, label) pairs."""

    scale: str
    fraction: Callable[[Any], float]
    ticks: list[tuple[float, str]]


def is_number(value: Any) -> bool:
    """Whether ``value`` is a finite int or float (not a bool)."""
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


def _numeric_axis(values: Sequence[float], *, log: bool) -> Axis:
    transform: Callable[[float], float] = math.log10 if log else float
    low, high = _padded(*value_range([transform(v) for v in values]))

    def fraction(value: Any) -> float:
        return (transform(value) - low) / (high - low)

    marks = _log_ticks(low, high) if log else nice_ticks(low, high)
    return Axis("log" if log else "linear", fraction, [(fraction(v), tick_label(v)) for v in marks])


def linear_axis(values: Sequence[float]) -> Axis:
    """A linear axis over ``values`` (at least one), padded on both sides."""
    return _numeric_axis(values, log=False)


def parameter_axis(values: Sequence[Any], leaf: Leaf) -> Axis:
    """The axis of parameter ``leaf`` over the ``values`` runs took (at least one, unless
    the config lists its ``values``): categories keep the config's order, then any others
    in the order met."""
    if leaf.distribution in CATEGORICAL_DISTRIBUTIONS or not all(map(is_number, values)):
        listed = leaf.spec.get("values")
        order = {_key(v): v for v in (listed if isinstance(listed, list) else [])}
        order.update((_key(v), v) for v in values if _key(v) not in order)
        slot = {key: index for index, key in enumerate(order)}
        count = max(1, len(slot))

        def category(value: Any) -> float:
            return (slot[_key(value)] + 0.5) / count

        return Axis(
            "categorical", category, [(category(v), format_value(v)) for v in order.values()]
        )
    log = leaf.distribution in LOG_DISTRIBUTIONS and all(v > 0 for v in values)
    return _numeric_axis(values, log=log)
