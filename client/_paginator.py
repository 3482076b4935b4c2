"""A lazy, page-by-page sequence of objects built from GraphQL connections.

:class:`Paginator` is the sequence (iteration, indexing, slicing over pages fetched on
demand); :class:`ConnectionPaginator` fills it from a Relay connection of any query.
``Runs``, ``Projects`` and ``Files`` are connection paginators with their own variables.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

from client._session import Session
from client.errors import NotFoundError, UsageError

T = TypeVar("T")

#: Bounds of ``per_page`` (W&B servers cap pages at 1000 items).
MAX_PER_PAGE = 1000


def check_per_page(per_page: int) -> int:
    """Return ``per_page`` if it is an int in ``1..MAX_PER_PAGE``; raise otherwise.

    Raises:
        UsageError: naming ``per_page`` when it is out of range.
    """
    if isinstance(per_page, bool) or not isinstance(per_page, int):
        raise UsageError(f"per_page must be an int, got {per_page!r}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise UsageError(f"per_page must be between 1 and {MAX_PER_PAGE}, got {per_page}")
    return per_page


class Paginator(ABC, Generic[T]):
    """Fetches pages of ``per_page`` objects only when iteration or indexing needs them.

    Attributes:
        per_page: The page size requested from the server.
        objects: The objects fetched so far, in server order.
        last_response: The ``data`` of the last page fetched, or ``None``.
    """

    def __init__(self, per_page: int) -> None:
        self.per_page = check_per_page(per_page)
        self.objects: list[T] = []
        self.last_response: dict[str, Any] | None = None

    @property
    @abstractmethod
    def more(self) -> bool:
        """Whether another page may be fetched."""

    @property
    @abstractmethod
    def cursor(self) -> str | None:
        """The cursor to send for the next page (``None`` before the first)."""

    @abstractmethod
    def convert_objects(self) -> list[T]:
        """The objects of the last fetched page."""

    @abstractmethod
    def _fetch(self, cursor: str | None) -> dict[str, Any]:
        """Fetch the page that follows ``cursor`` and return the response ``data``."""

    def _load_page(self) -> bool:
        """Fetch the next page if there is one; return whether a page was fetched."""
        if not self.more:
            return False
        previous, self.last_response = self.last_response, self._fetch(self.cursor)
        try:
            page = self.convert_objects()
        except Exception:
            # Leave the paginator as it was, so that the next use fetches (and fails) again.
            self.last_response = previous
            raise
        self.objects.extend(page)
        return True

    def _load_all(self) -> None:
        while self._load_page():
            pass

    def __iter__(self) -> Iterator[T]:
        index = 0
        while True:
            if index < len(self.objects):
                yield self.objects[index]
                index += 1
            elif not self._load_page():
                return

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        """The object(s) at ``index``, fetching pages up to it (all pages for negative indices)."""
        if isinstance(index, slice):
            stop = index.stop
            if (
                stop is None
                or stop < 0
                or (index.start is not None and index.start < 0)
                or (index.step is not None and index.step < 0)
            ):
                self._load_all()
            else:
                self._load_until(stop - 1)
        elif index < 0:
            self._load_all()
        else:
            self._load_until(index)
        return self.objects[index]

    def _load_until(self, index: int) -> None:
        while index >= len(self.objects) and self._load_page():
            pass


class ConnectionPaginator(Paginator[T], Generic[T]):
    """Pages of a GraphQL connection found at ``path`` in each response.

    Each page continues from ``pageInfo.endCursor`` (from the last edge's ``cursor``
    when :attr:`cursor_from_edges`); ``len()`` is the connection's ``totalCount`` when
    the query asks for it, else the number of objects once all are fetched.
    """

    #: The query's variables for the cursor and the page size.
    cursor_variable = "cursor"
    per_page_variable = "perPage"
    #: Continue from the last edge's ``cursor`` rather than ``pageInfo.endCursor``.
    cursor_from_edges = False

    def __init__(
        self,
        session: Session,
        operation: str,
        variables: Mapping[str, Any],
        path: Sequence[str],
        convert: Callable[[dict[str, Any]], T],
        per_page: int,
    ) -> None:
        """List ``convert(node)`` for every node of the connection at ``path``."""
        super().__init__(per_page)
        self._session = session
        self._operation = operation
        self._variables = dict(variables)
        self._path = tuple(path)
        self._convert = convert

    def _page_variables(self, cursor: str | None) -> dict[str, Any]:
        """The variables of the request for the page after ``cursor``."""
        return {
            **self._variables,
            self.cursor_variable: cursor,
            self.per_page_variable: self.per_page,
        }

    def _fetch(self, cursor: str | None) -> dict[str, Any]:
        return self._session.graphql.execute(self._operation, self._page_variables(cursor))

    def _connection(self) -> dict[str, Any] | None:
        value: Any = self.last_response
        for key in self._path:
            if value is None:
                return None
            value = value.get(key)
        connection: dict[str, Any] | None = value
        return connection

    def _edges(self) -> list[dict[str, Any]]:
        edges: list[dict[str, Any]] = (self._connection() or {}).get("edges") or []
        return edges

    @property
    def more(self) -> bool:
        """Whether another page may be fetched."""
        if self.last_response is None:
            return True
        return bool(((self._connection() or {}).get("pageInfo") or {}).get("hasNextPage"))

    @property
    def cursor(self) -> str | None:
        """The cursor of the last page (``None`` before the first)."""
        if self.cursor_from_edges:
            edges = self._edges()
            return edges[-1].get("cursor") if edges else None
        return ((self._connection() or {}).get("pageInfo") or {}).get("endCursor")

    def _not_found(self) -> NotFoundError:
        """The error for a response without the connection (something on its way is
        missing)."""
        return NotFoundError(f"{self._operation}: not found ({self._variables})")

    def convert_objects(self) -> list[T]:
        """The objects of the last fetched page.

        Raises:
            NotFoundError: if an object on the way to the connection does not exist.
        """
        if self._connection() is None:
            raise self._not_found()
        return [self._convert(edge["node"]) for edge in self._edges()]

    def _total(self) -> int | None:
        """The number of objects as the server counts them, if it does."""
        total = (self._connection() or {}).get("totalCount")
        return None if total is None else int(total)

    def __len__(self) -> int:
        """The number of objects, as counted by the server."""
        if self.last_response is None:
            self._load_page()
        total = self._total()
        if total is None:
            self._load_all()
            return len(self.objects)
        return total
