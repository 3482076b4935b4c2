"""Checks shared by every paginated field."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

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


def connection(edges: list[dict[str, Any]], *, has_next_page: bool, after: str | None) -> dict:
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
