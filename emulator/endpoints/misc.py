"""Health check and the SDK's telemetry sink."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def telemetry(_: Request) -> JSONResponse:
    """The SDK posts OpenTelemetry metrics and logs; accept and drop them."""
    return JSONResponse({})


ROUTES = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/sdk/otel/v1/{kind}", telemetry, methods=["POST"]),
]
