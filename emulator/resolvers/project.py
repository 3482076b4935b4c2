"""Project fields: identity, owner, and the run listing with W&B's filters and order."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType
from graphql import GraphQLError

from emulator.ids import encode_id
from emulator.resolvers.connections import check_first, connection
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.team import entity_named
from emulator.store import Project, Run, User
from emulator.store.filters import FilterError
from emulator.store.pagination import CursorError
from emulator.store.records import Entity

project = ObjectType("Project")


def _check_filters(filters: Any) -> dict[str, Any]:
    if filters is None:
        return {}
    if not isinstance(filters, dict):
        raise GraphQLError(f"filters must be a JSON object, got {type(filters).__name__}")
    return filters


@project.field("id")
def resolve_id(obj: Project, _: Info) -> str:
    return encode_id("Project", obj.id)


@project.field("internalId")
def resolve_internal_id(obj: Project, _: Info) -> str:
    """base64 ``ProjectInternalId:<n>``, as W&B sends it: the SDK's registry searches
    decode it to filter by project id (and warn when they cannot)."""
    return encode_id("ProjectInternalId", obj.id)


@project.field("entityName")
def resolve_entity_name(obj: Project, _: Info) -> str:
    return obj.entity


@project.field("entity")
def resolve_entity(obj: Project, info: Info) -> Entity:
    return entity_named(info, obj.entity)


@project.field("isBenchmark")
def resolve_is_benchmark(*_: Any) -> bool:
    return False


@project.field("readOnly")
def resolve_read_only(*_: Any) -> bool:
    return False


@project.field("user")
def resolve_user(obj: Project, info: Info) -> User | None:
    """The owner of a personal entity; team entities have no single user."""
    return store_of(info).projects.user(obj.entity)


@project.field("runCount")
def resolve_run_count(obj: Project, info: Info, filters: Any = None) -> int:
    try:
        return store_of(info).runs.count(obj.id, _check_filters(filters))
    except FilterError as error:
        raise GraphQLError(f"invalid filters: {error}") from None


@project.field("runs")
def resolve_runs(
    obj: Project,
    info: Info,
    filters: Any = None,
    order: str | None = None,
    after: str | None = None,
    first: int | None = None,
    **_ignored: Any,
) -> dict[str, Any]:
    try:
        page = store_of(info).runs.page(
            obj.id,
            filters=_check_filters(filters),
            order=order,
            first=check_first(first),
            after=after,
        )
    except FilterError as error:
        raise GraphQLError(f"invalid filters or order: {error}") from None
    except CursorError as error:
        raise GraphQLError(f"invalid cursor: {error}") from None
    pairs = zip(page.runs, page.cursors, strict=True)
    edges = [{"node": run, "cursor": cursor} for run, cursor in pairs]
    return connection(edges, has_next_page=page.has_next_page, after=after)


@project.field("run")
@project.field("bucket")
def resolve_run(obj: Project, info: Info, name: str, **_: Any) -> Run | None:
    """A missing run is ``null``, as on W&B."""
    return store_of(info).runs.get(obj.entity, obj.name, name)


BINDABLES = (project,)
