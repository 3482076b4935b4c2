"""Who may write where, for GraphQL resolvers and plain endpoints alike.

Strict mode only (open mode lets anyone write anywhere): a user writes to their own
entity (a service account's is its team), to teams where they are an admin, member or
service account, to the entity of an organization they belong to (its registries), and
anywhere when they are an instance admin; the default user
(``Settings.entity``) is always one.

Inside a registry, the registry role counts (:func:`registry_role`): admins change the
registry, its members and delete it, members (and admins) link versions into it, viewers
only read. Creating a registry is a write to the organization's entity.
"""

from __future__ import annotations

from emulator.settings import Settings
from emulator.store import Store
from emulator.store.registries import Registry
from emulator.store.registry_members import role_rank

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


def registry_role(
    store: Store, settings: Settings, username: str, registry: Registry
) -> str | None:
    """``username``'s role in ``registry`` as the server applies it.

    Open mode, the default user and instance admins: ``admin``. Otherwise the stored role
    (:meth:`RegistryMemberStore.role_of`), and for a member of the organization with
    none, ``viewer`` of a registry of organization visibility (W&B's ``PRIVATE`` access).
    """
    if not settings.strict or username == settings.entity:
        return "admin"
    user = store.identity.user(username)
    if user is None:
        return None
    if user.admin:
        return "admin"
    role = store.registry_members.role_of(registry, username)
    if role is None and registry.access == "PRIVATE":
        entity = registry.project.entity
        if any(org.entity == entity for org in store.teams.organizations_of(username)):
            return "viewer"
    return role


def may_in_registry(
    store: Store, settings: Settings, username: str, registry: Registry, needed: str
) -> bool:
    """Whether ``username``'s role in ``registry`` is ``needed`` or higher."""
    return role_rank(registry_role(store, settings, username, registry)) >= role_rank(needed)


def registry_denied(username: str, registry: Registry, action: str, needed: str) -> str:
    """The message refusing ``action`` in ``registry`` to one below role ``needed``."""
    return (
        f"permission denied: user {username!r} may not {action} registry {registry.name!r}"
        f" (that needs the registry role {needed!r})"
    )
