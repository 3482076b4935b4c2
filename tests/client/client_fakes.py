"""A scripted in-process GraphQL server and run nodes for the client's unit tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

BASE_URL = "http://wandb.test"
API_KEY = "k" * 40
WANDB_ENV_VARS = (
    "WANDB_API_KEY",
    "WANDB_APP_URL",
    "WANDB_BASE_URL",
    "WANDB_ENTITY",
    "WANDB_PROJECT",
)

#: A handler gets the request variables and returns ``data`` or a full response.
Handler = Callable[[dict[str, Any]], "dict[str, Any] | httpx.Response"]


@dataclass
class Call:
    """One request the fake server received."""

    operation: str
    variables: dict[str, Any]
    query: str
    request: httpx.Request


@dataclass
class FakeServer:
    """Answers GraphQL requests by operation name and records every request."""

    handlers: dict[str, Handler] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def on(self, operation: str, handler: Handler) -> None:
        self.handlers[operation] = handler

    def reply(self, operation: str, data: dict[str, Any]) -> None:
        self.on(operation, lambda _variables: data)

    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        call = Call(body["operationName"], body["variables"], body["query"], request)
        self.calls.append(call)
        result = self.handlers[call.operation](call.variables)
        if isinstance(result, httpx.Response):
            return result
        return httpx.Response(200, json={"data": result})


def run_node(name: str, **fields: Any) -> dict[str, Any]:
    """A run as the ``Runs`` query returns it (no config/summary/system metrics)."""
    node = {
        "projectId": 101,
        "id": f"storage-{name}",
        "tags": ["seed"],
        "name": name,
        "displayName": f"display-{name}",
        "sweepName": None,
        "state": "finished",
        "group": None,
        "jobType": None,
        "commit": None,
        "readOnly": False,
        "createdAt": "2026-01-01T00:00:00",
        "heartbeatAt": "2026-01-01T00:10:00",
        "description": None,
        "notes": None,
        "historyLineCount": 30,
        "user": {"name": "Test User", "username": "ent"},
    }
    node.update(fields)
    return node


def full_run_node(name: str, **fields: Any) -> dict[str, Any]:
    """A run as the ``Run`` query returns it, with JSON-encoded heavy fields."""
    node = run_node(name)
    node.update(
        config=json.dumps(
            {
                "lr": {"value": 0.05, "desc": None},
                "batch": {"value": 32, "desc": "batch size"},
                "_wandb": {"value": {"cli_version": "0.31.0"}, "desc": None},
            }
        ),
        summaryMetrics=json.dumps({"loss": 0.25, "_step": 29, "_wandb": {"runtime": 15}}),
        systemMetrics=json.dumps({"system.cpu": 12.5}),
    )
    node.update(fields)
    return node


def runs_handler(
    nodes: list[dict[str, Any]], run_count: int | None = None
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Serve ``nodes`` page by page; edge cursors are ``c<index>``.

    ``pageInfo.endCursor`` is deliberately useless, so a client that pages by
    it instead of by the last edge's cursor restarts from the beginning.
    """

    def handle(variables: dict[str, Any]) -> dict[str, Any]:
        cursor = variables["cursor"]
        start = 0 if cursor is None else int(cursor[1:]) + 1
        page = nodes[start : start + variables["perPage"]]
        return {
            "project": {
                "internalId": "101",
                "runCount": len(nodes) if run_count is None else run_count,
                "readOnly": False,
                "runs": {
                    "edges": [
                        {"node": node, "cursor": f"c{start + offset}"}
                        for offset, node in enumerate(page)
                    ],
                    "pageInfo": {
                        "endCursor": "not-the-edge-cursor",
                        "hasNextPage": start + len(page) < len(nodes),
                    },
                },
            }
        }

    return handle
