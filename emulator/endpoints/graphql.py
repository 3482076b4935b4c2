"""``/graphql``: POST executes queries the way W&B's clients send them; GET shows an explorer."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from ariadne import graphql_sync
from ariadne.explorer import ExplorerGraphiQL
from graphql import DocumentNode, GraphQLError, GraphQLSchema, TypeInfo
from graphql.validation import ASTValidationRule
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from emulator.endpoints.errors import bad_request
from emulator.execution import PlannedExecutor
from emulator.graphql_schema import build_schema
from emulator.operation_names import single_operation_name
from emulator.resolvers.context import Context
from emulator.state import EmulatorState, state_of

#: Shared by every app on purpose: the explorer page is static HTML.
_EXPLORER = ExplorerGraphiQL(title="wandb-emulator")


def _payload(body: bytes) -> dict[str, Any]:
    """The request body as a GraphQL payload, with W&B's quirks smoothed over."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"request body is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ValueError("request body must be a JSON object with a 'query' string")
    if not isinstance(data.get("query"), str):
        raise ValueError("request body has no 'query' string")
    # Python-originated SDK requests send operationName "", meaning "the only operation".
    if not data.get("operationName"):
        data.pop("operationName", None)
    if data.get("variables") is None:
        data.pop("variables", None)
    return data


class _Validator:
    """The query cache's validation, recording what fails as unsupported: the SDK's
    documents are valid against W&B's schema, so an error here is a hole in ours."""

    def __init__(self, state: EmulatorState, payload: dict[str, Any]) -> None:
        self._state, self._payload = state, payload

    def __call__(
        self,
        schema: GraphQLSchema,
        document_ast: DocumentNode,
        rules: Collection[type[ASTValidationRule]] | None = None,
        max_errors: int | None = None,
        type_info: TypeInfo | None = None,  # in Ariadne's hook type; it passes none
    ) -> list[GraphQLError]:
        errors = self._state.query_cache.validate(schema, document_ast, rules, max_errors)
        if errors:
            name = self._payload.get("operationName") or single_operation_name(
                self._payload["query"]
            )
            self._state.unsupported.record(name, [error.message for error in errors])
        return errors


def _execute(payload: dict[str, Any], request: Request, state: EmulatorState) -> dict[str, Any]:
    state.crash_stale_runs()
    context: Context = {"request": request, "store": state.store, "settings": state.settings}
    return graphql_sync(
        build_schema(),
        payload,
        context_value=context,
        query_parser=state.query_cache.parse,
        query_validator=_Validator(state, payload),
        execution_context_class=PlannedExecutor,
    )[1]


async def graphql_endpoint(request: Request) -> Response:
    """Execute one GraphQL request in a worker thread (the store is synchronous)."""
    if request.method == "GET":
        return HTMLResponse(_EXPLORER.html(None))
    try:
        payload = _payload(await request.body())
    except ValueError as error:
        return bad_request(str(error))
    result = await run_in_threadpool(_execute, payload, request, state_of(request.app))
    # Invalid queries and resolver errors both answer 200 with "errors": W&B clients
    # raise them at once, while a 5xx would make them retry for ~20 s.
    return JSONResponse(result)
