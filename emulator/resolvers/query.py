"""Root query fields: viewer, server features, projects."""

from __future__ import annotations

from typing import Any

from ariadne import QueryType

from emulator.resolvers.connections import check_first, connection
from emulator.resolvers.context import Info, settings_of, store_of
from emulator.resolvers.viewer import can_read, default_entity_of, viewer_of
from emulator.store import Project, User
from emulator.store.pagination import Cursor
from emulator.store.records import Entity

query = QueryType()


@query.field("viewer")
def resolve_viewer(_: Any, info: Info) -> User:
    """The user the request's API key belongs to (see :mod:`emulator.middleware.auth`)."""
    return viewer_of(info)


@query.field("serverInfo")
def resolve_server_info(_: Any, info: Info) -> dict[str, Any]:
    features = [{"name": name, "is_enabled": True} for name in settings_of(info).features]
    return {"features": features}


@query.field("project")
@query.field("model")
def resolve_project(
    _: Any, info: Info, name: str | None = None, entity_name: str | None = None
) -> Project | None:
    """A missing project is ``null``, as on W&B; the SDK raises its own error. So is one
    the viewer may not see (strict mode; see :mod:`emulator.resolvers.viewer`)."""
    if name is None:
        return None
    entity = entity_name or default_entity_of(info)
    if not can_read(info, entity):
        return None
    return store_of(info).projects.project(entity, name)


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
    """Projects by creation (id) order; cursors are the shared opaque keyset cursors.

    In strict mode, projects the viewer may not see are left out of a page (which may
    then hold fewer than ``first``)."""
    limit = check_first(first)
    after_id = Cursor.decode(after).id if after else 0
    rows = store_of(info).projects.projects(entity_name, after_id=after_id, limit=limit + 1)
    page = rows[:limit]
    readable = {entity: can_read(info, entity) for entity in {project.entity for project in page}}
    edges = [
        {"node": project, "cursor": Cursor(None, project.id).encode()}
        for project in page
        if readable[project.entity]
    ]
    return connection(edges, has_next_page=len(rows) > limit, after=after)


@query.field("entity")
def resolve_entity(_: Any, info: Info, name: str | None = None) -> Entity | None:
    """Users', teams' and organizations' entities; ``null`` for a name nobody has."""
    return None if name is None else store_of(info).teams.entity(name)


BINDABLES = (query,)
