"""Serving bytes with HTTP Range support (206 + ``Content-Range``), as object stores do.

wandb-core reads remote parquet files with single-range requests such as
``Range: bytes=4-1023`` and fails on a plain 200 ("server ignored range request").
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

_SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _bounds(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte of a single-range header, clamped to the data; ``None`` when
    the range cannot be satisfied. ``ValueError`` for headers that are not one range."""
    match = _SINGLE_RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        raise ValueError(header)
    first, last = match.groups()
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length and size else None
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start > end:
        return None
    return start, end


def ranged_response(request: Request, data: bytes, media_type: str) -> Response:
    """``data`` whole (200), or the one range the request asks for (206); 416 when the range
    lies past the end. Headers with several ranges get the whole body, as RFC 9110 allows."""
    headers = {"Accept-Ranges": "bytes"}
    header = request.headers.get("range")
    if header is None:
        return Response(data, media_type=media_type, headers=headers)
    try:
        bounds = _bounds(header, len(data))
    except ValueError:
        return Response(data, media_type=media_type, headers=headers)
    if bounds is None:
        headers["Content-Range"] = f"bytes */{len(data)}"
        return Response(status_code=416, headers=headers)
    first, last = bounds
    headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
    return Response(data[first : last + 1], status_code=206, media_type=media_type, headers=headers)
