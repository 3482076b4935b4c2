"""Grid search of our own: every combination of the parameters' values, in config order."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from emulator.sweeps.params import Leaf, leaves, nest


def leaf_values(leaf: Leaf) -> list[Any]:
    """The values a grid takes for one leaf (validation has checked the leaf can be a grid)."""
    spec, distribution = leaf.spec, leaf.distribution
    if distribution == "constant":
        return [spec["value"]]
    if distribution == "int_uniform":
        return list(range(int(spec["min"]), int(spec["max"]) + 1))
    if distribution == "q_uniform":
        q = spec.get("q", 1)
        count = math.floor((spec["max"] - spec["min"]) / q) + 1
        return [spec["min"] + i * q for i in range(count)]
    return list(spec["values"])


def size(config: Mapping[str, Any]) -> int:
    """How many points the grid has."""
    return math.prod(len(leaf_values(leaf)) for leaf in leaves(config["parameters"]))


def point(config: Mapping[str, Any], seq: int) -> dict[str, Any] | None:
    """The grid's point number ``seq`` (the last parameter varies fastest), or ``None``."""
    all_leaves = leaves(config["parameters"])
    axes = [leaf_values(leaf) for leaf in all_leaves]
    if seq >= math.prod(map(len, axes)):
        return None
    combination = next(itertools.islice(itertools.product(*axes), seq, None))
    return nest({leaf.path: value for leaf, value in zip(all_leaves, combination, strict=True)})
