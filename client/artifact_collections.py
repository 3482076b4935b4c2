"""Artifact collections: sequences (versions logged under a name) and portfolios
(links to versions of other collections, such as the model registry's models)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from client._paginator import ConnectionPaginator
from client._session import Session
from client.artifacts import Artifact


class _MemberPages(ConnectionPaginator[Artifact]):
    """Versions of a collection; each edge's ``version`` is the one in that collection."""

    def __init__(self, collection: ArtifactCollection, per_page: int, order: str | None) -> None:
        super().__init__(
            collection._session,
            "CollectionMembers",
            {"id": collection.id, "order": order},
            ("artifactCollection", "artifacts"),
            lambda node: Artifact.from_attrs(collection._session, node),
            per_page,
        )
        self._collection = collection

    def convert_objects(self) -> list[Artifact]:
        """The versions of the last page, each named ``collection:vN`` as listed there."""
        edges = (self._connection() or {}).get("edges") or []
        return [
            Artifact.from_membership(
                self._session,
                {
                    "versionIndex": int(edge["version"][1:]),
                    "artifactCollection": self._collection._viewed(),
                    "artifact": edge["node"],
                },
                f"{self._collection.name}:{edge['version']}",
            )
            for edge in edges
        ]


class ArtifactCollection:
    """One collection of a project, as :meth:`client.Api.artifact_collection` reads it.

    Change :attr:`name`, :attr:`description` and :attr:`tags`, then :meth:`save`.
    """

    def __init__(self, session: Session, entity: str, project: str, attrs: Mapping[str, Any]):
        self._session = session
        self.entity, self.project = entity, project
        self._attrs = dict(attrs)
        self.name: str = attrs["name"]
        self.description: str | None = attrs.get("description")
        self.tags: list[str] = _tags(attrs)

    @property
    def id(self) -> str:
        """The server's id of the collection."""
        return str(self._attrs["id"])

    @property
    def type(self) -> str:
        """The artifact type of the collection's versions."""
        return str(self._attrs["defaultArtifactType"]["name"])

    @property
    def aliases(self) -> list[str]:
        """The aliases of the collection's versions."""
        edges = (self._attrs.get("aliases") or {}).get("edges") or []
        return [edge["node"]["alias"] for edge in edges]

    def is_sequence(self) -> bool:
        """Whether this is a sequence (not a portfolio)."""
        return bool(self._attrs["__typename"] == "ArtifactSequence")

    def _viewed(self) -> dict[str, Any]:
        return {
            "__typename": self._attrs["__typename"],
            "id": self.id,
            "name": self._attrs["name"],
            "project": {"name": self.project, "entity": {"name": self.entity}},
        }

    def artifacts(self, per_page: int = 50, order: str | None = None) -> _MemberPages:
        """The collection's versions, newest first unless ``order`` (e.g.
        ``"+versionIndex"``) says otherwise."""
        return _MemberPages(self, per_page, order)

    def save(self) -> None:
        """Send changes of name, description and tags."""
        kind = "Sequence" if self.is_sequence() else "Portfolio"
        data = self._session.graphql.execute(
            f"UpdateArtifact{kind}",
            {
                "input": {
                    f"artifact{kind}ID": self.id,
                    "name": self.name,
                    "description": self.description,
                }
            },
        )
        old, new = set(_tags(self._attrs)), set(self.tags)
        where = {
            "entityName": self.entity,
            "projectName": self.project,
            "artifactCollectionName": self.name,
        }
        for operation, tags in (("Add", new - old), ("Delete", old - new)):
            if tags:
                self._session.graphql.execute(
                    f"{operation}ArtifactCollectionTags",
                    {"input": {**where, "tags": _tag_inputs(tags)}},
                )
        self._attrs = {**data[f"updateArtifact{kind}"]["artifactCollection"]}
        self._attrs["tags"] = {"edges": [{"node": {"name": tag}} for tag in sorted(new)]}

    def delete(self) -> None:
        """Delete the collection: a sequence with its versions, a portfolio's links."""
        kind = "Sequence" if self.is_sequence() else "Portfolio"
        self._session.graphql.execute(
            f"DeleteArtifact{kind}", {"input": {f"artifact{kind}ID": self.id}}
        )

    def __repr__(self) -> str:
        return f"<ArtifactCollection {self.entity}/{self.project}/{self.name} ({self.type})>"


def _tags(attrs: Mapping[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in (attrs.get("tags") or {}).get("edges") or []]


def _tag_inputs(tags: Iterable[str]) -> list[dict[str, str]]:
    return [{"tagName": tag} for tag in sorted(tags)]
