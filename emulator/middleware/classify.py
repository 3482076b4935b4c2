"""What a request is: its route kind, GraphQL operation and variables, entity/project/run.

The journal records it and the fault rules match on it, so both read one
:class:`RequestInfo`, made once per request and kept in the ASGI scope.

Route kinds: ``graphql``, ``file_stream``, ``upload`` (run-file PUTs), ``download``
(run-file GETs), ``artifact_file`` (artifact files and manifests), ``parquet``
(exported history); anything else is ``other``, and the admin routes are ``admin``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.types import Message, Receive, Scope

from emulator.file_urls import DOWNLOAD_PREFIX, UPLOAD_PREFIX
from emulator.operation_names import single_operation_name

ADMIN_PREFIX = "/_emulator/"
#: Key of the :class:`RequestInfo` in ``scope["state"]``.
SCOPE_KEY = "emulator.request"

# Which variables name the entity, project and run. W&B's operations spell them
# ``entity``/``entityName``, ``project``/``projectName``, ``run``/``runName``; ``name``
# is the run in ``UpsertBucket`` and the ``Run…`` queries, the project in ``GetProject``.
_ENTITY_KEYS = ("entity", "entityName")
_PROJECT_KEYS = ("project", "projectName")
_RUN_KEYS = ("run", "runName")


@dataclass(eq=False)
class RequestInfo:
    """One request as the journal and the fault rules see it.

    ``fault`` is the id of the rule that fired on it; ``applied`` is false when the
    fault answered in the emulator's place (the request, a write included, was then
    refused whole).
    """

    route: str
    method: str
    path: str
    operation: str | None = None
    variables: Any = None
    entity: str | None = None
    project: str | None = None
    run: str | None = None
    fault: str | None = None
    applied: bool = True


def route_kind(path: str) -> str:
    """The route kind of a request path."""
    if path == "/graphql":
        return "graphql"
    if path.startswith("/files/") and path.endswith("/file_stream"):
        return "file_stream"
    if path.startswith(UPLOAD_PREFIX + "/"):
        return "upload"
    if path.startswith(DOWNLOAD_PREFIX + "/"):
        return "download"
    if path.startswith(("/artifacts/", "/artifactsV2/")):
        return "artifact_file"
    if path.startswith("/_history/"):
        return "parquet"
    if path.startswith(ADMIN_PREFIX):
        return "admin"
    return "other"


async def request_info(scope: Scope, receive: Receive) -> tuple[RequestInfo, Receive]:
    """The request's :class:`RequestInfo` (made on the first call, then kept in the
    scope), and the ``receive`` to pass on: classifying a GraphQL request reads its
    body, which is then replayed to the route."""
    state = scope.setdefault("state", {})
    info: RequestInfo | None = state.get(SCOPE_KEY)
    if info is None:
        route = route_kind(scope["path"])
        body = None
        if route == "graphql":
            body = await _read_body(receive)
            receive = _replay(body, receive)
        info = state[SCOPE_KEY] = classify(route, scope["method"], scope["path"], body)
    return info, receive


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands out ``body`` whole, then defers to ``receive``
    (``__wrapped__`` leads back to it, as ``functools.wraps`` would)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    replayed.__wrapped__ = receive  # type: ignore[attr-defined]
    return replayed


def classify(route: str, method: str, path: str, body: bytes | None = None) -> RequestInfo:
    """What a request of kind ``route`` (see :func:`route_kind`) is; ``body`` is read
    for GraphQL requests."""
    info = RequestInfo(route, method, path)
    if route == "graphql":
        _read_graphql(info, body or b"")
    elif route != "other":
        _read_path(info, route, path)
    return info


def _read_path(info: RequestInfo, route: str, path: str) -> None:
    from urllib.parse import unquote

    parts = [unquote(part) for part in path.split("/")]
    # /files/{entity}/{project}/{run}/file_stream
    # /_download/runfiles/{entity}/{project}/{run}/{name...}
    # /artifactsV2/default/{entity}/{project}/...
    start = {"file_stream": 2, "download": 3}.get(route)
    if route == "artifact_file" and parts[1] == "artifactsV2":
        start = 3
    if start is not None and len(parts) > start + 2:
        info.entity, info.project = parts[start], parts[start + 1]
        if route != "artifact_file":
            info.run = parts[start + 2]


def _read_graphql(info: RequestInfo, body: bytes) -> None:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return
    if not isinstance(payload, dict):
        return
    variables = payload.get("variables")
    info.variables = variables if isinstance(variables, dict) else None
    name = payload.get("operationName")
    query = payload.get("query")
    if isinstance(name, str) and name:
        info.operation = name
    elif isinstance(query, str):
        info.operation = single_operation_name(query)
    if info.variables is not None:
        _read_variables(info, info.variables)


def _first(variables: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = variables.get(key)
        if isinstance(value, str):
            return value
    return None


def _read_variables(info: RequestInfo, variables: dict[str, Any]) -> None:
    info.entity = _first(variables, _ENTITY_KEYS)
    info.project = _first(variables, _PROJECT_KEYS)
    info.run = _first(variables, _RUN_KEYS)
    operation = info.operation or ""
    name = variables.get("name")
    if isinstance(name, str):
        if operation == "GetProject":
            info.project = info.project or name
        elif operation == "UpsertBucket" or (operation.startswith("Run") and operation != "Runs"):
            info.run = info.run or name
