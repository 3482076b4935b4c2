"""Artifact types, collections (sequences and portfolios) and their aliases and members.

Both collection kinds share one set of resolvers; the interface's type resolver names
the kind. Version listings honour ``order`` (see :func:`order_members`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ariadne import InterfaceType, ObjectType, QueryType
from graphql import GraphQLError

from emulator import ids
from emulator.resolvers.artifact import storage_id_of
from emulator.resolvers.collection_filters import matches
from emulator.resolvers.connections import list_connection
from emulator.resolvers.context import Info, store_of
from emulator.store import Project
from emulator.store.artifacts.records import (
    Artifact,
    ArtifactCollection,
    ArtifactType,
    Membership,
)

query = QueryType()
project = ObjectType("Project")
artifact_type = ObjectType("ArtifactType")
collection_interface = InterfaceType("ArtifactCollection")
sequence = ObjectType("ArtifactSequence")
portfolio = ObjectType("ArtifactPortfolio")

#: Keys a version listing may be ordered by ("-" for descending), with their sort key.
MEMBER_ORDERS: dict[str, Callable[[Membership], Any]] = {
    "versionIndex": lambda m: m.version_index,
    "createdAt": lambda m: (m.created_at, m.version_index),
    "updatedAt": lambda m: (m.artifact.updated_at, m.version_index),
    "size": lambda m: (m.artifact.size, m.version_index),
}
#: Keys a collection listing may be ordered by.
COLLECTION_ORDERS: dict[str, Callable[[ArtifactCollection], Any]] = {
    "name": lambda c: c.name,
    "createdAt": lambda c: (c.created_at, c.id),
    "id": lambda c: c.id,
}


def _ordered(
    items: list[Any], order: str | None, keys: dict[str, Callable[[Any], Any]]
) -> list[Any]:
    """``items`` sorted by ``order`` (``key``, ``+key`` or ``-key``; snake_case accepted)."""
    if not order:
        return items
    descending = order.startswith("-")
    name = order.lstrip("+-")
    head, *rest = name.split("_")
    camel = head + "".join(part.title() for part in rest)
    if camel not in keys:
        raise GraphQLError(f"cannot order by {order!r}: use one of {', '.join(keys)}")
    return sorted(items, key=keys[camel], reverse=descending)


def _listed(
    info: Info,
    collections: list[ArtifactCollection],
    filters: Any,
    order: str | None,
) -> list[ArtifactCollection]:
    """Collections matching ``filters`` (a JSON object), in ``order``."""
    if filters:
        editing = store_of(info).artifacts.editing
        collections = [c for c in collections if matches(c, editing.collection_tags(c.id), filters)]
    return _ordered(collections, order, COLLECTION_ORDERS)


def order_members(members: list[Membership], order: str | None) -> list[Membership]:
    """Members ordered by ``order``; without one, newest first."""
    return _ordered(members, order, MEMBER_ORDERS)


@collection_interface.type_resolver
def resolve_collection_type(obj: ArtifactCollection, *_: Any) -> str:
    return "ArtifactPortfolio" if obj.portfolio else "ArtifactSequence"


@query.field("artifactCollection")
def resolve_collection_by_id(_: Any, info: Info, id: str) -> ArtifactCollection | None:
    """A collection by id; a malformed id is an error, an unknown one ``null``."""
    return store_of(info).artifacts.collection_by_id(collection_id_of(id))


def collection_id_of(value: str) -> int:
    """The storage id in an ``ArtifactCollection`` id; GraphQLError if it is not one."""
    return storage_id_of(value, "ArtifactCollection", "artifact collection")


@project.field("artifactType")
def resolve_project_artifact_type(obj: Project, info: Info, name: str) -> ArtifactType | None:
    found = store_of(info).artifacts.types(obj.id, name)
    return found[0] if found else None


@project.field("artifactTypes")
def resolve_project_artifact_types(
    obj: Project,
    info: Info,
    after: str | None = None,
    first: int | None = None,
    include_all: bool | None = None,
) -> dict[str, Any]:
    return list_connection(store_of(info).artifacts.types(obj.id), after=after, first=first)


@project.field("artifactCollection")
def resolve_project_collection(obj: Project, info: Info, name: str) -> ArtifactCollection | None:
    return store_of(info).artifacts.collection(obj.id, name)


@project.field("artifactCollections")
@artifact_type.field("artifactCollections")
def resolve_collections(
    obj: Project | ArtifactType,
    info: Info,
    after: str | None = None,
    first: int | None = None,
    order: str | None = None,
    filters: Any = None,
) -> dict[str, Any]:
    """A project's collections (sequences and portfolios; of one type when read through
    an artifact type) matching ``filters``, oldest first unless ``order`` says otherwise."""
    store = store_of(info).artifacts
    if isinstance(obj, ArtifactType):
        found = store.collections(obj.project_id, obj.name)
    else:
        found = store.collections(obj.id)
    return list_connection(_listed(info, found, filters, order), after=after, first=first)


@artifact_type.field("id")
def resolve_type_id(obj: ArtifactType, _: Info) -> str:
    return ids.encode_id("ArtifactType", obj.id)


@artifact_type.field("artifactCollection")
def resolve_type_collection(obj: ArtifactType, info: Info, name: str) -> ArtifactCollection | None:
    found = store_of(info).artifacts.collection(obj.project_id, name)
    return found if found is not None and found.type == obj.name else None


def _both(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Bind a resolver to ``name`` on both collection kinds."""

    def bind(resolver: Callable[..., Any]) -> Callable[..., Any]:
        sequence.set_field(name, resolver)
        portfolio.set_field(name, resolver)
        return resolver

    return bind


@_both("id")
def resolve_collection_id(obj: ArtifactCollection, _: Info) -> str:
    return ids.encode_id("ArtifactCollection", obj.id)


@_both("state")
def resolve_collection_state(*_: Any) -> str:
    return "READY"


@_both("project")
def resolve_collection_project(obj: ArtifactCollection, info: Info) -> Project:
    found = store_of(info).projects.project(obj.entity, obj.project)
    assert found is not None
    return found


@_both("updatedAt")
def resolve_updated_at(obj: ArtifactCollection, info: Info) -> str:
    members = store_of(info).artifacts.members(obj)
    return max([obj.created_at, *(m.created_at for m in members)])


@_both("tags")
def resolve_collection_tags(obj: ArtifactCollection, info: Info) -> dict[str, Any]:
    tags = store_of(info).artifacts.editing.collection_tags(obj.id)
    return {"edges": [{"node": {"id": ids.encode_id("Tag", tag), "name": tag}} for tag in tags]}


@_both("defaultArtifactType")
def resolve_default_type(obj: ArtifactCollection, info: Info) -> ArtifactType:
    (found,) = store_of(info).artifacts.types(obj.project_id, obj.type)
    return found


@_both("aliases")
def resolve_collection_aliases(
    obj: ArtifactCollection,
    info: Info,
    after: str | None = None,
    first: int | None = None,
) -> dict[str, Any]:
    """The aliases of the collection's members, newest member first."""
    store = store_of(info).artifacts
    aliases = [
        {
            "id": ids.encode_id("ArtifactAlias", member.artifact.id, alias),
            "alias": alias,
            "artifact_collection": obj,
        }
        for member in store.members(obj)
        for alias in store.aliases(member.artifact.id, obj.id)
    ]
    return list_connection(aliases, after=after, first=first)


@_both("artifactMembership")
def resolve_membership(obj: ArtifactCollection, info: Info, alias_name: str) -> Membership | None:
    """The member named ``vN``, by an alias or by its digest, else ``null``."""
    store = store_of(info).artifacts
    store.expire_due()
    return store.member(obj, alias_name)


@_both("artifacts")
def resolve_versions(
    obj: ArtifactCollection,
    info: Info,
    after: str | None = None,
    first: int | None = None,
    order: str | None = None,
    filters: Any = None,
) -> dict[str, Any]:
    """Members (newest first unless ``order`` says otherwise); each edge names its ``vN``
    in this collection. ``filters`` may only name the ``state`` (the SDK sends
    ``{"state": "COMMITTED"}``): members are committed versions."""
    store = store_of(info).artifacts
    store.expire_due()
    members = order_members(store.members(obj), order)
    if filters:
        if not isinstance(filters, dict) or set(filters) != {"state"}:
            raise GraphQLError(f"artifact versions can only be filtered by state, got {filters!r}")
        members = members if filters["state"] == "COMMITTED" else []
    result = list_connection(members, after=after, first=first)
    for edge in result["edges"]:
        member: Membership = edge["node"]
        edge["version"], edge["node"] = member.version, member.artifact
    return result


@sequence.field("latestArtifact")
def resolve_latest(obj: ArtifactCollection, info: Info) -> Artifact | None:
    return store_of(info).artifacts.latest(obj.id)


BINDABLES = (query, project, artifact_type, collection_interface, sequence, portfolio)
