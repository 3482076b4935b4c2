"""``/_emulator/requests`` (the request journal) and ``/_emulator/unsupported``.

``GET /_emulator/requests`` answers the journal as a JSON list, oldest first, filtered
by any of ``operation``, ``route``, ``entity``, ``project``, ``run`` and ``since`` (ISO
8601 or epoch seconds); ``DELETE`` empties it. ``GET /_emulator/unsupported`` lists
the GraphQL validation errors clients met (see ``emulator.unsupported``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.endpoints.errors import bad_request
from emulator.fault_rules import ROUTE_KINDS
from emulator.request_journal import parse_time
from emulator.state import state_of

_FILTERS = ("operation", "route", "entity", "project", "run", "since")
#: Route kinds of journal entries: those rules name, and the rest.
JOURNAL_ROUTES = (*ROUTE_KINDS, "other")


async def list_requests(request: Request) -> Response:
    """The journal, filtered by the query parameters."""
    params = request.query_params
    unknown = sorted(set(params) - set(_FILTERS))
    if unknown:
        return bad_request(f"unknown filter {unknown[0]!r} (known: {', '.join(_FILTERS)})")
    route = params.get("route")
    if route is not None and route not in JOURNAL_ROUTES:
        return bad_request(f"'route' must be one of {', '.join(JOURNAL_ROUTES)}; got {route!r}")
    try:
        since = parse_time(params["since"]) if "since" in params else None
    except ValueError as error:
        return bad_request(str(error))
    entries = state_of(request.app).journal.entries(
        operation=params.get("operation"),
        route=route,
        since=since,
        entity=params.get("entity"),
        project=params.get("project"),
        run=params.get("run"),
    )
    return JSONResponse([entry.as_dict() for entry in entries])


async def clear_requests(request: Request) -> Response:
    """Empty the journal."""
    state_of(request.app).journal.clear()
    return JSONResponse({"status": "ok"})


async def list_unsupported(request: Request) -> Response:
    """GraphQL operations and fields clients asked for that the emulator lacks."""
    found = state_of(request.app).unsupported.all()
    return JSONResponse([item.as_dict() for item in found])


ROUTES = [
    Route("/_emulator/requests", list_requests, methods=["GET"]),
    Route("/_emulator/requests", clear_requests, methods=["DELETE"]),
    Route("/_emulator/unsupported", list_unsupported, methods=["GET"]),
]
