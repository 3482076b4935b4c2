"""Run-file uploads (PUT to a URL from ``createRunFiles``) and downloads (GET ``File.url``).

Neither needs credentials: wandb-core sends its upload PUTs without any.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.endpoints.bodies import BodyTooLarge, read_body
from emulator.endpoints.errors import error_response
from emulator.file_urls import DOWNLOAD_PREFIX, UPLOAD_PREFIX
from emulator.state import state_of
from emulator.store.files import UploadError


async def upload(request: Request) -> Response:
    """Store the PUT body as the file the upload URL was made for (once per URL)."""
    limit = state_of(request.app).settings.max_upload_bytes
    try:
        data = await read_body(request, limit)
    except BodyTooLarge:
        return error_response(413, f"upload is larger than the limit of {limit} bytes")
    store = state_of(request.app).store
    try:
        await run_in_threadpool(store.files.accept_upload, request.path_params["token"], data)
    except UploadError as error:
        return error_response(409 if error.used else 404, str(error))
    return JSONResponse({})


async def download(request: Request) -> Response:
    """The bytes of one run file, with its mimetype and length."""
    params = request.path_params
    store = state_of(request.app).store

    def find() -> tuple[bytes, str] | None:
        run = store.runs.get(params["entity"], params["project"], params["run"])
        stored = None if run is None else store.files.get(run.id, params["name"])
        if stored is None:
            return None
        data = store.files.read(stored)
        return None if data is None else (data, stored.mimetype)

    found = await run_in_threadpool(find)
    if found is None:
        return error_response(404, f"no such run file: {params['name']}")
    data, mimetype = found
    return Response(data, media_type=mimetype)


ROUTES = [
    Route(UPLOAD_PREFIX + "/{token}", upload, methods=["PUT"]),
    Route(DOWNLOAD_PREFIX + "/{entity}/{project}/{run}/{name:path}", download, methods=["GET"]),
]
