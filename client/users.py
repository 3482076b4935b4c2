"""The users who create runs and own projects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class User:
    """The user who created a run or owns a project."""

    name: str | None
    username: str | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any] | None) -> User | None:
        """A user from a GraphQL ``user { name username }`` object; ``None`` stays ``None``."""
        if data is None:
            return None
        return cls(name=data.get("name"), username=data.get("username"))
