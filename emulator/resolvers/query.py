"""Root query fields: viewer, server features, projects."""

from __future__ import annotations

from typing import Any

from ariadne import QueryType

from emulator.resolvers.connections import check_first, connection
from emulator.resolvers.context import Info, settings_of, store_of
from emulator.store import Project, User
from emulator.store.pagination import Cursor

query = QueryType()


@query.field("viewer")
def resolve_viewer(_: Any, info: Info) -> User:
    """The user every API key maps to: the settings' entity, created on first use."""
    return store_of(info).projects.ensure_user(settings_of(info).entity)


@query.field("serverInfo")
def resolve_server_info(_: Any, info: Info) -> dict[str, Any]:
    features = [{"name": name, "is_enabled": True} for name in settings_of(info).features]
    return {"features": features}


@query.field("project")
@query.field("model")
def resolve_project(
    _: Any, info: Info, name: str | None = None, entity_name: str | None = None
) -> Project | None:
    """A missing project is ``null``, as on W&B; the SDK raises its own error."""
    if name is None:
        return None
    return store_of(info).projects.project(entity_name or settings_of(info).entity, name)


@query.field("models")
@query.field("projects")
def resolve_projects(
    _: Any,
    info: Info,
    entity_name: str | None = None,
    after: str | None = None,
    first: int | None = None,
    **_ignored: Any,
) -> dict[str, Any]:
    """Projects by creation (id) order; cursors are the shared opaque keyset cursors."""
    limit = check_first(first)
    after_id = Cursor.decode(after).id if after else 0
    rows = store_of(info).projects.projects(entity_name, after_id=after_id, limit=limit + 1)
    page = rows[:limit]
    edges = [{"node": project, "cursor": Cursor(None, project.id).encode()} for project in page]
    return connection(edges, has_next_page=len(rows) > limit, after=after)


@query.field("entity")
def resolve_entity(_: Any, info: Info, name: str | None = None) -> dict[str, Any] | None:
    """Entities exist for every user and project owner; organizations are not emulated."""
    if name is None or store_of(info).projects.entity_id(name) is None:
        return None
    return {"name": name, "organization": None}


BINDABLES = (query,)
