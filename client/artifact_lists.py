"""Lazy lists of artifacts, their files and types, read page by page."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from client._paginator import Paginator
from client._session import Session
from client.errors import NotFoundError

T = TypeVar("T")


class ConnectionPaginator(Paginator[T], Generic[T]):
    """Pages of a GraphQL connection found at ``path`` in each response.

    Each page continues from ``pageInfo.endCursor``; ``len()`` is the connection's
    ``totalCount`` when the query asks for it.
    """

    def __init__(
        self,
        session: Session,
        operation: str,
        variables: Mapping[str, Any],
        path: Sequence[str],
        convert: Callable[[dict[str, Any]], T],
        per_page: int,
    ) -> None:
        """List ``convert(node)`` for every node of the connection at ``path``."""
        super().__init__(per_page)
        self._session = session
        self._operation = operation
        self._variables = dict(variables)
        self._path = tuple(path)
        self._convert = convert

    def _fetch(self, cursor: str | None) -> dict[str, Any]:
        variables = {**self._variables, "cursor": cursor, "perPage": self.per_page}
        return self._session.graphql.execute(self._operation, variables)

    def _connection(self) -> dict[str, Any] | None:
        value: Any = self.last_response
        for key in self._path:
            if value is None:
                return None
            value = value.get(key)
        connection: dict[str, Any] | None = value
        return connection

    @property
    def more(self) -> bool:
        """Whether another page may be fetched."""
        if self.last_response is None:
            return True
        return bool(((self._connection() or {}).get("pageInfo") or {}).get("hasNextPage"))

    @property
    def cursor(self) -> str | None:
        """``pageInfo.endCursor`` of the last page (``None`` before the first)."""
        return ((self._connection() or {}).get("pageInfo") or {}).get("endCursor")

    def convert_objects(self) -> list[T]:
        """The objects of the last fetched page.

        Raises:
            NotFoundError: if an object on the way to the connection does not exist.
        """
        connection = self._connection()
        if connection is None:
            raise NotFoundError(f"{self._operation}: not found ({self._variables})")
        return [self._convert(edge["node"]) for edge in connection.get("edges") or []]

    def __len__(self) -> int:
        """The number of objects, as counted by the server."""
        if self.last_response is None:
            self._load_page()
        connection = self._connection() or {}
        if connection.get("totalCount") is None:
            self._load_all()
            return len(self.objects)
        return int(connection["totalCount"])


class ArtifactType:
    """An artifact type (``dataset``, ``model``...) of a project."""

    def __init__(self, session: Session, entity: str, project: str, attrs: Mapping[str, Any]):
        """Wrap the GraphQL ``ArtifactType`` node ``attrs``."""
        self._session = session
        self.entity = entity
        self.project = project
        self._attrs = dict(attrs)

    @property
    def id(self) -> str:
        """The server's id of the type."""
        value: str = self._attrs["id"]
        return value

    @property
    def name(self) -> str:
        """The type's name."""
        value: str = self._attrs["name"]
        return value

    def collections(self, per_page: int = 50) -> ConnectionPaginator[str]:
        """The names of the type's artifact collections, oldest first."""
        return ConnectionPaginator(
            self._session,
            "ArtifactTypeCollections",
            {"entity": self.entity, "project": self.project, "type": self.name},
            ("project", "artifactType", "artifactCollections"),
            lambda node: node["name"],
            per_page,
        )

    def __repr__(self) -> str:
        return f"<ArtifactType {self.name}>"
