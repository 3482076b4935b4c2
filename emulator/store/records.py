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


@dataclass(frozen=True)
class User:
    """A W&B user; every user owns a personal entity of the same name."""

    id: int
    username: str
    name: str
    email: str
    entity: str


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
