"""``POST /files/{entity}/{project}/{run}/file_stream``: what a logging run streams.

The body is JSON, gzip-compressed when ``Content-Encoding: gzip`` says so (the
SDK compresses only when the server advertises ``FILESTREAM_GZIP``, but any gzip
body is accepted). Bodies over ``Settings.max_file_stream_bytes`` (compressed or
not) get a 413. Every refusal is a 4xx with a message, never a 5xx, which the SDK
would retry.
"""

from __future__ import annotations

import zlib

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.endpoints.bodies import BodyTooLarge, read_body
from emulator.endpoints.errors import bad_request, error_response
from emulator.endpoints.file_stream_body import FileStreamError, parse_body
from emulator.permissions import may_write, write_denied
from emulator.state import state_of
from emulator.store import OffsetError, Store


def _gunzip(data: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        body = decompressor.decompress(data, limit + 1)
    except zlib.error as error:
        raise FileStreamError(f"request body is not valid gzip: {error}") from None
    if len(body) > limit:
        raise BodyTooLarge
    if not decompressor.eof:
        raise FileStreamError("request body is truncated gzip")
    return body


def _handle(request: Request, body: bytes, limit: int) -> Response:
    """Decompress, check and store one request (in a worker thread: decoding 10,000
    history lines must not hold up the event loop)."""
    try:
        if request.headers.get("content-encoding", "").lower() == "gzip":
            body = _gunzip(body, limit)
        batch = parse_body(body)
    except BodyTooLarge:
        return _too_large(limit)
    except FileStreamError as error:
        return bad_request(str(error))
    store: Store = state_of(request.app).store
    entity, project, name = (request.path_params[key] for key in ("entity", "project", "run"))
    run = store.runs.get(entity, project, name)
    if run is None:
        return error_response(404, f"run {entity}/{project}/{name} not found")
    username = request.scope.get("state", {}).get("username", "")
    if not may_write(store, state_of(request.app).settings, username, entity):
        return error_response(403, write_denied(username, entity))
    try:
        store.stream.apply(run.id, batch)
    except OffsetError as error:
        return bad_request(str(error))
    except LookupError:
        return error_response(404, f"run {entity}/{project}/{name} was deleted")
    return JSONResponse({"stopped": True} if store.lifecycle.stop_requested(run.id) else {})


def _too_large(limit: int) -> Response:
    return error_response(413, f"file_stream body is larger than {limit} bytes")


async def file_stream(request: Request) -> Response:
    """Store one batch of a run's history, events, summary, console and status."""
    limit = state_of(request.app).settings.max_file_stream_bytes
    try:
        body = await read_body(request, limit)
    except BodyTooLarge:
        return _too_large(limit)
    return await run_in_threadpool(_handle, request, body, limit)


ROUTES = [
    Route("/files/{entity}/{project}/{run}/file_stream", file_stream, methods=["POST"]),
]
