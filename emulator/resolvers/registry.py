"""Organization registries as the SDK's ``Registry`` and ``Registries`` read and write them.

A registry is a project (``wandb-registry-<name>`` in an organization's entity), so
``Project`` gains its registry fields, and an organization entity lists its registries
(``projects``), their collections (``artifactCollections``) and linked versions
(``artifactMemberships``) with W&B's basic registry search filters. Members of an
organization may create registries (and become their admins); changing, renaming and
deleting one takes its admin role (:mod:`emulator.resolvers.registry_members`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ariadne import MutationType, ObjectType
from graphql import GraphQLError

from emulator.ids import InvalidIdError, decode_id, encode_id
from emulator.resolvers.artifact_mutation import artifact_errors
from emulator.resolvers.collection_filters import matches_fields
from emulator.resolvers.connections import list_connection
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.viewer import (
    can_see_registry,
    require_registry_role,
    require_write,
    viewer_of,
)
from emulator.store.artifacts.records import ArtifactCollection, Membership
from emulator.store.records import Entity, Project
from emulator.store.registries import (
    Registry,
    RegistryInput,
    is_registry_project,
    types_of,
)

project = ObjectType("Project")
entity = ObjectType("Entity")
organization = ObjectType("Organization")
mutation = MutationType()


def registry_of(info: Info, obj: Project) -> Registry | None:
    """The registry ``obj`` is the project of, or ``None`` for a plain project."""
    if not is_registry_project(obj.name):
        return None
    return store_of(info).registries.registry(obj.entity, obj.name)


@project.field("access")
def resolve_access(obj: Project, info: Info) -> str | None:
    registry = registry_of(info, obj)
    return None if registry is None else registry.access


@project.field("updatedAt")
def resolve_updated_at(obj: Project, info: Info) -> str:
    registry = registry_of(info, obj)
    return obj.created_at if registry is None or not registry.updated_at else registry.updated_at


@project.field("allowAllArtifactTypesInRegistry")
def resolve_allow_all(obj: Project, info: Info) -> bool:
    registry = registry_of(info, obj)
    return True if registry is None else registry.allow_all_types


@organization.field("advancedRegistryFeatures")
def resolve_advanced_features(*_: Any) -> dict[str, bool]:
    """Only W&B's basic registry search is served, so the SDK uses it."""
    return {"advanced_search": False}


# Listing


def _order(items: list[Any], order: str | None, keys: dict[str, Callable[[Any], Any]]) -> list[Any]:
    if not order:
        return items
    key = order.lstrip("+-")
    if key not in keys:
        raise GraphQLError(f"cannot order by {key!r}: use one of {', '.join(keys)}")
    return sorted(items, key=keys[key], reverse=order.startswith("-"))


def _registry_fields(registry: Registry, entity_id: int | None) -> dict[str, list[Any]]:
    found = registry.project
    return {
        "id": [found.id],
        "name": [found.name],
        "entity_id": [entity_id],
        "description": [found.description],
        "created_at": [found.created_at],
        "updated_at": [registry.updated_at],
    }


_REGISTRY_ORDERS: dict[str, Callable[[Any], Any]] = {
    "name": lambda r: r.project.name,
    "created_at": lambda r: r.project.created_at,
    "createdAt": lambda r: r.project.created_at,
    "updated_at": lambda r: r.updated_at or "",
    "updatedAt": lambda r: r.updated_at or "",
}


def _registries(info: Info, obj: Entity, filters: Any) -> list[Registry]:
    store = store_of(info)
    found = [r for r in store.registries.registries(obj.name) if can_see_registry(info, r)]
    if filters:
        entity_id = store.projects.entity_id(obj.name)
        found = [
            r
            for r in found
            if matches_fields(_registry_fields(r, entity_id), filters, "registries")
        ]
    return found


@entity.field("project")
def resolve_project(obj: Entity, info: Info, name: str | None = None) -> Project | None:
    """The project ``name`` of the entity; ``null`` for a registry the viewer may not see."""
    if name is None:
        return None
    store = store_of(info)
    if is_registry_project(name):
        registry = store.registries.registry(obj.name, name)
        if registry is not None and not can_see_registry(info, registry):
            return None
    return store.projects.project(obj.name, name)


@entity.field("projects")
def resolve_projects(
    obj: Entity,
    info: Info,
    filters: Any = None,
    after: str | None = None,
    first: int | None = None,
    order: str | None = None,
) -> dict[str, Any]:
    """The registries of an organization entity (``filters`` on the registry fields)."""
    found = _order(_registries(info, obj, filters), order, _REGISTRY_ORDERS)
    return list_connection([r.project for r in found], after=after, first=first)


def _collections(
    info: Info, obj: Entity, project_filters: Any, filters: Any
) -> list[ArtifactCollection]:
    store = store_of(info).artifacts
    found = [
        collection
        for registry in _registries(info, obj, project_filters)
        for collection in store.collections(registry.project.id)
        if collection.portfolio
    ]
    if filters:
        found = [
            c
            for c in found
            if matches_fields(
                _collection_fields(c, store.editing.collection_tags(c.id)),
                filters,
                "registry collections",
            )
        ]
    return found


def _collection_fields(collection: ArtifactCollection, tags: list[str]) -> dict[str, list[Any]]:
    # The SDK sends its canonical names (artifact_collection_id for id and collection_id).
    return {
        "artifact_collection_id": [collection.id, encode_id("ArtifactCollection", collection.id)],
        "name": [collection.name],
        "tag": tags,
        "description": [collection.description],
        "created_at": [collection.created_at],
        "updated_at": [collection.created_at],
    }


_COLLECTION_ORDERS: dict[str, Callable[[Any], Any]] = {
    "name": lambda c: c.name,
    "created_at": lambda c: c.created_at,
    "createdAt": lambda c: c.created_at,
    "updated_at": lambda c: c.created_at,
    "updatedAt": lambda c: c.created_at,
}


@entity.field("artifactCollections")
def resolve_collections(
    obj: Entity,
    info: Info,
    project_filters: Any = None,
    filters: Any = None,
    collection_types: list[str] | None = None,
    after: str | None = None,
    first: int | None = None,
    order: str | None = None,
) -> dict[str, Any]:
    """The portfolios of the registries matching ``projectFilters``."""
    found = _order(_collections(info, obj, project_filters, filters), order, _COLLECTION_ORDERS)
    if collection_types is not None and "PORTFOLIO" not in collection_types:
        found = []
    return list_connection(found, after=after, first=first)


def _version_fields(info: Info, member: Membership) -> dict[str, list[Any]]:
    aliases = store_of(info).artifacts.aliases(member.artifact.id, member.collection.id)
    return {
        "id": [member.artifact.id, encode_id("Artifact", member.artifact.id)],
        "version": [member.version, member.version_index],
        "alias": aliases,
        "tag": member.artifact.tags,
        "created_at": [member.artifact.created_at],
        "updated_at": [member.artifact.updated_at],
    }


@entity.field("artifactMemberships")
def resolve_memberships(
    obj: Entity,
    info: Info,
    project_filters: Any = None,
    collection_filters: Any = None,
    filters: Any = None,
    after: str | None = None,
    first: int | None = None,
    order: str | None = None,
) -> dict[str, Any]:
    """The versions linked into the registries' collections, newest link first."""
    store = store_of(info).artifacts
    found = [
        member
        for collection in _collections(info, obj, project_filters, collection_filters)
        for member in store.members(collection)
    ]
    found.sort(key=lambda m: m.created_at, reverse=True)
    if filters:
        found = [
            m
            for m in found
            if matches_fields(_version_fields(info, m), filters, "registry versions")
        ]
    orders: dict[str, Callable[[Any], Any]] = {
        "created_at": lambda m: m.artifact.created_at,
        "linked_at": lambda m: m.created_at,
        "artifact_size": lambda m: m.artifact.size,
    }
    return list_connection(_order(found, order, orders), after=after, first=first)


# Writing


def _org_entity(name: str | None) -> str:
    if not name:
        raise GraphQLError("upsertModel needs entityName (the organization's entity)")
    return name


@mutation.field("upsertModel")
@artifact_errors
def resolve_upsert(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Create or change a registry; only registries are made through this mutation."""
    name = input.get("name")
    if not name:
        raise GraphQLError("upsertModel needs name")
    changes = RegistryInput(
        description=input.get("description"),
        access=input.get("access"),
        allow_all_types=input.get("allow_all_artifact_types_in_registry"),
        artifact_types=types_of(input.get("artifact_types")),
    )
    entity_name = _org_entity(input.get("entity_name"))
    store = store_of(info)
    existing = store.registries.registry(entity_name, name)
    if existing is None:
        require_write(info, entity_name)
    else:
        require_registry_role(info, existing, "admin", "change")
    registry, inserted = store.registries.upsert(entity_name, name, changes)
    if inserted:
        # The creator administers it (a second write: creating has succeeded either way).
        store.registry_members.add_admin(registry, viewer_of(info).username)
    return {"inserted": inserted, "project": registry.project}


@mutation.field("renameProject")
@artifact_errors
def resolve_rename(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Rename a registry's project (other projects are not renamed here)."""
    registries = store_of(info).registries
    existing = registries.registry(input["entity_name"], input["old_project_name"])
    if existing is not None:
        require_registry_role(info, existing, "admin", "rename")
    registry = registries.rename(
        input["entity_name"], input["old_project_name"], input["new_project_name"]
    )
    return {"inserted": False, "project": registry.project}


@mutation.field("deleteModel")
@artifact_errors
def resolve_delete(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Delete the registry whose project id is ``id``."""
    try:
        (project_id,) = decode_id(input["id"], "Project")
    except (InvalidIdError, ValueError):
        raise GraphQLError(f"invalid registry id {input['id']!r}") from None
    registry = store_of(info).registries.registry_by_id(int(project_id))
    if registry is not None:
        require_registry_role(info, registry, "admin", "delete")
    store_of(info).registries.delete(int(project_id))
    return {"success": True}


BINDABLES = (project, entity, organization, mutation)
