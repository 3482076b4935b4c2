"""Record every request (but the admin routes') in the app's request journal.

The entry is kept from the request's arrival, and completed (status, duration, the
API key's user from ``scope["state"]["username"]``, set by the auth layer when
present) just before the last part of the answer is sent, or when the connection is
dropped. The fault layer marks the fault that fired on the request itself.
Bodies of file_stream requests and uploads are summarised (see :mod:`.bodies`).
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.middleware.bodies import BodyTap
from emulator.middleware.classify import request_info, route_kind
from emulator.state import state_of


class JournalMiddleware:
    """ASGI middleware keeping a :class:`~emulator.request_journal.JournalEntry` per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or route_kind(scope["path"]) == "admin":
            await self.app(scope, receive, send)
            return
        state = state_of(scope["app"])
        journal = state.journal
        if not journal.enabled:
            await self.app(scope, receive, send)
            return
        arrived, started = time.time(), time.perf_counter()
        info, receive = await request_info(scope, receive)
        entry = journal.record(info, arrived)
        tap = BodyTap.for_route(info.route, scope, receive)
        status: int | None = None

        def finish() -> None:
            if entry.in_flight:
                entry.finish(
                    status,
                    (time.perf_counter() - started) * 1000,
                    None if tap is None else tap.summary(),
                    scope["state"].get("username"),
                )

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif not message.get("more_body", False) or scope["state"].get("truncated"):
                # Before the client can see the end of the answer (or, for a fault that
                # truncates it, the connection drop that follows this part).
                finish()
            await send(message)

        try:
            await self.app(scope, receive if tap is None else tap, send_and_watch)
        except BaseException:
            if status is None and info.fault is None:
                status = 500  # what the server answers for an unhandled error
            raise
        finally:
            finish()
