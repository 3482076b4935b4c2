"""Line charts as SVG geometry: one or more :class:`~emulator.ui.series.Series` mapped
into a fixed view box with axis ticks, for the ``chart`` template macro to draw.

The geometry is computed here and the markup written by the template (which escapes
every label), so a chart reads without JavaScript; ``ui.js`` only adds hover values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from emulator.ui.series import Series

WIDTH, HEIGHT = 640, 240
#: The plot area inside the view box (room for tick labels on the left and below).
LEFT, RIGHT, TOP, BOTTOM = 64, 632, 12, 212
TICKS = 5


@dataclass(frozen=True)
class Line:
    """One series in view-box coordinates: ``points`` as the SVG ``points`` attribute."""

    label: str
    points: str
    count: int
    total: int


@dataclass(frozen=True)
class Tick:
    """A tick at ``position`` (view-box coordinate along its axis) labelled ``label``."""

    position: float
    label: str


class ViewBox:
    """The view box and plot area every chart of the UI draws in, for the templates."""

    width: ClassVar[int] = WIDTH
    height: ClassVar[int] = HEIGHT
    left: ClassVar[int] = LEFT
    right: ClassVar[int] = RIGHT
    top: ClassVar[int] = TOP
    bottom: ClassVar[int] = BOTTOM


@dataclass(frozen=True)
class Chart(ViewBox):
    """A chart of one metric: its lines, ticks and the data range it shows."""

    title: str
    x_label: str
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    domain: tuple[float, float, float, float]  # x0, x1, y0, y1


def tick_label(value: float) -> str:
    """A tick's text: whole numbers with thousands separators, others to 4 digits."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.4g}"


def nice_ticks(low: float, high: float, count: int = TICKS) -> list[float]:
    """About ``count`` round values covering ``[low, high]`` (1, 2 or 5 times a power of 10)."""
    if high <= low:
        return [low]
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * 0.999)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


def value_range(values: Sequence[float]) -> tuple[float, float]:
    """The lowest and highest of ``values``, widened to a unit band when they are equal."""
    low, high = min(values), max(values)
    if low == high:  # a flat line sits in the middle of a unit-high band
        return low - 0.5, high + 0.5
    return low, high


def build_chart(title: str, x_label: str, series: Sequence[tuple[str, Series]]) -> Chart:
    """The chart of ``series`` (label, series) pairs sharing one pair of axes."""
    drawn = [(label, found) for label, found in series if found.xs]
    if not drawn:
        return Chart(title, x_label, [], [], [], (0.0, 1.0, 0.0, 1.0))
    x0, x1 = value_range([x for _, found in drawn for x in (min(found.xs), max(found.xs))])
    y0, y1 = value_range([y for _, found in drawn for y in (min(found.ys), max(found.ys))])
    sx = (RIGHT - LEFT) / (x1 - x0)
    sy = (BOTTOM - TOP) / (y1 - y0)

    def x_of(x: float) -> float:
        return LEFT + (x - x0) * sx

    def y_of(y: float) -> float:
        return BOTTOM - (y - y0) * sy

    lines = [
        Line(
            label,
            " ".join(
                f"{x_of(x):.1f},{y_of(y):.1f}" for x, y in zip(found.xs, found.ys, strict=True)
            ),
            len(found.xs),
            found.total,
        )
        for label, found in drawn
    ]
    return Chart(
        title,
        x_label,
        lines,
        [Tick(x_of(value), tick_label(value)) for value in nice_ticks(x0, x1)],
        [Tick(y_of(value), tick_label(value)) for value in nice_ticks(y0, y1)],
        (x0, x1, y0, y1),
    )
