"""Teams, as :meth:`client.Api.team` finds them and registries list their team members."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Team:
    """A team: its name and the server's id of its entity."""

    id: str
    name: str

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Team:
        """A team from a GraphQL ``Entity`` object (``id`` and ``name``)."""
        return cls(id=str(data["id"]), name=str(data["name"]))
