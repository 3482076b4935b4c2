"""The ASGI application factory."""

from __future__ import annotations

import sqlite3

from starlette.applications import Starlette

from emulator.endpoints import routes
from emulator.endpoints.errors import storage_full
from emulator.middleware import middleware_stack
from emulator.seeders import Seeder
from emulator.settings import Settings
from emulator.state import EmulatorState
from emulator.store import Store


def create_app(
    store: Store | None = None, *, settings: Settings | None = None, seeder: Seeder | None = None
) -> Starlette:
    """Build an emulator app over ``store`` (a fresh in-memory store by default).

    Nothing is module-level: each app carries its own :class:`EmulatorState`, so
    several emulators can live in one process.
    """
    app = Starlette(
        routes=routes(),
        middleware=middleware_stack(),
        exception_handlers={OSError: storage_full, sqlite3.OperationalError: storage_full},
    )
    app.state.emulator = EmulatorState(
        store=store if store is not None else Store(),
        settings=settings or Settings(),
        seeder=seeder,
    )
    return app
