"""Artifact manifests and files: PUT by the SDK while logging, GET while downloading.

No credentials are required: the SDK sends none on these requests. Bytes that do not
match the MD5 in the URL, and manifests that are not valid, are refused with 400.
"""

from __future__ import annotations

import base64

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.artifact_urls import FALLBACK_PATH, FILE_PATH, MANIFEST_PATH
from emulator.endpoints.errors import bad_request, error_response
from emulator.state import state_of
from emulator.store.artifacts.manifests import ArtifactError, check_hex_md5


def _not_found(what: str) -> Response:
    return error_response(404, f"{what} not found")


def _file_response(data: bytes, md5_hex: str) -> Response:
    """File bytes with the headers W&B's storage (GCS/S3 signed URLs) sends with them:
    the MD5 as a quoted ``ETag`` and in base64 as ``Content-MD5``, and the length."""
    content_md5 = base64.b64encode(bytes.fromhex(md5_hex)).decode("ascii")
    headers = {"ETag": f'"{md5_hex}"', "Content-MD5": content_md5}
    return Response(data, media_type="application/octet-stream", headers=headers)


async def artifact_file(request: Request) -> Response:
    """GET the bytes with this MD5, or PUT them (checked against the MD5)."""
    store = state_of(request.app).store.artifacts
    md5_hex = request.path_params["md5_hex"]
    try:
        check_hex_md5(md5_hex)
        if request.method == "PUT":
            await run_in_threadpool(store.contents.put_file, md5_hex, await request.body())
            return JSONResponse({})
    except ArtifactError as error:
        return bad_request(str(error))
    data = await run_in_threadpool(store.contents.file, md5_hex)
    if data is None:
        return _not_found(f"artifact file {md5_hex}")
    return _file_response(data, md5_hex)


async def artifact_manifest(request: Request) -> Response:
    """GET a version's manifest, or PUT it while the version is PENDING."""
    store = state_of(request.app).store.artifacts
    artifact_id = request.path_params["artifact_id"]
    if request.method == "PUT":
        try:
            await run_in_threadpool(store.put_manifest, artifact_id, await request.body())
        except ArtifactError as error:
            return bad_request(str(error))
        return JSONResponse({})
    data = await run_in_threadpool(store.contents.manifest, artifact_id)
    if data is None:
        return _not_found(f"manifest of artifact {artifact_id}")
    return Response(data, media_type="application/json")


async def fallback_file(request: Request) -> Response:
    """The SDK's fallback download path; the MD5 in it names the bytes."""
    try:
        md5_hex = check_hex_md5(request.path_params["md5_hex"])
    except ArtifactError as error:
        return bad_request(str(error))
    contents = state_of(request.app).store.artifacts.contents
    data = await run_in_threadpool(contents.file, md5_hex)
    if data is None:
        return _not_found(f"artifact file {request.path_params['name']}")
    return _file_response(data, md5_hex)


ROUTES = [
    Route(FILE_PATH, artifact_file, methods=["GET", "PUT"]),
    Route(MANIFEST_PATH, artifact_manifest, methods=["GET", "PUT"]),
    Route(FALLBACK_PATH, fallback_file, methods=["GET"]),
]
