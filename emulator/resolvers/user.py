"""Users and their API keys: ``User`` fields, ``users``/``user``, and the key mutations."""

from __future__ import annotations

import re
from typing import Any

from ariadne import MutationType, ObjectType, QueryType
from graphql import GraphQLError

from emulator.ids import InvalidIdError, decode_id, encode_id
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.viewer import is_default_user, require_admin, viewer_of
from emulator.store import User
from emulator.store.identity import IdentityError
from emulator.store.records import ApiKey, Entity, Organization

user = ObjectType("User")
api_key = ObjectType("ApiKey")
query = QueryType()
mutation = MutationType()


@user.field("id")
def resolve_user_id(obj: User, _: Info) -> str:
    """``User:<storage id>``, as W&B numbers users (the SDK's registry member calls
    parse the number out of it)."""
    return encode_id("User", obj.id)


def user_of_id(info: Info, value: str) -> User | None:
    """The user a ``User`` id names, or ``None``; a GraphQL error for a malformed id."""
    try:
        (number,) = decode_id(value, "User")
        return store_of(info).identity.user_by_id(int(number))
    except (InvalidIdError, ValueError):
        raise GraphQLError(f"invalid User id {value!r}") from None


@user.field("admin")
def resolve_admin(obj: User, info: Info) -> bool:
    return obj.admin or is_default_user(info, obj)


@user.field("flags")
def resolve_flags(*_: Any) -> str:
    return "{}"


@user.field("createdAt")
def resolve_created_at(obj: User, _: Info) -> str | None:
    return obj.created_at or None


@user.field("apiKeys")
def resolve_api_keys(obj: User, info: Info) -> dict[str, list[Any]] | None:
    """Only the user and instance admins see a user's keys."""
    viewer = viewer_of(info)
    if viewer.username != obj.username and not viewer.admin:
        return None
    keys = store_of(info).identity.api_keys(obj.username)
    return {"edges": [{"node": key} for key in keys]}


@user.field("teams")
def resolve_teams(obj: User, info: Info, first: int | None = None) -> dict[str, Any]:
    """The user's personal entity, then their teams (W&B lists both)."""
    teams = store_of(info).teams
    names = [obj.entity, *(name for name in teams.teams_of(obj.username) if name != obj.entity)]
    entities = [teams.entity(name) or Entity(0, name, "USER") for name in names[:first]]
    return {"edges": [{"node": entity} for entity in entities]}


@user.field("organizations")
def resolve_organizations(obj: User, info: Info) -> list[Organization]:
    return store_of(info).teams.organizations_of(obj.username)


@api_key.field("id")
def resolve_api_key_id(obj: ApiKey, _: Info) -> str:
    return encode_id("ApiKey", obj.id)


@api_key.field("name")
def resolve_api_key_name(obj: ApiKey, _: Info) -> str:
    """W&B names a key by its secret: ``User.generate_api_key()`` returns this."""
    return obj.key


@query.field("users")
def resolve_users(
    _: Any, info: Info, query: str | None = None, first: int | None = None, **__: Any
) -> dict[str, Any]:
    require_admin(info, "search users")
    found = store_of(info).identity.search_users(query or "", limit=first or 100)
    return {"edges": [{"node": found_user} for found_user in found]}


@query.field("user")
def resolve_user(
    _: Any, info: Info, user_name: str | None = None, id: str | None = None
) -> User | None:
    """A user by username or id; ``null`` when there is none."""
    if id is not None:
        return user_of_id(info, id)
    return None if user_name is None else store_of(info).identity.user(user_name)


def _username_from_email(info: Info, email: str) -> str:
    """A free username made from the part of ``email`` before the ``@``."""
    base = re.sub(r"[^A-Za-z0-9_.-]", "-", email.partition("@")[0]).strip("-.") or "user"
    base = base[:56]
    name, number = base, 1
    while store_of(info).teams.entity(name) is not None:
        number += 1
        name = f"{base}{number}"
    return name


@mutation.field("createUser")
def resolve_create_user(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    require_admin(info, "create users")
    email = input["email"]
    if "@" not in email:
        raise GraphQLError(f"invalid email {email!r}")
    username = _username_from_email(info, email)
    try:
        created, _ = store_of(info).identity.create_user(
            username, email=email, admin=bool(input.get("admin"))
        )
    except IdentityError as error:
        raise GraphQLError(str(error)) from None
    return {"user": created}


@mutation.field("generateApiKey")
def resolve_generate_api_key(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """A new key for the viewer (the SDK sends this with the caller's own credentials)."""
    viewer = viewer_of(info)
    key = store_of(info).identity.add_api_key(viewer.username, description=input.get("description"))
    return {"api_key": key}


@mutation.field("deleteApiKey")
def resolve_delete_api_key(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Revoke a key: its owner and instance admins may."""
    identity = store_of(info).identity
    try:
        key_id = int(decode_id(input["id"], "ApiKey")[0])
    except (InvalidIdError, ValueError) as error:
        raise GraphQLError(f"invalid ApiKey id {input['id']!r}: {error}") from None
    owner = identity.key_owner(key_id)
    if owner is None:
        raise GraphQLError(f"no API key with id {input['id']!r}")
    viewer = viewer_of(info)
    if owner != viewer.username and not viewer.admin:
        raise GraphQLError(f"permission denied: the API key belongs to {owner!r}")
    identity.delete_api_key(key_id)
    return {"success": True}


BINDABLES = (user, api_key, query, mutation)
