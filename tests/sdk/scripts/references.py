"""Log an artifact of references for the SDK tests (``wandb_env``'s environment).

``references.py <project> <http url>`` logs ``links`` (type ``dataset``) holding a
``file://`` reference to a local file and an ``http://`` reference to ``<http url>``,
then prints the version. (The SDK needs boto3 or google-cloud-storage even to record
``s3://`` or ``gs://`` references; the tests write those straight into the store.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import wandb


def main() -> None:
    project, http_url = sys.argv[1], sys.argv[2]
    local = Path("local.txt").resolve()
    local.write_text("on this machine\n")
    with wandb.init(project=project) as run:
        artifact = wandb.Artifact("links", type="dataset")
        artifact.add_reference(local.as_uri(), name="local.txt")
        artifact.add_reference(http_url, name="web.bin")
        logged = run.log_artifact(artifact)
        logged.wait()
        print(logged.version)


if __name__ == "__main__":
    main()
