"""Server settings, fixed when the app is created."""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator.fault_rules import FaultSpec
from emulator.request_journal import DEFAULT_SIZE

#: Default entity (and viewer username) of a fresh emulator.
DEFAULT_ENTITY = "emulator"
#: An API key the SDK accepts (40+ characters, no "-"-separated prefix). Any key is accepted.
DEFAULT_API_KEY = "wandbemulator" + "0" * 27


@dataclass(frozen=True)
class Settings:
    """How one emulator instance behaves.

    ``entity`` is the viewer's default entity: the one ``wandb.Api()`` uses when a
    path names no entity. ``features`` are the server feature flags advertised to
    the SDK through ``serverInfo`` (none by default: the SDK's simplest paths).
    ``heartbeat_timeout_s``: a ``running`` run that has sent nothing to file_stream
    for this long reads as ``crashed`` (``None``, the default: never).
    ``max_file_stream_bytes`` bounds one file_stream body, before and after gzip.
    ``parquet_history`` serves runs' history as parquet files (when pyarrow is
    installed), as W&B does for exported history; off, all history is served by the
    live queries.
    ``faults`` are fault rules installed from the start (and again on each reset);
    ``journal_size`` bounds the request journal (0 turns it off).
    ``allowed_hosts`` are host names clients may use besides the loopback names and
    the address the server is bound to (see ``emulator.middleware.guards``).
    """

    entity: str = DEFAULT_ENTITY
    features: tuple[str, ...] = field(default_factory=tuple)
    max_upload_bytes: int = 256 * 1024 * 1024
    heartbeat_timeout_s: float | None = None
    max_file_stream_bytes: int = 64 * 1024 * 1024
    parquet_history: bool = True
    faults: tuple[FaultSpec, ...] = ()
    journal_size: int = DEFAULT_SIZE
    allowed_hosts: tuple[str, ...] = ()
