"""A sweep's metric: the summary key its config optimizes and the direction, and the best
value its runs reached (what W&B reports as ``bestLoss`` and the UI shows)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from emulator.sweeps.config import SweepConfigError, parse


@dataclass(frozen=True)
class Metric:
    """The metric a sweep config names: ``name`` (a summary key) and ``goal``."""

    name: str
    goal: str

    def value(self, summary: Mapping[str, Any]) -> float | None:
        """The metric in a run's summary, when it is a number."""
        found = summary.get(self.name)
        if isinstance(found, bool) or not isinstance(found, (int, float)):
            return None
        return float(found)

    def best(self, summaries: Iterable[Mapping[str, Any]]) -> float | None:
        """The best value over runs' summaries: the highest when maximizing, else the
        lowest (W&B's default goal is minimize); ``None`` when no run has it."""
        values = [v for v in map(self.value, summaries) if v is not None]
        if not values:
            return None
        return max(values) if self.goal == "maximize" else min(values)


def sweep_metric(config_text: str) -> Metric | None:
    """The metric of a sweep's YAML config; ``None`` when it names none (or is unreadable)."""
    try:
        metric = parse(config_text).get("metric")
    except SweepConfigError:
        return None
    if not isinstance(metric, dict) or not isinstance(metric.get("name"), str):
        return None
    return Metric(metric["name"], "maximize" if metric.get("goal") == "maximize" else "minimize")
