"""Timing, result rows and targets: what every workload module builds on.

A workload measures something several times (``samples``) and the same data the most
direct way (its :class:`Baseline`), and returns :class:`Row` objects. Rows know their
median, throughput, ratio to the baseline and whether their :class:`Check`\\ s hold.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

#: Status of a row: its target holds, is missed, it has no target, or could not run.
OK, MISS, INFO, NOT_AVAILABLE, ERROR = "ok", "MISS", "-", "n/a", "ERROR"


class Samples(list[float]):
    """Wall-clock seconds of each call, with the process CPU seconds of each in ``cpu``.

    On a shared machine the CPU time (client and in-thread server together) shows how
    much of the wall time was work rather than waiting for a core.
    """

    def __init__(self, wall: list[float], cpu: list[float]) -> None:
        super().__init__(wall)
        self.cpu = cpu


def joined(parts: Iterable[Samples]) -> Samples:
    """Samples measured separately (say, one per fresh server), as one series."""
    wall: list[float] = []
    cpu: list[float] = []
    for part in parts:
        wall.extend(part)
        cpu.extend(part.cpu)
    return Samples(wall, cpu)


def measure(
    fn: Callable[[T], Any],
    times: int,
    *,
    setup: Callable[[], T] = lambda: None,  # type: ignore[assignment,return-value]
    teardown: Callable[[T], Any] = lambda _: None,
) -> Samples:
    """Call ``fn(setup())`` ``times`` times and return the wall-clock seconds of each call.

    ``setup`` and ``teardown`` run outside the timed region, as does a garbage
    collection before each call (so one sample does not pay for another's garbage).
    """
    wall, cpu = [], []
    for _ in range(max(1, times)):
        state = setup()
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(state)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        teardown(state)
    return Samples(wall, cpu)


def exhausting(
    items: Callable[[], Iterable[Any]], expected: int, what: str
) -> Callable[[Any], None]:
    """A workload that iterates ``items()`` to the end and checks it saw ``expected`` ``what``."""

    def iterate(_: Any) -> None:
        seen = sum(1 for _ in items())
        if seen != expected:
            raise RuntimeError(f"got {seen} {what}, expected {expected}")

    return iterate


def median(samples: Sequence[float]) -> float:
    """The median of ``samples`` (the statistic every row reports)."""
    return statistics.median(samples)


@dataclass(frozen=True)
class Baseline:
    """The same work done the most direct way on this machine, measured in the same run."""

    name: str
    samples: list[float]
    count: float | None = None

    @property
    def median(self) -> float:
        return median(self.samples)

    @property
    def throughput(self) -> float | None:
        """Items per second at the median, when the baseline processed ``count`` items."""
        return None if self.count is None else self.count / self.median


@dataclass(frozen=True)
class Check:
    """One condition of a target, e.g. ``Check("median", "<", 0.5, "< 0.5 s")``.

    ``metric`` is a :class:`Row` property: ``median``, ``throughput`` or ``ratio``.
    """

    metric: str
    op: str
    bound: float
    label: str

    def holds(self, row: Row) -> bool | None:
        """Whether the row meets the condition (``None`` if the metric is unknown)."""
        value = getattr(row, self.metric)
        if value is None:
            return None
        return value < self.bound if self.op == "<" else value > self.bound


def below(bound: float, label: str, metric: str = "median") -> Check:
    """A check that ``metric`` stays below ``bound``."""
    return Check(metric, "<", bound, label)


def above(bound: float, label: str, metric: str = "throughput") -> Check:
    """A check that ``metric`` exceeds ``bound``."""
    return Check(metric, ">", bound, label)


@dataclass
class Row:
    """One line of the results table.

    ``samples`` are seconds unless ``unit`` says otherwise (``"MB"`` for memory rows);
    ``count`` items (``count_unit``) were processed per sample, giving a throughput.
    """

    id: str
    workload: str
    size: str
    samples: list[float] = field(default_factory=list)
    unit: str = "s"
    count: float | None = None
    count_unit: str = ""
    baseline: Baseline | None = None
    target: tuple[Check, ...] = ()
    note: str = ""
    error: str | None = None
    available: bool = True

    @property
    def median(self) -> float | None:
        return median(self.samples) if self.samples else None

    @property
    def cpu_median(self) -> float | None:
        """Median process CPU seconds, for rows measured in this process."""
        cpu = getattr(self.samples, "cpu", None)
        return median(cpu) if cpu else None

    @property
    def throughput(self) -> float | None:
        """``count`` per second at the median (time rows only)."""
        if self.count is None or not self.samples or self.unit != "s" or not self.median:
            return None
        return self.count / self.median

    @property
    def ratio(self) -> float | None:
        """Median over the baseline's median: how many times the direct way this costs."""
        if self.baseline is None or self.median is None or not self.baseline.median:
            return None
        return self.median / self.baseline.median

    @property
    def status(self) -> str:
        if self.error is not None:
            return ERROR
        if not self.available:
            return NOT_AVAILABLE
        if not self.target:
            return INFO
        results = [check.holds(self) for check in self.target]
        return OK if all(result is True for result in results) else MISS

    def to_json(self) -> dict[str, Any]:
        """The row as plain JSON data (every derived number included)."""
        baseline = self.baseline
        return {
            "id": self.id,
            "workload": self.workload,
            "size": self.size,
            "unit": self.unit,
            "samples": self.samples,
            "median": self.median,
            "cpu_samples": getattr(self.samples, "cpu", None),
            "cpu_median": self.cpu_median,
            "count": self.count,
            "count_unit": self.count_unit,
            "throughput": self.throughput,
            "baseline": None
            if baseline is None
            else {
                "name": baseline.name,
                "samples": baseline.samples,
                "median": baseline.median,
                "count": baseline.count,
                "throughput": baseline.throughput,
            },
            "ratio": self.ratio,
            "target": " and ".join(check.label for check in self.target) or None,
            "status": self.status,
            "note": self.note,
            "error": self.error,
        }


def not_available(id_: str, workload: str, size: str, reason: str, **extra: Any) -> Row:
    """A row for a workload whose feature has not landed: reported, never measured."""
    return Row(
        id_, workload, size, available=False, note=f"feature not available: {reason}", **extra
    )
