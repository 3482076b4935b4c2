"""Artifact types, collections (sequences) and aliases."""

from __future__ import annotations

from typing import Any

from ariadne import InterfaceType, ObjectType

from emulator import ids
from emulator.resolvers.connections import connection, list_connection
from emulator.resolvers.context import Info, store_of
from emulator.store import Project
from emulator.store.artifacts.records import Artifact, ArtifactCollection, ArtifactType

project = ObjectType("Project")
artifact_type = ObjectType("ArtifactType")
collection_interface = InterfaceType("ArtifactCollection")
sequence = ObjectType("ArtifactSequence")


@collection_interface.type_resolver
def resolve_collection_type(*_: Any) -> str:
    """Every collection here is a sequence; W&B's portfolios are not emulated."""
    return "ArtifactSequence"


@project.field("artifactType")
def resolve_project_artifact_type(
    obj: Project, info: Info, name: str
) -> ArtifactType | None:
    found = store_of(info).artifacts.types(obj.id, name)
    return found[0] if found else None


@project.field("artifactTypes")
def resolve_project_artifact_types(
    obj: Project, info: Info, after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    return list_connection(store_of(info).artifacts.types(obj.id), after=after, first=first)


@project.field("artifactCollection")
def resolve_project_collection(
    obj: Project, info: Info, name: str
) -> ArtifactCollection | None:
    return store_of(info).artifacts.collection(obj.id, name)


@artifact_type.field("id")
def resolve_type_id(obj: ArtifactType, _: Info) -> str:
    return ids.encode_id("ArtifactType", obj.id)


@artifact_type.field("artifactCollection")
def resolve_type_collection(
    obj: ArtifactType, info: Info, name: str
) -> ArtifactCollection | None:
    found = store_of(info).artifacts.collection(obj.project_id, name)
    return found if found is not None and found.type == obj.name else None


@artifact_type.field("artifactCollections")
def resolve_type_collections(
    obj: ArtifactType,
    info: Info,
    after: str | None = None,
    first: int | None = None,
    **_ignored: Any,
) -> dict[str, Any]:
    collections = store_of(info).artifacts.collections(obj.project_id, obj.name)
    return list_connection(collections, after=after, first=first)


@sequence.field("id")
def resolve_collection_id(obj: ArtifactCollection, _: Info) -> str:
    return ids.encode_id("ArtifactCollection", obj.id)


@sequence.field("project")
def resolve_collection_project(obj: ArtifactCollection, info: Info) -> Project:
    found = store_of(info).projects.project(obj.entity, obj.project)
    assert found is not None
    return found


@sequence.field("updatedAt")
def resolve_updated_at(obj: ArtifactCollection, info: Info) -> str:
    latest = store_of(info).artifacts.latest(obj.id)
    return obj.created_at if latest is None else latest.updated_at


@sequence.field("tags")
def resolve_collection_tags(*_: Any) -> dict[str, list[Any]]:
    return {"edges": []}


@sequence.field("defaultArtifactType")
def resolve_default_type(obj: ArtifactCollection, info: Info) -> ArtifactType:
    (found,) = store_of(info).artifacts.types(obj.project_id, obj.type)
    return found


@sequence.field("aliases")
def resolve_collection_aliases(obj: ArtifactCollection, info: Info) -> dict[str, Any]:
    store = store_of(info).artifacts
    edges = [
        {
            "node": {
                "id": ids.encode_id("ArtifactAlias", version.id, alias),
                "alias": alias,
                "artifact_collection": obj,
            },
            "cursor": ids.encode_id("ArtifactAlias", version.id, alias),
        }
        for version in store.versions(obj.id)
        for alias in store.aliases(version.id)
    ]
    return connection(edges, has_next_page=False, after=None)


@sequence.field("artifactMembership")
def resolve_membership(
    obj: ArtifactCollection, info: Info, alias_name: str
) -> Artifact | None:
    """The committed version named ``vN``, by an alias or by its digest, else ``null``."""
    return store_of(info).artifacts.resolve(obj.id, alias_name)


@sequence.field("artifacts")
def resolve_versions(
    obj: ArtifactCollection,
    info: Info,
    after: str | None = None,
    first: int | None = None,
    **_ignored: Any,
) -> dict[str, Any]:
    """Committed versions, newest first; each edge names its ``vN``."""
    result = list_connection(store_of(info).artifacts.versions(obj.id), after=after, first=first)
    for edge in result["edges"]:
        edge["version"] = edge["node"].version
    return result


@sequence.field("latestArtifact")
def resolve_latest(obj: ArtifactCollection, info: Info) -> Artifact | None:
    return store_of(info).artifacts.latest(obj.id)


BINDABLES = (project, artifact_type, collection_interface, sequence)
