"""The ASGI application factory."""

from __future__ import annotations

from starlette.applications import Starlette

from emulator.endpoints import routes
from emulator.seeders import Seeder
from emulator.settings import Settings
from emulator.store import Store


def create_app(
    store: Store | None = None, *, settings: Settings | None = None, seeder: Seeder | None = None
) -> Starlette:
    """Build an emulator app over ``store`` (a fresh in-memory store by default).

    Nothing is module-level: each app carries its own store, settings and seeder
    in ``app.state``, so several emulators can live in one process.
    """
    app = Starlette(routes=routes())
    app.state.store = store if store is not None else Store()
    app.state.settings = settings or Settings()
    app.state.seeder = seeder
    return app
