"""Admin routes under ``/_emulator/``: reset, seed, export and import the store.

The fault rules and the request journal have routes of their own (``faults.py``,
``journal.py``).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.endpoints.bodies import json_body
from emulator.endpoints.errors import bad_request, error_response
from emulator.seeders import NoSeederError, default_seeder
from emulator.state import state_of


async def _json_object(request: Request) -> dict[str, Any]:
    data = await json_body(request)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"request body must be a JSON object, got {type(data).__name__}")
    return data


async def reset(request: Request) -> Response:
    """Empty the store, and forget fault rules, the journal and unsupported operations."""
    state = state_of(request.app)
    await run_in_threadpool(state.store.clear)
    state.reset_harness()
    return JSONResponse({"status": "ok"})


async def seed(request: Request) -> Response:
    """Fill a project with seeded fake runs: ``{"seed", "entity", "project", "runs", "steps"}``."""
    try:
        body = await _json_object(request)
        seeder = state_of(request.app).seeder or default_seeder()
        runs = await run_in_threadpool(seeder, state_of(request.app).store, body)
    except NoSeederError as error:
        return error_response(501, str(error))
    except ValueError as error:
        return bad_request(str(error))
    return JSONResponse({"status": "ok", "runs": [run.name for run in runs]})


async def export(request: Request) -> Response:
    """A JSON snapshot of the whole store."""
    snapshot = await run_in_threadpool(state_of(request.app).store.export)
    return JSONResponse(snapshot)


async def import_(request: Request) -> Response:
    """Replace the store with a snapshot from ``GET /_emulator/export``; all or nothing."""
    try:
        snapshot = await _json_object(request)
        await run_in_threadpool(state_of(request.app).store.load, snapshot)
    except ValueError as error:
        return bad_request(f"invalid snapshot: {error}")
    return JSONResponse({"status": "ok"})


ROUTES = [
    Route("/_emulator/reset", reset, methods=["POST"]),
    Route("/_emulator/seed", seed, methods=["POST"]),
    Route("/_emulator/export", export, methods=["GET"]),
    Route("/_emulator/import", import_, methods=["POST"]),
]
