"""Promote a model for the SDK tests, run in a subprocess with ``wandb_env``'s env.

Logs ``digits`` (type ``model``, alias ``candidate``, tag ``baseline``), links it into
the legacy model registry's ``digits-classifier`` (alias ``staging``), then logs a
second version with ``link_model`` (alias ``production``). Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import wandb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    args = parser.parse_args()

    weights = Path("model.bin")
    with wandb.init(project=args.project, job_type="promote") as run:
        weights.write_bytes(b"weights-1")
        artifact = wandb.Artifact("digits", type="model", metadata={"acc": 0.9})
        artifact.add_file(str(weights))
        logged = run.log_artifact(artifact, aliases=["candidate"], tags=["baseline"])
        logged.wait()
        first = run.link_artifact(logged, "model-registry/digits-classifier", ["staging"])
        weights.write_bytes(b"weights-2")
        second = run.link_model(str(weights), "digits-classifier", "digits", ["production"])
        assert second is not None
        print(
            json.dumps(
                {
                    "run": run.id,
                    "linked": [
                        [
                            link.qualified_name,
                            link.source_qualified_name,
                            link.is_link,
                            link.aliases,
                        ]
                        for link in (first, second)
                    ],
                }
            )
        )


if __name__ == "__main__":
    main()
