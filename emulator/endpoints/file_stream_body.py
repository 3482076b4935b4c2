"""The body of a file_stream request, checked and turned into a :class:`StreamBatch`.

Everything is validated before anything is stored, so a bad request is refused
whole with a message naming the problem (HTTP 400; a 5xx would make the SDK retry).
"""

from __future__ import annotations

import json
from typing import Any, TypeGuard

from emulator.store.stream_batches import Lines, StreamBatch

HISTORY = "wandb-history.jsonl"
EVENTS = "wandb-events.jsonl"
SUMMARY = "wandb-summary.json"
CONSOLE = "output.log"


class FileStreamError(ValueError):
    """A file_stream body that cannot be stored."""


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_object(name: str, index: int, line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise FileStreamError(f"{name}: line {index} is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        kind = type(value).__name__
        raise FileStreamError(f"{name}: line {index} must be a JSON object, got {kind}")
    return value


def _lines(name: str, entry: Any, *, objects: bool) -> Lines:
    """The offset and lines of one file; with ``objects`` each line must be a JSON object."""
    if not isinstance(entry, dict):
        raise FileStreamError(f"{name}: expected an object with 'offset' and 'content'")
    offset, content = entry.get("offset"), entry.get("content")
    if not _is_int(offset) or offset < 0:
        raise FileStreamError(f"{name}: offset must be a non-negative integer, got {offset!r}")
    if not isinstance(content, list) or not all(isinstance(line, str) for line in content):
        raise FileStreamError(f"{name}: content must be a list of strings")
    if not objects:
        return Lines(offset, content)
    return Lines(offset, [_json_object(name, offset + i, line) for i, line in enumerate(content)])


def _summary(entry: Any) -> dict[str, Any] | None:
    content = _lines(SUMMARY, {"offset": 0, **entry}, objects=True).content
    # One line, the full current summary; should several come, the last one wins.
    return content[-1] if content else None


def _files(files: Any) -> dict[str, Any]:
    if not isinstance(files, dict):
        raise FileStreamError("'files' must be an object keyed by file name")
    unknown = sorted(set(files) - {HISTORY, EVENTS, SUMMARY, CONSOLE})
    if unknown:
        raise FileStreamError(f"unsupported file_stream files: {', '.join(unknown)}")
    parts: dict[str, Any] = {}
    if HISTORY in files:
        parts["history"] = _lines(HISTORY, files[HISTORY], objects=True)
    if EVENTS in files:
        parts["events"] = _lines(EVENTS, files[EVENTS], objects=True)
    if CONSOLE in files:
        parts["console"] = _lines(CONSOLE, files[CONSOLE], objects=False)
    if SUMMARY in files:
        if not isinstance(files[SUMMARY], dict):
            raise FileStreamError(f"{SUMMARY}: expected an object with 'content'")
        parts["summary"] = _summary(files[SUMMARY])
    return parts


def parse_body(body: bytes) -> StreamBatch:
    """Decode a (decompressed) file_stream body; raises :class:`FileStreamError`."""
    try:
        data = json.loads(body) if body.strip() else {}
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FileStreamError(f"request body is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise FileStreamError(f"request body must be a JSON object, got {type(data).__name__}")
    uploaded = data.get("uploaded") or []
    if not isinstance(uploaded, list) or not all(isinstance(name, str) for name in uploaded):
        raise FileStreamError("'uploaded' must be a list of file names")
    complete, exit_code = data.get("complete") or False, data.get("exitcode")
    if not isinstance(complete, bool):
        raise FileStreamError(f"'complete' must be a boolean, got {complete!r}")
    if exit_code is not None and not _is_int(exit_code):
        raise FileStreamError(f"'exitcode' must be an integer, got {exit_code!r}")
    return StreamBatch(
        **_files(data.get("files") or {}),
        uploaded=tuple(uploaded),
        complete=complete,
        exit_code=exit_code,
    )
