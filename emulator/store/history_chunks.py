"""The binary format of a block of history lines, built for fast bulk writes and partial reads.

A chunk holds the lines ``[n * CHUNK_LINES, (n + 1) * CHUNK_LINES)`` of one run's stream.
Each line is encoded on its own with :mod:`marshal` (about twenty times faster than
``json.dumps`` for rows of floats, and it needs no parsing to find a row), and the
chunk keeps three parallel arrays beside the concatenated bytes:

- ``steps``: the ``_step`` of each line (:data:`NO_STEP` when it has none),
- ``shapes``: the id of each line's key tuple (:data:`HOLE` for a line never written),
- ``ends``: where each line's bytes end.

So a reader picks lines by step and by key set from the arrays, and decodes only the
lines it returns. Rows hold JSON-compatible values (dicts, lists, str, int, float,
bool, None), which marshal encodes losslessly; the format is marshal version 4,
readable by every Python the project supports.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress
from typing import Any

#: Lines per chunk. Appending to a chunk rewrites it, without re-encoding its rows.
CHUNK_LINES = 1024
#: The step of a line without an integer ``_step`` (system events, malformed lines).
NO_STEP = -(2**63)
#: The shape of a line that was never written (a gap below a later offset).
HOLE = 0

_dumps = marshal.dumps
_loads = marshal.loads


def step_of(row: Mapping[str, Any]) -> int:
    """The integer ``_step`` of a row, or :data:`NO_STEP`."""
    step = row.get("_step")
    if isinstance(step, bool) or not isinstance(step, (int, float)) or step != step:
        return NO_STEP
    # The SDK may send _step as a float; W&B truncates it to an integer.
    return int(step)


def steps_of(rows: Sequence[Mapping[str, Any]]) -> array:
    """The steps of ``rows`` as an ``array('q')``; plain int steps take the fast path."""
    try:
        return array("q", [row.get("_step", NO_STEP) for row in rows])
    except (TypeError, OverflowError):  # a float, missing or out-of-range step
        return array("q", map(step_of, rows))


@dataclass
class Chunk:
    """Lines of one chunk: parallel ``steps``/``shapes``/``ends`` arrays and their bytes."""

    steps: array
    shapes: array
    ends: array
    data: bytes

    @classmethod
    def empty(cls) -> Chunk:
        return cls(array("q"), array("I"), array("I"), b"")

    @classmethod
    def encode(cls, rows: Sequence[Mapping[str, Any]], shapes: Iterable[int]) -> Chunk:
        """Encode ``rows`` (lines ``0..len(rows)-1``) whose shape ids are ``shapes``."""
        parts = list(map(_dumps, rows))
        return cls(
            steps_of(rows), array("I", shapes), array("I", accumulate(map(len, parts))),
            b"".join(parts),
        )

    @classmethod
    def from_columns(cls, steps: bytes, shapes: bytes, ends: bytes, data: bytes) -> Chunk:
        """A chunk from its stored columns."""
        chunk = cls(array("q"), array("I"), array("I"), data)
        chunk.steps.frombytes(steps)
        chunk.shapes.frombytes(shapes)
        chunk.ends.frombytes(ends)
        return chunk

    def columns(self) -> tuple[bytes, bytes, bytes, bytes]:
        """``(steps, shapes, ends, data)`` as bytes, for storage."""
        return self.steps.tobytes(), self.shapes.tobytes(), self.ends.tobytes(), self.data

    def __len__(self) -> int:
        return len(self.shapes)

    def step_range(self) -> tuple[int | None, int | None]:
        """The smallest and largest step of the chunk's lines (``None`` when none has one)."""
        steps = self.steps if NO_STEP not in self.steps else [s for s in self.steps if s != NO_STEP]
        return (min(steps), max(steps)) if steps else (None, None)

    def row(self, slot: int) -> dict[str, Any]:
        """Decode the line in ``slot``."""
        start = self.ends[slot - 1] if slot else 0
        return _loads(self.data[start : self.ends[slot]])

    def rows(self, slots: Sequence[int]) -> Iterator[dict[str, Any]]:
        """Decode the lines in ``slots``."""
        if slots != range(len(self)):
            return map(self.row, slots)
        # Every line: slice and decode in C, without a Python call per line.
        ends = self.ends
        return map(_loads, map(self.data.__getitem__, map(slice, chain((0,), ends), ends)))

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

    def splice(self, start: int, rows: Sequence[Mapping[str, Any]], shapes: Sequence[int]) -> None:
        """Put ``rows`` at slots ``start…``, replacing what was there and filling any gap
        between the current end and ``start`` with holes."""
        if start > len(self):
            gap = start - len(self)
            self.steps.extend([NO_STEP] * gap)
            self.shapes.extend([HOLE] * gap)
            self.ends.extend([self.ends[-1] if self.ends else 0] * gap)
        stop = start + len(rows)
        begin = self.ends[start - 1] if start else 0
        tail = self.ends[stop - 1] if stop <= len(self) else None
        new = Chunk.encode(rows, shapes)
        pieces = [self.data[:begin], new.data]
        ends = array("I", self.ends[:start])
        ends.extend(end + begin for end in new.ends)
        if tail is not None:
            pieces.append(self.data[tail:])
            shift = begin + len(new.data) - tail
            ends.extend(end + shift for end in self.ends[stop:])
        self.steps = self.steps[:start] + new.steps + self.steps[stop:]
        self.shapes = self.shapes[:start] + new.shapes + self.shapes[stop:]
        self.ends = ends
        self.data = b"".join(pieces)
