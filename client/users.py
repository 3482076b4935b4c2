"""The users who create runs and own projects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class User:
    """A user: who created a run or owns a project, a registry member, or one found by
    :meth:`client.Api.user`. ``id`` (the server's) and ``email`` are there when asked for."""

    name: str | None
    username: str | None
    id: str | None = None
    email: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any] | None) -> User | None:
        """A user from a GraphQL ``user { name username }`` object (with ``id`` and
        ``email`` when asked for); ``None`` stays ``None``."""
        if data is None:
            return None
        return cls(
            name=data.get("name"),
            username=data.get("username"),
            id=data.get("id"),
            email=data.get("email"),
        )
