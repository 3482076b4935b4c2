"""The binary format of a block of history lines, built for fast bulk writes and partial reads.

A chunk holds the lines ``[n * CHUNK_LINES, (n + 1) * CHUNK_LINES)`` of one run's stream.
Beside two per-line arrays,

- ``steps``: the ``_step`` of each line (:data:`NO_STEP` when it has none),
- ``shapes``: the id of each line's key tuple (:data:`HOLE` for a line never written),

the lines are stored column by column in groups of lines that logged the same keys
(a :class:`Group`): a column of floats or of ints is one packed array, any other column
a list (nested dicts, strings, None, mixed types). Encoding touches each value once in
C (no JSON, no per-line encoder call), a column's type is known without looking at its
values again, and a reader decodes only the groups and lines it returns. The bytes are
:mod:`marshal` version 4 of plain lists, tuples, bytes and JSON-compatible values,
readable by every Python the project supports. Chunks are only ever read back from this
store or from a snapshot of one: marshal is not meant for untrusted bytes.

A full chunk of history also keeps its **extremes** (:meth:`Chunk.extremes`): for each
metric, the lowest and highest value in every block of :data:`EXTREME_BLOCK` lines, so a
chart of a long run keeps every spike without decoding every line.
"""

from __future__ import annotations

import marshal
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, cast

#: Lines per chunk. Writing into a chunk rewrites it.
CHUNK_LINES = 1024
#: The step of a line without an integer ``_step`` (system events, malformed lines).
NO_STEP = -(2**63)
#: The shape of a line that was never written (a gap below a later offset).
HOLE = 0
#: Lines per block of a chunk's extremes: a block keeps its lowest and highest point.
EXTREME_BLOCK = 128
_NUMBER_TYPES = frozenset({int, float})

#: Python types -> the type names W&B reports in ``historyKeys``.
WIRE_TYPES: dict[type, str] = {
    int: "number",
    float: "number",
    str: "string",
    bool: "boolean",
    type(None): "nil",
    list: "list",
    dict: "map",
}
#: ``(key, W&B type name) -> how many values``.
TypeCounts = Counter[tuple[str, str]]
Row = dict[str, Any]
#: A row as callers pass it in (only read).
RowIn = Mapping[str, Any]


def step_of(row: Mapping[str, Any]) -> int:
    """The integer ``_step`` of a row, or :data:`NO_STEP`."""
    step = row.get("_step")
    if isinstance(step, bool) or not isinstance(step, (int, float)) or step != step:
        return NO_STEP
    # The SDK may send _step as a float; W&B truncates it to an integer.
    return int(step)


def steps_of(rows: Sequence[Any]) -> array[int]:
    """The steps of ``rows`` as an ``array('q')``; plain int steps take the fast path."""
    try:
        return array("q", list(map(dict.get, rows, repeat("_step"), repeat(NO_STEP))))
    except (TypeError, OverflowError):  # a float, null or out-of-range step; not a dict
        return array("q", map(step_of, rows))


def is_finite_number(value: Any) -> bool:
    """Whether ``value`` is an int or float (not a bool), neither NaN nor infinite."""
    # bool is not in _NUMBER_TYPES (type() is exact); NaN and infinities fail v - v == 0.
    return type(value) in _NUMBER_TYPES and value - value == 0


def _finite_float(value: Any) -> float | None:
    """``value`` as a float when it is a finite int or float (not a bool), else ``None``
    (an int too large for a float included)."""
    if type(value) not in _NUMBER_TYPES:
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if number - number == 0 else None


def all_finite(values: Sequence[Any]) -> bool:
    """Whether a packed column holds only finite numbers: its sum is finite (a NaN or an
    infinity makes it not; so may an overflow, which only sends a caller the slow way)."""
    if not isinstance(values, array):
        return False
    total = sum(values)
    return bool(total - total == 0)


@dataclass(frozen=True)
class Extremes:
    """The extreme points of one metric: slots (ascending) and values, at most two per
    block of :data:`EXTREME_BLOCK` lines, and ``count``, how many lines the metric has a
    finite value on (lines without a ``_step`` are not counted: a chart cannot place them)."""

    count: int
    slots: Sequence[int]
    values: Sequence[float]

    def wire(self) -> tuple[int, bytes, bytes]:
        return self.count, array("H", self.slots).tobytes(), array("d", self.values).tobytes()

    @classmethod
    def from_wire(cls, wire: Sequence[Any]) -> Extremes:
        count, slots, values = wire
        packed_slots, packed_values = array("H"), array("d")
        packed_slots.frombytes(slots)
        packed_values.frombytes(values)
        return cls(count, packed_slots, packed_values)


def dump_extremes(extremes: Mapping[str, Extremes]) -> bytes:
    """A chunk's extremes as bytes, for storage."""
    return marshal.dumps({key: found.wire() for key, found in extremes.items()})


def load_extremes(data: bytes) -> dict[str, Extremes]:
    """The inverse of :func:`dump_extremes`."""
    return {key: Extremes.from_wire(wire) for key, wire in marshal.loads(data).items()}


def _block_extremes(slots: Sequence[int], values: Sequence[Any]) -> Extremes:
    """The extremes of finite ``values`` on ascending ``slots``."""
    if isinstance(values, array):  # unpack once, not in each of the four passes below
        values = values.tolist()
    kept_slots: list[int] = []
    kept_values: list[float] = []
    start = 0
    while start < len(slots):
        block_end = (slots[start] // EXTREME_BLOCK + 1) * EXTREME_BLOCK
        stop = bisect_left(slots, block_end, start)
        part = values[start:stop]
        low = start + part.index(min(part))
        high = start + part.index(max(part))
        for index in sorted({low, high}):
            kept_slots.append(slots[index])
            kept_values.append(float(values[index]))
        start = stop
    return Extremes(len(slots), kept_slots, kept_values)


def _column(values: list[Any]) -> tuple[str, Sequence[Any]]:
    """``(tag, column)``: packed doubles (``"d"``), packed int64 (``"q"``) or a list (``"o"``)."""
    kinds = set(map(type, values))
    if kinds == {float}:
        return "d", array("d", values)
    if kinds == {int}:
        try:
            return "q", array("q", values)
        except OverflowError:
            pass
    return "o", values


def _value_types(key: str, values: Iterable[Any]) -> TypeCounts:
    counts: TypeCounts = Counter()
    for kind, count in Counter(map(type, values)).items():
        counts[key, WIRE_TYPES.get(kind, "unknown")] += count
    return counts


def _nested_types(key: str, values: Iterable[Any]) -> TypeCounts:
    """Plain (non-media) dicts also count their leaves under dotted keys (``dict.val1``),
    as W&B's ``historyKeys`` lists them."""
    counts: TypeCounts = Counter()
    for value in values:
        if isinstance(value, dict) and "_type" not in value:
            for sub, leaf in value.items():
                counts.update(_value_types(f"{key}.{sub}", (leaf,)))
                counts.update(_nested_types(f"{key}.{sub}", (leaf,)))
    return counts


def _media_types(key: str, values: Iterable[Any]) -> TypeCounts:
    """Media values (tables, images...) count as their ``_type`` instead of "map"."""
    counts: TypeCounts = Counter()
    for value in values:
        media = value.get("_type") if isinstance(value, dict) else None
        if isinstance(media, str):
            counts[key, "map"] -= 1
            counts[key, media] += 1
    return counts


def _slots_by_shape(shapes: Sequence[int]) -> dict[int, Sequence[int]]:
    """The slots of each shape (ascending), shapes in order of first appearance."""
    distinct = dict.fromkeys(shapes)
    if len(distinct) == 1:
        return {shape: range(len(shapes)) for shape in distinct}
    # A stable sort of the slots by shape groups them in C, in about one pass when most
    # lines share a shape; each group is then a slice found by bisecting the sorted shapes.
    slots = sorted(range(len(shapes)), key=shapes.__getitem__)
    ordered = sorted(shapes)
    return {
        shape: slots[bisect_left(ordered, shape) : bisect_right(ordered, shape)]
        for shape in distinct
    }


@dataclass
class Group:
    """The lines of a chunk that logged the same keys: their slots (ascending) and one
    column per key, each ``(tag, values)`` as made by :func:`_column`."""

    keys: tuple[str, ...]
    slots: array[int]
    columns: list[tuple[str, Sequence[Any]]]

    @classmethod
    def encode(cls, keys: tuple[str, ...], slots: array[int], rows: Sequence[Any]) -> Group:
        """The group of ``rows`` (lines in ``slots``), which all logged exactly ``keys``."""
        columns = [_column(list(map(itemgetter(key), rows))) for key in keys]
        return cls(keys, slots, columns)

    def wire(self) -> tuple[Any, ...]:
        columns = [
            (tag, values.tobytes() if isinstance(values, array) else values)
            for tag, values in self.columns
        ]
        return self.keys, self.slots.tobytes(), columns

    @classmethod
    def from_wire(cls, wire: Sequence[Any]) -> Group:
        keys, slots, columns = wire
        decoded: list[tuple[str, Sequence[Any]]] = []
        for tag, values in columns:
            if tag == "o":
                decoded.append((tag, values))
            else:
                packed = array(tag)
                packed.frombytes(values)
                decoded.append((tag, packed))
        return cls(tuple(keys), array("I", slots), decoded)

    def rows(self) -> list[Row]:
        """Every line of the group, in slot order."""
        if not self.keys:
            return [{} for _ in self.slots]
        values = zip(*(column for _, column in self.columns), strict=True)
        return list(map(dict, map(zip, repeat(self.keys), values)))

    def row(self, slot: int) -> Row:
        position = bisect_left(self.slots, slot)
        columns = (column for _, column in self.columns)
        return {key: column[position] for key, column in zip(self.keys, columns, strict=True)}

    def column(self, key: str) -> Sequence[Any] | None:
        """The values of ``key``, one per line of the group (``None``: no such key)."""
        for name, (_, values) in zip(self.keys, self.columns, strict=True):
            if name == key:
                return values
        return None

    def type_counts(self) -> TypeCounts:
        counts: TypeCounts = Counter()
        for key, (tag, values) in zip(self.keys, self.columns, strict=True):
            if tag != "o":
                counts[key, "number"] += len(values)
            else:
                counts.update(_value_types(key, values))
                counts.update(_media_types(key, values))
                counts.update(_nested_types(key, values))
        return counts


@dataclass
class Chunk:
    """Lines of one chunk: per-line ``steps`` and ``shapes``, values in :class:`Group` s."""

    steps: array[int]
    shapes: array[int]
    groups: dict[int, Group]

    @classmethod
    def empty(cls) -> Chunk:
        return cls(array("q"), array("I"), {})

    @classmethod
    def encode(cls, rows: Sequence[RowIn | None], shapes: Sequence[int]) -> Chunk:
        """Encode ``rows`` (lines ``0..len(rows)-1``, ``None`` for holes) of shape ``shapes``."""
        slots_of = _slots_by_shape(shapes)
        groups = {}
        for shape, slots in slots_of.items():
            if shape != HOLE:
                members = rows if len(slots) == len(rows) else [rows[slot] for slot in slots]
                first = cast(RowIn, members[0])  # not a hole: shape HOLE has no members
                groups[shape] = Group.encode(tuple(first), array("I", slots), members)
        if HOLE in slots_of:
            steps = array("q", [NO_STEP if row is None else step_of(row) for row in rows])
        else:
            steps = steps_of(rows)
        return cls(steps, array("I", shapes), groups)

    @classmethod
    def from_columns(cls, steps: bytes, shapes: bytes, data: bytes) -> Chunk:
        """A chunk from its stored columns."""
        groups = {wire[0]: Group.from_wire(wire[1:]) for wire in marshal.loads(data)}
        chunk = cls(array("q"), array("I"), groups)
        chunk.steps.frombytes(steps)
        chunk.shapes.frombytes(shapes)
        return chunk

    def columns(self) -> tuple[bytes, bytes, bytes]:
        """``(steps, shapes, data)`` as bytes, for storage."""
        data = marshal.dumps([(shape, *group.wire()) for shape, group in self.groups.items()])
        return self.steps.tobytes(), self.shapes.tobytes(), data

    def __len__(self) -> int:
        return len(self.shapes)

    def step_range(self) -> tuple[int | None, int | None]:
        """The smallest and largest step of the chunk's lines (``None`` when none has one)."""
        steps = self.steps if NO_STEP not in self.steps else [s for s in self.steps if s != NO_STEP]
        return (min(steps), max(steps)) if steps else (None, None)

    def type_counts(self) -> TypeCounts:
        """How many values of each W&B type each key holds in this chunk."""
        counts: TypeCounts = Counter()
        for group in self.groups.values():
            counts.update(group.type_counts())
        return counts

    def column(self, key: str) -> list[Any]:
        """The value of ``key`` on every slot, ``None`` where the line lacks it or is a hole."""
        values: list[Any] = [None] * len(self.shapes)
        for group in self.groups.values():
            column = group.column(key)
            if column is None:
                continue
            if len(group.slots) == len(values):
                return list(column)
            for slot, value in zip(group.slots, column, strict=True):
                values[slot] = value
        return values

    def extremes(self) -> dict[str, Extremes]:
        """The :class:`Extremes` of every key logged with finite numbers on lines with a
        step, W&B's own ``_`` keys aside."""
        stepless = NO_STEP in self.steps
        pairs: dict[str, list[tuple[Sequence[int], Sequence[Any], bool]]] = {}
        for group in self.groups.values():
            for key, (_, values) in zip(group.keys, group.columns, strict=True):
                if not key.startswith("_"):
                    clean = not stepless and all_finite(values)
                    pairs.setdefault(key, []).append((group.slots, values, clean))
        found = {}
        for key, parts in pairs.items():
            if len(parts) == 1 and parts[0][2]:  # one packed finite column: no filtering
                slots, values, _ = parts[0]
            else:
                kept = sorted(
                    (slot, number)
                    for part_slots, part_values, _ in parts
                    for slot, value in zip(part_slots, part_values, strict=True)
                    if (number := _finite_float(value)) is not None and self.steps[slot] != NO_STEP
                )
                if not kept:
                    continue
                slots = [slot for slot, _ in kept]
                values = [value for _, value in kept]
            found[key] = _block_extremes(slots, values)
        return found

    def row(self, slot: int) -> Row:
        """Decode the line in ``slot``."""
        return self.groups[self.shapes[slot]].row(slot)

    def all_rows(self) -> list[Row | None]:
        """Every slot's line, ``None`` for holes."""
        if len(self.groups) == 1:
            (group,) = self.groups.values()
            if len(group.slots) == len(self.shapes):
                return list(group.rows())
        lines: list[Row | None] = [None] * len(self.shapes)
        for group in self.groups.values():
            for slot, row in zip(group.slots, group.rows(), strict=True):
                lines[slot] = row
        return lines

    def rows(self, slots: Sequence[int]) -> Iterator[Any]:
        """Decode the lines in ``slots``."""
        if slots == range(len(self)):  # every line, so no holes
            return iter(self.all_rows())
        if 4 * len(slots) >= len(self):  # many lines: decoding whole columns is cheaper
            return map(self.all_rows().__getitem__, slots)
        return map(self.row, slots)

    def slots(
        self,
        shapes: frozenset[int] | None = None,
        min_step: int | None = None,
        max_step: int | None = None,
    ) -> Sequence[int]:
        """Slots of written lines whose shape is in ``shapes`` (any, when ``None``) and whose
        step is in ``[min_step, max_step)`` (either bound may be ``None``: unbounded)."""
        everything = range(len(self.shapes))
        found: Sequence[int] = everything
        if shapes is not None:
            found = list(compress(everything, map(shapes.__contains__, self.shapes)))
        elif HOLE in self.shapes:
            found = list(compress(everything, self.shapes))
        if min_step is None and max_step is None:
            return found
        low = NO_STEP + 1 if min_step is None else min_step
        high = 2**63 if max_step is None else max_step
        steps = self.steps
        if steps and low <= min(steps) and max(steps) < high:  # NO_STEP is below any low
            return found
        return [slot for slot in found if low <= steps[slot] < high]

    def spliced(self, start: int, rows: Sequence[RowIn], shapes: Sequence[int]) -> Chunk:
        """This chunk with ``rows`` at slots ``start…`` (replacing what was there) and
        holes filling any gap between its end and ``start``."""
        lines: list[RowIn | None] = list(self.all_rows())
        line_shapes = list(self.shapes)
        if start > len(lines):
            lines.extend([None] * (start - len(lines)))
            line_shapes.extend([HOLE] * (start - len(line_shapes)))
        stop = start + len(rows)
        lines[start:stop] = rows
        line_shapes[start:stop] = shapes
        return Chunk.encode(lines, line_shapes)
