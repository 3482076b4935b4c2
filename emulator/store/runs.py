"""Runs: creation, lookup, filtered and ordered pages, counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from emulator.run_names import generated_name
from emulator.store import jsontext
from emulator.store.database import Database, inserted_id
from emulator.store.filters import SQL, JsonKey, Ordering, compile_filters, compile_order
from emulator.store.key_indexes import KeyIndexes
from emulator.store.pagination import Cursor, encode_cursor, segments
from emulator.store.projects import ProjectStore
from emulator.store.records import Run
from emulator.store.stored_run import ENCODED_FIELDS, StoredRun
from emulator.store.timestamps import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    display_name TEXT,
    state TEXT NOT NULL,
    config TEXT NOT NULL DEFAULT '{}',
    summary_metrics TEXT NOT NULL DEFAULT '{}',
    system_metrics TEXT NOT NULL DEFAULT '{}',
    tags TEXT NOT NULL DEFAULT '[]',
    group_name TEXT,
    job_type TEXT,
    notes TEXT,
    description TEXT,
    commit_hash TEXT,
    host TEXT,
    sweep_name TEXT,
    username TEXT NOT NULL,
    created_at TEXT NOT NULL,
    heartbeat_at TEXT,
    history_line_count INTEGER NOT NULL DEFAULT 0,
    events_line_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (project_id, name)
);
CREATE INDEX IF NOT EXISTS runs_by_created ON runs (project_id, created_at, id);
CREATE INDEX IF NOT EXISTS runs_by_heartbeat ON runs (project_id, heartbeat_at);
CREATE INDEX IF NOT EXISTS runs_by_state ON runs (project_id, state);
CREATE INDEX IF NOT EXISTS runs_by_group ON runs (project_id, group_name);
CREATE INDEX IF NOT EXISTS runs_by_job_type ON runs (project_id, job_type);

-- Each run's tags, one row each, for filters on tags to find by tag. The triggers keep it
-- in step with runs.tags on every write; it is derived, so not a table of TABLES.
CREATE TABLE IF NOT EXISTS run_tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag NOT NULL,  -- no type: held as json_each gives it, so it compares as the list did
    PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS run_tags_by_tag ON run_tags (tag);
CREATE TRIGGER IF NOT EXISTS run_tags_of_new_runs AFTER INSERT ON runs BEGIN
    INSERT OR IGNORE INTO run_tags (run_id, tag)
    SELECT NEW.id, value FROM json_each(NEW.tags) WHERE value IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS run_tags_of_changed_runs AFTER UPDATE OF tags ON runs BEGIN
    DELETE FROM run_tags WHERE run_id = NEW.id;
    INSERT OR IGNORE INTO run_tags (run_id, tag)
    SELECT NEW.id, value FROM json_each(NEW.tags) WHERE value IS NOT NULL;
END;
"""
TABLES = ("runs",)
#: Below this many runs, scans are cheap and planner statistics are not worth gathering.
_ANALYZE_MIN_RUNS = 1000

#: Record attribute -> column, for the columns whose names differ.
_COLUMN_OF = {"group": "group_name", "commit": "commit_hash"}
_JSON_FIELDS = tuple(ENCODED_FIELDS)
#: Record attributes that come from other tables.
_JOINED = {"entity": "e.name", "project": "p.name"}
#: What a run read from the store is made of: the record attribute of each selected column.
_ATTRIBUTES = tuple(ENCODED_FIELDS.get(f.name, f.name) for f in fields(Run))
_COLUMNS = ", ".join(
    _JOINED.get(f.name, f"r.{_COLUMN_OF.get(f.name, f.name)}") for f in fields(Run)
)
_FROM = "FROM runs r JOIN projects p ON p.id = r.project_id JOIN entities e ON e.id = p.entity_id"
_SELECT = f"SELECT {_COLUMNS} {_FROM}"
_ID = _ATTRIBUTES.index("id")
#: Columns with an index on (project_id, column), see SCHEMA: a page ordered by one can read
#: the runs in order, and conditions on one are index ranges.
_INDEXED_COLUMNS = frozenset(
    f"r.{column}"
    for column in ("created_at", "heartbeat_at", "state", "group_name", "job_type", "name")
)
#: What else an index answers conditions on: the tags (the run_tags table), and JSON keys.
_INDEXED_FIELDS = _INDEXED_COLUMNS | {"r.tags"}
#: A page walks its order's index when the filter matches at least this many times the
#: page's runs: it then reads about 1/_WALK_FACTOR of the project at worst.
_WALK_FACTOR = 20


@dataclass(frozen=True)
class RunPage:
    """One page of runs with the cursor of each run and whether more follow."""

    runs: list[Run]
    cursors: list[str]
    has_next_page: bool


@dataclass(frozen=True)
class ProjectActivity:
    """A project's run count and the latest creation or heartbeat time of its runs."""

    run_count: int
    last_activity: str | None


def _column(attribute: str) -> str:
    return _COLUMN_OF.get(attribute, attribute)


def _to_record(row: Sequence[Any]) -> Run:
    return StoredRun.from_row(_ATTRIBUTES, row)


def _row_values(run: Run) -> dict[str, Any]:
    values = {
        _column(name): getattr(run, name)
        for name in (
            "name",
            "display_name",
            "state",
            "group",
            "job_type",
            "notes",
            "description",
            "commit",
            "host",
            "sweep_name",
            "username",
            "created_at",
            "heartbeat_at",
        )
    }
    for name in _JSON_FIELDS:
        values[name] = jsontext.dumps(getattr(run, name))
    values["created_at"] = run.created_at or utc_now()
    return values


class RunStore:
    """Reads and writes runs. Filters and orders are compiled to SQL."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._projects = ProjectStore(db)
        #: Runs inserted since the planner statistics were last gathered, and how many
        #: more make them stale (``None``: not known yet for this connection).
        self._inserted = 0
        self._stale_after: int | None = None
        self.indexes = KeyIndexes(db)

    def insert(self, project_id: int, runs: Iterable[Run]) -> list[int]:
        """Insert new runs into a project; returns their storage ids."""
        ids: list[int] = []
        with self._db.transaction() as conn:
            for run in runs:
                values = _row_values(run)
                columns = ", ".join(["project_id", *values])
                marks = ", ".join("?" * (len(values) + 1))
                cursor = conn.execute(
                    f"INSERT INTO runs ({columns}) VALUES ({marks})", (project_id, *values.values())
                )
                ids.append(inserted_id(cursor))
            self._keep_statistics(conn, len(ids))
        return ids

    def _keep_statistics(self, conn: sqlite3.Connection, inserted: int) -> None:
        """Re-gather the query planner's statistics each time the runs table doubles.

        Without them SQLite cannot tell a selective index (state, group) from the
        per-project prefix every index shares, and scans all of a project's runs where
        an index range or a multi-index OR would do. ``ANALYZE`` reads only the indexes
        (~0.1 s per 100k runs), so doubling keeps its total cost linear.
        """
        if self._stale_after is None:
            self._stale_after = max(_ANALYZE_MIN_RUNS, self._row_count(conn))
        self._inserted += inserted
        if self._inserted >= self._stale_after:
            conn.execute("ANALYZE runs")
            self._stale_after, self._inserted = self._row_count(conn), 0

    @staticmethod
    def _row_count(conn: sqlite3.Connection) -> int:
        count: int = conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        return count

    def update(self, run_id: int, changes: Mapping[str, Any]) -> None:
        """Set the given record attributes of a run; JSON fields are encoded here."""
        if not changes:
            return
        values = {
            _column(name): jsontext.dumps(value) if name in _JSON_FIELDS else value
            for name, value in changes.items()
        }
        assignments = ", ".join(f"{column} = ?" for column in values)
        self._db.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*values.values(), run_id))

    def upsert(
        self, entity: str, project: str, name: str, changes: Mapping[str, Any], *, username: str
    ) -> bool:
        """Apply ``changes`` to run ``entity/project/name``, creating it (and its project)
        as ``running`` if missing. Returns whether the run was created.

        Only the changed columns are written, so concurrent upserts of different
        fields of one run never undo each other.
        """
        with self._db.transaction():
            existing = self.get(entity, project, name)
            if existing is not None:
                self.update(existing.id, changes)
                return False
            self._projects.ensure_user(username)
            project_id = self._projects.ensure_project(entity, project).id
            now = utc_now()
            fields = {"state": "running", "heartbeat_at": now, "created_at": now, **changes}
            if not fields.get("display_name"):
                fields["display_name"] = self._generated_name(entity, project, project_id)
            self.insert(project_id, [Run(name=name, username=username, **fields)])
            return True

    def _generated_name(self, entity: str, project: str, project_id: int) -> str:
        """W&B's name for a new run created without one: ``adjective-noun-N``, ``N`` its
        number in the project, never a display name the project already has."""
        count = "SELECT COUNT(*) FROM runs WHERE project_id = ?"
        taken = "SELECT 1 FROM runs WHERE project_id = ? AND display_name = ?"
        number = self._db.tuples(count, (project_id,))[0][0] + 1
        while self._db.one(taken, (project_id, generated_name(f"{entity}/{project}", number))):
            number += 1
        return generated_name(f"{entity}/{project}", number)

    def delete(self, run_id: int) -> bool:
        """Delete a run and everything that belongs to it."""
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount > 0

    def get(self, entity: str, project: str, name: str) -> Run | None:
        """Run ``entity/project/name``, or ``None``."""
        rows = self._db.tuples(
            _SELECT + " WHERE e.name = ? AND p.name = ? AND r.name = ?", (entity, project, name)
        )
        return _to_record(rows[0]) if rows else None

    def by_id(self, run_id: int) -> Run | None:
        """The run with storage id ``run_id``, or ``None``."""
        rows = self._db.tuples(_SELECT + " WHERE r.id = ?", (run_id,))
        return _to_record(rows[0]) if rows else None

    def count(self, project_id: int, filters: Mapping[str, Any] | None = None) -> int:
        """How many runs of the project match ``filters``."""
        where = compile_filters(filters or {})
        self.indexes.ensure(where.json_keys)
        return self._db.integer(
            f"SELECT COUNT(*) FROM runs r WHERE r.project_id = ? AND ({where.text})",
            (project_id, *where.params),
        )

    def activity(self, project_id: int) -> ProjectActivity:
        """How many runs the project has and when one of them last changed (``None``:
        no runs). Both read indexes only, so they stay cheap on big projects."""
        row = self._db.one(
            "SELECT COUNT(*),"
            " (SELECT MAX(heartbeat_at) FROM runs WHERE project_id = ?),"
            " (SELECT MAX(created_at) FROM runs WHERE project_id = ?)"
            " FROM runs WHERE project_id = ?",
            (project_id, project_id, project_id),
        )
        assert row is not None  # an aggregate always has a row
        times = [moment for moment in row[1:] if moment is not None]
        return ProjectActivity(run_count=row[0], last_activity=max(times, default=None))

    def page(
        self,
        project_id: int,
        *,
        filters: Mapping[str, Any] | None = None,
        order: str | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> RunPage:
        """A page of at most ``first`` runs after cursor ``after``, filtered and ordered in SQL.

        Conditions and orders on JSON keys read indexes on those keys, created on first use.
        """
        where = compile_filters(filters or {})
        ordering = compile_order(order)
        self.indexes.ensure(where.json_keys | ({ordering.key} if ordering.key else set()))
        if self._walks_order(project_id, where, ordering, first):
            # Unary plus keeps SQLite from answering the filter from an index.
            where = SQL(f"+({where.text})", where.params)
        cursor = None if after is None else Cursor.decode(after)
        rows: list[tuple[Any, ...]] = []
        for segment in segments(ordering, cursor):
            # The sort key comes last, after the record's columns.
            rows += self._db.tuples(
                f"SELECT {_COLUMNS}, {ordering.expr} {_FROM}"
                f" WHERE r.project_id = ? AND ({where.text}) AND ({segment.condition.text})"
                f" ORDER BY {segment.order_by} LIMIT ?",
                (project_id, *where.params, *segment.condition.params, first + 1 - len(rows)),
            )
            if len(rows) > first:
                break
        page = rows[:first]
        return RunPage(
            runs=[_to_record(row) for row in page],
            cursors=[encode_cursor(row[-1], row[_ID]) for row in page],
            has_next_page=len(rows) > first,
        )

    def _walks_order(self, project_id: int, where: SQL, ordering: Ordering, first: int) -> bool:
        """Whether a filtered page should walk its order's index, testing the filter on
        each run until the page is full, rather than find the matching runs and sort them.

        Walking wins unless few runs match; SQLite cannot tell (it keeps no statistics of
        the values in an index), and guesses that a range of a JSON key matches 1/64 of
        the runs. So when another index could answer the filter, count the matches, up to
        _WALK_FACTOR pages' worth.
        """
        order_field = ordering.key or ordering.expr
        if ordering.key is None and order_field not in _INDEXED_COLUMNS:
            return False  # nothing to walk
        others = {
            field
            for field in where.indexed - {order_field}
            if isinstance(field, JsonKey) or field in _INDEXED_FIELDS
        }
        if not others:
            return False  # SQLite has no index to choose but the order's
        enough = _WALK_FACTOR * (first + 1)
        found = self._db.integer(
            "SELECT COUNT(*) FROM (SELECT 1 FROM runs r"
            f" WHERE r.project_id = ? AND ({where.text}) LIMIT ?)",
            (project_id, *where.params, enough),
        )
        return found >= enough
