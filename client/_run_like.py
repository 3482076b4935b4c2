"""What the run helpers (writes, history) read of a run: :class:`RunLike`.

:class:`client.Run` provides it; the helpers are typed against it, not against ``Run``,
so they import nothing above them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from client._session import Session


class RunLike:
    """The part of :class:`client.Run` its helper classes read and set.

    The properties exist for the type checker only: ``Run`` defines them.
    """

    _session: Session
    _attrs: dict[str, Any]
    project: str

    if TYPE_CHECKING:

        def __init__(
            self,
            session: Session,
            entity: str,
            project: str,
            run_id: str,
            attrs: Mapping[str, Any] | None = None,
        ) -> None: ...

        @property
        def id(self) -> str: ...
        @property
        def storage_id(self) -> str: ...
        @property
        def entity(self) -> str: ...
        @property
        def path(self) -> list[str]: ...
        @property
        def json_config(self) -> str: ...
        @property
        def summary(self) -> Any: ...
        @property
        def display_name(self) -> str | None: ...
        @display_name.setter
        def display_name(self, value: str) -> None: ...
        @property
        def tags(self) -> list[str] | None: ...
        @property
        def description(self) -> str | None: ...
        @property
        def notes(self) -> str | None: ...
        @property
        def group(self) -> str | None: ...
        @property
        def job_type(self) -> str | None: ...
