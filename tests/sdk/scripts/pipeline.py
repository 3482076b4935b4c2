"""A two-step data pipeline for the SDK tests, run in a subprocess with ``wandb_env``'s env.

``produce`` logs a ``dataset`` artifact ``rows`` holding ``data.csv`` (alias ``best``,
tag ``raw``).
``consume`` uses ``rows:best``, checks its download, then logs the same contents again,
which the server must answer with the existing version. Each prints its run id.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import wandb

ROWS = "a,b\n1,2\n3,4\n"


def _rows_artifact() -> wandb.Artifact:
    source = Path("data.csv")
    source.write_text(ROWS)
    artifact = wandb.Artifact("rows", type="dataset", metadata={"rows": 2})
    artifact.add_file(str(source))
    return artifact


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["produce", "consume"])
    parser.add_argument("--project", required=True)
    args = parser.parse_args()

    with wandb.init(project=args.project, job_type=args.step) as run:
        if args.step == "produce":
            logged = run.log_artifact(_rows_artifact(), aliases=["best"], tags=["raw"])
            logged.wait()
            assert (logged.version, logged.state) == ("v0", "COMMITTED"), logged.state
        else:
            used = run.use_artifact("rows:best")
            folder = Path(used.download(root="downloaded"))
            assert (folder / "data.csv").read_text() == ROWS
            again = run.log_artifact(_rows_artifact())
            again.wait()
            assert again.version == "v0", again.version
        print(run.id)


if __name__ == "__main__":
    main()
