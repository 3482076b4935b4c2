"""Local-server guards: web pages in the user's browser cannot drive the emulator.

A page on any site can make the browser send requests to ``127.0.0.1:8080``; without
these checks it could seed, wipe or export the store, or log runs. Three checks:

- **Host** (every request): the ``Host`` header must name the address the server is
  bound to, ``localhost``, ``127.0.0.1``, ``::1`` or one of
  ``Settings.allowed_hosts`` (``*`` allows any). A DNS-rebinding page reaches the
  server under its own name, so its requests, reads included, get a 400.
- **Origin** (admin routes and every write, i.e. any method but GET/HEAD/OPTIONS):
  browsers send ``Origin`` on such requests; one from another host is refused with
  403, as is ``Origin: null`` (sandboxed frames, ``file:`` pages). Without ``Origin``,
  ``Sec-Fetch-Site: cross-site`` is refused too.
- **Content type** (POSTs to the admin routes): ``Content-Type: application/json`` or
  an ``X-Wandb-Emulator`` header is required (415 otherwise). Browsers cannot send
  either cross-site without a CORS preflight, which the emulator never grants.

The SDK, this project's client and command-line tools send no ``Origin`` and name the
server as they were told to, so they pass.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.middleware.classify import ADMIN_PREFIX
from emulator.state import state_of

#: Host names that always reach a local server.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
#: The header that marks an admin request as not sent by a web page.
CUSTOM_HEADER = "x-wandb-emulator"
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_WATCHED = frozenset(
    {b"host", b"origin", b"sec-fetch-site", b"content-type", CUSTOM_HEADER.encode()}
)


def host_name(host: str) -> str:
    """The name in a ``Host`` header (``[::1]:8080`` -> ``::1``), lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _allowed(name: str, scope: Scope, extra: tuple[str, ...]) -> bool:
    if name in LOOPBACK_HOSTS or "*" in extra or name in extra:
        return True
    server = scope.get("server")
    return server is not None and name == str(server[0]).lower()


def refusal(scope: Scope, allowed_hosts: tuple[str, ...] = ()) -> tuple[int, str] | None:
    """Why the request must be refused (status and message), or ``None``."""
    headers = {
        key.decode("latin-1"): value.decode("latin-1")
        for key, value in scope["headers"]
        if key in _WATCHED
    }
    host = headers.get("host")
    if host is not None and not _allowed(host_name(host), scope, allowed_hosts):
        return 400, (
            f"Host {host!r} is not this server's address: requests must name it as "
            "localhost, 127.0.0.1 or [::1] (or as --allowed-host lists)"
        )
    method, path = scope["method"], scope["path"]
    admin = path.startswith(ADMIN_PREFIX)
    if not admin and method in _READS:
        return None
    origin = headers.get("origin")
    if origin is not None:
        origin_host = urlsplit(origin).hostname if origin != "null" else None
        if origin_host is None or not _allowed(origin_host.lower(), scope, allowed_hosts):
            return 403, f"cross-site request from Origin {origin!r} refused"
    elif headers.get("sec-fetch-site") == "cross-site":
        return 403, "cross-site request refused (Sec-Fetch-Site: cross-site)"
    if admin and method == "POST":
        json_body = headers.get("content-type", "").lower().startswith("application/json")
        if not json_body and CUSTOM_HEADER not in headers:
            return 415, (
                "admin requests need Content-Type: application/json or an X-Wandb-Emulator header"
            )
    return None


class GuardMiddleware:
    """ASGI middleware refusing what :func:`refusal` finds, before any other layer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = refusal(scope, state_of(scope["app"]).settings.allowed_hosts)
            if found is not None:
                status, message = found
                await JSONResponse({"error": message}, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)
