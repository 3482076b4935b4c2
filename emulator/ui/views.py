"""The UI's page handlers (routed by :mod:`emulator.ui.urls`).

Every handler reads the store in a worker thread and renders a template; what is not
found is a 404 page naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from emulator.state import state_of
from emulator.ui import pages
from emulator.ui.edits import EditError, RunEdit, apply_edit
from emulator.ui.templating import render


def _not_found(request: Request, missing: pages.NotFound) -> Response:
    return render(request, "error.html", 404, title="Not found", message=str(missing))


async def _page(
    request: Request, template: str, build: Callable[..., dict[str, Any]], *args: Any
) -> Response:
    """The page ``build(*args)`` describes, read and rendered in a worker thread (a long
    page must not hold up the event loop that serves the API)."""
    state = state_of(request.app)

    def read_and_render() -> Response:
        state.crash_stale_runs()
        try:
            return render(request, template, **build(*args))
        except pages.NotFound as missing:
            return _not_found(request, missing)

    return await run_in_threadpool(read_and_render)


def _store_and_path(request: Request, *names: str) -> list[Any]:
    return [state_of(request.app).store, *(request.path_params[name] for name in names)]


async def home(request: Request) -> Response:
    return await _page(request, "home.html", pages.home, *_store_and_path(request))


async def entity(request: Request) -> Response:
    args = _store_and_path(request, "entity")
    return await _page(request, "entity.html", pages.entity, *args)


async def project(request: Request) -> Response:
    args = _store_and_path(request, "entity", "project")
    return await _page(request, "project.html", pages.project, *args, request.query_params)


async def run(request: Request) -> Response:
    store, *path = _store_and_path(request, "entity", "project", "run")
    cache = state_of(request.app).ui_series
    return await _page(request, "run.html", pages.run, store, cache, *path)


async def edit_run(request: Request) -> Response:
    """Apply the run page's tags and notes form, then show the run again."""
    store, entity, project, name = _store_and_path(request, "entity", "project", "run")
    try:
        edit = RunEdit.parse(await request.body())
        await run_in_threadpool(apply_edit, store, entity, project, name, edit)
    except EditError as error:
        return render(request, "error.html", 400, title="Not saved", message=str(error))
    except pages.NotFound as missing:
        return _not_found(request, missing)
    return RedirectResponse(request.url.path, status_code=303)


async def compare(request: Request) -> Response:
    store, *path = _store_and_path(request, "entity", "project")
    cache = state_of(request.app).ui_series
    names = request.query_params.getlist("run")
    metric = request.query_params.get("metric")
    return await _page(request, "compare.html", pages.compare, store, cache, *path, names, metric)


async def artifacts(request: Request) -> Response:
    args = _store_and_path(request, "entity", "project")
    return await _page(request, "artifacts.html", pages.artifacts, *args)


async def collection(request: Request) -> Response:
    args = _store_and_path(request, "entity", "project", "type", "collection")
    return await _page(request, "collection.html", pages.collection, *args)


async def version(request: Request) -> Response:
    args = _store_and_path(request, "entity", "project", "type", "collection", "version")
    return await _page(request, "version.html", pages.version, *args)


async def sweeps(request: Request) -> Response:
    args = _store_and_path(request, "entity", "project")
    return await _page(request, "sweeps.html", pages.sweeps, *args)


async def sweep(request: Request) -> Response:
    args = _store_and_path(request, "entity", "project", "sweep")
    return await _page(request, "sweep.html", pages.sweep, *args)


async def workspace(request: Request) -> Response:
    """W&B's project workspace URL (what our client's ``Project.url`` gives): the runs."""
    return RedirectResponse(request.url_for("project", **request.path_params), status_code=307)
