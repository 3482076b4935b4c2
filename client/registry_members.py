"""The members of a registry, as ``Registry.members()`` returns them and
``add_members()``, ``remove_members()`` and ``update_member()`` take them.

The names follow ``wandb.apis.public.registries._members``: a :class:`UserMember` has
``user`` and ``role``, a :class:`TeamMember` ``team`` and ``role``. A member argument is a
user or team (anything with the server's ``id``: :class:`client.User`, :class:`Team`,
:class:`client.Viewer`), a member, or such an id: base64 of ``User:<n>`` or
``Entity:<n>``, from which the kind is read, as the SDK does.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Literal, Protocol

from client.errors import UsageError
from client.teams import Team
from client.users import User

#: W&B's registry roles.
Role = Literal["admin", "member", "viewer", "restricted_viewer"]


@dataclass(frozen=True)
class UserMember:
    """A user's membership of a registry, in ``role``."""

    user: User
    role: str
    kind: Literal["User"] = "User"


@dataclass(frozen=True)
class TeamMember:
    """A team's membership of a registry, in ``role``."""

    team: Team
    role: str
    kind: Literal["Entity"] = "Entity"


class HasId(Protocol):
    """A user or team as the server knows it."""

    @property
    def id(self) -> str | None: ...


Member = UserMember | TeamMember | HasId | str


def member_id(member: Member) -> tuple[str, str]:
    """``(kind, id)`` of a member argument: ``kind`` is ``User`` or ``Entity``.

    Raises:
        UsageError: naming the argument when it has no id, or the id is neither a
            user's nor a team's.
    """
    if isinstance(member, UserMember):
        value = member.user.id
    elif isinstance(member, TeamMember):
        value = member.team.id
    elif isinstance(member, str):
        value = member
    else:
        value = member.id
    if not value:
        raise UsageError(f"member {member!r} has no id: look it up with Api.user or Api.team")
    try:
        kind, _, number = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        kind, number = "", ""
    if kind not in ("User", "Entity") or not number.isdigit():
        raise UsageError(f"member id {value!r} is neither a user's nor a team's")
    return kind, value


def member_ids(members: tuple[Member, ...]) -> tuple[list[str], list[str]]:
    """The sorted user ids and team ids of member arguments (at least one).

    Raises:
        UsageError: when none is given, or as :func:`member_id`.
    """
    if not members:
        raise UsageError("give at least one user or team")
    found = [member_id(member) for member in members]
    users = sorted({value for kind, value in found if kind == "User"})
    teams = sorted({value for kind, value in found if kind == "Entity"})
    return users, teams
