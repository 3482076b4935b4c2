"""Sweep configs: parsed from the YAML the SDK sends and validated as W&B validates them.

Every problem is a :class:`SweepConfigError` whose message names the bad part
(``parameters.lr: min 0.1 is greater than max 0.01``).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import yaml  # type: ignore[import-untyped]

from emulator.sweeps import grid
from emulator.sweeps.params import DISTRIBUTIONS, Leaf, leaves

METHODS = ("grid", "random", "bayes")
GOALS = ("minimize", "maximize")
#: Distributions a grid can enumerate.
GRID_DISTRIBUTIONS = frozenset({"constant", "categorical", "int_uniform", "q_uniform"})
_BOUNDED = DISTRIBUTIONS - {
    "constant",
    "categorical",
    "categorical_w",
    "normal",
    "q_normal",
    "log_normal",
    "q_log_normal",
    "beta",
    "q_beta",
}
_POSITIVE_BOUNDS = frozenset(
    {
        "log_uniform_values",
        "q_log_uniform_values",
        "inv_log_uniform_values",
    }
)


class SweepConfigError(ValueError):
    """A sweep config W&B would reject; the message names the bad part."""


def parse(text: str) -> dict[str, Any]:
    """The config a YAML document holds (JSON is YAML too)."""
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SweepConfigError(f"invalid sweep config YAML: {error}") from None
    if not isinstance(config, dict):
        raise SweepConfigError(f"sweep config must be a mapping, got {type(config).__name__}")
    return config


def validate(config: Mapping[str, Any]) -> None:
    """Raise :class:`SweepConfigError` unless W&B would accept ``config``."""
    method = config.get("method")
    if method not in METHODS:
        raise SweepConfigError(f"method: must be one of {', '.join(METHODS)}, got {method!r}")
    _check_metric(config.get("metric"), required=method == "bayes")
    parameters = config.get("parameters")
    if not isinstance(parameters, Mapping) or not parameters:
        raise SweepConfigError("parameters: must be a non-empty mapping of parameter specs")
    _check_parameters(parameters, "parameters")
    if method == "grid":
        for leaf in leaves(parameters):
            if leaf.distribution not in GRID_DISTRIBUTIONS:
                raise SweepConfigError(
                    f"parameters.{leaf.name}: grid search needs value, values or integer "
                    f"bounds, not distribution {leaf.distribution!r}"
                )
    _check_early_terminate(config)
    run_cap = config.get("run_cap")
    if run_cap is not None and (
        isinstance(run_cap, bool) or not isinstance(run_cap, int) or run_cap < 1
    ):
        raise SweepConfigError(f"run_cap: must be a positive integer, got {run_cap!r}")


def _check_metric(metric: Any, *, required: bool) -> None:
    if metric is None:
        if required:
            raise SweepConfigError("metric: bayes search needs a metric to optimize")
        return
    if not isinstance(metric, Mapping) or not isinstance(metric.get("name"), str):
        raise SweepConfigError("metric: must be a mapping with a name")
    goal = metric.get("goal", "minimize")
    if goal not in GOALS:
        raise SweepConfigError(f"metric.goal: must be minimize or maximize, got {goal!r}")
    target = metric.get("target")
    if target is not None and not _is_number(target):
        raise SweepConfigError(f"metric.target: must be a number, got {target!r}")


def _check_parameters(parameters: Mapping[str, Any], where: str) -> None:
    for name, spec in parameters.items():
        if not isinstance(spec, Mapping):
            raise SweepConfigError(f"{where}.{name}: must be a mapping, got {spec!r}")
        if "parameters" in spec:
            nested = spec["parameters"]
            if not isinstance(nested, Mapping) or not nested:
                raise SweepConfigError(f"{where}.{name}.parameters: must be a non-empty mapping")
            _check_parameters(nested, f"{where}.{name}")
        else:
            _check_leaf(Leaf((name,), spec), f"{where}.{name}")


def _check_leaf(leaf: Leaf, where: str) -> None:
    spec, distribution = leaf.spec, leaf.distribution
    if distribution not in DISTRIBUTIONS:
        raise SweepConfigError(f"{where}.distribution: unknown distribution {distribution!r}")
    if not {
        "value",
        "values",
        "min",
        "max",
        "distribution",
        "mu",
        "sigma",
        "q",
        "a",
        "b",
        "probabilities",
    } & set(spec):
        raise SweepConfigError(f"{where}: needs value, values or min and max")
    if distribution == "constant" and "value" not in spec:
        raise SweepConfigError(f"{where}: a constant needs value")
    if distribution in ("categorical", "categorical_w"):
        values = spec.get("values")
        if not isinstance(values, list) or not values:
            raise SweepConfigError(f"{where}.values: must be a non-empty list")
        if distribution == "categorical_w":
            _check_probabilities(spec.get("probabilities"), len(values), where)
    if distribution in _BOUNDED:
        low: Any = spec.get("min")
        high: Any = spec.get("max")
        if not (_is_number(low) and _is_number(high)):
            raise SweepConfigError(f"{where}: {distribution} needs numeric min and max")
        if low > high:
            raise SweepConfigError(f"{where}: min {low} is greater than max {high}")
        if distribution == "int_uniform" and not (isinstance(low, int) and isinstance(high, int)):
            raise SweepConfigError(f"{where}: int_uniform needs integer min and max")
        if distribution in _POSITIVE_BOUNDS and low <= 0:
            raise SweepConfigError(f"{where}: {distribution} needs min > 0, got {low}")
    if "q" in spec and not (_is_number(spec["q"]) and spec["q"] > 0):
        raise SweepConfigError(f"{where}.q: must be a positive number, got {spec['q']!r}")
    if "sigma" in spec and not (_is_number(spec["sigma"]) and spec["sigma"] > 0):
        raise SweepConfigError(f"{where}.sigma: must be positive, got {spec['sigma']!r}")


def _check_probabilities(probabilities: Any, count: int, where: str) -> None:
    if (
        not isinstance(probabilities, list)
        or len(probabilities) != count
        or not all(_is_number(p) and p >= 0 for p in probabilities)
        or abs(sum(probabilities) - 1) > 1e-6
    ):
        raise SweepConfigError(
            f"{where}.probabilities: must be {count} non-negative numbers summing to 1"
        )


def _check_early_terminate(config: Mapping[str, Any]) -> None:
    early = config.get("early_terminate")
    if early is None:
        return
    if not isinstance(early, Mapping) or early.get("type") != "hyperband":
        raise SweepConfigError("early_terminate.type: must be hyperband")
    if "metric" not in config:
        raise SweepConfigError("early_terminate: hyperband needs a metric")
    if "min_iter" not in early and "max_iter" not in early:
        raise SweepConfigError("early_terminate: hyperband needs min_iter or max_iter")
    for key in ("min_iter", "max_iter", "s"):
        value = early.get(key)
        if value is not None and (not isinstance(value, int) or value < 1):
            raise SweepConfigError(f"early_terminate.{key}: must be a positive integer")
    eta = early.get("eta", 3)
    if not _is_number(eta) or eta < 2:
        raise SweepConfigError(f"early_terminate.eta: must be at least 2, got {eta!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def uses_engine(config: Mapping[str, Any]) -> bool:
    """Whether the config needs the optional sweeps engine (bayes or hyperband)."""
    return config.get("method") == "bayes" or "early_terminate" in config


def expected_run_count(config: Mapping[str, Any]) -> int | None:
    """How many runs the sweep will make: the grid's size (capped by ``run_cap``), or
    ``run_cap``, or ``None`` when unbounded."""
    cap = config.get("run_cap")
    if config.get("method") == "grid":
        size = grid.size(config)
        return size if cap is None else min(size, cap)
    return None if cap is None else int(cap)
