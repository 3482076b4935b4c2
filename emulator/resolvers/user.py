"""User, Entity and their small connections."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType

from emulator.ids import encode_id
from emulator.resolvers.context import Info
from emulator.store import User

user = ObjectType("User")
entity = ObjectType("Entity")


@user.field("id")
def resolve_user_id(obj: User, _: Info) -> str:
    return encode_id("User", obj.username)


@user.field("flags")
def resolve_flags(*_: Any) -> str:
    return "{}"


@user.field("admin")
def resolve_admin(*_: Any) -> bool:
    return False


@user.field("apiKeys")
def resolve_api_keys(*_: Any) -> dict[str, list[Any]]:
    return {"edges": []}


@user.field("teams")
def resolve_teams(obj: User, *_: Any, **__: Any) -> dict[str, list[Any]]:
    return {"edges": [{"node": {"name": obj.entity, "organization": None}}]}


@entity.field("id")
def resolve_entity_id(obj: dict[str, Any], _: Info) -> str:
    return encode_id("Entity", obj["name"])


BINDABLES = (user, entity)
