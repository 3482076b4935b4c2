"""History rows from the JSON-encoded lines ``history`` and ``events`` return."""

from __future__ import annotations

import json
from typing import Any


def decode_rows(lines: list[str]) -> list[dict[str, Any]]:
    """The rows of ``lines``, one JSON object per line."""
    # One parse of the joined lines is faster than one per line; a line that is not one
    # JSON value changes the count, and is then reported by parsing line by line.
    rows = json.loads(f"[{','.join(lines)}]") if lines else []
    if len(rows) != len(lines):
        rows = [json.loads(line) for line in lines]
    return rows
