"""Who is asking, and what they may do: the viewer of a GraphQL request and its rights.

The auth middleware puts the username at ``scope["state"]["username"]``; a request made
without it (the executor's own tests) acts as the default user.

Rules, applied in strict mode only (open mode lets anyone do anything, as before users
existed):

- **Writes** (runs, files, artifacts): see :mod:`emulator.permissions`. Others get a
  GraphQL error naming the entity.
- **Reads**: W&B projects are private to their entity unless made public, which the
  emulator does not model. So another user's projects read as missing (``null``, as
  W&B answers for a project you may not see), while the viewer's own, their teams'
  (any role, viewers included), their organizations' and entities nobody owns (seeded
  data with no user) are visible. Entities themselves (``entity(name:)``) are public,
  as W&B's team and profile pages are.
- **Admin operations** (``createUser``, ``users``): instance admins. Team management
  (invites, service accounts, removing members): the team's admins and instance admins;
  anyone may leave a team.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import GraphQLError

from emulator.permissions import (
    may_in_registry,
    may_write,
    registry_denied,
    registry_role,
    write_denied,
)
from emulator.resolvers.context import Info, settings_of, store_of
from emulator.state import state_of
from emulator.store import User
from emulator.store.registries import Registry
from emulator.url_signing import sign_url


def username_of(info: Info) -> str:
    """The name of the user making this request."""
    request: Any = info.context.get("request")
    state = getattr(request, "scope", {}).get("state") or {}
    return str(state.get("username") or settings_of(info).entity)


def viewer_of(info: Info) -> User:
    """The user making this request. The default user (``Settings.entity``) is stored on
    first use and is always an instance admin (a rule of the server, not a stored flag)."""
    cached: User | None = info.context.get("viewer")
    if cached is not None:
        return cached
    name = username_of(info)
    store = store_of(info)
    viewer = store.identity.user(name) or store.projects.ensure_user(name)
    if is_default_user(info, viewer):
        viewer = replace(viewer, admin=True)
    info.context["viewer"] = viewer
    return viewer


def is_default_user(info: Info, user: User) -> bool:
    """Whether ``user`` is the server's default user (an instance admin by rule)."""
    return user.username == settings_of(info).entity


def default_entity_of(info: Info) -> str:
    """The entity a request naming none means: the viewer's (read without writing for the
    default user, who may not have been stored yet)."""
    name = username_of(info)
    return name if name == settings_of(info).entity else viewer_of(info).entity


def strict(info: Info) -> bool:
    """Whether this server checks rights."""
    return settings_of(info).strict


def require_write(info: Info, entity: str) -> None:
    """Raise a GraphQL error unless the viewer may write to ``entity``."""
    username = username_of(info)
    if not may_write(store_of(info), settings_of(info), username, entity):
        raise GraphQLError(write_denied(username, entity))


def require_registry_role(info: Info, registry: Registry, needed: str, action: str) -> None:
    """Raise a GraphQL error unless the viewer's role in ``registry`` is ``needed`` or
    higher (see :func:`emulator.permissions.registry_role`)."""
    username = username_of(info)
    if not may_in_registry(store_of(info), settings_of(info), username, registry, needed):
        raise GraphQLError(registry_denied(username, registry, action, needed))


def can_see_registry(info: Info, registry: Registry) -> bool:
    """Whether the viewer sees ``registry`` at all: with any role in it. A restricted
    registry is hidden from the organization's members who have none, as on W&B."""
    role = registry_role(store_of(info), settings_of(info), username_of(info), registry)
    return role is not None


def can_read(info: Info, entity: str) -> bool:
    """Whether the viewer may see the projects of ``entity`` (see the module docstring)."""
    if not strict(info):
        return True
    viewer = viewer_of(info)
    if viewer.admin or entity == viewer.entity:
        return True
    store = store_of(info)
    found = store.teams.entity(entity)
    if found is None or store.teams.role(entity, viewer.username) is not None:
        return True
    if found.type == "ORGANIZATION":
        return any(org.entity == entity for org in store.teams.organizations_of(viewer.username))
    return found.type == "USER" and store.projects.user(entity) is None


def require_admin(info: Info, action: str) -> None:
    """Raise a GraphQL error unless the viewer is an instance admin (strict mode)."""
    if strict(info) and not viewer_of(info).admin:
        raise GraphQLError(f"permission denied: only instance admins may {action}")


def require_team_admin(info: Info, team: str, action: str) -> None:
    """Raise a GraphQL error unless the viewer administers ``team`` (strict mode)."""
    if not strict(info):
        return
    viewer = viewer_of(info)
    if viewer.admin or store_of(info).teams.role(team, viewer.username) == "admin":
        return
    raise GraphQLError(
        f"permission denied: user {viewer.username!r} is not an admin of team {team!r}"
        f" and may not {action}"
    )


def signed_url(info: Info, url: str) -> str:
    """``url`` as handed to the viewer: signed for them in strict mode (see
    :mod:`emulator.url_signing`), unchanged otherwise."""
    request: Any = info.context.get("request")
    if not strict(info) or request is None:
        return url
    return sign_url(url, username_of(info), state_of(request.app).url_secret)
