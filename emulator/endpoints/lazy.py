"""Endpoints whose module is imported on the first request that needs it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib import import_module

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[[Request], Awaitable[Response]]


def imported_on_first_request(module: str, name: str) -> Endpoint:
    """An endpoint handing each request to ``module.name``, imported on the first request
    in a worker thread (the event loop keeps serving other routes meanwhile)."""
    target: Endpoint | None = None

    async def endpoint(request: Request) -> Response:
        nonlocal target
        if target is None:
            target = getattr(await run_in_threadpool(import_module, module), name)
        return await target(request)

    return endpoint
