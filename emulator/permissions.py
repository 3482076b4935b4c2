"""Who may write where, for GraphQL resolvers and plain endpoints alike.

Strict mode only (open mode lets anyone write anywhere): a user writes to their own
entity (a service account's is its team), to teams where they are an admin, member or
service account, to the entity of an organization they belong to (its registries), and
anywhere when they are an instance admin; the default user
(``Settings.entity``) is always one.
"""

from __future__ import annotations

from emulator.settings import Settings
from emulator.store import Store

#: Team roles that may write to the team's projects.
WRITING_ROLES = frozenset({"admin", "member", "service"})


def may_write(store: Store, settings: Settings, username: str, entity: str) -> bool:
    """Whether ``username`` may write to ``entity`` on a server with ``settings``."""
    if not settings.strict or username == settings.entity:
        return True
    user = store.identity.user(username)
    if user is None:
        return False
    if user.admin or user.entity == entity:
        return True
    if store.teams.role(entity, username) in WRITING_ROLES:
        return True
    return any(org.entity == entity for org in store.teams.organizations_of(username))


def write_denied(username: str, entity: str) -> str:
    """The message refusing a write."""
    return f"permission denied: user {username!r} may not write to entity {entity!r}"
