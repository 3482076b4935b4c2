"""Exceptions raised by the client.

Every exception derives from :class:`WandbClientError`. Errors about bad input
or missing objects also derive from :class:`ValueError`, so code written
against ``wandb.apis.public`` that catches ``ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence


class WandbClientError(Exception):
    """Root of every exception the client raises."""


class CommError(WandbClientError):
    """The server could not be reached, or it answered with an error.

    Attributes:
        status: The HTTP status code, or ``None`` when no response arrived.
        messages: The error messages reported by the server (GraphQL
            ``errors[].message`` or the HTTP error body), possibly empty.
    """

    def __init__(
        self, message: str, *, status: int | None = None, messages: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.messages = list(messages)


class UsageError(WandbClientError, ValueError):
    """An argument is invalid (for example ``per_page`` out of range)."""


class InvalidPathError(UsageError):
    """A run or project path cannot be parsed or lacks a part with no default."""


class NotFoundError(WandbClientError, ValueError):
    """The requested run or project does not exist."""


class MissingDependencyError(WandbClientError, ImportError):
    """An optional dependency (pandas, polars) that the call needs is not installed."""


class WaitTimeoutError(WandbClientError, TimeoutError):
    """A wait (such as :meth:`client.Run.wait_until_finished`) ran out of time."""
