"""Admin routes for identity: users, API keys, teams and organizations.

``POST /_emulator/users`` ``{"username", "api_key"?, "email"?, "name"?, "admin"?}``,
``GET /_emulator/users``, ``POST /_emulator/users/{username}/keys``
``{"api_key"?, "description"?}``, ``POST /_emulator/teams`` ``{"name", "admin",
"members"?, "organization"?}``, ``POST``/``DELETE /_emulator/teams/{team}/members[/{username}]``
and ``POST /_emulator/orgs`` ``{"name", "teams"?, "members"?}``. Bodies are validated by
:mod:`emulator.identity_admin`; errors are 400 (invalid), 404 (unknown names) or 409
(taken names or keys, a team's last admin), with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator import identity_admin
from emulator.endpoints.admin import _json_object
from emulator.endpoints.errors import error_response
from emulator.state import state_of
from emulator.store import Store
from emulator.store.identity import IdentityConflictError, IdentityError, UnknownIdentityError


async def _answer(
    request: Request, action: Callable[[Store, dict[str, Any]], Any], status: int = 201
) -> Response:
    """Run ``action(store, body)`` in a worker thread; its result as JSON, or the error."""
    try:
        body = await _json_object(request)
        result = await run_in_threadpool(action, state_of(request.app).store, body)
    except UnknownIdentityError as error:
        return error_response(404, str(error))
    except IdentityConflictError as error:
        return error_response(409, str(error))
    except (IdentityError, ValueError) as error:
        return error_response(400, str(error))
    return JSONResponse(result, status_code=status)


async def add_user(request: Request) -> Response:
    return await _answer(request, identity_admin.add_user)


async def list_users(request: Request) -> Response:
    def users(store: Store, _: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "username": user.username,
                "entity": user.entity,
                "email": user.email,
                "admin": user.admin,
                "account_type": user.account_type,
            }
            for user in store.identity.search_users("", limit=10_000)
        ]

    return await _answer(request, users, 200)


async def add_key(request: Request) -> Response:
    username = request.path_params["username"]

    def add(store: Store, body: dict[str, Any]) -> dict[str, Any]:
        identity_admin.check_fields(body, [], ["api_key", "description"])
        key = store.identity.add_api_key(
            username, key=body.get("api_key"), description=body.get("description")
        )
        return {"username": username, "api_key": key.key, "description": key.description}

    return await _answer(request, add)


async def add_team(request: Request) -> Response:
    return await _answer(request, identity_admin.add_team)


async def add_member(request: Request) -> Response:
    team = request.path_params["team"]
    return await _answer(request, lambda store, body: identity_admin.add_member(store, team, body))


async def remove_member(request: Request) -> Response:
    team, username = request.path_params["team"], request.path_params["username"]

    def remove(store: Store, _: dict[str, Any]) -> dict[str, Any]:
        store.teams.remove_member(team, username)
        return identity_admin.describe_team(store, team)

    return await _answer(request, remove, 200)


async def add_org(request: Request) -> Response:
    return await _answer(request, identity_admin.add_org)


ROUTES = [
    Route("/_emulator/users", add_user, methods=["POST"]),
    Route("/_emulator/users", list_users, methods=["GET"]),
    Route("/_emulator/users/{username}/keys", add_key, methods=["POST"]),
    Route("/_emulator/teams", add_team, methods=["POST"]),
    Route("/_emulator/teams/{team}/members", add_member, methods=["POST"]),
    Route("/_emulator/teams/{team}/members/{username}", remove_member, methods=["DELETE"]),
    Route("/_emulator/orgs", add_org, methods=["POST"]),
]
