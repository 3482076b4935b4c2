"""Dropping a client's connection from inside an ASGI app, as a network failure would.

ASGI has no message for "close the connection without answering": an app that returns
without a response makes the server answer 500. Under uvicorn, ``receive`` is a method
of the request's cycle, which holds the connection's transport; this module follows
``__wrapped__`` from the ``receive`` it is given back to that method and closes the
transport (``reset``: with an RST, as a crashed peer or a middlebox would). Other
servers (Starlette's ``TestClient``) get a :class:`ConnectionResetError` raised
instead, which their client sees as the failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Any

from starlette.types import Receive

#: How long to wait for the server to notice the closed connection.
_NOTICE_TIMEOUT_S = 2.0


def _transport(receive: Any) -> asyncio.Transport | None:
    while hasattr(receive, "__wrapped__"):
        receive = receive.__wrapped__
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.Transport) else None


async def drop(receive: Receive, *, reset: bool, reason: str) -> None:
    """Close the connection of the request ``receive`` belongs to.

    ``reset`` closes it with a TCP RST at once; otherwise what was sent is flushed
    first (a response cut short). Returns once the server has noticed, so that it
    does not answer on its own.

    Raises:
        ConnectionResetError: when the server's transport cannot be reached.
    """
    transport = _transport(receive)
    if transport is None:
        raise ConnectionResetError(reason)
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
    # The server's receive() answers http.disconnect once the connection is gone.
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(_disconnected(receive), _NOTICE_TIMEOUT_S)


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
