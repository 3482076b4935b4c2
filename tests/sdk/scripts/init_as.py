"""Try ``wandb.init`` into each entity given, as the environment's user; print the outcome.

Each run that starts logs a little history, saves ``notes.txt`` and logs a ``dataset``
artifact, then finishes. Writes ``outcome.json`` (in the working directory): one JSON
object, entity -> "ok" or the error message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import wandb


def attempt(entity: str) -> str:
    try:
        run = wandb.init(entity=entity, project="p", id=f"run-{entity}")
    except Exception as error:  # the SDK raises several kinds; report what it said
        return str(error)
    for step in range(3):
        run.log({"loss": 1 / (step + 1)})
    notes = Path("notes.txt")
    notes.write_text(f"written by {run.entity}\n")
    run.save(str(notes), policy="now")
    artifact = wandb.Artifact("data", type="dataset")
    artifact.add_file(str(notes))
    run.log_artifact(artifact)
    run.finish()
    return "ok"


if __name__ == "__main__":
    outcome = {entity: attempt(entity) for entity in sys.argv[1:]}
    Path("outcome.json").write_text(json.dumps(outcome))
