"""Checks shared by every paginated field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError

from emulator.store.pagination import Cursor, CursorError

#: Largest page any connection serves, and the page size when none is asked.
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50


def check_first(first: int | None) -> int:
    """The page size to serve; a clear error for sizes outside 1..MAX_PAGE_SIZE."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise GraphQLError(f"first must be between 1 and {MAX_PAGE_SIZE}, got {first}")
    return first


def connection(
    edges: list[dict[str, Any]], *, has_next_page: bool, after: str | None
) -> dict[str, Any]:
    """A Relay connection (``edges`` of ``{"node", "cursor"}``) with its ``pageInfo``.

    Both W&B pagination styles work with it: legacy SDK paginators continue from the
    last edge's ``cursor``, newer ones from ``pageInfo.endCursor``; they are equal.
    """
    return {
        "edges": edges,
        "page_info": {
            "start_cursor": edges[0]["cursor"] if edges else None,
            "end_cursor": edges[-1]["cursor"] if edges else None,
            "has_next_page": has_next_page,
            "has_previous_page": after is not None,
        },
    }


def list_connection(
    items: Sequence[Any], *, after: str | None, first: int | None, max_first: int = MAX_PAGE_SIZE
) -> dict[str, Any]:
    """A page of an in-memory list as a connection with ``totalCount``; cursors are offsets.

    ``first`` above ``max_first`` is served as ``max_first`` (clients such as the SDK's
    artifact downloader ask for thousands of files per page and follow ``hasNextPage``).
    """
    size = DEFAULT_PAGE_SIZE if first is None else min(first, max_first)
    if size < 1:
        raise GraphQLError(f"first must be at least 1, got {first}")
    try:
        start = Cursor.decode(after).id + 1 if after else 0
    except CursorError as error:
        raise GraphQLError(f"invalid cursor: {error}") from None
    page = items[start : start + size]
    edges = [
        {"node": item, "cursor": Cursor(None, start + offset).encode()}
        for offset, item in enumerate(page)
    ]
    result = connection(edges, has_next_page=start + size < len(items), after=after)
    return {**result, "total_count": len(items)}
