"""Sweeps, their agents, and the runs the controller suggested to each agent.

A sweep belongs to a project and is named by an 8-character id, as on W&B. Its config is
kept as the YAML text the SDK sent. The runs a sweep owns are the project's runs whose
``sweep_name`` is the sweep's name; ``sweep_suggestions`` remembers what the controller
handed out (grid points and random draws are numbered by ``seq``).
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.store.database import Database
from emulator.store.timestamps import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS sweeps (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    display_name TEXT,
    description TEXT,
    config TEXT NOT NULL,
    method TEXT NOT NULL,
    state TEXT NOT NULL,
    username TEXT NOT NULL,
    run_count_expected INTEGER,
    -- A local controller's requests (JSON: schedule, earlystop) and what we did with them
    -- (JSON: scheduled), as W&B keeps them for wandb.controller().
    controller TEXT NOT NULL DEFAULT '{}',
    scheduler TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, name)
);
CREATE TABLE IF NOT EXISTS sweep_agents (
    id INTEGER PRIMARY KEY,
    sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    name TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    heartbeats INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sweep_suggestions (
    sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    run_name TEXT NOT NULL,
    agent_id INTEGER REFERENCES sweep_agents(id) ON DELETE SET NULL,
    params TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (sweep_id, seq)
);
CREATE INDEX IF NOT EXISTS runs_by_sweep ON runs (project_id, sweep_name);
"""
TABLES = ("sweeps", "sweep_agents", "sweep_suggestions")

#: Sweep states W&B reports.
SWEEP_STATES = ("PENDING", "RUNNING", "PAUSED", "CANCELED", "FINISHED")
_ID_ALPHABET = string.ascii_lowercase + string.digits

_SELECT = """
SELECT s.id, s.project_id, e.name AS entity, p.name AS project, s.name, s.display_name,
       s.description, s.config, s.method, s.state, s.username, s.run_count_expected,
       s.controller, s.scheduler, s.created_at, s.updated_at,
       (SELECT COUNT(*) FROM runs r WHERE r.project_id = s.project_id AND r.sweep_name = s.name)
           AS run_count,
       (SELECT MAX(a.heartbeat_at) FROM sweep_agents a WHERE a.sweep_id = s.id) AS heartbeat_at
FROM sweeps s JOIN projects p ON p.id = s.project_id JOIN entities e ON e.id = p.entity_id
"""
_AGENT_SELECT = """
SELECT a.id, a.sweep_id, a.name, a.host, a.state, a.created_at, a.heartbeat_at, a.heartbeats,
       (SELECT COUNT(*) FROM sweep_suggestions g WHERE g.agent_id = a.id) AS total_runs
FROM sweep_agents a
"""


@dataclass(frozen=True)
class Sweep:
    """A sweep as stored; ``config`` is YAML text, ``run_count`` counts the runs it owns."""

    id: int
    project_id: int
    entity: str
    project: str
    name: str
    display_name: str | None
    description: str | None
    config: str
    method: str
    state: str
    username: str
    run_count_expected: int | None
    controller: str
    scheduler: str
    created_at: str
    updated_at: str
    run_count: int
    heartbeat_at: str | None


@dataclass(frozen=True)
class Agent:
    """A sweep agent: a process that asked for runs of one sweep."""

    id: int
    sweep_id: int
    name: str
    host: str
    state: str
    created_at: str
    heartbeat_at: str
    #: How many heartbeats the agent sent.
    heartbeats: int
    total_runs: int


@dataclass(frozen=True)
class Suggestion:
    """A run the controller handed to an agent: its name and parameter values."""

    seq: int
    run_name: str
    params: dict[str, Any]


def new_sweep_name() -> str:
    """A W&B-style sweep id: 8 characters of ``[a-z0-9]``."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


class SweepStore:
    """Reads and writes sweeps, agents and suggestions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(
        self,
        project_id: int,
        *,
        config: str,
        method: str,
        username: str,
        name: str | None = None,
        state: str = "PENDING",
        display_name: str | None = None,
        description: str | None = None,
        run_count_expected: int | None = None,
        created_at: str | None = None,
    ) -> Sweep:
        """Create a sweep in a project (a fresh 8-character name unless ``name``)."""
        now = created_at or utc_now()
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sweeps (project_id, name, display_name, description, config,"
                " method, state, username, run_count_expected, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    project_id,
                    name or new_sweep_name(),
                    display_name,
                    description,
                    config,
                    method,
                    state,
                    username,
                    run_count_expected,
                    now,
                    now,
                ),
            )
            sweep_id = cursor.lastrowid
        sweep = self.by_id(sweep_id or 0)
        assert sweep is not None
        return sweep

    def update(self, sweep_id: int, changes: Mapping[str, Any]) -> None:
        """Set columns of a sweep (``state``, ``config``, ...) and its ``updated_at``."""
        values = {**changes, "updated_at": utc_now()}
        assignments = ", ".join(f"{column} = ?" for column in values)
        self._db.execute(
            f"UPDATE sweeps SET {assignments} WHERE id = ?", (*values.values(), sweep_id)
        )

    def get(self, entity: str, project: str, name: str) -> Sweep | None:
        """Sweep ``entity/project/name``, or ``None``."""
        row = self._db.one(
            _SELECT + " WHERE e.name = ? AND p.name = ? AND s.name = ?", (entity, project, name)
        )
        return None if row is None else Sweep(**dict(row))

    def by_id(self, sweep_id: int) -> Sweep | None:
        """The sweep with storage id ``sweep_id``, or ``None``."""
        row = self._db.one(_SELECT + " WHERE s.id = ?", (sweep_id,))
        return None if row is None else Sweep(**dict(row))

    def of_project(self, project_id: int, *, after_id: int = 0, limit: int = 50) -> list[Sweep]:
        """A project's sweeps with storage id > ``after_id``, oldest first."""
        rows = self._db.execute(
            _SELECT + " WHERE s.project_id = ? AND s.id > ? ORDER BY s.id LIMIT ?",
            (project_id, after_id, limit),
        )
        return [Sweep(**dict(row)) for row in rows]

    def count(self, project_id: int) -> int:
        """How many sweeps the project has."""
        row = self._db.one("SELECT COUNT(*) FROM sweeps WHERE project_id = ?", (project_id,))
        return 0 if row is None else int(row[0])

    def add_agent(self, sweep_id: int, host: str) -> Agent:
        """Register an agent for a sweep."""
        now = utc_now()
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sweep_agents (sweep_id, name, host, state, created_at, heartbeat_at)"
                " VALUES (?, ?, ?, 'RUNNING', ?, ?)",
                (sweep_id, new_sweep_name(), host, now, now),
            )
        agent = self.agent(cursor.lastrowid or 0)
        assert agent is not None
        return agent

    def agent(self, agent_id: int) -> Agent | None:
        """The agent with storage id ``agent_id``, or ``None``."""
        row = self._db.one(_AGENT_SELECT + " WHERE a.id = ?", (agent_id,))
        return None if row is None else Agent(**dict(row))

    def agents(self, sweep_id: int) -> list[Agent]:
        """A sweep's agents, oldest first."""
        rows = self._db.execute(_AGENT_SELECT + " WHERE a.sweep_id = ? ORDER BY a.id", (sweep_id,))
        return [Agent(**dict(row)) for row in rows]

    def touch_agent(self, agent_id: int, state: str = "RUNNING") -> None:
        """Record an agent's heartbeat."""
        self._db.execute(
            "UPDATE sweep_agents SET heartbeat_at = ?, state = ?, heartbeats = heartbeats + 1"
            " WHERE id = ?",
            (utc_now(), state, agent_id),
        )

    def suggestions(self, sweep_id: int) -> list[Suggestion]:
        """Every run suggested for a sweep, in order."""
        rows = self._db.execute(
            "SELECT seq, run_name, params FROM sweep_suggestions WHERE sweep_id = ? ORDER BY seq",
            (sweep_id,),
        )
        return [Suggestion(row[0], row[1], json.loads(row[2])) for row in rows]

    def run_names_of_agent(self, agent_id: int) -> list[str]:
        """Names of the runs handed to an agent, in order."""
        rows = self._db.execute(
            "SELECT run_name FROM sweep_suggestions WHERE agent_id = ? ORDER BY seq", (agent_id,)
        )
        return [row[0] for row in rows]

    def add_suggestion(
        self, sweep_id: int, agent_id: int | None, run_name: str, params: Mapping[str, Any]
    ) -> Suggestion:
        """Record a run handed to an agent; ``seq`` numbers a sweep's suggestions from 0."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM sweep_suggestions WHERE sweep_id = ?",
                (sweep_id,),
            ).fetchone()
            conn.execute(
                "INSERT INTO sweep_suggestions"
                " (sweep_id, seq, run_name, agent_id, params, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (sweep_id, row[0], run_name, agent_id, json.dumps(dict(params)), utc_now()),
            )
        return Suggestion(row[0], run_name, dict(params))
