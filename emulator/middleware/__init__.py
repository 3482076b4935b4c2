"""ASGI middleware: what every request passes through before a route sees it.

Routes stay unaware of these layers. From the outside in:

1. guards: local-server protection (Host and Origin checks on admin routes and writes);
2. auth: the API key resolves to a user, kept as ``scope["state"]["username"]``;
3. journal: every request is recorded, with the user and any fault that fired;
4. faults: rules that answer a matching request with an injected failure.

:func:`middleware_stack` lists the layers for :func:`emulator.app.create_app`, outermost
first. Helpers they share: ``classify`` (what a request is: route kind, GraphQL operation
and variables, entity/project/run; made once per request), ``bodies`` (summaries of
file_stream and upload bodies for the journal) and ``connection`` (dropping a
connection, for the reset and truncate faults).
"""

from __future__ import annotations

from starlette.middleware import Middleware


def middleware_stack() -> list[Middleware]:
    """The middleware of an emulator app, outermost first."""
    from emulator.middleware.auth import AuthMiddleware
    from emulator.middleware.faults import FaultMiddleware
    from emulator.middleware.guards import GuardMiddleware
    from emulator.middleware.journal import JournalMiddleware

    return [
        Middleware(GuardMiddleware),
        Middleware(AuthMiddleware),
        Middleware(JournalMiddleware),
        Middleware(FaultMiddleware),
    ]
