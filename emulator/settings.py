"""Server settings, fixed when the app is created."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.server_features import DEFAULT_FEATURES

#: Default entity (and viewer username) of a fresh emulator.
DEFAULT_ENTITY = "emulator"
#: An API key the SDK accepts (40+ characters, no "-"-separated prefix). Any key is accepted.
DEFAULT_API_KEY = "wandbemulator" + "0" * 27


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
    """

    entity: str = DEFAULT_ENTITY
    features: tuple[str, ...] = DEFAULT_FEATURES
    max_upload_bytes: int = 256 * 1024 * 1024
    heartbeat_timeout_s: float | None = None
    max_file_stream_bytes: int = 64 * 1024 * 1024
    parquet_history: bool = True
