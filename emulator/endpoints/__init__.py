"""HTTP endpoints, one module per concern; ``routes()`` lists them all."""

from __future__ import annotations

from starlette.routing import BaseRoute

from emulator.endpoints import admin, artifacts, file_stream, graphql, history, misc, run_files


def routes() -> list[BaseRoute]:
    """Every route of the emulator app."""
    return [
        *graphql.ROUTES,
        *file_stream.ROUTES,
        *admin.ROUTES,
        *misc.ROUTES,
        *run_files.ROUTES,
        *history.ROUTES,
        *artifacts.ROUTES,
    ]
