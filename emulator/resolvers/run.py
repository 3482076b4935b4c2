"""Run fields that are not plain record attributes."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType

from emulator import ids
from emulator.resolvers.context import Info, store_of
from emulator.store import Project, Run, User

run = ObjectType("Run")


@run.field("id")
def resolve_id(obj: Run, _: Info) -> str:
    return ids.run_id(obj.entity, obj.project, obj.name)


@run.field("readOnly")
def resolve_read_only(*_: Any) -> bool:
    return False


@run.field("updatedAt")
def resolve_updated_at(obj: Run, _: Info) -> str | None:
    return obj.heartbeat_at or obj.created_at


@run.field("user")
def resolve_user(obj: Run, info: Info) -> User:
    """The SDK needs a user object on every run (null crashes ``Run.__init__``).

    Looked up once per username and request: a page of runs mostly shares one user.
    """
    users = info.context.setdefault("users_by_name", {})
    if obj.username not in users:
        users[obj.username] = store_of(info).projects.user(obj.username)
    user = users[obj.username]
    return user or User(0, obj.username, obj.username, f"{obj.username}@example.com", obj.username)


@run.field("project")
def resolve_project(obj: Run, info: Info) -> Project | None:
    return store_of(info).projects.project(obj.entity, obj.project)


@run.field("historyKeys")
def resolve_history_keys(obj: Run, info: Info) -> dict[str, Any]:
    return store_of(info).history.history_keys(obj.id)


BINDABLES = (run,)
