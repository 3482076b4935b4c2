"""JSON text for the store's JSON columns (config, summary) that SQLite can read, and back.

Training logs NaN and infinities, which Python writes as ``NaN``/``Infinity``:
not JSON, so SQLite (run filters and orders) would reject the whole value.
Infinities are written as ``1e999``/``-1e999`` instead, which SQLite and
``json.loads`` both read back as infinite floats; NaN, which no JSON number can
express, is written as the string ``"NaN"``.
"""

from __future__ import annotations

import json
import math
import secrets
from typing import Any

_DECODER = json.JSONDecoder()

# Stand-ins for infinities while encoding; random, so no logged string can match them.
_TOKEN = secrets.token_hex(8)
_POSITIVE, _NEGATIVE = f"+inf{_TOKEN}", f"-inf{_TOKEN}"


def _replace(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else _POSITIVE if value > 0 else _NEGATIVE
    if isinstance(value, dict):
        return {key: _replace(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_replace(item) for item in value]
    return value


def dumps(value: Any, *, compact: bool = False) -> str:
    """``value`` as JSON text, with non-finite floats written as described above."""
    separators = (",", ":") if compact else None
    try:
        return json.dumps(value, separators=separators, allow_nan=False)
    except ValueError:
        text = json.dumps(_replace(value), separators=separators)
    return text.replace(f'"{_POSITIVE}"', "1e999").replace(f'"{_NEGATIVE}"', "-1e999")


def loads(text: str) -> Any:
    """``json.loads(text)``, with less overhead for the text :func:`dumps` writes.

    ``json.loads`` spends most of its time on small documents (a run's tags) matching
    whitespace around the value; text without any is decoded directly.
    """
    try:
        value, end = _DECODER.raw_decode(text)
    except ValueError:
        return json.loads(text)  # leading whitespace, or the error json.loads raises
    return value if end == len(text) else json.loads(text)
