"""Registry members as the SDK's ``Registry.members()``, ``add_members()``,
``remove_members()`` and ``update_member()`` read and change them.

A registry's user members are ``Project.members`` and its teams ``Project.teamMembers``
(plain projects have none here). The mutations take the registry's project id and the
members' ``User:<n>`` / ``Entity:<n>`` ids, as the SDK sends them; only the registry's
admins may call them (strict mode). Any unknown id, non-member or role is a GraphQL
error naming it, with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ariadne import MutationType, ObjectType
from graphql import GraphQLError

from emulator.ids import InvalidIdError, decode_id, encode_id
from emulator.resolvers.artifact_mutation import artifact_errors
from emulator.resolvers.context import Info, store_of
from emulator.resolvers.registry import registry_of
from emulator.resolvers.user import user_of_id
from emulator.resolvers.viewer import require_registry_role
from emulator.store.records import Project
from emulator.store.registries import Registry

project = ObjectType("Project")
mutation = MutationType()


@project.field("members")
def resolve_members(obj: Project, info: Info) -> list[dict[str, Any]]:
    """The registry's users with their roles, in the order they were added."""
    registry = registry_of(info, obj)
    if registry is None:
        return []
    return [
        {
            "id": encode_id("User", user.id),
            "name": user.name,
            "username": user.username,
            "email": user.email,
            "role": {"name": role},
        }
        for user, role in store_of(info).registry_members.users(registry)
    ]


@project.field("teamMembers")
def resolve_team_members(obj: Project, info: Info) -> list[dict[str, Any]]:
    """The registry's teams with their roles, in the order they were added."""
    registry = registry_of(info, obj)
    if registry is None:
        return []
    return [
        {"team": team, "role": {"name": role}}
        for team, role in store_of(info).registry_members.teams(registry)
    ]


def _administered(info: Info, project_id: str, action: str) -> Registry:
    """The registry whose project id is ``project_id``, if the viewer administers it."""
    try:
        (number,) = decode_id(project_id, "Project")
        registry = store_of(info).registries.registry_by_id(int(number))
    except (InvalidIdError, ValueError):
        raise GraphQLError(f"invalid registry id {project_id!r}") from None
    if registry is None:
        raise GraphQLError(f"no registry with id {project_id!r}")
    require_registry_role(info, registry, "admin", action)
    return registry


def _username(info: Info, user_id: str) -> str:
    user = user_of_id(info, user_id)
    if user is None:
        raise GraphQLError(f"no user with id {user_id!r}")
    return user.username


def _team_name(info: Info, team_id: str) -> str:
    try:
        (number,) = decode_id(team_id, "Entity")
        team = store_of(info).teams.entity_by_id(int(number))
    except (InvalidIdError, ValueError):
        raise GraphQLError(f"invalid team id {team_id!r}") from None
    if team is None or team.type != "TEAM":
        raise GraphQLError(f"no team with id {team_id!r}")
    return team.name


def _members(info: Info, input: dict[str, Any]) -> tuple[list[str], list[str]]:
    users = [_username(info, value) for value in input.get("user_ids") or []]
    teams = [_team_name(info, value) for value in input.get("team_ids") or []]
    if not users and not teams:
        raise GraphQLError("give at least one of userIds and teamIds")
    return users, teams


def _change(
    info: Info,
    input: dict[str, Any],
    action: str,
    change: Callable[[Registry, list[str], list[str]], None],
) -> dict[str, bool]:
    registry = _administered(info, input["project_id"], action)
    users, teams = _members(info, input)
    change(registry, users, teams)
    return {"success": True}


@mutation.field("createProjectMembers")
@artifact_errors
def resolve_add(_: Any, info: Info, input: dict[str, Any]) -> dict[str, bool]:
    """Add users and teams to a registry in their default roles."""
    return _change(info, input, "add members to", store_of(info).registry_members.add)


@mutation.field("deleteProjectMembers")
@artifact_errors
def resolve_remove(_: Any, info: Info, input: dict[str, Any]) -> dict[str, bool]:
    """Remove users and teams from a registry; each must be a member."""
    return _change(info, input, "remove members from", store_of(info).registry_members.remove)


@mutation.field("updateProjectMember")
@mutation.field("updateProjectTeamMember")
@artifact_errors
def resolve_role(_: Any, info: Info, input: dict[str, Any]) -> dict[str, bool]:
    """Give a user member (``userId``, ``userProjectRole``) or a team member (``teamId``,
    ``teamProjectRole``) a registry role."""
    registry = _administered(info, input["project_id"], "change roles in")
    members = store_of(info).registry_members
    if "user_id" in input:
        username = _username(info, input["user_id"])
        members.set_user_role(registry, username, input["user_project_role"])
    else:
        team = _team_name(info, input["team_id"])
        members.set_team_role(registry, team, input["team_project_role"])
    return {"success": True}


BINDABLES = (project, mutation)
