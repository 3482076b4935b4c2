"""A lazy, page-by-page sequence of objects built from GraphQL connections."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any, Generic, TypeVar, overload

from client.errors import UsageError

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
