"""Incremental and edited artifacts for the SDK tests (``wandb_env``'s environment).

Logs ``shards`` v0 (``a.txt``, ``b.txt``); then an incremental version adding
``c.txt``; then a draft of the latest version with ``a.txt`` removed. Prints the
versions and file names as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import wandb


def _file(name: str) -> str:
    path = Path(name)
    path.write_text(f"{name}\n")
    return str(path)


def main() -> None:
    with wandb.init(project=sys.argv[1]) as run:
        first = wandb.Artifact("shards", type="dataset")
        first.add_file(_file("a.txt"))
        first.add_file(_file("b.txt"))
        run.log_artifact(first).wait()
        more = wandb.Artifact("shards", type="dataset", incremental=True)
        more.add_file(_file("c.txt"))
        second = run.log_artifact(more)
        second.wait()
        draft = run.use_artifact("shards:latest").new_draft()
        draft.remove("a.txt")
        third = run.log_artifact(draft)
        third.wait()
        print(json.dumps([[a.version, sorted(a.manifest.entries)] for a in (second, third)]))


if __name__ == "__main__":
    main()
