"""Who is asking: the API key of each request resolves to a user.

The key comes from ``Authorization: Basic base64("api:<key>")``, the form the SDK and
wandb-core send on ``/graphql``, file_stream, run-file downloads and public uploads (any
user name before the colon is accepted, as W&B does), or ``Authorization: Bearer <key>``.
``X-WANDB-USERNAME`` and ``X-WANDB-USER-EMAIL`` are informational on W&B and are ignored.
The user's name is put at ``scope["state"]["username"]`` for the routes and the layers
inside this one.

Open mode (the default): a registered key is its user; no key, an empty key or any other
key is the default user (``Settings.entity``), as before users existed.

Strict mode: an unknown or revoked key gets HTTP 401 with a JSON message on every route,
and so does a request without a key, except ``/healthz``, the SDK's telemetry sink, the
GraphQL explorer page and URLs the emulator signed for a user (the file URLs GraphQL hands
out, which the SDK fetches without credentials: see :mod:`emulator.url_signing`). Admin
routes (``/_emulator/...``) need an instance admin (403 otherwise).

:data:`~emulator.settings.DEFAULT_API_KEY` is always the default user, an instance admin,
so a strict server is usable with no setup. A malformed ``Authorization`` header is a 401
naming the problem in both modes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.settings import DEFAULT_API_KEY
from emulator.state import EmulatorState, state_of
from emulator.url_signing import signed_user

#: Paths any request may reach in strict mode.
OPEN_PATHS = frozenset({"/healthz"})
OPEN_PREFIXES = ("/sdk/otel/",)
ADMIN_PREFIX = "/_emulator/"
_REALM = b'Basic realm="wandb-emulator", charset="UTF-8"'


class MalformedAuthorization(ValueError):
    """An ``Authorization`` header that carries no key in a form W&B clients use."""


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, and with which status."""

    status: int
    message: str


def api_key(headers: Headers) -> str | None:
    """The API key of a request, ``None`` when it sends none (or an empty one)."""
    value = headers.get("authorization")
    if value is None:
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        return token
    if scheme.lower() != "basic" or not token:
        raise MalformedAuthorization(
            "malformed Authorization header: expected 'Basic base64(api:<key>)' or 'Bearer <key>'"
        )
    try:
        decoded = base64.b64decode(token, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise MalformedAuthorization(
            "malformed Authorization header: the Basic credentials are not base64 of 'api:<key>'"
        ) from None
    _, colon, key = decoded.partition(":")
    if not colon:
        raise MalformedAuthorization(
            "malformed Authorization header: the Basic credentials have no ':' before the key"
        )
    return key or None


def identify(state: EmulatorState, key: str | None, scope: Scope) -> str | Refusal:
    """The username a request acts as, or why it is refused (may read the store)."""
    settings = state.settings
    if key == DEFAULT_API_KEY:
        return settings.entity
    if key is not None:
        user = state.store.identity.user_by_key(key)
        if user is not None:
            if settings.strict:
                admin = user.admin or user.username == settings.entity
                return _check_admin_route(scope, user.username, admin)
            return user.username
        if settings.strict:
            return Refusal(401, "unknown or revoked API key")
        return settings.entity
    if not settings.strict:
        return settings.entity
    path: str = scope["path"]
    if _is_open(scope):
        return settings.entity
    signer = signed_user(path, QueryParams(scope.get("query_string", b"")), state.url_secret)
    if signer is not None and not path.startswith(ADMIN_PREFIX):
        return signer
    return Refusal(401, f"{path} needs an API key: send 'Authorization: Basic base64(api:<key>)'")


def _is_open(scope: Scope) -> bool:
    path: str = scope["path"]
    explorer = path == "/graphql" and scope.get("method") == "GET"
    return explorer or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def _check_admin_route(scope: Scope, username: str, admin: bool) -> str | Refusal:
    path: str = scope["path"]
    if path.startswith(ADMIN_PREFIX) and not admin:
        return Refusal(403, f"{path} needs an instance admin; user {username!r} is not one")
    return username


class AuthMiddleware:
    """Resolves each request's API key to a user (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = state_of(scope["app"])
        try:
            key = api_key(Headers(scope=scope))
        except MalformedAuthorization as error:
            await _refuse(Refusal(401, str(error)), send)
            return
        if key is None or key == DEFAULT_API_KEY:
            outcome = identify(state, key, scope)  # reads nothing from the store
        else:
            outcome = await run_in_threadpool(identify, state, key, scope)
        if isinstance(outcome, Refusal):
            await _refuse(outcome, send)
            return
        scope.setdefault("state", {})["username"] = outcome
        await self.app(scope, receive, send)


async def _refuse(refusal: Refusal, send: Send) -> None:
    body = json.dumps({"error": refusal.message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if refusal.status == 401:
        headers.append((b"www-authenticate", _REALM))
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
