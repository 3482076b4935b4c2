"""A run's summary as a mutable mapping whose :meth:`Summary.update` saves it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsKeysAndGetItem


class Summary(MutableMapping[str, Any]):
    """The summary metrics of a run.

    Item assignment and deletion change only this object, as in wandb;
    :meth:`update` applies its arguments and then saves the whole summary.
    """

    def __init__(self, data: dict[str, Any], save: Callable[[str], None]) -> None:
        """Wrap ``data`` (kept by reference); ``save`` receives the summary as JSON text."""
        self._data = data
        self._save = save

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def update(
        self,
        other: SupportsKeysAndGetItem[str, Any] | Iterable[tuple[str, Any]] | None = None,
        /,
        **values: Any,
    ) -> None:
        """Set the given keys (if any), then persist the whole summary on the server.

        Raises:
            CommError: if the server refuses the update.
        """
        self._data.update(other or {}, **values)
        self._save(json.dumps(self._data))

    def __repr__(self) -> str:
        return repr(self._data)
