"""Artifact types of a project, and the names of their collections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from client._paginator import ConnectionPaginator
from client._session import Session


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
