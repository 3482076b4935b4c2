"""Custom scalars, encoded exactly as W&B puts them on the wire."""

from __future__ import annotations

import json
from typing import Any

from ariadne import ScalarType

json_string = ScalarType("JSONString")
json_value = ScalarType("JSON")
date_time = ScalarType("DateTime")
int64 = ScalarType("Int64")


@json_string.serializer
def serialize_json_string(value: Any) -> str:
    """Already-encoded strings pass through; anything else is JSON-encoded."""
    return value if isinstance(value, str) else json.dumps(value)


@json_string.value_parser
def parse_json_string(value: Any) -> Any:
    """Decode a JSON-encoded string variable (``filters``, ``config``, ``specs``...)."""
    if not isinstance(value, str):
        raise ValueError(f"expected a JSON-encoded string, got {type(value).__name__}")
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON: {error}") from None


@json_value.serializer
def serialize_json_value(value: Any) -> Any:
    return value


@json_value.value_parser
def parse_json_value(value: Any) -> Any:
    return value


@date_time.serializer
def serialize_date_time(value: Any) -> str:
    """Timestamps are stored in W&B's wire format already."""
    return str(value)


@int64.serializer
def serialize_int64(value: Any) -> int:
    return int(value)


@int64.value_parser
def parse_int64(value: Any) -> int:
    # The SDK may send steps as floats; W&B truncates them.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected an integer, got {value!r}")
    return int(value)


SCALARS = (json_string, json_value, date_time, int64)
