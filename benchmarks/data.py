"""Seeded data for the workloads, the in-thread server, and the baselines' plain SQLite.

Workloads seed through the project's own seeding (``fixtures.seeding.seed_project``) so
they measure what users get. Baselines hold the *same* records in a plain SQLite table
of their own, written and read with nothing but ``sqlite3`` and ``json``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from faker import Faker

from emulator import DEFAULT_API_KEY, EmulatorServer, Settings, Store, create_app
from emulator.store import Run
from fixtures.factories import SeededRun, base_time, build_project_runs, build_run
from fixtures.seeding import seed_project

ENTITY = "bench"
API_KEY = DEFAULT_API_KEY

#: The run fields the light run listing (``LightweightRunFragment``) reads.
LISTED_COLUMNS = (
    "name",
    "display_name",
    "state",
    "tags",
    "group_name",
    "job_type",
    "commit_hash",
    "created_at",
    "heartbeat_at",
    "description",
    "notes",
    "sweep_name",
    "username",
    "history_line_count",
)


def seed(store: Store, project: str, runs: int, steps: int, seed: int = 0) -> list[Run]:
    """Seed ``runs`` runs of about ``steps`` history rows into ``bench/project``."""
    return seed_project(store, seed=seed, entity=ENTITY, project=project, runs=runs, steps=steps)


def _fake(seed: int) -> Faker:
    fake = Faker(providers=["fixtures.providers"])
    fake.seed_instance(seed)
    return fake


def build_runs(project: str, runs: int, steps: int, seed: int = 0) -> list[SeededRun]:
    """The runs, histories and events :func:`seed` writes into an empty project."""
    fake = _fake(seed)
    return build_project_runs(
        fake,
        entity=ENTITY,
        project=project,
        username=ENTITY,
        runs=runs,
        steps=steps,
        start=base_time(fake),
    )


def long_run(seed: int, steps: int, name: str) -> SeededRun:
    """A finished run with exactly ``steps`` history rows, built by the factories."""
    return build_run(
        _fake(seed),
        entity=ENTITY,
        project="history",
        username=ENTITY,
        steps=steps,
        state="finished",
        name=name,
    )


def add_run(store: Store, project: str, seeded: SeededRun) -> Run:
    """Store a built run with its history and events into ``bench/project``."""
    with store.db.transaction():
        store.projects.ensure_user(ENTITY)
        stored = store.projects.ensure_project(ENTITY, project)
        run = seeded.run
        (run.id,) = store.runs.insert(stored.id, [run])
        run.project_id, run.entity, run.project = stored.id, ENTITY, project
        run.history_line_count = store.history.write_history(run.id, seeded.history)
        run.events_line_count = store.history.write_events(run.id, seeded.events)
    return run


@contextmanager
def serving(store: Store) -> Iterator[EmulatorServer]:
    """The emulator over ``store``, served in a thread on a loopback port."""
    with EmulatorServer(create_app(store, settings=Settings(entity=ENTITY))) as server:
        yield server


def run_values(run: Run) -> dict[str, Any]:
    """A stored run as the plain column values a baseline table holds."""
    return {
        "name": run.name,
        "display_name": run.display_name,
        "state": run.state,
        "tags": json.dumps(run.tags),
        "group_name": run.group,
        "job_type": run.job_type,
        "commit_hash": run.commit,
        "created_at": run.created_at,
        "heartbeat_at": run.heartbeat_at,
        "description": run.description,
        "notes": run.notes,
        "sweep_name": run.sweep_name,
        "username": run.username,
        "history_line_count": run.history_line_count,
        "config": json.dumps(run.config),
        "summary_metrics": json.dumps(run.summary_metrics),
    }


class PlainDB:
    """A baseline's own SQLite database: one plain table of runs, one of history rows.

    The runs table has the indexes anyone would give it for the orders and equality
    filters people use (creation time, heartbeat, state, group, job type).
    """

    RUN_COLUMNS = (*LISTED_COLUMNS, "config", "summary_metrics")

    def __init__(self, path: str = ":memory:") -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute(
            f"CREATE TABLE runs (id INTEGER PRIMARY KEY, {', '.join(self.RUN_COLUMNS)})"
        )
        for column in ("created_at, id", "heartbeat_at", "state", "group_name", "job_type"):
            name = column.split(",")[0]
            self.conn.execute(f"CREATE INDEX runs_by_{name} ON runs ({column})")
        self.conn.execute(
            "CREATE TABLE history (run_id INTEGER, line INTEGER, step INTEGER, row TEXT,"
            " PRIMARY KEY (run_id, line)) WITHOUT ROWID"
        )

    def add_runs(self, runs: Iterable[Run]) -> None:
        """Insert the runs' listed columns, config and summary (JSON text)."""
        marks = ", ".join("?" * len(self.RUN_COLUMNS))
        rows = [tuple(run_values(run)[column] for column in self.RUN_COLUMNS) for run in runs]
        self.conn.execute("BEGIN")
        self.conn.executemany(
            f"INSERT INTO runs ({', '.join(self.RUN_COLUMNS)}) VALUES ({marks})", rows
        )
        self.conn.execute("COMMIT")

    def add_history(self, run_id: int, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert history rows of ``run_id`` JSON-encoded, one transaction; returns how many."""
        records = [
            (run_id, line, row.get("_step"), json.dumps(row, separators=(",", ":")))
            for line, row in enumerate(rows)
        ]
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT INTO history VALUES (?, ?, ?, ?)", records)
        self.conn.execute("COMMIT")
        return len(records)

    def close(self) -> None:
        self.conn.close()
