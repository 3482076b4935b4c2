"""What changes a run on the server: create, update, delete, state, files, waiting.

:class:`RunWrites` answers the writing methods of :class:`client.Run`, which holds one;
it reads the run through :class:`~client._session.RunLike`.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import time
from pathlib import Path
from typing import Any, Literal

from client._session import RunLike, Session
from client.errors import CommError, NotFoundError, UsageError, WaitTimeoutError
from client.files import File, Files

#: States after which a run never changes again on its own.
TERMINAL_STATES = frozenset({"finished", "crashed", "failed"})
METADATA_FILE = "wandb-metadata.json"
_RUN_ID_ALPHABET = string.ascii_lowercase + string.digits


def generate_run_id() -> str:
    """A fresh 8-character run id of lowercase letters and digits, as wandb makes them."""
    return "".join(secrets.choice(_RUN_ID_ALPHABET) for _ in range(8))


def create_run(
    session: Session,
    run_id: str | None,
    project: str,
    entity: str | None,
    state: Literal["running", "pending"],
) -> tuple[str, str, str, dict[str, Any]]:
    """Create a run; returns its entity, project, id and GraphQL attributes.

    Raises:
        CommError: if the server refuses (for example an unknown state).
    """
    variables = {
        "project": project,
        "entity": entity,
        "name": run_id or generate_run_id(),
        "state": state,
    }
    bucket = session.graphql.execute("CreateRun", variables)["upsertBucket"]["bucket"]
    attrs = {
        "id": bucket["id"],
        "name": bucket["name"],
        "displayName": bucket["displayName"],
        "state": state,
        "tags": [],
        "config": "{}",
        "summaryMetrics": "{}",
        "systemMetrics": "{}",
        "description": None,
        "notes": None,
    }
    owner = bucket["project"]
    return owner["entity"]["name"], owner["name"], bucket["name"], attrs


class RunWrites:
    """The writes and waits of one run (see the methods of the same names on
    :class:`client.Run`)."""

    def __init__(self, run: RunLike) -> None:
        self.run = run
        self._session = run._session

    def update(self, fields: dict[str, Any]) -> None:
        """Save the run's editable ``fields`` (``UpdateRun`` variables besides ``id``)."""
        self._session.graphql.execute("UpdateRun", {"id": self.run.storage_id, **fields})

    def save_summary(self, summary_json: str) -> None:
        """Replace the run's summary on the server."""
        self._session.graphql.execute(
            "UpdateRunSummary", {"id": self.run.storage_id, "summaryMetrics": summary_json}
        )

    def delete(self, delete_artifacts: bool) -> None:
        """See :meth:`client.Run.delete`."""
        self._session.graphql.execute(
            "DeleteRun", {"id": self.run.storage_id, "deleteArtifacts": delete_artifacts}
        )

    def update_state(self, state: str) -> bool:
        """See :meth:`client.Run.update_state`."""
        data = self._session.graphql.execute(
            "UpdateRunState", {"input": {"id": self.run.storage_id, "state": state}}
        )
        if not (data.get("updateRunState") or {}).get("success"):
            return False
        self.run._attrs["state"] = state
        return True

    def wait_until_finished(self, poll_interval: float, timeout: float | None) -> None:
        """See :meth:`client.Run.wait_until_finished`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        path = "/".join(self.run.path)
        while True:
            node = self._session.run_node(self.run, "RunState")
            if node["state"] in TERMINAL_STATES:
                self.run._attrs["state"] = node["state"]
                return
            if deadline is not None and time.monotonic() + poll_interval > deadline:
                raise WaitTimeoutError(f"run {path} still {node['state']!r} after {timeout} s")
            time.sleep(poll_interval)

    def files(self, names: list[str] | None, pattern: str | None, per_page: int) -> Files:
        """See :meth:`client.Run.files`."""
        return Files(self._session, self.run, names, per_page=per_page, pattern=pattern)

    def file(self, name: str) -> File:
        """See :meth:`client.Run.file`."""
        found = list(self.files([name], None, 50))
        if not found:
            raise NotFoundError(f"run {'/'.join(self.run.path)} has no file {name!r}")
        return found[0]

    def upload_file(self, path: str, root: str) -> File:
        """See :meth:`client.Run.upload_file`."""
        name = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
        if name == ".." or name.startswith("../"):
            raise UsageError(f"{path!r} is not inside root {root!r}")
        data = Path(path).read_bytes()
        run = self.run
        variables = {"entity": run.entity, "project": run.project, "run": run.id, "files": [name]}
        result = self._session.graphql.execute("CreateRunFiles", variables)["createRunFiles"]
        if not result.get("runID"):
            raise CommError(f"Error uploading files to {'/'.join(run.path)}")
        (upload,) = result["files"]
        headers = dict(header.split(":", 1) for header in result.get("uploadHeaders") or [])
        self._session.graphql.transfer("PUT", upload["uploadUrl"], content=data, headers=headers)
        return self.file(name)

    def metadata(self) -> dict[str, Any] | None:
        """See :attr:`client.Run.metadata`."""
        try:
            value: dict[str, Any] | None = json.loads(self.file(METADATA_FILE).read())
            return value
        except (NotFoundError, CommError, ValueError):
            return None
