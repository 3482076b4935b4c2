"""Organizations as the SDK reads them: ``organization(name:)`` and its entity and teams."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, QueryType

from emulator.ids import encode_id
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.team import entity_named
from emulator.store.records import Entity, Organization

organization = ObjectType("Organization")
query = QueryType()


@query.field("organization")
def resolve_organization(_: Any, info: Info, name: str | None = None) -> Organization | None:
    """An organization by name; ``null`` when there is none, as on W&B."""
    return None if name is None else store_of(info).teams.organization(name)


@organization.field("id")
def resolve_id(obj: Organization, _: Info) -> str:
    return encode_id("Organization", obj.id)


@organization.field("orgEntity")
def resolve_org_entity(obj: Organization, info: Info) -> Entity:
    return entity_named(info, obj.entity)


@organization.field("teams")
def resolve_teams(obj: Organization, info: Info) -> list[Entity]:
    return store_of(info).teams.teams_in(obj.name)


@organization.field("coreWeaveOrganizationId")
def resolve_core_weave_id(*_: Any) -> None:
    return None


BINDABLES = (organization, query)
