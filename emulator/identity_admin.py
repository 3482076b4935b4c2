"""Creating users, teams and organizations from plain values: what the admin routes
(``POST /_emulator/users`` ...), the ``wandb-emulator user|team|org add`` commands and the
pytest plugin share.

Each function validates its input, writes in one transaction (all or nothing) and
returns a JSON-ready description of what it made. Problems raise
:class:`~emulator.store.identity.IdentityError` (``UnknownIdentityError`` for missing
users, teams or organizations; ``IdentityConflictError`` for taken names and keys and
for removing a team's last admin).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from emulator.settings import DEFAULT_API_KEY
from emulator.store import Store
from emulator.store.identity import IdentityError
from emulator.store.records import TEAM_ROLES


def check_fields(body: Mapping[str, Any], required: Sequence[str], optional: Sequence[str]) -> None:
    """Raise :class:`IdentityError` for missing or unknown keys of a request body."""
    missing = [key for key in required if body.get(key) in (None, "")]
    if missing:
        raise IdentityError(f"missing {', '.join(repr(key) for key in missing)}")
    unknown = sorted(set(body) - {*required, *optional})
    if unknown:
        expected = ", ".join(sorted({*required, *optional}))
        raise IdentityError(f"unknown fields {', '.join(unknown)} (expected: {expected})")


def _string(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise IdentityError(f"{key!r} must be a string, got {type(value).__name__}")
    return value


def _names(body: Mapping[str, Any], key: str) -> list[str]:
    value = body.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise IdentityError(f"{key!r} must be a list of names")
    return value


def add_user(store: Store, body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"username", "api_key"?, "email"?, "name"?, "admin"?}`` -> the user and its key
    (a new random key when none is given)."""
    check_fields(body, ["username"], ["api_key", "email", "name", "admin"])
    admin = body.get("admin", False)
    if not isinstance(admin, bool):
        raise IdentityError(f"'admin' must be true or false, got {admin!r}")
    key = _string(body, "api_key")
    if key == DEFAULT_API_KEY:
        raise IdentityError("that API key is reserved for the default user")
    user, created = store.identity.create_user(
        str(body["username"]),
        email=_string(body, "email"),
        name=_string(body, "name"),
        admin=admin,
        api_key=key,
    )
    return {
        "username": user.username,
        "api_key": created.key,
        "entity": user.entity,
        "email": user.email,
        "admin": user.admin,
    }


def _member_specs(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``members``: names, or ``{"username", "role"}`` objects, as (username, role)."""
    value = body.get("members") or []
    if not isinstance(value, list):
        raise IdentityError("'members' must be a list of usernames or {username, role}")
    specs = []
    for item in value:
        if isinstance(item, str):
            specs.append((item, "member"))
        elif isinstance(item, dict) and isinstance(item.get("username"), str):
            check_fields(item, ["username"], ["role"])
            specs.append((item["username"], str(item.get("role") or "member")))
        else:
            raise IdentityError(f"invalid member {item!r}: a username or {{username, role}}")
    return specs


def add_team(store: Store, body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"name", "admin", "members"?, "organization"?}`` -> the team and its members.

    ``admin`` is the first admin; ``members`` are usernames (role ``member``) or
    ``{"username", "role"}`` with a role among ``admin, member, viewer``.
    """
    check_fields(body, ["name", "admin"], ["members", "organization"])
    members = _member_specs(body)
    for _, role in members:
        if role not in TEAM_ROLES or role == "service":
            raise IdentityError(f"invalid role {role!r}; expected admin, member or viewer")
    with store.db.transaction():
        team = store.teams.create_team(
            str(body["name"]),
            admin=str(body["admin"]),
            organization=_string(body, "organization"),
        )
        for username, role in members:
            if username != body["admin"]:
                store.teams.add_member(team.name, username, role)
    return describe_team(store, team.name)


def describe_team(store: Store, name: str) -> dict[str, Any]:
    """A team as the admin routes answer it."""
    entity = store.teams.entity(name)
    assert entity is not None
    members = [
        {"username": member.user.username, "role": member.role}
        for member in store.teams.members(name)
    ]
    return {"name": name, "organization": entity.organization, "members": members}


def add_member(store: Store, team: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"username", "role"?}`` joins ``team``; returns the team."""
    check_fields(body, ["username"], ["role"])
    store.teams.add_member(team, str(body["username"]), str(body.get("role") or "member"))
    return describe_team(store, team)


def add_org(store: Store, body: Mapping[str, Any]) -> dict[str, Any]:
    """``{"name", "teams"?, "members"?}`` -> the organization, holding those teams and
    users (members are usernames or ``{"username", "role"}``)."""
    check_fields(body, ["name"], ["teams", "members"])
    teams = _names(body, "teams")
    members = _member_specs(body)
    name = str(body["name"])
    with store.db.transaction():
        store.teams.create_organization(name)
        for username, role in members:
            store.teams.add_org_member(name, username, role)
        for team in teams:  # after the members: a team's members join as plain members
            store.teams.add_org_team(name, team)
    return {"name": name, "teams": teams, "members": [username for username, _ in members]}
