"""Server settings, fixed when the app is created."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from emulator.fault_rules import FaultSpec
from emulator.request_journal import DEFAULT_SIZE
from emulator.server_features import DEFAULT_FEATURES

#: Default entity (and viewer username) of a fresh emulator.
DEFAULT_ENTITY = "emulator"
#: An API key the SDK accepts (40+ characters, no "-"-separated prefix). It always
#: belongs to the default user (``Settings.entity``), an instance admin; in open mode any
#: key that is not registered to a user acts as it too.
DEFAULT_API_KEY = "wandbemulator" + "0" * 27
#: Authentication modes: see :mod:`emulator.middleware.auth`.
AUTH_MODES = ("open", "strict")
AuthMode = Literal["open", "strict"]


@dataclass(frozen=True)
class Settings:
    """How one emulator instance behaves.

    ``entity`` is the viewer's default entity: the one ``wandb.Api()`` uses when a
    path names no entity. ``features`` are the server feature flags advertised to
    the SDK through ``serverInfo`` (by default those the emulator implements, see
    :mod:`emulator.server_features`; ``()`` gives the SDK's simplest paths).
    ``heartbeat_timeout_s``: a ``running`` run that has sent nothing to file_stream
    for this long reads as ``crashed`` (``None``, the default: never).
    ``max_file_stream_bytes`` bounds one file_stream body, before and after gzip.
    ``parquet_history`` serves runs' history as parquet files (when pyarrow is
    installed), as W&B does for exported history; off, all history is served by the
    live queries.
    ``auth`` is ``"open"`` (any key works; unregistered ones act as the default user) or
    ``"strict"`` (unknown keys get 401, users write only where W&B would let them).
    ``faults`` are fault rules installed from the start (and again on each reset);
    ``journal_size`` bounds the request journal (0 turns it off).
    ``allowed_hosts`` are host names clients may use besides the loopback names and
    the address the server is bound to (see ``emulator.middleware.guards``).
    """

    entity: str = DEFAULT_ENTITY
    features: tuple[str, ...] = DEFAULT_FEATURES
    max_upload_bytes: int = 256 * 1024 * 1024
    heartbeat_timeout_s: float | None = None
    max_file_stream_bytes: int = 64 * 1024 * 1024
    parquet_history: bool = True
    auth: AuthMode = "open"
    faults: tuple[FaultSpec, ...] = ()
    journal_size: int = DEFAULT_SIZE
    allowed_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.auth not in AUTH_MODES:
            raise ValueError(f"auth must be one of {', '.join(AUTH_MODES)}, got {self.auth!r}")

    @property
    def strict(self) -> bool:
        """Whether unknown keys are refused and writes are checked."""
        return self.auth == "strict"
