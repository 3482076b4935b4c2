"""HTTP endpoints, one module per concern; ``routes()`` lists them all.

``/graphql`` is imported on its first request: the GraphQL stack (graphql-core, ariadne,
the resolvers and the schema built from them) is most of what the server imports, and
no other route needs it. :func:`warm_up` loads it ahead of time; ``wandb-emulator serve``
does that in the background as soon as it listens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import import_module

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from emulator.endpoints import (
    admin,
    artifacts,
    faults,
    file_stream,
    journal,
    misc,
    parquet,
    run_files,
)

Endpoint = Callable[[Request], Awaitable[Response]]
_GRAPHQL = "emulator.endpoints.graphql"


def warm_up() -> None:
    """Import the GraphQL endpoint and build its schema now (both happen once per process)."""
    import_module(_GRAPHQL).build_schema()


def _imported_on_first_request(module: str, name: str) -> Endpoint:
    """An endpoint handing each request to ``module.name``, imported on the first request
    in a worker thread (the event loop keeps serving other routes meanwhile)."""
    target: Endpoint | None = None

    async def endpoint(request: Request) -> Response:
        nonlocal target
        if target is None:
            target = getattr(await run_in_threadpool(import_module, module), name)
        return await target(request)

    return endpoint


def routes() -> list[BaseRoute]:
    """Every route of the emulator app."""
    return [
        Route(
            "/graphql", _imported_on_first_request(_GRAPHQL, "graphql_endpoint"),
            methods=["GET", "POST"],
        ),
        *file_stream.ROUTES,
        *admin.ROUTES,
        *faults.ROUTES,
        *journal.ROUTES,
        *misc.ROUTES,
        *run_files.ROUTES,
        *parquet.ROUTES,
        *artifacts.ROUTES,
    ]
