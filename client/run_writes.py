"""What changes a run on the server: create, update, delete, state, files, waiting.

:class:`RunWrites` is a mixin of :class:`client.Run`; it relies on the run's session,
path, storage id and attributes.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from client.errors import CommError, NotFoundError, UsageError, WaitTimeoutError
from client.files import File, Files

if TYPE_CHECKING:
    from client._session import Session
    from client.api import Api
    from client.run import Run

#: States after which a run never changes again on its own.
TERMINAL_STATES = frozenset({"finished", "crashed", "failed"})
METADATA_FILE = "wandb-metadata.json"
_RUN_ID_ALPHABET = string.ascii_lowercase + string.digits


def generate_run_id() -> str:
    """A fresh 8-character run id of lowercase letters and digits, as wandb makes them."""
    return "".join(secrets.choice(_RUN_ID_ALPHABET) for _ in range(8))


class RunWrites:
    """Methods of :class:`client.Run` that write to the server or wait on it."""

    _session: Session
    _attrs: dict[str, Any]
    entity: str
    project: str
    id: str
    storage_id: str
    path: list[str]
    json_config: str
    tags: list[str] | None
    description: str | None
    notes: str | None
    display_name: str | None
    group: str | None
    job_type: str | None
    summary: Any

    @classmethod
    def create(
        cls,
        api: Api,
        run_id: str | None = None,
        project: str | None = None,
        entity: str | None = None,
        state: Literal["running", "pending"] = "running",
    ) -> Run:
        """Create a run in ``entity/project`` (defaults: the server's default entity and
        the ``project`` setting, else ``uncategorized``) and return it.

        Raises:
            CommError: if the server refuses (for example an unknown state).
        """
        session: Session = api._session
        project = project or api.settings["project"] or "uncategorized"
        variables = {"project": project, "entity": entity, "name": run_id or generate_run_id(),
                     "state": state}
        bucket = session.graphql.execute("CreateRun", variables)["upsertBucket"]["bucket"]
        attrs = {
            "id": bucket["id"], "name": bucket["name"], "displayName": bucket["displayName"],
            "state": state, "tags": [],
            "config": "{}", "summaryMetrics": "{}", "systemMetrics": "{}",
            "description": None, "notes": None,
        }
        owner = bucket["project"]
        return cls(session, owner["entity"]["name"], owner["name"], bucket["name"], attrs)

    def update(self) -> None:
        """Save config, tags, display name, notes, description, group, job type and summary.

        Raises:
            CommError: if the server refuses the update (for example a deleted run).
        """
        self._session.graphql.execute(
            "UpdateRun",
            {
                "id": self.storage_id, "tags": self.tags, "description": self.description,
                "notes": self.notes, "displayName": self.display_name,
                "config": self.json_config, "groupName": self.group, "jobType": self.job_type,
            },
        )
        self.summary.update()

    def save(self) -> None:
        """Same as :meth:`update`."""
        self.update()

    def _save_summary(self, summary_json: str) -> None:
        self._session.graphql.execute(
            "UpdateRunSummary", {"id": self.storage_id, "summaryMetrics": summary_json}
        )

    def delete(self, delete_artifacts: bool = False) -> None:
        """Delete the run with its history and files; ``delete_artifacts`` also deletes the
        artifacts it logged.

        Raises:
            CommError: if the run does not exist (any more).
        """
        self._session.graphql.execute(
            "DeleteRun", {"id": self.storage_id, "deleteArtifacts": delete_artifacts}
        )

    def update_state(self, state: str) -> bool:
        """Move the run to ``pending`` or ``failed``, if the server allows that transition.

        Raises:
            CommError: if the transition is not allowed or the server lacks the mutation.
        """
        data = self._session.graphql.execute(
            "UpdateRunState", {"input": {"id": self.storage_id, "state": state}}
        )
        if not (data.get("updateRunState") or {}).get("success"):
            return False
        self._attrs["state"] = state
        return True

    def wait_until_finished(
        self, poll_interval: float = 5.0, timeout: float | None = None
    ) -> None:
        """Poll the run's state every ``poll_interval`` seconds until it is finished,
        crashed or failed.

        Raises:
            NotFoundError: if the run disappears.
            WaitTimeoutError: if ``timeout`` seconds pass first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            data = self._session.graphql.execute(
                "RunState", {"project": self.project, "entity": self.entity, "name": self.id}
            )
            node = (data.get("project") or {}).get("run")
            if node is None:
                raise NotFoundError(f"Could not find run {'/'.join(self.path)}")
            if node["state"] in TERMINAL_STATES:
                self._attrs["state"] = node["state"]
                return
            if deadline is not None and time.monotonic() + poll_interval > deadline:
                raise WaitTimeoutError(
                    f"run {'/'.join(self.path)} still {node['state']!r} after {timeout} s"
                )
            time.sleep(poll_interval)

    def files(
        self, names: list[str] | None = None, pattern: str | None = None, per_page: int = 50
    ) -> Files:
        """The run's files (only ``names``, or names matching a SQL ``LIKE`` ``pattern``)."""
        run: Any = self
        return Files(self._session, run, names, per_page=per_page, pattern=pattern)

    def file(self, name: str) -> File:
        """The run's file ``name``.

        Raises:
            NotFoundError: if the run has no such file.
        """
        found = list(self.files([name]))
        if not found:
            raise NotFoundError(f"run {'/'.join(self.path)} has no file {name!r}")
        return found[0]

    def upload_file(self, path: str, root: str = ".") -> File:
        """Upload the local file ``path``, stored under its path relative to ``root``.

        Raises:
            UsageError: if ``path`` is not inside ``root``.
            OSError: if the file cannot be read.
            CommError: if the server refuses the name or the upload.
        """
        name = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
        if name == ".." or name.startswith("../"):
            raise UsageError(f"{path!r} is not inside root {root!r}")
        data = Path(path).read_bytes()
        variables = {"entity": self.entity, "project": self.project, "run": self.id,
                     "files": [name]}
        result = self._session.graphql.execute("CreateRunFiles", variables)["createRunFiles"]
        if not result.get("runID"):
            raise CommError(f"Error uploading files to {'/'.join(self.path)}")
        (upload,) = result["files"]
        headers = dict(header.split(":", 1) for header in result.get("uploadHeaders") or [])
        self._session.graphql.transfer("PUT", upload["uploadUrl"], content=data, headers=headers)
        return self.file(name)

    @property
    def metadata(self) -> dict[str, Any] | None:
        """The run's ``wandb-metadata.json`` (host, Python, GPUs...), or ``None`` if absent."""
        try:
            return json.loads(self.file(METADATA_FILE).read())
        except (NotFoundError, CommError, ValueError):
            return None
