"""Organizations as registries need them: the organization of an entity and the entity
of an organization (which holds the organization's registries)."""

from __future__ import annotations

from client._session import Session
from client.errors import NotFoundError, UsageError

#: The project-name prefix of every registry.
REGISTRY_PREFIX = "wandb-registry-"


def organization_of(session: Session, entity: str | None) -> str:
    """The organization of ``entity``: the one it is the entity of, else the only one its
    user belongs to (as the SDK infers it).

    Raises:
        UsageError: if there is no entity, or it has no organization or several.
    """
    if not entity:
        raise UsageError("no entity to find the organization of: pass organization=")
    data = session.graphql.execute("EntityOrganizations", {"entity": entity}).get("entity")
    if data is None:
        raise NotFoundError(f"entity {entity!r} not found")
    if data.get("organization"):
        return str(data["organization"]["name"])
    names = [org["name"] for org in (data.get("user") or {}).get("organizations") or []]
    if len(names) != 1:
        raise UsageError(
            f"entity {entity!r} belongs to {len(names)} organizations: pass organization="
        )
    return str(names[0])


def org_entity_of(session: Session, organization: str) -> str:
    """The name of ``organization``'s entity.

    Raises:
        NotFoundError: if there is no such organization.
    """
    data = session.graphql.execute("FetchOrganization", {"org": organization})
    found = (data.get("organization") or {}).get("orgEntity")
    if not found:
        raise NotFoundError(f"organization {organization!r} not found")
    return str(found["name"])


def registry_entity(session: Session, entity: str | None) -> str:
    """The entity holding the registries of ``entity``'s organization (how the SDK
    resolves a link into ``wandb-registry-<name>`` given without an entity)."""
    return org_entity_of(session, organization_of(session, entity))
