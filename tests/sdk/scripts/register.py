"""Link a logged model into the organization registry ``model``, run in a subprocess
with ``wandb_env``'s env (the registry must exist). Prints a JSON summary, with the
errors of linking into a missing registry and of a type the registry refuses.
"""

from __future__ import annotations

import json
from pathlib import Path

import wandb


def _error(run: wandb.Run, artifact: wandb.Artifact, target: str) -> str | None:
    try:
        run.link_artifact(artifact, target)
    except Exception as error:  # the summary reports any failure
        return f"{type(error).__name__}: {error}"
    return None


def main() -> None:
    Path("model.bin").write_bytes(b"weights")
    Path("rows.csv").write_bytes(b"1,2\n")
    with wandb.init(project="zoo", job_type="register") as run:
        model = wandb.Artifact("digits", type="model")
        model.add_file("model.bin")
        logged = run.log_artifact(model)
        logged.wait()
        linked = run.link_artifact(logged, "wandb-registry-model/digits", aliases=["staging"])
        rows = wandb.Artifact("rows", type="dataset")
        rows.add_file("rows.csv")
        dataset = run.log_artifact(rows)
        dataset.wait()
        print(
            json.dumps(
                {
                    "linked": None if linked is None else [linked.qualified_name, linked.aliases],
                    "missing": _error(run, logged, "wandb-registry-nope/digits"),
                    "wrong_type": _error(run, dataset, "wandb-registry-model/rows"),
                }
            )
        )


if __name__ == "__main__":
    main()
