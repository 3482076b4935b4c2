"""Summaries of request bodies for the journal: sizes, and what a file_stream batch holds.

A tap watches the body as the route reads it (nothing is read twice or held back).
File uploads are summarised by size; a file_stream batch also by the files it writes
to, their offsets and line counts, and its ``complete``/``exitcode`` when present.
Bodies the route never read (a fault refused the request) have no summary.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from starlette.types import Message, Receive, Scope

#: Largest file_stream body parsed for its summary; larger ones are summarised by size.
MAX_PARSED_BYTES = 4 * 1024 * 1024
_SIZED_ROUTES = ("upload", "artifact_file")


class BodyTap:
    """A ``receive`` that passes the body on and remembers its size (and, for
    file_stream, its bytes)."""

    def __init__(self, receive: Receive, *, keep: bool, gzipped: bool = False) -> None:
        self._receive = receive
        #: The ``receive`` this one wraps (as ``functools.wraps`` would say).
        self.__wrapped__ = receive
        self._keep = keep
        self._gzip = gzipped
        self._chunks: list[bytes] = []
        self.size = 0
        self.read = False

    @classmethod
    def for_route(cls, route: str, scope: Scope, receive: Receive) -> BodyTap | None:
        """A tap for a request of a route whose bodies are summarised, else ``None``."""
        if route == "file_stream":
            encoding = dict(scope["headers"]).get(b"content-encoding", b"")
            return cls(receive, keep=True, gzipped=encoding.lower() == b"gzip")
        if route in _SIZED_ROUTES:
            return cls(receive, keep=False)
        return None

    async def __call__(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            self.read = True
            self.size += len(chunk)
            if self._keep and self.size <= MAX_PARSED_BYTES:
                self._chunks.append(chunk)
            elif self._keep:
                self._chunks.clear()
                self._keep = False
        return message

    def summary(self) -> dict[str, Any] | None:
        """What the body held: ``bytes``, and a file_stream batch's ``files``."""
        if not self.read:
            return None
        summary: dict[str, Any] = {"bytes": self.size}
        if self._keep and self._chunks:
            summary.update(_file_stream_summary(b"".join(self._chunks), self._gzip))
        return summary


def _file_stream_summary(body: bytes, gzipped: bool) -> dict[str, Any]:
    try:
        if gzipped:
            body = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(body, MAX_PARSED_BYTES)
        batch = json.loads(body)
    except (ValueError, zlib.error):
        return {}
    if not isinstance(batch, dict):
        return {}
    summary: dict[str, Any] = {}
    files = batch.get("files")
    if isinstance(files, dict):
        summary["files"] = {
            name: {
                "offset": chunk.get("offset"),
                "lines": len(chunk["content"]) if isinstance(chunk.get("content"), list) else 0,
            }
            for name, chunk in files.items()
            if isinstance(chunk, dict)
        }
    for key in ("complete", "exitcode", "preempting"):
        if key in batch:
            summary[key] = batch[key]
    return summary
