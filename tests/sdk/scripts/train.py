"""A small training script for the SDK tests, run in a subprocess with ``wandb_env``'s env.

Step ``s`` logs ``loss = 1/(s+1)``, ``acc = s/(s+1)`` and ``lr``; every
``--val-every`` steps also ``val_loss = 2/(s+1)``. It prints a line per 100 steps
and one to stderr, overrides two summary values, saves ``notes.txt``, logs a
``model`` artifact holding ``model.bin`` with ``--artifact``, and then finishes,
or exits with ``--exit-code`` without finishing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import wandb

CONFIG = {"lr": 0.01, "batch_size": 64, "optimizer": "adam", "layers": [64, 32]}
NOTES = "trained on the emulator\n"
WEIGHTS = bytes(range(256)) * 64


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--val-every", type=int, default=100)
    parser.add_argument("--id")
    parser.add_argument("--name")
    parser.add_argument("--resume")
    parser.add_argument("--exit-code", type=int, default=0)
    parser.add_argument("--artifact", action="store_true")
    args = parser.parse_args()

    run = wandb.init(
        project=args.project, id=args.id, name=args.name, resume=args.resume, config=CONFIG
    )
    start = run.starting_step
    for step in range(start, start + args.steps):
        metrics = {"loss": 1 / (step + 1), "acc": step / (step + 1), "lr": CONFIG["lr"]}
        if step % args.val_every == 0:
            metrics["val_loss"] = 2 / (step + 1)
        run.log(metrics)
        if step % 100 == 0:
            print(f"step {step}")
    print("a warning on stderr", file=sys.stderr)
    run.summary["acc"] = 1.0
    run.summary["best_val_loss"] = 0.001
    notes = Path("notes.txt")
    notes.write_text(NOTES)
    wandb.save(str(notes.resolve()), base_path=str(notes.resolve().parent), policy="now")
    if args.artifact:
        weights = Path("model.bin")
        weights.write_bytes(WEIGHTS)
        artifact = wandb.Artifact("model", type="model", metadata={"steps": args.steps})
        artifact.add_file(str(weights))
        run.log_artifact(artifact, aliases=["best"])
    if args.exit_code:
        sys.exit(args.exit_code)
    run.finish()


if __name__ == "__main__":
    main()
