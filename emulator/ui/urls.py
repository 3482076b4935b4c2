"""The UI's URLs, shaped like W&B's so that the run ``url`` the SDK and our client print
(``{app_url}/{entity}/{project}/runs/{id}``, where a local server's app URL is its base
URL) opens the run here, as do artifact URLs (``.../artifacts/{type}/{name}/{version}``)
and sweep URLs (``.../sweeps/{id}``, the SDK's and our client's ``Sweep.url``).

The handlers (:mod:`emulator.ui.views`, with Jinja2) are imported on the first page
request, so serving the API never pays for them.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from emulator.endpoints.lazy import imported_on_first_request

STATIC_PREFIX = "/_ui/static"
_VIEWS = "emulator.ui.views"
_PROJECT = "/{entity}/{project}"
#: Path -> (handler in views, route name or None).
_PAGES: tuple[tuple[str, str, str | None], ...] = (
    ("/", "home", "home"),
    ("/{entity}", "entity", "entity"),
    ("/{entity}/projects", "entity", None),
    (_PROJECT, "project", "project"),
    (_PROJECT + "/workspace", "workspace", None),
    (_PROJECT + "/table", "workspace", None),
    (_PROJECT + "/runs", "workspace", None),
    (_PROJECT + "/compare", "compare", "compare"),
    (_PROJECT + "/runs/{run}", "run", "run"),
    (_PROJECT + "/runs/{run}/{tab}", "run", None),
    (_PROJECT + "/artifacts", "artifacts", "artifacts"),
    (_PROJECT + "/artifacts/{type}/{collection}", "collection", "collection"),
    (_PROJECT + "/artifacts/{type}/{collection}/{version}", "version", "version"),
    (_PROJECT + "/sweeps", "sweeps", "sweeps"),
    (_PROJECT + "/sweeps/{sweep}", "sweep", "sweep"),
)


def routes() -> list[BaseRoute]:
    """The static files and every page, to be routed after the API's own paths."""
    static = StaticFiles(directory=Path(__file__).parent / "static")
    return [
        Mount(STATIC_PREFIX, static, name="static"),
        *(
            Route(path, imported_on_first_request(_VIEWS, handler), methods=["GET"], name=name)
            for path, handler, name in _PAGES
        ),
        # The run page's form: its tags and notes, the one thing the UI writes.
        Route(
            _PROJECT + "/runs/{run}",
            imported_on_first_request(_VIEWS, "edit_run"),
            methods=["POST"],
        ),
    ]
