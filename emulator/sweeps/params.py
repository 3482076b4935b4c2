"""A sweep's ``parameters``: the leaves to suggest values for, and each leaf's distribution.

Parameters nest (a parameter with its own ``parameters``); a leaf is addressed by its path
and suggestions are nested back into W&B's shape, ``{"model": {"layers": 2}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Distributions W&B accepts, as the sweeps engine names them.
DISTRIBUTIONS = frozenset(
    {
        "constant",
        "categorical",
        "categorical_w",
        "int_uniform",
        "uniform",
        "q_uniform",
        "log_uniform",
        "log_uniform_values",
        "q_log_uniform",
        "q_log_uniform_values",
        "inv_log_uniform",
        "inv_log_uniform_values",
        "normal",
        "q_normal",
        "log_normal",
        "q_log_normal",
        "beta",
        "q_beta",
    }
)


@dataclass(frozen=True)
class Leaf:
    """One parameter to suggest a value for: its path and its spec with a distribution."""

    path: tuple[str, ...]
    spec: Mapping[str, Any]

    @property
    def name(self) -> str:
        """The path joined with dots, for messages."""
        return ".".join(self.path)

    @property
    def distribution(self) -> str:
        """The spec's distribution, inferred as W&B infers it when not given."""
        return infer_distribution(self.spec)


def infer_distribution(spec: Mapping[str, Any]) -> str:
    """W&B's default: ``value`` constant, ``values`` categorical, integer bounds int_uniform."""
    if "distribution" in spec:
        return str(spec["distribution"])
    if "value" in spec:
        return "constant"
    if "values" in spec:
        return "categorical"
    if isinstance(spec.get("min"), int) and isinstance(spec.get("max"), int):
        return "int_uniform"
    return "uniform"


def leaves(parameters: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[Leaf]:
    """Every leaf of ``parameters``, depth first in the config's order."""
    found = []
    for name, spec in parameters.items():
        if isinstance(spec, Mapping) and "parameters" in spec:
            found += leaves(spec["parameters"], (*prefix, name))
        else:
            found.append(Leaf((*prefix, name), spec))
    return found


def nest(values: Mapping[tuple[str, ...], Any]) -> dict[str, Any]:
    """Leaf values by path as one nested dict of top-level parameters."""
    nested: dict[str, Any] = {}
    for path, value in values.items():
        level = nested
        for part in path[:-1]:
            level = level.setdefault(part, {})
        level[path[-1]] = value
    return nested


def command_args(params: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Suggested values in the agent command's ``args`` form: ``{"lr": {"value": 0.1}}``."""
    return {name: {"value": value} for name, value in params.items()}
