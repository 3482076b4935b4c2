"""Record every request (but the admin routes') in the app's request journal.

The entry is kept once the response is sent (or the connection dropped), with the
time the request arrived, its status, how long it took, the fault that fired and the
API key's user (``scope["state"]["username"]``, set by the auth layer when present).
Bodies of file_stream requests and uploads are summarised (see :mod:`.bodies`).
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.middleware.bodies import BodyTap
from emulator.middleware.classify import request_info, route_kind
from emulator.request_journal import JournalEntry
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
        seq = journal.next_seq()
        info, receive = await request_info(scope, receive)
        tap = BodyTap.for_route(info.route, scope, receive)
        status: int | None = None

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive if tap is None else tap, send_and_watch)
        except BaseException:
            if status is None and info.fault is None:
                status = 500  # what the server answers for an unhandled error
            raise
        finally:
            journal.record(JournalEntry(
                seq=seq,
                time=arrived,
                route=info.route,
                method=info.method,
                path=info.path,
                operation=info.operation,
                variables=info.variables,
                entity=info.entity,
                project=info.project,
                run=info.run,
                body=None if tap is None else tap.summary(),
                status=status,
                duration_ms=(time.perf_counter() - started) * 1000,
                fault=info.fault,
                applied=info.applied,
                user=scope["state"].get("username"),
            ))
