"""A single run: its metadata, config, summary and system metrics."""

from __future__ import annotations

import json
import warnings
from collections.abc import Collection, Mapping
from typing import Any, Literal, Protocol
from urllib.parse import quote

from client._artifact_upload import create_version, upload_version
from client._html import iframe
from client._paginator import ConnectionPaginator
from client._session import Session
from client.artifacts import Artifact
from client.errors import CommError, UsageError
from client.files import File, Files
from client.history import RunHistory, Stream
from client.history_scan import HistoryScan
from client.run_writes import RunWrites, create_run
from client.summary import Summary
from client.users import User

#: Config keys W&B keeps for itself; they appear in ``rawconfig`` but not in ``config``.
INTERNAL_CONFIG_KEYS = frozenset({"_wandb", "wandb_version"})


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


class Creator(Protocol):
    """What :meth:`Run.create` reads of the :class:`client.Api` it is given."""

    _session: Session
    settings: dict[str, str | None]


class Run:
    """A run of a project, read from the server and changed through it.

    Runs come from :meth:`client.Api.run` (fully loaded) or from iterating
    :meth:`client.Api.runs` (light: ``config``, ``summary`` and
    ``system_metrics`` are fetched with one more query on first access).
    Change ``config``, ``tags``, ``name``, ``notes``, ``description``, ``group`` or
    ``job_type`` locally, then :meth:`update` saves them.

    A run composes helpers: :class:`~client.run_writes.RunWrites` answers its writes and
    files, :class:`~client.history.RunHistory` its history (both read the run through
    :class:`~client._session.RunLike`), :class:`~client.summary.Summary` its summary.
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

    @property
    def _writes(self) -> RunWrites:
        # Made per use: a helper kept on the run would tie the two in a reference cycle.
        return RunWrites(self)

    @property
    def _history(self) -> RunHistory:
        return RunHistory(self)

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
            self._set_attrs(self._session.run_node(self, "Run"))
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
        value: str = self._attrs["id"]
        return value

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
        value: str = self._attrs.get("state", "not found")
        return value

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
    def sweep(self) -> Any:
        """The :class:`client.Sweep` the run belongs to (fetched on first use), or ``None``.

        Raises:
            UsageError: if the run's session cannot make sweeps (it was not made by an Api).
        """
        if not self.sweep_name:
            return None
        if getattr(self, "_sweep", None) is None:
            make_sweep = self._session.make_sweep
            if make_sweep is None:
                raise UsageError("this run's session cannot load sweeps")
            self._sweep = make_sweep(self._session, self.entity, self.project, self.sweep_name)
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
        return Summary(self._summary, self._writes.save_summary)

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

    # Writes (answered by RunWrites).

    @classmethod
    def create(
        cls,
        api: Creator,
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
        session = api._session
        project = project or api.settings["project"] or "uncategorized"
        owner, name, run_id, attrs = create_run(session, run_id, project, entity, state)
        return cls(session, owner, name, run_id, attrs)

    def update(self) -> None:
        """Save config, tags, display name, notes, description, group, job type and summary.

        Raises:
            CommError: if the server refuses the update (for example a deleted run).
        """
        self._writes.update(
            {
                "tags": self.tags,
                "description": self.description,
                "notes": self.notes,
                "displayName": self.display_name,
                "config": self.json_config,
                "groupName": self.group,
                "jobType": self.job_type,
            }
        )
        self.summary.update()

    def save(self) -> None:
        """Same as :meth:`update`."""
        self.update()

    def delete(self, delete_artifacts: bool = False) -> None:
        """Delete the run with its history and files; ``delete_artifacts`` also deletes the
        artifacts it logged.

        Raises:
            CommError: if the run does not exist (any more).
        """
        self._writes.delete(delete_artifacts)

    def update_state(self, state: str) -> bool:
        """Move the run to ``pending`` or ``failed``, if the server allows that transition.

        Raises:
            CommError: if the transition is not allowed or the server lacks the mutation.
        """
        return self._writes.update_state(state)

    def wait_until_finished(self, poll_interval: float = 5.0, timeout: float | None = None) -> None:
        """Poll the run's state every ``poll_interval`` seconds until it is finished,
        crashed or failed.

        Raises:
            NotFoundError: if the run disappears.
            WaitTimeoutError: if ``timeout`` seconds pass first.
        """
        self._writes.wait_until_finished(poll_interval, timeout)

    # Files.

    def files(
        self, names: list[str] | None = None, pattern: str | None = None, per_page: int = 50
    ) -> Files:
        """The run's files (only ``names``, or names matching a SQL ``LIKE`` ``pattern``)."""
        return self._writes.files(names, pattern, per_page)

    def file(self, name: str) -> File:
        """The run's file ``name``.

        Raises:
            NotFoundError: if the run has no such file.
        """
        return self._writes.file(name)

    def upload_file(self, path: str, root: str = ".") -> File:
        """Upload the local file ``path``, stored under its path relative to ``root``.

        Raises:
            UsageError: if ``path`` is not inside ``root``.
            OSError: if the file cannot be read.
            CommError: if the server refuses the name or the upload.
        """
        return self._writes.upload_file(path, root)

    @property
    def metadata(self) -> dict[str, Any] | None:
        """The run's ``wandb-metadata.json`` (host, Python, GPUs...), or ``None`` if absent."""
        return self._writes.metadata()

    # History (answered by RunHistory).

    @property
    def history_keys(self) -> dict[str, Any]:
        """``{"lastStep": n, "keys": {key: {"typeCounts": [{"type", "count"}]}}}``: the
        last step logged and, per history key, how often each value type was logged."""
        return self._history.keys()

    @property
    def lastHistoryStep(self) -> int:
        """The last step logged in the run's history (-1 when none was); W&B's camelCase name."""
        return self._history.last_step()

    def history(
        self,
        samples: int = 500,
        keys: list[str] | None = None,
        x_axis: str = "_step",
        pandas: bool = True,
        stream: Stream = "default",
    ) -> Any:
        """Up to ``samples`` history rows, spread over the run (sampled by the server).

        Args:
            samples: How many rows at most.
            keys: Only rows that logged all of these keys, with only these keys and
                ``x_axis``. Without keys, whole rows.
            x_axis: The key returned beside ``keys``.
            pandas: Return a ``pandas.DataFrame`` instead of a list of dicts.
            stream: ``"default"`` for metrics, ``"system"`` for system metrics
                (``keys`` only go with ``"default"``).

        Raises:
            UsageError: for invalid arguments.
            NotFoundError: if the run does not exist.
            MissingDependencyError: if ``pandas=True`` and pandas is not installed.
        """
        return self._history.sampled(samples, keys, x_axis, pandas, stream)

    def scan_history(
        self,
        keys: list[str] | None = None,
        page_size: int = 1000,
        min_step: int | None = None,
        max_step: int | None = None,
    ) -> HistoryScan:
        """Every history row, lazily, ``page_size`` steps per request.

        Args:
            keys: Only ``_step`` and these keys.
            page_size: Steps fetched per request.
            min_step: First step (inclusive); 0 by default.
            max_step: Last step (exclusive); past the run's last step by default.

        Raises:
            UsageError: for invalid arguments.
            NotFoundError: if the run does not exist.
        """
        return self._history.scan(keys, page_size, min_step, max_step)

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
                self._session,
                entity=self.entity,
                project=self.project,
                run_name=self.id,
                artifact=artifact,
                aliases=aliases or [],
                tags=tags or [],
            )
        else:
            if (artifact.entity, artifact.project) != (self.entity, self.project):
                raise UsageError("A run can't log an artifact to a different project.")
            attrs = create_version(
                self._session,
                entity=self.entity,
                project=self.project,
                run_name=self.id,
                artifact=artifact,
                digest=artifact.digest,
                aliases=aliases or [],
                tags=tags or [],
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
            {
                "entityName": self.entity,
                "projectName": self.project,
                "runName": self.id,
                "artifactID": artifact.id,
                "usedAs": use_as or artifact.name,
            },
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
