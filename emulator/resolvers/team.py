"""Entities and teams: ``Entity`` fields, members, and the team mutations."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType
from graphql import GraphQLError

from emulator.ids import InvalidIdError, decode_id, encode_id
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.user import user_of_id
from emulator.resolvers.viewer import require_team_admin, strict, viewer_of
from emulator.store import User
from emulator.store.identity import IdentityError
from emulator.store.records import Entity, Member, Organization

entity = ObjectType("Entity")
member = ObjectType("Member")
mutation = MutationType()


def entity_named(info: Info, name: str) -> Entity:
    """The stored entity ``name``, or a personal one standing for a name with no row yet."""
    return store_of(info).teams.entity(name) or Entity(0, name, "USER")


@entity.field("id")
def resolve_entity_id(obj: Entity, _: Info) -> str:
    """``Entity:<storage id>`` as on W&B (the SDK's registry member calls parse the
    number); a name with no entity yet has none, so ``Entity:0``."""
    return encode_id("Entity", obj.id)


@entity.field("organization")
def resolve_organization(obj: Entity, info: Info) -> Organization | None:
    """A team's organization (an organization's entity belongs to it); users have none."""
    if obj.type == "USER":
        return None
    return store_of(info).teams.organization_of(obj.name)


@entity.field("isTeam")
def resolve_is_team(obj: Entity, _: Info) -> bool:
    return obj.type == "TEAM"


@entity.field("entityType")
def resolve_entity_type(obj: Entity, _: Info) -> str:
    return obj.type.lower()


@entity.field("available")
def resolve_available(obj: Entity, _: Info) -> bool:
    """Whether the name is free: never, for an entity that exists."""
    return obj.id == 0


@entity.field("readOnly")
@entity.field("readOnlyAdmin")
@entity.field("privateOnly")
@entity.field("isPaid")
def resolve_false(*_: Any) -> bool:
    return False


@entity.field("codeSavingEnabled")
def resolve_true(*_: Any) -> bool:
    return True


@entity.field("storageBytes")
def resolve_storage_bytes(*_: Any) -> int:
    return 0


@entity.field("defaultAccess")
def resolve_default_access(*_: Any) -> str:
    """Projects are private to their entity (see :mod:`emulator.resolvers.viewer`)."""
    return "PRIVATE"


@entity.field("limits")
def resolve_limits(*_: Any) -> str:
    return "{}"


@entity.field("members")
def resolve_members(obj: Entity, info: Info) -> list[Member]:
    return store_of(info).teams.members(obj.name) if obj.type == "TEAM" else []


@entity.field("user")
def resolve_entity_user(obj: Entity, info: Info) -> User | None:
    """The owner of a personal entity."""
    return store_of(info).projects.user(obj.name) if obj.type == "USER" else None


@member.field("id")
def resolve_member_id(obj: Member, _: Info) -> str:
    """The member's user id, which ``deleteInvite`` takes back."""
    return encode_id("User", obj.user.id)


@member.field("admin")
def resolve_member_admin(obj: Member, _: Info) -> bool:
    return obj.role == "admin"


@member.field("pending")
def resolve_pending(*_: Any) -> bool:
    """Invites are accepted at once: the emulator adds existing users directly."""
    return False


@member.field("email")
@member.field("username")
@member.field("name")
@member.field("accountType")
def resolve_member_user_field(obj: Member, info: Info) -> Any:
    attribute = {"accountType": "account_type"}.get(info.field_name, info.field_name)
    return getattr(obj.user, attribute)


@member.field("apiKey")
def resolve_member_api_key(obj: Member, info: Info) -> str | None:
    """A service account's first key, shown to the team's members and admins."""
    if obj.user.account_type != "SERVICE":
        return None
    viewer = viewer_of(info)
    team = obj.user.entity
    teams = store_of(info).teams
    if strict(info) and not viewer.admin and teams.role(team, viewer.username) is None:
        return None
    keys = store_of(info).identity.api_keys(obj.user.username)
    return keys[0].key if keys else None


def _identity_call(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a store call, turning its :class:`IdentityError` into a GraphQL error."""
    try:
        return call(*args, **kwargs)
    except IdentityError as error:
        raise GraphQLError(str(error)) from None


@mutation.field("createTeam")
def resolve_create_team(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Any user may create a team; naming another user its admin takes an instance admin."""
    viewer = viewer_of(info)
    admin = input.get("team_admin_user_name") or viewer.username
    if admin != viewer.username and strict(info) and not viewer.admin:
        raise GraphQLError(
            "permission denied: only instance admins may create a team for another user"
        )
    organization = None
    if input.get("organization_id"):
        organization = _organization_name(info, input["organization_id"])
    teams = store_of(info).teams
    return {
        "entity": _identity_call(
            teams.create_team, input["team_name"], admin=admin, organization=organization
        )
    }


def _organization_name(info: Info, value: str) -> str:
    """The organization an id (or, leniently, a name) designates."""
    try:
        org_id = int(decode_id(value, "Organization")[0])
    except (InvalidIdError, ValueError):
        return value
    for org in store_of(info).teams.organizations_of(viewer_of(info).username):
        if org.id == org_id:
            return org.name
    raise GraphQLError(f"no organization with id {value!r} that you belong to")


@mutation.field("createInvite")
def resolve_create_invite(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Add an existing user to a team by username or email (no invitation emails here)."""
    team = input["entity_name"]
    require_team_admin(info, team, "invite members")
    identity = store_of(info).identity
    who = input.get("username") or input.get("email")
    if not who:
        raise GraphQLError("createInvite needs a username or an email")
    invitee = identity.user(who) if input.get("username") else identity.user_by_email(who)
    if invitee is None:
        raise GraphQLError(f"no user {who!r}: create the user first")
    role = "admin" if input.get("admin") else input.get("role") or "member"
    joined = _identity_call(store_of(info).teams.add_member, team, invitee.username, role)
    invite = {
        "id": encode_id("Invite", team, invitee.username),
        "name": invitee.name,
        "email": invitee.email,
        "created_at": joined.user.created_at or None,
        "to_user": invitee,
    }
    return {"invite": invite}


@mutation.field("deleteInvite")
def resolve_delete_invite(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    """Remove a member (``id`` from ``Entity.members``) from team ``entityName``."""
    team = input.get("entity_name")
    if not team or not input.get("id"):
        raise GraphQLError("deleteInvite needs the member id and the team (entityName)")
    member_user = user_of_id(info, input["id"])
    if member_user is None:
        raise GraphQLError(f"no user with id {input['id']!r}")
    username = member_user.username
    if username != viewer_of(info).username:
        require_team_admin(info, team, "remove members")
    _identity_call(store_of(info).teams.remove_member, team, username)
    return {"success": True}


@mutation.field("createServiceAccount")
def resolve_create_service_account(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    team = input["entity_name"]
    require_team_admin(info, team, "create service accounts")
    teams = store_of(info).teams
    account, _ = _identity_call(teams.create_service_account, team, input["description"])
    return {"user": account}


BINDABLES = (entity, member, mutation)
