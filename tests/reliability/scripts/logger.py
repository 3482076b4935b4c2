"""A training process for the reliability suites: logs a known sequence, saves a known file.

Step ``s`` logs ``loss = 1/(s+1)`` and ``step_copy = s``; every 500 steps it prints a line.
It sets summary ``final_step``, saves ``weights.bin`` (bytes derived from the run id) and,
with ``--artifact-mb``, logs an artifact of that size after printing ``uploading artifact``
(so a test can act while it uploads). ``--pause-every`` sleeps a little every N steps,
spreading a run over time the way real training does.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import wandb


def weights(run_id: str, size: int = 64 * 1024) -> bytes:
    """The bytes ``weights.bin`` holds for ``run_id``."""
    seed = hashlib.sha256(run_id.encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    parser.add_argument("--id", required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--pause-every", type=int, default=0)
    parser.add_argument("--artifact-mb", type=int, default=0)
    args = parser.parse_args()

    run = wandb.init(project=args.project, id=args.id, config={"lr": 0.001, "run": args.id})
    print("started", flush=True)
    for step in range(args.steps):
        run.log({"loss": 1 / (step + 1), "step_copy": step})
        if step % 500 == 0:
            print(f"step {step}", flush=True)
        if args.pause_every and step % args.pause_every == 0:
            time.sleep(0.01)
    run.summary["final_step"] = args.steps - 1
    path = Path("weights.bin")
    path.write_bytes(weights(args.id))
    wandb.save(str(path.resolve()), base_path=str(path.resolve().parent), policy="now")
    if args.artifact_mb:
        data = Path("model.bin")
        data.write_bytes(weights(args.id, args.artifact_mb * 1024 * 1024))
        artifact = wandb.Artifact(f"model-{args.id}", type="model")
        artifact.add_file(str(data))
        print("uploading artifact", flush=True)
        run.log_artifact(artifact).wait()
    run.finish()
    print("finished", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
