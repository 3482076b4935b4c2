"""A single run: its metadata, config, summary and system metrics."""

from __future__ import annotations

import json
import warnings
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from client._artifact_upload import create_version, upload_version
from client._html import iframe
from client._session import Session
from client.artifact_lists import ConnectionPaginator
from client.artifacts import Artifact
from client.errors import CommError, NotFoundError, UsageError
from client.history import RunHistory
from client.run_writes import RunWrites
from client.summary import Summary

if TYPE_CHECKING:
    from client.sweeps import Sweep

#: Config keys W&B keeps for itself; they appear in ``rawconfig`` but not in ``config``.
INTERNAL_CONFIG_KEYS = frozenset({"_wandb", "wandb_version"})


@dataclass(frozen=True)
class User:
    """The user who created a run or owns a project."""

    name: str | None
    username: str | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any] | None) -> User | None:
        """A user from a GraphQL ``user { name username }`` object; ``None`` stays ``None``."""
        if data is None:
            return None
        return cls(name=data.get("name"), username=data.get("username"))


def decode_json_object(value: Any, field: str) -> dict[str, Any]:
    """Decode a JSON-string field (``config``, ``summaryMetrics``, ...); null reads as ``{}``."""
    if isinstance(value, (str, bytes, bytearray)):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            # Tolerate control characters, as wandb does.
            value = json.loads(value, strict=False)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CommError(f"run field {field!r} is not a JSON object: {value!r}")
    return value


def unwrap_config(wire: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a wire config ``{"k": {"value": v, "desc": d}}`` into ``(config, rawconfig)``.

    ``config`` holds the user's keys with plain values; ``rawconfig`` holds
    those plus W&B's internal keys such as ``_wandb``.
    """
    config: dict[str, Any] = {}
    internal: dict[str, Any] = {}
    for key, entry in wire.items():
        value = entry["value"] if isinstance(entry, dict) and "value" in entry else entry
        (internal if key in INTERNAL_CONFIG_KEYS else config)[key] = value
    return config, {**internal, **config}


class Run(RunWrites, RunHistory):
    """A run of a project, read from the server and changed through it.

    Runs come from :meth:`client.Api.run` (fully loaded) or from iterating
    :meth:`client.Api.runs` (light: ``config``, ``summary`` and
    ``system_metrics`` are fetched with one more query on first access).
    Change ``config``, ``tags``, ``name``, ``notes``, ``description``, ``group`` or
    ``job_type`` locally, then :meth:`update` saves them; see :class:`RunWrites`.
    """

    def __init__(
        self,
        session: Session,
        entity: str,
        project: str,
        run_id: str,
        attrs: Mapping[str, Any] | None = None,
    ) -> None:
        """Wrap the GraphQL run node ``attrs``, or fetch the run when ``attrs`` is empty.

        Raises:
            NotFoundError: if ``attrs`` is empty and the run does not exist.
        """
        self._session = session
        self._entity = entity
        self.project = project
        self._run_id = run_id
        self._attrs: dict[str, Any] = {}
        self._full = False
        self._config: dict[str, Any] = {}
        self._rawconfig: dict[str, Any] = {}
        self._summary: dict[str, Any] = {}
        self._system_metrics: dict[str, Any] = {}
        if attrs:
            self._set_attrs(attrs)
        else:
            self.load()

    def _set_attrs(self, attrs: Mapping[str, Any]) -> None:
        self._attrs = dict(attrs)
        self._full = "config" in attrs
        if self._full:
            wire_config = decode_json_object(attrs.get("config"), "config")
            self._config, self._rawconfig = unwrap_config(wire_config)
            self._summary = decode_json_object(attrs.get("summaryMetrics"), "summaryMetrics")
            self._system_metrics = decode_json_object(attrs.get("systemMetrics"), "systemMetrics")

    def load(self, force: bool = False) -> dict[str, Any]:
        """Fetch the full run unless it is already loaded (always with ``force=True``).

        Returns:
            The run's GraphQL attributes as last received from the server.

        Raises:
            NotFoundError: if the run no longer exists.
        """
        if force or not self._full:
            data = self._session.graphql.execute(
                "Run", {"project": self.project, "entity": self.entity, "name": self.id}
            )
            node = (data.get("project") or {}).get("run")
            if node is None:
                raise NotFoundError(f"Could not find run {'/'.join(self.path)}")
            self._set_attrs(node)
        return dict(self._attrs)

    def _ensure_full(self) -> None:
        if not self._full:
            self.load()

    # Identity and location.

    @property
    def id(self) -> str:
        """The run id, unique within its project (e.g. ``"a1b2c3d4"``)."""
        return self._run_id

    @property
    def storage_id(self) -> str:
        """The server's opaque GraphQL id of the run."""
        return self._attrs["id"]

    @property
    def entity(self) -> str:
        """The entity (user or team) that owns the run's project."""
        return self._entity

    @property
    def username(self) -> str:
        """Deprecated alias of :attr:`entity`, as in wandb."""
        warnings.warn(
            "Run.username is deprecated; use Run.entity instead", DeprecationWarning, stacklevel=2
        )
        return self._entity

    @property
    def path(self) -> list[str]:
        """``[entity, project, id]``."""
        return [self.entity, self.project, self.id]

    @property
    def url(self) -> str:
        """The run's page in the W&B app: ``{app_url}/{entity}/{project}/runs/{id}``."""
        entity, project, run_id = (quote(part, safe="") for part in self.path)
        return f"{self._session.app_url}/{entity}/{project}/runs/{run_id}"

    @property
    def project_internal_id(self) -> int | None:
        """The numeric id of the run's project, if the server sent it."""
        project_id = self._attrs.get("projectId")
        return None if project_id is None else int(project_id)

    # Metadata present in both the light and the full form.

    @property
    def name(self) -> str | None:
        """The run's display name (settable locally)."""
        return self._attrs.get("displayName")

    @name.setter
    def name(self, value: str) -> None:
        self._attrs["displayName"] = value

    @property
    def display_name(self) -> str | None:
        """Same as :attr:`name`."""
        return self.name

    @display_name.setter
    def display_name(self, value: str) -> None:
        self.name = value

    @property
    def state(self) -> str:
        """``running``, ``finished``, ``failed``, ``crashed``, ``killed``, ``preempted``, ..."""
        return self._attrs.get("state", "not found")

    @property
    def tags(self) -> list[str] | None:
        """The run's tags."""
        return self._attrs.get("tags")

    @tags.setter
    def tags(self, value: list[str] | None) -> None:
        self._attrs["tags"] = value

    @property
    def group(self) -> str | None:
        """The run's group."""
        return self._attrs.get("group")

    @group.setter
    def group(self, value: str | None) -> None:
        self._attrs["group"] = value

    @property
    def job_type(self) -> str | None:
        """The run's job type."""
        return self._attrs.get("jobType")

    @job_type.setter
    def job_type(self, value: str | None) -> None:
        self._attrs["jobType"] = value

    @property
    def sweep_name(self) -> str | None:
        """The id of the sweep the run belongs to, if any."""
        return self._attrs.get("sweepName")

    @property
    def sweep(self) -> Sweep | None:
        """The sweep the run belongs to (fetched on first use), or ``None``."""
        from client.sweeps import Sweep

        if not self.sweep_name:
            return None
        if getattr(self, "_sweep", None) is None:
            self._sweep = Sweep(self._session, self.entity, self.project, self.sweep_name)
        return self._sweep

    @property
    def notes(self) -> str | None:
        """The run's notes."""
        return self._attrs.get("notes")

    @notes.setter
    def notes(self, value: str | None) -> None:
        self._attrs["notes"] = value

    @property
    def description(self) -> str | None:
        """The run's description."""
        return self._attrs.get("description")

    @description.setter
    def description(self, value: str | None) -> None:
        self._attrs["description"] = value

    @property
    def commit(self) -> str | None:
        """The git commit the run was started from."""
        return self._attrs.get("commit")

    @property
    def read_only(self) -> bool | None:
        """Whether the run can be edited."""
        return self._attrs.get("readOnly")

    @property
    def created_at(self) -> str | None:
        """ISO timestamp of the run's creation."""
        return self._attrs.get("createdAt")

    @property
    def heartbeat_at(self) -> str | None:
        """ISO timestamp of the run's last heartbeat."""
        return self._attrs.get("heartbeatAt")

    @property
    def history_line_count(self) -> int | None:
        """How many history rows the run logged."""
        return self._attrs.get("historyLineCount")

    @property
    def user(self) -> User | None:
        """The user who created the run."""
        return User.from_wire(self._attrs.get("user"))

    # Heavy fields, fetched on first access for runs that came from a listing.

    @property
    def config(self) -> dict[str, Any]:
        """The run's hyperparameters as plain values, without W&B's internal keys."""
        self._ensure_full()
        return self._config

    @property
    def rawconfig(self) -> dict[str, Any]:
        """The config including internal keys such as ``_wandb``."""
        self._ensure_full()
        return self._rawconfig

    @property
    def json_config(self) -> str:
        """The config as a JSON string in the wire form ``{"k": {"value": v, "desc": null}}``."""
        rawconfig = self.rawconfig
        wire = {}
        if "_wandb" in rawconfig:
            wire["_wandb"] = {"value": rawconfig["_wandb"], "desc": None}
        for key, value in self.config.items():
            wire[key] = {"value": value, "desc": None}
        return json.dumps(wire)

    @property
    def summary(self) -> Summary:
        """The run's summary metrics (last logged values and explicit summary keys).

        A mutable mapping: ``run.summary.update({...})`` saves the whole summary.
        """
        self._ensure_full()
        return Summary(self._summary, self._save_summary)

    @property
    def summary_metrics(self) -> dict[str, Any]:
        """The summary metrics as a plain dict."""
        self._ensure_full()
        return self._summary

    @property
    def system_metrics(self) -> dict[str, Any]:
        """The latest system metrics recorded for the run."""
        self._ensure_full()
        return self._system_metrics

    # Artifacts.

    def logged_artifacts(self, per_page: int = 100) -> ConnectionPaginator[Artifact]:
        """The artifact versions this run logged, oldest first."""
        return self._artifacts("RunOutputArtifacts", per_page)

    def used_artifacts(self, per_page: int = 100) -> ConnectionPaginator[Artifact]:
        """The artifact versions this run used, in the order it first used them."""
        return self._artifacts("RunInputArtifacts", per_page)

    def _artifacts(self, operation: str, per_page: int) -> ConnectionPaginator[Artifact]:
        return ConnectionPaginator(
            self._session,
            operation,
            {"entity": self.entity, "project": self.project, "run": self.id},
            ("project", "run", "artifacts"),
            lambda node: Artifact.from_attrs(self._session, node),
            per_page,
        )

    def log_artifact(
        self,
        artifact: Artifact,
        aliases: Collection[str] | None = None,
        tags: Collection[str] | None = None,
    ) -> Artifact:
        """Log ``artifact`` as an output of this run and return the committed version.

        A draft (built with ``add_file``/``add_dir``) is uploaded and committed; a
        version read from the server is declared an output again, with ``aliases``
        and ``tags`` added. Contents identical to a committed version of the same
        artifact return that version.

        Raises:
            UsageError: if a version read from the server belongs to another project.
        """
        if artifact.is_draft():
            attrs = upload_version(
                self._session, entity=self.entity, project=self.project, run_name=self.id,
                artifact=artifact, aliases=aliases or [], tags=tags or [],
            )
        else:
            if (artifact.entity, artifact.project) != (self.entity, self.project):
                raise UsageError("A run can't log an artifact to a different project.")
            attrs = create_version(
                self._session, entity=self.entity, project=self.project, run_name=self.id,
                artifact=artifact, digest=artifact.digest, aliases=aliases or [], tags=tags or [],
            )
        return Artifact.from_attrs(self._session, attrs)

    def use_artifact(self, artifact: Artifact, use_as: str | None = None) -> Artifact:
        """Record that this run used a logged artifact version; returns it.

        Raises:
            UsageError: if ``artifact`` is a draft.
        """
        if artifact.is_draft():
            raise UsageError("Only logged artifacts can be used; log this one first.")
        self._session.graphql.execute(
            "UseArtifact",
            {"entityName": self.entity, "projectName": self.project, "runName": self.id,
             "artifactID": artifact.id, "usedAs": use_as or artifact.name},
        )
        return artifact

    # Display.

    def to_html(self, height: int = 420, hidden: bool = False) -> str:
        """HTML of an iframe showing the run's page, as wandb renders it in notebooks."""
        return iframe(self.url, height=height, hidden=hidden, what="run")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<Run {'/'.join(self.path)} ({self.state})>"
