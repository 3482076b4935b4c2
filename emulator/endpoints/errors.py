"""Error responses shared by the plain-HTTP endpoints."""

from __future__ import annotations

import errno
import sqlite3

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

#: SQLite's "database or disk is full" (``sqlite3.SQLITE_FULL`` from Python 3.11 on).
_SQLITE_FULL = 13


def error_response(status: int, message: str) -> JSONResponse:
    """A JSON error body ``{"error": message}`` with the given status."""
    return JSONResponse({"error": message}, status_code=status)


def bad_request(message: str) -> JSONResponse:
    """400 with a message naming what is wrong with the request."""
    return error_response(400, message)


def is_storage_full(error: BaseException) -> bool:
    """Whether ``error`` says the disk (or the database's size limit) is full."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == _SQLITE_FULL or "is full" in str(error)
    )


async def storage_full(request: Request, error: Exception) -> Response:
    """507 for a request that failed because storage is full; any other error goes on.

    Every write is a transaction (and blobs are renamed into place whole), so a request
    refused this way stored nothing, and what was acknowledged before stays. W&B's
    clients retry 5xx answers, so they deliver the request once space is freed.
    """
    if not is_storage_full(error):
        raise error
    message = f"the emulator's storage is full; nothing of this request was stored ({error})"
    return error_response(507, message)
