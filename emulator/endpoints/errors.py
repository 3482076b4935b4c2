"""Error responses shared by the plain-HTTP endpoints."""

from __future__ import annotations

from starlette.responses import JSONResponse


def error_response(status: int, message: str) -> JSONResponse:
    """A JSON error body ``{"error": message}`` with the given 4xx status."""
    return JSONResponse({"error": message}, status_code=status)


def bad_request(message: str) -> JSONResponse:
    """400 with a message naming what is wrong with the request."""
    return error_response(400, message)
