"""W&B run filters and run orders, compiled to SQLite over the ``runs`` table.

Filters are the MongoDB-style documents the W&B API takes (``{"state": "finished"}``,
``{"$or": [{"config.lr": {"$lt": 0.01}}, {"tags": "baseline"}]}``). Orders are strings such as
``"-created_at"`` or ``"+summary_metrics.loss"``. Both compile to SQL over the ``runs`` table,
which queries always alias ``r``.

Every compiled condition is two-valued (never SQL NULL), so ``$not`` and ``$nor`` negate
exactly as in MongoDB, where a missing field makes ``$ne``, ``$nin`` and ``$not`` true.
Filter values are always bound parameters. A key inside a JSON column is read with
``json_extract`` and a JSON path written as a SQL string literal, always spelled the same
way, so that SQLite can answer conditions and orders on it from an index on that
expression (see :class:`JsonKey`); conditions are written so that an index can bound them.
Tags are read from the ``run_tags`` table, which holds one row per tag of each run.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from emulator.store.timestamps import format_timestamp


@dataclass(frozen=True)
class JsonKey:
    """A key inside one of the runs table's JSON columns: ``config``, ``summary_metrics``..."""

    column: str
    path: str  # a JSON path, as SQLite's json functions take it

    def call(self, function: str, table: str | None = "r") -> str:
        """SQL calling ``function`` (``json_extract``, ``json_type``) on the key, the column
        qualified by ``table`` and the path a string literal. Without ``table``, as an
        index on the key is created; SQLite matches the two regardless of the qualifier."""
        column = self.column if table is None else f"{table}.{self.column}"
        literal = self.path.replace("'", "''")
        return f"{function}({column}, '{literal}')"

    @property
    def value(self) -> str:
        """The key's value in run ``r`` as SQL; NULL when missing or JSON null."""
        return self.call("json_extract")


@dataclass(frozen=True)
class SQL:
    """A SQL fragment and the values bound to its ``?`` placeholders, in order.

    ``indexed`` names the fields whose index could answer (part of) the fragment: JSON keys,
    and columns by their SQL (``"r.state"``; ``"r.tags"`` stands for the tags table).
    """

    text: str
    params: tuple[Any, ...] = ()
    indexed: frozenset[JsonKey | str] = frozenset()

    @property
    def json_keys(self) -> set[JsonKey]:
        """The JSON keys of :attr:`indexed`."""
        return {key for key in self.indexed if isinstance(key, JsonKey)}


class FilterError(ValueError):
    """A filter or order that cannot be compiled; the message names the bad part."""


@dataclass(frozen=True)
class Ordering:
    """A compiled run order: the SQL expression of the sort key, its direction, and the
    JSON key it sorts by (``None`` for a column)."""

    expr: str
    descending: bool
    key: JsonKey | None = None


_TRUE = SQL("1")
_FALSE = SQL("0")

# Field kinds: plain text columns, ISO datetime columns, the JSON list of tags, JSON documents.
_TEXT, _DATETIME, _TAGS, _JSON = "text", "datetime", "tags", "json"

#: Filter/order field -> (runs column, kind).
_COLUMNS: dict[str, tuple[str, str]] = {
    "state": ("state", _TEXT),
    "name": ("name", _TEXT),
    "displayName": ("display_name", _TEXT),
    "display_name": ("display_name", _TEXT),
    "group": ("group_name", _TEXT),
    "jobType": ("job_type", _TEXT),
    "job_type": ("job_type", _TEXT),
    "username": ("username", _TEXT),
    "sweep": ("sweep_name", _TEXT),
    "sweepName": ("sweep_name", _TEXT),
    "sweep_name": ("sweep_name", _TEXT),
    "notes": ("notes", _TEXT),
    "host": ("host", _TEXT),
    "commit": ("commit_hash", _TEXT),
    "description": ("description", _TEXT),
    "createdAt": ("created_at", _DATETIME),
    "created_at": ("created_at", _DATETIME),
    "heartbeatAt": ("heartbeat_at", _DATETIME),
    "heartbeat_at": ("heartbeat_at", _DATETIME),
    "tags": ("tags", _TAGS),
}

#: Prefix of a dotted field -> JSON column.
_JSON_COLUMNS = {
    "config": "config",
    "summary_metrics": "summary_metrics",
    "summaryMetrics": "summary_metrics",
    "system_metrics": "system_metrics",
    "systemMetrics": "system_metrics",
}

_DEFAULT_ORDER = "-created_at"  # the W&B server's default: newest runs first
_ISO_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"
)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INT64 = (-(2**63), 2**63 - 1)


# --- SQL building blocks -------------------------------------------------------------------


def _bind(value: Any) -> SQL:
    return SQL("?", (value,))


def _fragment(*pieces: str | SQL) -> SQL:
    """Concatenate text and SQL pieces, keeping parameters in placeholder order."""
    texts: list[str] = []
    params: list[Any] = []
    indexed: set[JsonKey | str] = set()
    for piece in pieces:
        if isinstance(piece, SQL):
            texts.append(piece.text)
            params.extend(piece.params)
            indexed.update(piece.indexed)
        else:
            texts.append(piece)
    return SQL("".join(texts), tuple(params), frozenset(indexed))


def _join(joiner: str, parts: list[SQL]) -> SQL:
    pieces: list[str | SQL] = []
    for part in parts:
        pieces.extend([joiner, "(", part, ")"])
    return _fragment(*pieces[1:])


def _all(parts: list[SQL]) -> SQL:
    """AND of the parts; true when there are none."""
    if len(parts) <= 1:
        return parts[0] if parts else _TRUE
    return _join(" AND ", parts)


def _any(parts: list[SQL]) -> SQL:
    """OR of the parts; false when there are none."""
    if len(parts) <= 1:
        return parts[0] if parts else _FALSE
    return _join(" OR ", parts)


def _negate(part: SQL) -> SQL:
    # No index can answer a negation.
    return SQL(f"NOT ({part.text})", part.params)


# --- fields --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """A resolved filter or order field."""

    label: str  # as the filter spelled it, for messages
    kind: str
    column: str  # qualified column, e.g. "r.state"
    key: JsonKey | None = None  # the key inside the column, for _JSON fields

    @property
    def value(self) -> SQL:
        """The field's value as a SQL expression; NULL when missing."""
        return SQL(self.column if self.key is None else self.key.value)


def _json_path(segments: list[str]) -> str:
    # Each label is spelled as json.dumps spells the key, which is how the store encodes these
    # columns: SQLite before 3.45 matches a quoted label against the key's raw JSON text, later
    # versions decode escapes on both sides, so this spelling matches either way.
    return "$" + "".join(f".{json.dumps(segment)}" for segment in segments)


def _json_field(name: str, prefix: str, rest: str) -> _Field:
    segments = rest.split(".")
    if not rest or "" in segments:
        raise FilterError(f"field {name!r} needs dot-separated keys, as in '{prefix}.KEY'")
    column = _JSON_COLUMNS[prefix]
    if column == "config":
        # Config is stored as {"KEY": {"value": v, "desc": d}}: "config.KEY" and
        # "config.KEY.value" both mean v, further segments index into v.
        key, *inner = segments
        segments = [key, "value", *(inner[1:] if inner[:1] == ["value"] else inner)]
    return _Field(name, _JSON, f"r.{column}", JsonKey(column, _json_path(segments)))


def _field(name: Any) -> _Field:
    """Resolve a filter or order field name."""
    if not isinstance(name, str):
        raise FilterError(f"field names must be strings, got {name!r}")
    if name in _COLUMNS:
        column, kind = _COLUMNS[name]
        return _Field(name, kind, f"r.{column}")
    prefix, _, rest = name.partition(".")
    if prefix in _JSON_COLUMNS:
        return _json_field(name, prefix, rest)
    raise FilterError(f"unknown field {name!r}")


# --- operand values ------------------------------------------------------------------------


def _utc_offset(zone: str | None) -> timedelta:
    if zone is None or zone == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    return sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:]))


def _normalize_datetime(field: _Field, op: str, text: str) -> str:
    """``text`` in the store's timestamp format, converted to UTC.

    Stored timestamps have whole seconds, so a fraction in the filter value is dropped.
    """
    match = _ISO_DATETIME.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        moment = datetime.fromisoformat(f"{match['date']}T{match['time'] or '00:00'}")
        moment -= _utc_offset(match["zone"])
    except ValueError:
        raise FilterError(
            f"{op} on field {field.label!r} needs an ISO 8601 datetime, got {text!r}"
        ) from None
    return format_timestamp(moment)


def _json_scalar(field: _Field, op: str, operand: Any) -> Any:
    if isinstance(operand, bool):
        return int(operand)  # json_extract returns JSON true/false as 1/0
    if isinstance(operand, int) and not _INT64[0] <= operand <= _INT64[1]:
        raise FilterError(f"{op} on field {field.label!r}: {operand} does not fit in 64 bits")
    if isinstance(operand, float) and math.isnan(operand):
        raise FilterError(f"{op} on field {field.label!r}: NaN cannot be compared")
    if isinstance(operand, (int, float, str)):
        return operand
    raise FilterError(
        f"{op} on field {field.label!r} needs a number, string, boolean or null, got {operand!r}"
    )


def _scalar(field: _Field, op: str, operand: Any) -> Any:
    """``operand`` as bound for ``field``; FilterError when its type does not fit the field."""
    if operand is None:
        return None
    if field.kind == _JSON:
        return _json_scalar(field, op, operand)
    if not isinstance(operand, str):
        # Columns hold text: a number would be compared as its text, which no W&B filter means.
        raise FilterError(f"{op} on field {field.label!r} needs a string, got {operand!r}")
    return _normalize_datetime(field, op, operand) if field.kind == _DATETIME else operand


def _operand_list(field: _Field, op: str, operand: Any) -> list[Any]:
    if not isinstance(operand, list):
        raise FilterError(f"{op} on field {field.label!r} needs a list, got {operand!r}")
    return [_scalar(field, op, item) for item in operand]


def _pattern_operand(field: _Field, op: str, operand: Any) -> str:
    if not isinstance(operand, str):
        raise FilterError(f"{op} on field {field.label!r} needs a string, got {operand!r}")
    try:
        re.compile(operand)
    except re.error as error:
        raise FilterError(
            f"{op} on field {field.label!r}: invalid regular expression {operand!r}: {error}"
        ) from None
    return operand


def _tag_operand(field: _Field, op: str, operand: Any) -> str:
    if not isinstance(operand, str):
        raise FilterError(f"{op} on field {field.label!r} needs a tag string, got {operand!r}")
    return operand


# --- field operators: (field, operator, operand) -> SQL -----------------------------------------

#: Characters with a meaning in Python regular expressions; patterns without them are literal.
_REGEX_SPECIALS = frozenset(".^$*+?{}[]\\|()")


def _present_and(field: _Field, condition: SQL) -> SQL:
    """``condition`` where the field has a value, false (never NULL) where it is NULL.

    Written as a conjunction rather than ``COALESCE(condition, 0)`` so that SQLite can
    answer comparisons, ranges and ``IN`` lists from an index on the column or JSON key.
    """
    return _fragment(field.value, " IS NOT NULL AND ", condition)


def _eq(field: _Field, op: str, operand: Any) -> SQL:
    # NULL means missing or JSON null; IS compares NULL-safely, so the result is never NULL.
    value = _scalar(field, op, operand)
    return _fragment(field.value, " IS ", "NULL" if value is None else _bind(value))


def _ne(field: _Field, op: str, operand: Any) -> SQL:
    # As in MongoDB, runs without the field match: NULL IS NOT 'x' is true.
    value = _scalar(field, op, operand)
    return _fragment(field.value, " IS NOT ", "NULL" if value is None else _bind(value))


_COMPARISONS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def _compare(field: _Field, op: str, operand: Any) -> SQL:
    value = _scalar(field, op, operand)
    if value is None:
        raise FilterError(f"{op} on field {field.label!r} needs a non-null value")
    comparison = _fragment(field.value, f" {_COMPARISONS[op]} ", _bind(value))
    if field.key is not None:
        comparison = _fragment(comparison, " AND ", _same_type(field.key, value))
    return _present_and(field, comparison)


def _same_type(key: JsonKey, value: Any) -> str:
    """SQL true where the (present) value of ``key`` is of ``value``'s type bracket.

    As in MongoDB, values compare only with values of their own type bracket: numbers with
    numbers (booleans count as the numbers 1 and 0), strings with strings. json_extract
    gives numbers and booleans as SQLite numbers and strings, arrays and objects as text,
    and SQLite sorts every number below every text: so "below ''" is exactly "a number",
    and at least '' is text, bounds that an index on the key can use. Only json_type tells
    strings from arrays and objects.
    """
    if isinstance(value, str):
        return f"{key.value} >= '' AND {key.call('json_type')} = 'text'"
    return f"{key.value} < ''"


def _in(field: _Field, op: str, operand: Any) -> SQL:
    values = _operand_list(field, op, operand)
    present = [value for value in values if value is not None]
    parts = []
    if present:
        marks = ", ".join("?" * len(present))
        members = SQL(f" IN ({marks})", tuple(present))
        parts.append(_present_and(field, _fragment(field.value, members)))
    if len(present) < len(values):
        parts.append(_fragment(field.value, " IS NULL"))
    return _any(parts)


def _nin(field: _Field, op: str, operand: Any) -> SQL:
    return _negate(_in(field, op, operand))


def _regex(field: _Field, op: str, operand: Any) -> SQL:
    pattern = _pattern_operand(field, op, operand)
    if field.key is None:
        fast = _literal_regex(field, pattern)
        if fast is not None:
            return fast
    return _fragment(field.value, " REGEXP ", _bind(pattern))


def _literal_regex(field: _Field, pattern: str) -> SQL | None:
    """Plain SQL for the patterns people type most, on text columns: a literal substring
    (``instr``) or ``^`` and a literal prefix (a range an index can answer). These run in
    SQLite instead of calling back into Python for every row. ``None`` for other patterns."""
    if not _REGEX_SPECIALS.intersection(pattern):
        return _fragment(
            f"typeof({field.column}) = 'text' AND instr({field.column}, ", _bind(pattern), ") > 0"
        )
    prefix = pattern[1:]
    if pattern[:1] != "^" or not prefix or _REGEX_SPECIALS.intersection(prefix):
        return None
    bound = _successor(prefix[-1])
    if bound is None:
        return None
    # Strings that start with the prefix are exactly those in [prefix, prefix with its last
    # character incremented): SQLite compares text by code point (UTF-8 bytes).
    return _present_and(
        field,
        _fragment(
            f"{field.column} >= ",
            _bind(prefix),
            f" AND {field.column} < ",
            _bind(prefix[:-1] + bound),
        ),
    )


def _successor(character: str) -> str | None:
    """The next character that SQLite can store, or ``None`` after the last one."""
    code = ord(character) + 1
    if 0xD800 <= code <= 0xDFFF:  # surrogates are not characters
        code = 0xE000
    return chr(code) if code <= 0x10FFFF else None


def _exists(field: _Field, op: str, operand: Any) -> SQL:
    # A JSON null counts as missing: json_extract cannot tell them apart.
    if not isinstance(operand, bool):
        raise FilterError(f"{op} on field {field.label!r} needs true or false, got {operand!r}")
    return _fragment(field.value, " IS NOT NULL" if operand else " IS NULL")


def _not(field: _Field, op: str, operand: Any) -> SQL:
    if not isinstance(operand, dict) or not operand:
        raise FilterError(
            f"{op} on field {field.label!r} needs an operator document such as"
            f" {{'$eq': ...}}, got {operand!r}"
        )
    return _negate(_operators(field, operand))


# Tags are a JSON list; equality means membership, as MongoDB does for array fields. The
# run_tags table holds each run's tags, one row each, indexed by tag: a condition on tags
# reads the runs holding a matching tag from that index, in one pass for every run.


def _has_tag(field: _Field, condition: SQL) -> SQL:
    return _fragment("r.id IN (SELECT run_id FROM run_tags WHERE tag ", condition, ")")


def _tag_eq(field: _Field, op: str, operand: Any) -> SQL:
    return _has_tag(field, _fragment("= ", _bind(_tag_operand(field, op, operand))))


def _tag_ne(field: _Field, op: str, operand: Any) -> SQL:
    return _negate(_tag_eq(field, op, operand))


def _tag_in(field: _Field, op: str, operand: Any) -> SQL:
    if not isinstance(operand, list):
        raise FilterError(f"{op} on field {field.label!r} needs a list, got {operand!r}")
    tags = tuple(_tag_operand(field, op, item) for item in operand)
    if not tags:
        return _FALSE
    return _has_tag(field, SQL(f"IN ({', '.join('?' * len(tags))})", tags))


def _tag_nin(field: _Field, op: str, operand: Any) -> SQL:
    return _negate(_tag_in(field, op, operand))


def _tag_regex(field: _Field, op: str, operand: Any) -> SQL:
    return _has_tag(field, _fragment("REGEXP ", _bind(_pattern_operand(field, op, operand))))


_Operator = Callable[[_Field, str, Any], SQL]
_SCALAR_OPERATORS: dict[str, _Operator] = {
    "$eq": _eq,
    "$ne": _ne,
    **dict.fromkeys(_COMPARISONS, _compare),
    "$in": _in,
    "$nin": _nin,
    "$regex": _regex,
    "$exists": _exists,
    "$not": _not,
}
#: Operators whose conditions an index on the field (or the tags table) can answer.
_INDEXABLE = frozenset({"$eq", *_COMPARISONS, "$in", "$exists"})
_TAG_OPERATORS: dict[str, _Operator] = {
    "$eq": _tag_eq,
    "$ne": _tag_ne,
    "$in": _tag_in,
    "$nin": _tag_nin,
    "$regex": _tag_regex,
    "$exists": _exists,
    "$not": _not,
}


def _bad_operator(field: _Field, op: Any) -> FilterError:
    if op in _LOGICAL:
        return FilterError(
            f"{op} cannot be used inside field {field.label!r}; use it at the top level"
        )
    if op in _SCALAR_OPERATORS:
        return FilterError(f"operator {op!r} is not supported on field {field.label!r}")
    if isinstance(op, str) and op.startswith("$"):
        return FilterError(f"unknown operator {op!r} on field {field.label!r}")
    return FilterError(f"field {field.label!r} mixes operators with the plain key {op!r}")


def _operators(field: _Field, document: dict[Any, Any]) -> SQL:
    """AND of the operators of ``{"$gte": 1, "$lt": 2}`` applied to ``field``."""
    table = _TAG_OPERATORS if field.kind == _TAGS else _SCALAR_OPERATORS
    parts = []
    for op, operand in document.items():
        compile_operator = table.get(op) if isinstance(op, str) else None
        if compile_operator is None:
            raise _bad_operator(field, op)
        part = compile_operator(field, op, operand)
        if op in _INDEXABLE:
            part = SQL(part.text, part.params, part.indexed | {field.key or field.column})
        parts.append(part)
    return _all(parts)


def _field_condition(name: Any, value: Any) -> SQL:
    field = _field(name)
    if isinstance(value, dict) and any(isinstance(key, str) and key[:1] == "$" for key in value):
        return _operators(field, value)
    return _operators(field, {"$eq": value})  # implicit equality


# --- documents and logical operators ------------------------------------------------------------


def _document(document: Any, context: str) -> SQL:
    if not isinstance(document, dict):
        raise FilterError(f"{context} needs a filter document (a dict), got {document!r}")
    return _all([_clause(key, value) for key, value in document.items()])


def _sub_documents(op: str, operand: Any) -> list[SQL]:
    if not isinstance(operand, list):
        raise FilterError(f"{op} needs a list of filter documents, got {operand!r}")
    return [_document(item, op) for item in operand]


def _and(op: str, operand: Any) -> SQL:
    return _all(_sub_documents(op, operand))


def _or(op: str, operand: Any) -> SQL:
    return _any(_sub_documents(op, operand))


def _nor(op: str, operand: Any) -> SQL:
    return _negate(_or(op, operand))


def _not_document(op: str, operand: Any) -> SQL:
    return _negate(_document(operand, op))


_LOGICAL: dict[str, Callable[[str, Any], SQL]] = {
    "$and": _and,
    "$or": _or,
    "$nor": _nor,
    "$not": _not_document,
}


def _clause(key: Any, value: Any) -> SQL:
    if key in _LOGICAL:
        return _LOGICAL[key](key, value)
    if isinstance(key, str) and key.startswith("$"):
        if key in _SCALAR_OPERATORS:
            raise FilterError(
                f"operator {key!r} must be applied to a field, as in {{field: {{{key!r}: ...}}}}"
            )
        raise FilterError(f"unknown operator {key!r}")
    return _field_condition(key, value)


# --- public API ---------------------------------------------------------------------------------


def compile_filters(filters: Any) -> SQL:
    """Compile a W&B filter document to a SQL condition over ``runs r``.

    ``{}`` matches every run. Raises FilterError for anything it cannot compile.
    """
    if not isinstance(filters, dict):
        raise FilterError(f"filters must be a dict, got {type(filters).__name__}: {filters!r}")
    return _document(filters, "filters")


def compile_order(order: str | None) -> Ordering:
    """Compile a W&B order string: ``+field`` or ``field`` ascending, ``-field`` descending.

    ``None`` and ``""`` give the W&B default, ``-created_at``.
    """
    if order is None or order == "":
        order = _DEFAULT_ORDER
    if not isinstance(order, str):
        raise FilterError(f"order must be a string, got {order!r}")
    name = order[1:] if order[0] in "+-" else order
    if _CONTROL_CHARACTERS.search(name):
        raise FilterError(f"order field {name!r} contains control characters")
    field = _field(name)
    return Ordering(field.value.text, descending=order[0] == "-", key=field.key)


# Process-wide on purpose: a compiled pattern is immutable and the same for every store.
@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _regexp(pattern: Any, value: Any) -> bool:
    # Only strings match, as in MongoDB: numbers and NULL (missing) never do.
    if not isinstance(pattern, str) or not isinstance(value, str):
        return False
    return _compiled(pattern).search(value) is not None


def register_sql_functions(conn: sqlite3.Connection) -> None:
    """Define ``regexp(pattern, value)`` on ``conn``, which SQL's ``value REGEXP pattern`` calls."""
    conn.create_function("regexp", 2, _regexp, deterministic=True)
