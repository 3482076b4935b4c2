"""Plain records that flow into and out of the store.

The store speaks these dataclasses and nothing else: resolvers shape them into
GraphQL answers, the fixtures build them to seed data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Run states W&B reports. ``running`` runs may later become ``crashed``.
RUN_STATES = ("running", "finished", "failed", "crashed", "killed", "preempted", "pending")


def wandb_config(values: dict[str, Any]) -> dict[str, Any]:
    """Wrap plain config values in W&B's stored form ``{"key": {"value": v, "desc": None}}``."""
    return {key: {"value": value, "desc": None} for key, value in values.items()}


#: Kinds of entity: a user's own, a team's, an organization's.
ENTITY_TYPES = ("USER", "TEAM", "ORGANIZATION")
#: Roles in a team, as W&B names them (``service`` is a team's service account).
TEAM_ROLES = ("admin", "member", "viewer", "service")
#: Kinds of user account.
ACCOUNT_TYPES = ("USER", "SERVICE")


@dataclass(frozen=True)
class User:
    """A W&B user. A person owns a personal entity of the same name; a service account's
    ``entity`` is its team's."""

    id: int
    username: str
    name: str
    email: str
    entity: str
    admin: bool = False
    account_type: str = "USER"
    created_at: str = ""


@dataclass(frozen=True)
class ApiKey:
    """One of a user's API keys. ``key`` is the secret; W&B calls it the key's name."""

    id: int
    key: str
    description: str | None
    created_at: str


@dataclass(frozen=True)
class Entity:
    """Where projects live: a user's, a team's or an organization's namespace."""

    id: int
    name: str
    type: str
    organization: str | None = None


@dataclass(frozen=True)
class Member:
    """A user's membership of a team."""

    user: User
    role: str


@dataclass(frozen=True)
class Organization:
    """An organization: its own entity (``entity``), teams and members."""

    id: int
    name: str
    entity: str
    created_at: str


@dataclass(frozen=True)
class Project:
    """A project inside an entity."""

    id: int
    entity: str
    name: str
    created_at: str
    description: str | None = None


@dataclass
class Run:
    """A run as stored. ``config`` is in W&B's ``{"k": {"value": v, "desc": d}}`` form."""

    name: str
    state: str = "finished"
    display_name: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    summary_metrics: dict[str, Any] = field(default_factory=dict)
    system_metrics: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    group: str | None = None
    job_type: str | None = None
    notes: str | None = None
    description: str | None = None
    commit: str | None = None
    host: str | None = None
    sweep_name: str | None = None
    username: str = ""
    created_at: str = ""
    heartbeat_at: str | None = None
    # Filled in by the store.
    id: int = 0
    project_id: int = 0
    entity: str = ""
    project: str = ""
    history_line_count: int = 0
    events_line_count: int = 0
