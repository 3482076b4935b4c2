"""The user an API key belongs to, as ``Api.viewer`` returns it (``wandb.Api().viewer``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Viewer:
    """The authenticated user: ``entity`` is their default entity; ``teams`` the names of
    their entities (their own first); ``api_keys`` the names W&B gives their keys."""

    username: str | None
    name: str | None
    email: str | None
    entity: str | None
    admin: bool = False
    teams: list[str] = field(default_factory=list)
    api_keys: list[str] = field(default_factory=list)
    #: The server's id of the user (a registry member argument takes it).
    id: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Viewer:
        """A viewer from the ``Viewer`` query's ``viewer`` object."""

        def names(connection: Mapping[str, Any] | None) -> list[str]:
            edges = (connection or {}).get("edges") or []
            return [edge["node"]["name"] for edge in edges if edge.get("node")]

        return cls(
            username=data.get("username"),
            name=data.get("name"),
            email=data.get("email"),
            entity=data.get("entity"),
            admin=bool(data.get("admin")),
            teams=names(data.get("teams")),
            api_keys=names(data.get("apiKeys")),
            id=data.get("id"),
        )
