"""``GET /_history/<run id>/<version>.parquet``: a run's exported history, with Range support."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.endpoints.errors import error_response
from emulator.endpoints.ranges import ranged_response
from emulator.state import state_of
from emulator.store import parquet_export


async def parquet_file(request: Request) -> Response:
    """The parquet file of ``run_id`` at history ``version``; 404 once the history changed."""
    run_id, version = request.path_params["run_id"], request.path_params["version"]
    data = await run_in_threadpool(
        parquet_export.read_export, state_of(request.app).store, run_id, version
    )
    if data is None:
        return error_response(404, f"no parquet history for run {run_id} at version {version}")
    return ranged_response(request, data, parquet_export.PARQUET_MEDIA_TYPE)


ROUTES = [Route("/_history/{run_id:int}/{version:int}.parquet", parquet_file, methods=["GET"])]
