"""HTTP endpoints, one module per concern; ``routes()`` lists them all.

``/graphql`` is imported on its first request: the GraphQL stack (graphql-core, ariadne,
the resolvers and the schema built from them) is most of what the server imports, and
no other route needs it. :func:`warm_up` loads it ahead of time; ``wandb-emulator serve``
does that in the background as soon as it listens. The UI's pages (:mod:`emulator.ui`)
are likewise imported on the first page request.
"""

from __future__ import annotations

from importlib import import_module

from starlette.routing import BaseRoute, Route

from emulator.endpoints import (
    admin,
    artifacts,
    faults,
    file_stream,
    identity,
    journal,
    misc,
    parquet,
    run_files,
)
from emulator.endpoints.lazy import imported_on_first_request
from emulator.ui.urls import routes as ui_routes

_GRAPHQL = "emulator.endpoints.graphql"


def warm_up() -> None:
    """Import the GraphQL endpoint and build its schema now (both happen once per process)."""
    import_module(_GRAPHQL).build_schema()


def routes() -> list[BaseRoute]:
    """Every route of the emulator app."""
    return [
        Route(
            "/graphql",
            imported_on_first_request(_GRAPHQL, "graphql_endpoint"),
            methods=["GET", "POST"],
        ),
        *file_stream.ROUTES,
        *admin.ROUTES,
        *identity.ROUTES,
        *faults.ROUTES,
        *journal.ROUTES,
        *misc.ROUTES,
        *run_files.ROUTES,
        *parquet.ROUTES,
        *artifacts.ROUTES,
        # Last: the UI's W&B-shaped paths (/{entity}/{project}...) match what is left.
        *ui_routes(),
    ]
