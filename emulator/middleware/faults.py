"""Answer requests that a fault rule matches with the rule's failure.

See :mod:`emulator.fault_rules` for the rules. A rule that fires marks the request's
:class:`~emulator.middleware.classify.RequestInfo` with its id, and with
``applied=False`` when the emulator never saw the request (a status, a GraphQL error
or a reset answered in its place): a faulted write is refused whole, or (after a
delay, or with a truncated answer) handled whole. A request still waiting out a delay
when the rules are reset or cleared (the test that set them is over) is dropped
instead. The admin routes are never faulted.
"""

from __future__ import annotations

import asyncio
import math
from http import HTTPStatus

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.fault_rules import FaultSpec, Fired
from emulator.middleware.classify import RequestInfo, request_info, route_kind
from emulator.middleware.connection import drop
from emulator.state import state_of

#: ``Retry-After`` of a 429 whose rule gives no ``retry_after``, in seconds.
DEFAULT_RETRY_AFTER_S = 1.0
#: The ``RateLimit-Limit`` a 429 advertises (W&B sends the IETF draft's headers; the SDK
#: reads ``RateLimit-Remaining`` and ``RateLimit-Reset``).
RATE_LIMIT = 100


def _number(value: float) -> str:
    return f"{value:g}"


def _error_response(spec: FaultSpec, info: RequestInfo, rule_id: str) -> JSONResponse:
    status = spec.status or 500
    message = f"{HTTPStatus(status).phrase} (fault {rule_id} of wandb-emulator)"
    headers = {}
    retry_after = spec.retry_after
    if status == 429:
        retry_after = DEFAULT_RETRY_AFTER_S if retry_after is None else retry_after
        headers["RateLimit-Limit"] = str(RATE_LIMIT)
        headers["RateLimit-Remaining"] = "0"
        headers["RateLimit-Reset"] = str(math.ceil(retry_after))
    if retry_after is not None:
        headers["Retry-After"] = _number(retry_after)
    # GraphQL clients read messages from "errors"; the other routes answer {"error": ...}.
    body = {"errors": [{"message": message}]} if info.route == "graphql" else {"error": message}
    return JSONResponse(body, status_code=status, headers=headers)


class FaultMiddleware:
    """ASGI middleware applying the app's fault rules."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or state_of(scope["app"]).faults.empty
            or route_kind(scope["path"]) == "admin"
        ):
            await self.app(scope, receive, send)
            return
        info, receive = await request_info(scope, receive)
        fired = state_of(scope["app"]).faults.match(info)
        if fired is None:
            await self.app(scope, receive, send)
            return
        await self._apply(fired, info, scope, receive, send)

    async def _apply(
        self, fired: Fired, info: RequestInfo, scope: Scope, receive: Receive, send: Send
    ) -> None:
        spec, rule_id = fired.rule.spec, fired.rule.id
        info.fault = rule_id
        if fired.delay_s:
            rules = state_of(scope["app"]).faults
            generation = rules.generation
            await asyncio.sleep(fired.delay_s)
            if rules.generation != generation:
                # The rules were reset meanwhile (the test that set them is over): the
                # late request must not change the store the next test starts with.
                info.applied = False
                await drop(receive, reset=True, reason=f"fault {rule_id} was reset")
                return
        if spec.status is not None:
            info.applied = False
            await _error_response(spec, info, rule_id)(scope, receive, send)
        elif spec.graphql_error is not None:
            info.applied = False
            body = {"errors": [{"message": spec.graphql_error}], "data": None}
            await JSONResponse(body)(scope, receive, send)
        elif spec.reset:
            info.applied = False
            await drop(receive, reset=True, reason=f"connection reset by fault {rule_id}")
        elif spec.truncate:
            await self._truncated(rule_id, scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _truncated(self, rule_id: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle the request, then send the answer's headers and half its body, and
        close the connection."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, hold)
        body = b"".join(chunks)
        if start is not None:
            scope["state"]["truncated"] = True  # the journal completes on this last part
            await send(start)
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
        await drop(receive, reset=False, reason=f"response truncated by fault {rule_id}")
