"""The entry point: :class:`Api`, configured like ``wandb.Api`` and returning runs and projects."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from client._graphql import GraphQLClient, HTTPClient
from client._organizations import REGISTRY_PREFIX, org_entity_of, organization_of
from client._paginator import ConnectionPaginator, check_per_page
from client._paths import parse_artifact_path, parse_project_path, parse_run_path
from client._session import Session
from client._urls import app_url
from client.artifact_collections import ArtifactCollection
from client.artifact_lists import ArtifactType
from client.artifacts import Artifact
from client.errors import CommError, InvalidPathError, NotFoundError, UsageError
from client.projects import Project, Projects
from client.registries import Registries, Registry, access_of
from client.run import Run
from client.runs import Runs
from client.sweeps import Sweep
from client.teams import Team
from client.users import User
from client.viewer import Viewer

DEFAULT_BASE_URL = "https://api.wandb.ai"
_OVERRIDE_KEYS = frozenset({"base_url", "entity", "project"})


class Api:
    """Reads runs and projects from a W&B-compatible GraphQL server.

    Args:
        base_url: The server's API URL. Defaults to ``$WANDB_BASE_URL``, else
            ``https://api.wandb.ai``; with ``http_client`` and no explicit
            ``base_url``, requests go to ``/graphql`` relative to that client.
        api_key: Sent as HTTP Basic auth ``api:<key>``. Defaults to ``$WANDB_API_KEY``.
        timeout: Seconds to wait for each HTTP request (of the HTTP client created
            here; a passed ``http_client`` keeps its own timeout settings).
        http_client: An ``httpx.Client`` or ``httpx2.Client`` (such as Starlette's
            ``TestClient``) to send every request through. :meth:`close` leaves it open.
        overrides: ``base_url``, ``entity`` and/or ``project`` settings, as in
            ``wandb.Api(overrides=...)``. ``entity`` and ``project`` default to
            ``$WANDB_ENTITY`` and ``$WANDB_PROJECT``.
        max_retries: How often to retry a request that failed with HTTP 429,
            HTTP 5xx or a transport error.
        retry_backoff: Seconds before the first retry; doubled for each next one. A
            429 or 5xx whose ``Retry-After`` asks for longer is waited for that long
            (at most a minute).

    Raises:
        UsageError: if ``overrides`` holds an unknown key.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30,
        http_client: HTTPClient | None = None,
        overrides: Mapping[str, Any] | None = None,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
    ) -> None:
        overrides = dict(overrides or {})
        unknown = sorted(set(overrides) - _OVERRIDE_KEYS)
        if unknown:
            raise UsageError(f"Unknown overrides {unknown}; allowed: {sorted(_OVERRIDE_KEYS)}")
        base_url, graphql_url = _endpoint(base_url or overrides.get("base_url"), http_client)
        self.settings: dict[str, str | None] = {
            "base_url": base_url,
            "entity": overrides.get("entity", os.environ.get("WANDB_ENTITY")),
            "project": overrides.get("project", os.environ.get("WANDB_PROJECT")),
        }
        self.api_key = api_key or os.environ.get("WANDB_API_KEY")
        graphql = GraphQLClient(
            graphql_url,
            api_key=self.api_key,
            timeout=timeout,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
            http_client=http_client,
        )
        self._session = Session(
            graphql,
            os.environ.get("WANDB_APP_URL") or app_url(base_url),
            make_run=Run,
            make_sweep=Sweep,
        )
        self._default_entity: str | None = None
        self._viewer: Viewer | None = None
        self._runs: dict[tuple[str, str, str], Run] = {}

    @property
    def default_entity(self) -> str | None:
        """The authenticated user's entity, asked from the server once (``None`` if unknown)."""
        if self._default_entity is None:
            viewer = self._session.graphql.execute("GetDefaultEntity").get("viewer") or {}
            self._default_entity = viewer.get("entity")
        return self._default_entity

    @property
    def viewer(self) -> Viewer:
        """The user this API key belongs to, asked from the server once.

        Raises:
            CommError: if the server answers no viewer (an invalid key).
        """
        if self._viewer is None:
            data = self._session.graphql.execute("Viewer").get("viewer")
            if not data:
                raise CommError("the server returned no viewer; check the API key")
            self._viewer = Viewer.from_wire(data)
            self._default_entity = self._viewer.entity
        return self._viewer

    def user(self, username_or_email: str) -> User | None:
        """The first user whose username or email matches, with their ``id`` and
        ``email``; ``None`` when there is none. Servers answer instance admins only."""
        data = self._session.graphql.execute("SearchUsers", {"query": username_or_email})
        edges = (data.get("users") or {}).get("edges") or []
        return User.from_wire(edges[0]["node"]) if edges else None

    def team(self, name: str) -> Team:
        """Team ``name``, with the ``id`` registry member calls take.

        Raises:
            NotFoundError: if there is no team ``name``.
        """
        found = self._session.graphql.execute("GetTeamEntity", {"name": name}).get("entity")
        if not found or not found.get("isTeam"):
            raise NotFoundError(f"team {name!r} not found")
        return Team.from_wire(found)

    def _entity(self, entity: str | None) -> str | None:
        return entity or self.settings["entity"] or self.default_entity

    def run(self, path: str) -> Run:
        """The run at ``path``, fetched once and then served from this object's cache.

        Args:
            path: ``entity/project/run_id``, ``entity/project/runs/run_id`` (as in
                run URLs), ``project/run_id`` (default entity) or ``run_id``
                (``project`` setting); ``project:run_id`` forms work as in wandb.

        Raises:
            InvalidPathError: if ``path`` is malformed or lacks a part with no default.
            NotFoundError: if the run does not exist.
        """
        entity, project, run_id = parse_run_path(path)
        project = project or self.settings["project"]
        if not project:
            raise InvalidPathError(f"Invalid run path {path!r}: missing project")
        entity = self._entity(entity)
        if not entity:
            raise InvalidPathError(f"Invalid run path {path!r}: missing entity")
        key = (entity, project, run_id)
        if key not in self._runs:
            self._runs[key] = Run(self._session, entity, project, run_id)
        return self._runs[key]

    def runs(
        self,
        path: str | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "+created_at",
        per_page: int = 50,
        include_sweeps: bool = True,
    ) -> Runs:
        """The runs of a project, as a lazy paginated :class:`Runs`.

        Args:
            path: ``entity/project`` or ``project``; by default the ``project``
                setting, else ``uncategorized``.
            filters: A MongoDB-style query, e.g. ``{"state": "finished"}`` or
                ``{"config.lr": {"$gte": 0.01}}``, sent JSON-encoded.
            order: ``+`` (ascending) or ``-`` (descending) followed by
                ``created_at``, ``heartbeat_at``, ``config.<key>.value`` or
                ``summary_metrics.<key>``.
            per_page: Runs fetched per request, 1 to 1000.
            include_sweeps: Accepted for compatibility with wandb; a run's
                :attr:`~client.Run.sweep` is fetched on first access either way.

        Raises:
            UsageError: if ``per_page`` is out of range.
            InvalidPathError: if ``path`` is malformed or no entity is known.
        """
        check_per_page(per_page)
        if path is None:
            entity, project = None, self.settings["project"] or "uncategorized"
        else:
            entity, project = parse_project_path(path)
        resolved = self._entity(entity)
        if not resolved:
            raise InvalidPathError(f"Invalid project path {path!r}: missing entity")
        return Runs(self._session, resolved, project, filters, order, per_page)

    def project(self, name: str, entity: str | None = None) -> Project:
        """The project ``name`` of ``entity`` (default entity if omitted), loaded on first use.

        Raises:
            UsageError: if no entity is given or known.
        """
        resolved = self._entity(entity)
        if not resolved:
            raise UsageError("entity must be passed as a parameter, or set in settings")
        return Project(self._session, resolved, name)

    def projects(self, entity: str | None = None, per_page: int = 200) -> Projects:
        """The projects of ``entity`` (default entity if omitted), as a lazy :class:`Projects`.

        Raises:
            UsageError: if ``per_page`` is out of range or no entity is given or known.
        """
        check_per_page(per_page)
        resolved = self._entity(entity)
        if not resolved:
            raise UsageError("entity must be passed as a parameter, or set in settings")
        return Projects(self._session, resolved, per_page)

    def sweep(self, path: str = "") -> Sweep:
        """The sweep at ``path``: ``entity/project/sweep_id``, ``entity/project/sweeps/sweep_id``
        (as in sweep URLs), ``project/sweep_id`` (default entity) or ``sweep_id``
        (``project`` setting).

        Raises:
            InvalidPathError: if ``path`` is malformed or lacks a part with no default.
            NotFoundError: if the sweep does not exist.
        """
        parts = [part for part in path.split("/") if part]
        if len(parts) == 4 and parts[2] == "sweeps":
            del parts[2]
        if not 1 <= len(parts) <= 3:
            raise InvalidPathError(f"Invalid sweep path {path!r}: expected entity/project/id")
        sweep_id = parts[-1]
        entity, project = self._project_of(
            parts[0] if len(parts) == 3 else None, parts[-2] if len(parts) > 1 else None, path
        )
        return Sweep(self._session, entity, project, sweep_id)

    def _project_of(self, entity: str | None, project: str | None, what: str) -> tuple[str, str]:
        project = project or self.settings["project"]
        resolved = self._entity(entity)
        if not project or not resolved:
            raise InvalidPathError(f"Invalid path {what!r}: missing entity or project")
        return resolved, project

    def artifact(self, name: str, type: str | None = None) -> Artifact:
        """The committed artifact version ``[[entity/]project/]name[:version|alias]``.

        Args:
            name: e.g. ``team/proj/mnist:v3``, ``proj/mnist:best`` or ``mnist``
                (``:latest`` when no version or alias is given).
            type: If given, the artifact must have this type.

        Raises:
            InvalidPathError: if ``name`` is malformed or lacks a part with no default.
            NotFoundError: if no such version exists.
            UsageError: if the version's type is not ``type``.
        """
        path = parse_artifact_path(name)
        entity, project = self._project_of(path.entity, path.project, name)
        data = self._session.graphql.execute(
            "ArtifactByName",
            {"entity": entity, "project": project, "name": f"{path.collection}:{path.alias}"},
        )
        membership = (data.get("project") or {}).get("artifactCollectionMembership")
        if membership is None:
            qualified = f"{entity}/{project}/{path.collection}:{path.alias}"
            raise NotFoundError(f"artifact {qualified} not found")
        artifact = Artifact.from_membership(
            self._session, membership, f"{path.collection}:{path.alias}"
        )
        if type is not None and artifact.type != type:
            raise UsageError(f"artifact {name!r} has type {artifact.type!r}, not {type!r}")
        return artifact

    def artifacts(
        self, type_name: str, name: str, per_page: int = 50
    ) -> ConnectionPaginator[Artifact]:
        """The committed versions of artifact ``[[entity/]project/]name``, newest first."""
        path = parse_artifact_path(name)
        entity, project = self._project_of(path.entity, path.project, name)
        variables = {
            "entity": entity,
            "project": project,
            "type": type_name,
            "collection": path.collection,
        }
        return ConnectionPaginator(
            self._session,
            "ProjectArtifacts",
            variables,
            ("project", "artifactType", "artifactCollection", "artifacts"),
            lambda node: Artifact.from_attrs(self._session, node),
            per_page,
        )

    def artifact_collection(self, type_name: str, name: str) -> ArtifactCollection:
        """The collection (sequence or portfolio) ``[[entity/]project/]name`` of type
        ``type_name``.

        Raises:
            NotFoundError: if the project has no such collection of that type.
        """
        path = parse_artifact_path(name)
        entity, project = self._project_of(path.entity, path.project, name)
        data = self._session.graphql.execute(
            "ArtifactCollection",
            {"entity": entity, "project": project, "type": type_name, "name": path.collection},
        )
        found = ((data.get("project") or {}).get("artifactType") or {}).get("artifactCollection")
        if found is None:
            raise NotFoundError(
                f"artifact collection {entity}/{project}/{path.collection}"
                f" of type {type_name!r} not found"
            )
        return ArtifactCollection(self._session, entity, project, found)

    def _artifact_project(self, project: str | None) -> tuple[str, str]:
        entity, name = parse_project_path(project) if project else (None, None)
        return self._project_of(entity, name, project or "")

    def artifact_types(self, project: str | None = None) -> ConnectionPaginator[ArtifactType]:
        """The artifact types of ``[entity/]project`` (default: the ``project`` setting)."""
        entity, name = self._artifact_project(project)
        return ConnectionPaginator(
            self._session,
            "ProjectArtifactTypes",
            {"entity": entity, "project": name},
            ("project", "artifactTypes"),
            lambda node: ArtifactType(self._session, entity, name, node),
            50,
        )

    def artifact_type(self, type_name: str, project: str | None = None) -> ArtifactType:
        """The artifact type ``type_name`` of ``[entity/]project``.

        Raises:
            NotFoundError: if the project has no artifact of that type.
        """
        entity, name = self._artifact_project(project)
        data = self._session.graphql.execute(
            "ProjectArtifactType", {"entity": entity, "project": name, "type": type_name}
        )
        node = (data.get("project") or {}).get("artifactType")
        if node is None:
            raise NotFoundError(f"artifact type {type_name!r} not found in {entity}/{name}")
        return ArtifactType(self._session, entity, name, node)

    def _organization(self, organization: str | None) -> str:
        return organization or organization_of(self._session, self._entity(None))

    def registries(
        self,
        organization: str | None = None,
        filter: Mapping[str, Any] | None = None,
        order: str | None = None,
        per_page: int = 100,
    ) -> Registries:
        """The registries of ``organization`` (default: the default entity's) matching
        ``filter`` (``name``, ``description``, ``created_at``, ``updated_at``)."""
        return Registries(self._session, self._organization(organization), filter, order, per_page)

    def _fetch_registry(self, entity: str, name: str) -> dict[str, Any] | None:
        data = self._session.graphql.execute(
            "FetchRegistry", {"entity": entity, "name": REGISTRY_PREFIX + name}
        )
        found: dict[str, Any] | None = (data.get("entity") or {}).get("project")
        return found

    def registry(self, name: str, organization: str | None = None) -> Registry:
        """The registry ``name`` (without the ``wandb-registry-`` prefix).

        Raises:
            NotFoundError: if the organization has no such registry.
        """
        organization = self._organization(organization)
        found = self._fetch_registry(org_entity_of(self._session, organization), name)
        if found is None:
            raise NotFoundError(f"registry {name!r} not found in organization {organization!r}")
        return Registry(self._session, organization, found)

    def create_registry(
        self,
        name: str,
        visibility: str,
        organization: str | None = None,
        description: str | None = None,
        artifact_types: list[str] | None = None,
    ) -> Registry:
        """Create registry ``name`` with ``visibility`` ``organization`` or ``restricted``;
        it accepts only ``artifact_types`` when given, else every type.

        Raises:
            UsageError: if the visibility is invalid or the registry already exists.
        """
        access = access_of(visibility)
        organization = self._organization(organization)
        entity = org_entity_of(self._session, organization)
        # The SDK upserts and then refuses an existing registry (after changing it);
        # asking first leaves an existing registry as it was.
        if self._fetch_registry(entity, name) is not None:
            raise UsageError(f"registry {name!r} already exists in organization {organization!r}")
        data = self._session.graphql.execute(
            "UpsertRegistry",
            {
                "input": {
                    "entityName": entity,
                    "name": REGISTRY_PREFIX + name,
                    "description": description,
                    "access": access,
                    "allowAllArtifactTypesInRegistry": not artifact_types,
                    "artifactTypes": [{"name": t} for t in artifact_types or ()] or None,
                }
            },
        )
        result = data["upsertModel"]
        if not result["inserted"]:
            raise UsageError(f"registry {name!r} already exists in organization {organization!r}")
        return Registry(self._session, organization, result["project"])

    def flush(self) -> None:
        """Forget cached runs, so that :meth:`run` fetches them again."""
        self._runs.clear()

    def close(self) -> None:
        """Close the HTTP client this object created (a passed ``http_client`` stays open)."""
        self._session.graphql.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _endpoint(base_url: str | None, http_client: HTTPClient | None) -> tuple[str, str]:
    """``(base URL, GraphQL URL)``: relative to ``http_client`` unless ``base_url`` is given."""
    if not base_url and http_client is not None and str(http_client.base_url):
        return str(http_client.base_url).rstrip("/"), "/graphql"
    base_url = (base_url or os.environ.get("WANDB_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    return base_url, f"{base_url}/graphql"
