"""Projects: one lazily loaded project, and the paginated list of an entity's projects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from client._html import iframe
from client._paginator import ConnectionPaginator
from client._session import Session
from client.errors import NotFoundError
from client.sweeps import Sweeps
from client.users import User


class Project:
    """A project (a namespace for runs) of an entity.

    ``name``, ``entity``, ``path`` and ``url`` need no request; the other
    attributes are fetched on first access when the project did not come
    from a listing.
    """

    def __init__(
        self,
        session: Session,
        entity: str,
        name: str,
        attrs: Mapping[str, Any] | None = None,
    ) -> None:
        """Wrap the GraphQL project node ``attrs``; with none, load it on first need."""
        self._session = session
        self.entity = entity
        self.name = name
        self._attrs: dict[str, Any] = dict(attrs or {})
        self._loaded = bool(attrs)

    def load(self, force: bool = False) -> dict[str, Any]:
        """Fetch the project unless it is already loaded (always with ``force=True``).

        Returns:
            The project's GraphQL attributes.

        Raises:
            NotFoundError: if the project does not exist.
        """
        if force or not self._loaded:
            data = self._session.graphql.execute(
                "GetProject", {"name": self.name, "entity": self.entity}
            )
            node = data.get("project")
            if node is None:
                raise NotFoundError(f"Could not find project {'/'.join(self.path)}")
            self._attrs = dict(node)
            self._loaded = True
        return dict(self._attrs)

    def _get(self, key: str) -> Any:
        self.load()
        return self._attrs.get(key)

    @property
    def id(self) -> str:
        """The server's opaque GraphQL id of the project."""
        value: str = self._get("id")
        return value

    @property
    def created_at(self) -> str | None:
        """ISO timestamp of the project's creation."""
        value: str | None = self._get("createdAt")
        return value

    @property
    def is_benchmark(self) -> bool | None:
        """Whether the project is a benchmark."""
        value: bool | None = self._get("isBenchmark")
        return value

    @property
    def owner(self) -> User | None:
        """The user who created the project, if the server reports one."""
        return User.from_wire(self._get("user"))

    @property
    def path(self) -> list[str]:
        """``[entity, name]``."""
        return [self.entity, self.name]

    @property
    def url(self) -> str:
        """The project's workspace in the W&B app: ``{app_url}/{entity}/{name}/workspace``."""
        entity, name = (quote(part, safe="") for part in self.path)
        return f"{self._session.app_url}/{entity}/{name}/workspace"

    def sweeps(self, per_page: int = 50, filters: Mapping[str, Any] | None = None) -> Sweeps:
        """The project's sweeps, oldest first, as a lazy :class:`~client.sweeps.Sweeps`.

        Args:
            per_page: Sweeps fetched per request, 1 to 1000.
            filters: Conditions on sweep fields, e.g. ``{"state": "RUNNING"}``.
        """
        return Sweeps(self._session, self.entity, self.name, per_page, filters)

    def to_html(self, height: int = 420, hidden: bool = False) -> str:
        """HTML of an iframe showing the project's workspace, as wandb renders it."""
        return iframe(self.url, height=height, hidden=hidden, what="project")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<Project {'/'.join(self.path)}>"


class Projects(ConnectionPaginator[Project]):
    """The projects of an entity, fetched ``per_page`` at a time when iterated or indexed."""

    def __init__(self, session: Session, entity: str, per_page: int = 200) -> None:
        """Describe the projects to list; see :meth:`client.Api.projects`."""
        self.entity = entity
        super().__init__(
            session, "GetProjects", {"entity": entity}, ("models",), self._project, per_page
        )

    def _project(self, node: dict[str, Any]) -> Project:
        return Project(self._session, node.get("entityName") or self.entity, node["name"], node)

    def _not_found(self) -> NotFoundError:
        return NotFoundError(f"Could not find entity {self.entity}")

    def __repr__(self) -> str:
        return f"<Projects {self.entity}>"
