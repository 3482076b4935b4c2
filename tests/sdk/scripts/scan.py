"""Scan a run's whole history with the public API and print its steps as JSON.

Run in a subprocess with ``wandb_env``'s environment: a new process reading the same
``WANDB_CACHE_DIR`` as the test, as a second notebook or job would.
"""

from __future__ import annotations

import json
import sys

import wandb


def main() -> None:
    run = wandb.Api(timeout=15).run(sys.argv[1])
    print(json.dumps([row["_step"] for row in run.scan_history()]))


if __name__ == "__main__":
    main()
