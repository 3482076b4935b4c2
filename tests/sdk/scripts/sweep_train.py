"""A training program a sweep agent starts: reads its parameters from ``wandb.config``.

Logs ``loss = lr * (STEPS - step)`` for a few steps, so the run's summary ``loss`` is
``lr``: the sweep's best run is the one with the smallest ``lr``.
"""

from __future__ import annotations

import wandb

STEPS = 3


def train() -> None:
    """One training run under a sweep: the agent set its parameters."""
    with wandb.init() as run:
        for step in range(STEPS):
            run.log({"loss": run.config["lr"] * (STEPS - step)})


if __name__ == "__main__":
    train()
