"""``GET /_history/<run id>/<position>.parquet``: a run's exported history, with Range support."""

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
    """The parquet file at ``position`` of run ``run_id``; 404 if none was served."""
    run_id, position = request.path_params["run_id"], request.path_params["position"]
    data = await run_in_threadpool(
        parquet_export.read_export, state_of(request.app).store, run_id, position
    )
    if data is None:
        return error_response(404, f"no parquet history for run {run_id} at {position}")
    return ranged_response(request, data, parquet_export.PARQUET_MEDIA_TYPE)


ROUTES = [Route("/_history/{run_id:int}/{position:int}.parquet", parquet_file, methods=["GET"])]
