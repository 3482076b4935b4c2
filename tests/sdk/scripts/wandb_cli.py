"""The unmodified ``wandb`` command line, with the sweep agent polling every half second
(W&B's five seconds would make every agent test slow)."""

from __future__ import annotations

from wandb import wandb_agent
from wandb.cli.cli import cli

wandb_agent.Agent.POLL_INTERVAL = 0.5

if __name__ == "__main__":
    cli(prog_name="wandb")
