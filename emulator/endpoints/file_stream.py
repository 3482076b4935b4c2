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
from emulator.file_stream import FileStreamError, parse_body
from emulator.store import OffsetError, Store, StreamBatch


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


def _store(store: Store, entity: str, project: str, name: str, batch: StreamBatch) -> Response:
    run = store.runs.get(entity, project, name)
    if run is None:
        return error_response(404, f"run {entity}/{project}/{name} not found")
    try:
        store.stream.apply(run.id, batch)
    except OffsetError as error:
        return bad_request(str(error))
    except LookupError:
        return error_response(404, f"run {entity}/{project}/{name} was deleted")
    return JSONResponse({"stopped": True} if store.lifecycle.stop_requested(run.id) else {})


async def file_stream(request: Request) -> Response:
    """Store one batch of a run's history, events, summary, console and status."""
    limit = request.app.state.settings.max_file_stream_bytes
    try:
        body = await read_body(request, limit)
        if request.headers.get("content-encoding", "").lower() == "gzip":
            body = _gunzip(body, limit)
        batch = parse_body(body)
    except BodyTooLarge:
        return error_response(413, f"file_stream body is larger than {limit} bytes")
    except FileStreamError as error:
        return bad_request(str(error))
    params = request.path_params
    return await run_in_threadpool(
        _store, request.app.state.store, params["entity"], params["project"], params["run"], batch
    )


ROUTES = [
    Route("/files/{entity}/{project}/{run}/file_stream", file_stream, methods=["POST"]),
]
