"""Random search of our own, seeded by the sweep's name and the suggestion's number.

The same sweep gives the same suggestions in the same order on every server, which keeps
tests deterministic.
"""

from __future__ import annotations

import math
import random as stdlib_random
from collections.abc import Mapping
from typing import Any

from emulator.sweeps.params import Leaf, leaves, nest


def _quantize(value: float, q: float) -> float:
    return round(value / q) * q


def sample(leaf: Leaf, rng: stdlib_random.Random) -> Any:
    """A value of one leaf drawn from its distribution."""
    spec, distribution = leaf.spec, leaf.distribution
    low: Any = spec.get("min")
    high: Any = spec.get("max")
    if distribution == "constant":
        return spec["value"]
    if distribution == "categorical":
        return rng.choice(list(spec["values"]))
    if distribution == "categorical_w":
        return rng.choices(list(spec["values"]), weights=spec["probabilities"])[0]
    if distribution == "int_uniform":
        return rng.randint(int(low), int(high))
    if distribution in ("uniform", "q_uniform"):
        value = rng.uniform(low, high)
        return _quantize(value, spec.get("q", 1)) if distribution == "q_uniform" else value
    if distribution in ("log_uniform", "q_log_uniform"):  # bounds are exponents of e
        value = math.exp(rng.uniform(low, high))
        return _quantize(value, spec.get("q", 1)) if distribution == "q_log_uniform" else value
    if distribution in ("log_uniform_values", "q_log_uniform_values"):
        value = math.exp(rng.uniform(math.log(low), math.log(high)))
        quantized = distribution == "q_log_uniform_values"
        return _quantize(value, spec.get("q", 1)) if quantized else value
    if distribution == "inv_log_uniform":
        return 1 / math.exp(rng.uniform(low, high))
    if distribution == "inv_log_uniform_values":
        return 1 / math.exp(rng.uniform(math.log(1 / high), math.log(1 / low)))
    if distribution in ("normal", "q_normal"):
        value = rng.gauss(spec.get("mu", 0.0), spec.get("sigma", 1.0))
        return _quantize(value, spec.get("q", 1)) if distribution == "q_normal" else value
    if distribution in ("log_normal", "q_log_normal"):
        value = rng.lognormvariate(spec.get("mu", 0.0), spec.get("sigma", 1.0))
        return _quantize(value, spec.get("q", 1)) if distribution == "q_log_normal" else value
    value = rng.betavariate(spec.get("a", 1.0), spec.get("b", 1.0))  # beta, q_beta
    return _quantize(value, spec.get("q", 1)) if distribution == "q_beta" else value


def point(config: Mapping[str, Any], sweep_name: str, seq: int) -> dict[str, Any]:
    """Suggestion number ``seq`` of sweep ``sweep_name``."""
    rng = stdlib_random.Random(f"{sweep_name}:{seq}")
    return nest({leaf.path: sample(leaf, rng) for leaf in leaves(config["parameters"])})
