"""Metric history and system-metric events of runs.

Both streams are stored the same way: lines in chunks of :data:`CHUNK_LINES` (see
:mod:`emulator.store.history_chunks`), each chunk with the step range it covers, so a
step range is read through the primary key without decoding other rows. Lines are
kept at their file_stream line offset: a re-sent offset overwrites, never duplicates.
A full chunk of history also keeps its metrics' extremes (the ``extremes`` column, added
by an upgrade: see :mod:`emulator.store.migrations`), so charts of long runs read those
instead of every line; a chunk still filling up, or written before the column existed,
has ``NULL`` there and is decoded instead.

Per run and stream, ``history_streams`` keeps what readers need without a scan and is
maintained at write time: the line count, the last step, the distinct key tuples
("shapes") rows were logged with, and how often each key was logged with each type. Its
``version`` counts writes, so derived files (the parquet export) know when they are stale.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from emulator.store import history_exports
from emulator.store.database import Database
from emulator.store.history_chunks import (
    CHUNK_LINES,
    Chunk,
    Extremes,
    TypeCounts,
    dump_extremes,
    load_extremes,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS history_streams (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stream TEXT NOT NULL,
    line_count INTEGER NOT NULL,
    last_step INTEGER,
    version INTEGER NOT NULL,
    shapes TEXT NOT NULL,
    types TEXT NOT NULL,
    -- Unused since exports are kept per file (history_exports); kept for older files.
    exported_version INTEGER,
    exportable INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, stream)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    stream TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    min_step INTEGER,
    max_step INTEGER,
    steps BLOB NOT NULL,
    shapes BLOB NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (run_id, stream, chunk)
) WITHOUT ROWID;
"""
TABLES = ("history_streams", "history")

HISTORY = "history"
EVENTS = "events"
STREAMS = (HISTORY, EVENTS)

_ABSENT = object()


def _lookup(row: Mapping[str, Any], key: str) -> Any:
    """``row[key]``, or the nested value a dotted key names (``_ABSENT`` when neither)."""
    if key in row:
        return row[key]
    head, dot, rest = key.partition(".")
    value = row.get(head, _ABSENT) if dot else _ABSENT
    return _lookup(value, rest) if isinstance(value, dict) else _ABSENT


@dataclass
class StreamInfo:
    """What is known about one stream of one run without reading its rows."""

    line_count: int = 0
    last_step: int | None = None
    version: int = 0
    shapes: list[tuple[str, ...]] = field(default_factory=list)
    types: dict[str, dict[str, int]] = field(default_factory=dict)

    def shape_ids(self, keys: Sequence[str] | None) -> frozenset[int] | None:
        """Ids of the shapes holding every key in ``keys`` (``None``: no constraint)."""
        if keys is None:
            return None
        wanted = set(keys)
        return frozenset(
            index for index, shape in enumerate(self.shapes, start=1) if wanted.issubset(shape)
        )

    def add(self, counts: TypeCounts, sign: int = 1) -> None:
        """Add (``sign=1``) or remove (``-1``) key/type counts."""
        for (key, name), count in counts.items():
            names = self.types.setdefault(key, {})
            names[name] = names.get(name, 0) + sign * count
            if not names[name]:
                del names[name]
                if not names:
                    del self.types[key]


class _Shapes:
    """Shape ids of key tuples, adding new shapes to a :class:`StreamInfo` as they appear."""

    def __init__(self, info: StreamInfo) -> None:
        self._shapes = info.shapes
        # A key tuple seen for the first time gets the next id as it is looked up, so one
        # pass over the lines both finds the known shapes and numbers the new ones.
        self._ids: defaultdict[tuple[str, ...], int] = defaultdict(
            itertools.count(len(info.shapes) + 1).__next__,
            {shape: index for index, shape in enumerate(info.shapes, start=1)},
        )

    def ids(self, keys: Sequence[tuple[str, ...]]) -> list[int]:
        """The shape id of each key tuple; new ones are numbered in order of appearance."""
        found = list(map(self._ids.__getitem__, keys))
        if len(self._ids) > len(self._shapes):  # the dict keeps new shapes in id order
            self._shapes.extend(itertools.islice(self._ids, len(self._shapes), None))
        return found


@dataclass
class StepExtremes:
    """A metric's extreme points over a whole history: ``steps[i], values[i]`` in line
    order, and ``count``, the lines with a finite value and a step."""

    count: int = 0
    steps: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)

    def add(self, chunk_steps: Sequence[int], extremes: Extremes) -> None:
        """Append one chunk's extremes of the metric (``chunk_steps``: that chunk's steps)."""
        self.count += extremes.count
        self.steps.extend(map(chunk_steps.__getitem__, extremes.slots))
        self.values.extend(extremes.values)


@dataclass(frozen=True)
class Selection:
    """Lines picked from a stream: per chunk, the slots to decode, in line order."""

    parts: list[tuple[Chunk, Sequence[int]]]

    def __len__(self) -> int:
        return sum(len(slots) for _, slots in self.parts)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Decode the selected lines."""
        for chunk, slots in self.parts:
            yield from chunk.rows(slots)

    def column(self, key: str) -> list[Any]:
        """The value of ``key`` on each selected line, ``None`` where a line lacks it."""
        values: list[Any] = []
        for chunk, slots in self.parts:
            column = chunk.column(key)
            values.extend(column if slots == range(len(chunk)) else map(column.__getitem__, slots))
        return values

    def steps(self) -> Iterator[int]:
        """The step of each selected line (:data:`NO_STEP` when it has none)."""
        for chunk, slots in self.parts:
            steps = chunk.steps
            yield from (steps[slot] for slot in slots)

    def sample(self, samples: int) -> Selection:
        """At most ``samples`` lines, evenly spaced by position, first and last included.

        Deterministic: the same lines and ``samples`` give the same pick. One sample is
        the last line (the run's latest state).
        """
        total = len(self)
        if samples >= total:
            return self
        if samples == 1:
            picks = [total - 1]
        else:
            picks = [index * (total - 1) // (samples - 1) for index in range(samples)]
        parts: list[tuple[Chunk, Sequence[int]]] = []
        offset = position = 0
        for chunk, slots in self.parts:
            chosen = []
            while position < len(picks) and picks[position] < offset + len(slots):
                chosen.append(slots[picks[position] - offset])
                position += 1
            if chosen:
                parts.append((chunk, chosen))
            offset += len(slots)
        return Selection(parts)


class HistoryStore:
    """Writes and reads history and events rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # Writing.

    def write_history(self, run_id: int, rows: Sequence[Mapping[str, Any]], offset: int = 0) -> int:
        """Store ``rows`` at lines ``offset, offset+1, …``; returns the run's new line count.

        Rows are JSON-compatible dicts (``_step``, ``_runtime``, ``_timestamp`` and any
        metric keys, nested dicts included). Lines already stored are overwritten.
        """
        return self._write(run_id, HISTORY, rows, offset)

    def write_events(self, run_id: int, rows: Sequence[Mapping[str, Any]], offset: int = 0) -> int:
        """Store system-metric event rows at ``offset…``; returns the run's new events count."""
        return self._write(run_id, EVENTS, rows, offset)

    def _write(
        self, run_id: int, stream: str, rows: Sequence[Mapping[str, Any]], offset: int
    ) -> int:
        if offset < 0:
            raise ValueError(f"line offset must not be negative, got {offset}")
        rows = rows if isinstance(rows, list) else list(rows)
        with self._db.transaction() as conn:
            info = self._info(conn, run_id, stream)
            shapes = _Shapes(info).ids(list(map(tuple, rows)))
            highs = []
            position = 0
            while position < len(rows):
                number, start = divmod(offset + position, CHUNK_LINES)
                size = min(len(rows) - position, CHUNK_LINES - start)
                part = slice(position, position + size)
                highs.append(
                    self._write_chunk(
                        conn, run_id, stream, number, start, rows[part], shapes[part], info
                    )
                )
                position += size
            if offset < info.line_count:  # lines were replaced: the last step may have dropped
                if stream == HISTORY:
                    history_exports.lines_rewritten(conn, run_id, offset)
                info.last_step = self._last_step(conn, run_id, stream)
            else:
                info.last_step = max(
                    (step for step in (info.last_step, *highs) if step is not None), default=None
                )
            info.line_count = max(info.line_count, offset + len(rows))
            info.version += 1
            self._save_info(conn, run_id, stream, info)
            conn.execute(
                f"UPDATE runs SET {stream}_line_count = ? WHERE id = ?", (info.line_count, run_id)
            )
            return info.line_count

    def _write_chunk(
        self,
        conn: sqlite3.Connection,
        run_id: int,
        stream: str,
        number: int,
        start: int,
        rows: Sequence[Mapping[str, Any]],
        shapes: Sequence[int],
        info: StreamInfo,
    ) -> int | None:
        """Put ``rows`` in chunk ``number`` from slot ``start``; returns the chunk's last step."""
        if number * CHUNK_LINES >= info.line_count:  # past every stored line: a new chunk
            old = Chunk.empty()
        else:
            existing = conn.execute(
                "SELECT steps, shapes, data FROM history"
                " WHERE run_id = ? AND stream = ? AND chunk = ?",
                (run_id, stream, number),
            ).fetchone()
            old = Chunk.empty() if existing is None else Chunk.from_columns(*existing)
        if start == 0 and not len(old):
            chunk = Chunk.encode(rows, shapes)
        else:
            info.add(old.type_counts(), -1)
            chunk = old.spliced(start, rows, shapes)
        info.add(chunk.type_counts())
        low, high = chunk.step_range()
        full = stream == HISTORY and len(chunk) == CHUNK_LINES
        extremes = dump_extremes(chunk.extremes()) if full else None
        conn.execute(
            "INSERT OR REPLACE INTO history"
            " (run_id, stream, chunk, min_step, max_step, steps, shapes, data, extremes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, stream, number, low, high, *chunk.columns(), extremes),
        )
        return high

    @staticmethod
    def _last_step(conn: sqlite3.Connection, run_id: int, stream: str) -> int | None:
        step: int | None = conn.execute(
            "SELECT MAX(max_step) FROM history WHERE run_id = ? AND stream = ?",
            (run_id, stream),
        ).fetchone()[0]
        return step

    @staticmethod
    def _info(conn: sqlite3.Connection, run_id: int, stream: str) -> StreamInfo:
        row = conn.execute(
            "SELECT line_count, last_step, version, shapes, types"
            " FROM history_streams WHERE run_id = ? AND stream = ?",
            (run_id, stream),
        ).fetchone()
        if row is None:
            return StreamInfo()
        shapes = [tuple(shape) for shape in json.loads(row[3])]
        return StreamInfo(row[0], row[1], row[2], shapes, json.loads(row[4]))

    @staticmethod
    def _save_info(conn: sqlite3.Connection, run_id: int, stream: str, info: StreamInfo) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO history_streams (run_id, stream, line_count, last_step,"
            " version, shapes, types) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                stream,
                info.line_count,
                info.last_step,
                info.version,
                json.dumps(info.shapes),
                json.dumps(info.types),
            ),
        )

    # Reading.

    def info(self, run_id: int, stream: str = HISTORY) -> StreamInfo:
        """Line count, last step, version, shapes and key types of a stream."""
        with self._db.transaction() as conn:
            return self._info(conn, run_id, stream)

    def select(
        self,
        run_id: int,
        stream: str = HISTORY,
        *,
        keys: Sequence[str] | None = None,
        min_step: int | None = None,
        max_step: int | None = None,
    ) -> Selection:
        """The lines of a stream, in line order, that hold every key in ``keys`` and whose
        ``_step`` lies in ``[min_step, max_step)``. With a bound, lines without a step are
        left out; ``None`` leaves that side open."""
        with self._db.transaction() as conn:
            shapes = self._info(conn, run_id, stream).shape_ids(keys)
            if shapes is not None and not shapes:
                return Selection([])
            sql = "SELECT steps, shapes, data FROM history WHERE run_id = ? AND stream = ?"
            params: list[Any] = [run_id, stream]
            if min_step is not None:
                sql += " AND max_step >= ?"
                params.append(min_step)
            if max_step is not None:
                sql += " AND min_step < ?"
                params.append(max_step)
            rows = conn.execute(sql + " ORDER BY chunk", params).fetchall()
        parts = []
        for columns in rows:
            chunk = Chunk.from_columns(*columns)
            slots = chunk.slots(shapes, min_step, max_step)
            if slots:
                parts.append((chunk, slots))
        return Selection(parts)

    def step_extremes(self, run_id: int, keys: Sequence[str]) -> dict[str, StepExtremes]:
        """Per key of ``keys`` that has any, the extreme points of a run's history over
        ``_step``: at most two per block of lines (see :class:`Extremes`), in line order."""
        found = {key: StepExtremes() for key in keys}
        rows = self._db.tuples(
            "SELECT steps, extremes,"
            " CASE WHEN extremes IS NULL THEN shapes END,"
            " CASE WHEN extremes IS NULL THEN data END"
            " FROM history WHERE run_id = ? AND stream = ? ORDER BY chunk",
            (run_id, HISTORY),
        )
        for steps, extremes, shapes, data in rows:
            if extremes is None:
                chunk = Chunk.from_columns(steps, shapes, data)
                chunk_extremes, chunk_steps = chunk.extremes(), chunk.steps
            else:
                chunk_extremes, chunk_steps = load_extremes(extremes), array("q")
                chunk_steps.frombytes(steps)
            for key, points in found.items():
                extreme = chunk_extremes.get(key)
                if extreme is not None:
                    points.add(chunk_steps, extreme)
        return {key: points for key, points in found.items() if points.count}

    def select_lines(self, run_id: int, stream: str, start: int, end: int) -> Selection:
        """Lines ``[start, end)`` of a stream, in line order."""
        first, last = start // CHUNK_LINES, (end - 1) // CHUNK_LINES
        rows = self._db.execute(
            "SELECT chunk, steps, shapes, data FROM history WHERE run_id = ? AND stream = ?"
            " AND chunk BETWEEN ? AND ? ORDER BY chunk",
            (run_id, stream, first, last),
        )
        parts: list[tuple[Chunk, Sequence[int]]] = []
        for number, *columns in rows:
            chunk = Chunk.from_columns(*columns)
            base = number * CHUNK_LINES
            slots = range(max(start - base, 0), min(end - base, len(chunk)))
            if slots:
                parts.append((chunk, slots))
        return Selection(parts)

    def _newest_chunks(self, run_id: int, stream: str) -> Iterator[Chunk]:
        """The chunks of a stream from the newest back, each decoded only when reached
        (a caller that stops early never decodes the older ones)."""
        with self._db.transaction() as conn:
            chunks = conn.execute(
                "SELECT steps, shapes, data FROM history WHERE run_id = ? AND stream = ?"
                " ORDER BY chunk DESC",
                (run_id, stream),
            )
            for columns in chunks:
                yield Chunk.from_columns(*columns)

    def tail(self, run_id: int, stream: str = HISTORY, count: int = 10) -> list[dict[str, Any]]:
        """The last ``count`` lines of a stream (what a resuming SDK reads), decoding only
        the chunks they are in."""
        found: list[dict[str, Any]] = []
        for chunk in self._newest_chunks(run_id, stream):
            found[:0] = chunk.rows(chunk.slots())
            if len(found) >= count:
                break
        return found[-count:] if count > 0 else []

    def _latest_values(self, run_id: int, keys: set[str]) -> dict[str, Any]:
        """The last value logged for each of ``keys`` (``wandb verify`` reads them), reading
        chunks from the newest back only until every key is found."""
        found: dict[str, Any] = {}
        for chunk in self._newest_chunks(run_id, HISTORY):
            for row in reversed(list(chunk.rows(chunk.slots()))):
                for key in keys.difference(found):
                    value = _lookup(row, key)
                    if value is not _ABSENT:
                        found[key] = value
            if len(found) == len(keys):
                break
        return found

    def history_rows(self, run_id: int) -> list[dict[str, Any]]:
        """Every history row of a run, in line order."""
        return list(self.select(run_id, HISTORY).rows())

    def event_rows(self, run_id: int) -> list[dict[str, Any]]:
        """Every system-metric event row of a run, in line order."""
        return list(self.select(run_id, EVENTS).rows())

    def history_keys(self, run_id: int) -> dict[str, Any]:
        """W&B's ``historyKeys``: the last step and, per key, how often each type was logged."""
        info = self.info(run_id, HISTORY)
        latest = self._latest_values(run_id, set(info.types))
        keys = {
            key: {
                "typeCounts": [{"type": name, "count": n} for name, n in sorted(counts.items())],
                "previousValue": latest.get(key),
            }
            for key, counts in sorted(info.types.items())
        }
        # -1 for a run without steps: the SDK's own "no history" value (it adds 1 to it).
        last_step = -1 if info.last_step is None else info.last_step
        return {"lastStep": last_step, "keys": keys}
