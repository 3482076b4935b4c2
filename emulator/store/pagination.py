"""Keyset (cursor) pagination over compiled run orders.

A cursor holds the sort key and the integer id of the last row a client saw; the next page
is every row strictly after it in the order. Rows are ordered by the sort key with NULL keys
last in both directions, then by id in the sort's direction, so equal keys never make a page
skip or repeat a row. A page is read with one query per :class:`Segment` (rows with a key,
then rows without), so that each can be a range of an index.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from typing import Any

from emulator.store.filters import SQL, Ordering

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class CursorError(ValueError):
    """A cursor that this server did not hand out; the message names the problem."""


def _json_payload(text: Any) -> Any:
    if not isinstance(text, str):
        raise CursorError(f"cursor must be a string, got {text!r}")
    if not _BASE64URL.fullmatch(text):
        raise CursorError(f"cursor {text!r} is not url-safe base64")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise CursorError(f"cursor {text!r} does not decode: {error}") from None


def _json_scalar(value: Any) -> str:
    """``json.dumps(value)``, without its overhead for the usual sort keys."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return json.dumps(value)


def encode_cursor(value: Any, row_id: int) -> str:
    """The cursor after the row with sort key ``value`` and id ``row_id``, as opaque
    url-safe base64 text: ``Cursor(value, row_id).encode()``, made quickly (a page of
    runs makes one per run)."""
    payload = f'{{"v":{_json_scalar(value)},"id":{int.__repr__(row_id)}}}'
    return base64.urlsafe_b64encode(payload.encode("ascii")).decode("ascii").rstrip("=")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Cursor:
    """The position after one row: its sort key (None, int, float or str) and its id."""

    value: Any
    id: int

    def encode(self) -> str:
        """The cursor as opaque url-safe base64 text."""
        return encode_cursor(self.value, self.id)

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Parse text made by :meth:`encode`; CursorError for anything else."""
        payload = _json_payload(text)
        if not isinstance(payload, dict) or set(payload) != {"v", "id"}:
            raise CursorError(f"cursor {text!r} does not hold a sort key and an id")
        value, run_id = payload["v"], payload["id"]
        if not _is_int(run_id):
            raise CursorError(f"cursor {text!r} has a non-integer id {run_id!r}")
        if isinstance(value, float) and math.isnan(value):
            raise CursorError(f"cursor {text!r} has a NaN sort key")
        if not (value is None or _is_int(value) or isinstance(value, (float, str))):
            raise CursorError(f"cursor {text!r} has an unsupported sort key {value!r}")
        return cls(value, run_id)


@dataclass(frozen=True)
class Segment:
    """Rows of a page query that one index range returns in order: a WHERE condition and
    the ORDER BY terms."""

    condition: SQL
    order_by: str


def segments(ordering: Ordering, cursor: Cursor | None) -> list[Segment]:
    """The rows after ``cursor`` (all rows when ``None``) in ``ordering``, as consecutive
    segments: the rows with a sort key, then those without (NULL keys come last in both
    directions, in id order).

    SQLite sorts NULL below every value, so no single index order puts NULL keys last in
    both directions; split in two, an index on (project, key) serves each segment in order
    and starts it at the cursor.
    """
    key = ordering.expr
    direction, after = ("DESC", "<") if ordering.descending else ("ASC", ">")
    keyless = Segment(SQL(f"{key} IS NULL"), f"r.id {direction}")
    if cursor is None:
        return [Segment(SQL(f"{key} IS NOT NULL"), f"{key} {direction}, r.id {direction}"), keyless]
    if cursor.value is None:
        return [Segment(SQL(f"{key} IS NULL AND r.id {after} ?", (cursor.id,)), keyless.order_by)]
    # The first comparison bounds the index range; the rest skips the cursor's ties.
    keyed = SQL(
        f"{key} {after}= ? AND ({key} {after} ? OR r.id {after} ?)",
        (cursor.value, cursor.value, cursor.id),
    )
    return [Segment(keyed, f"{key} {direction}, r.id {direction}"), keyless]
