"""The blobs part of a store snapshot: base64 text under ``"blobs"``, keyed like the store."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from emulator.store.blobs import BlobStore

#: Snapshot key holding the blobs, beside one key per table.
BLOBS_KEY = "blobs"


def encode_blobs(blobs: BlobStore) -> dict[str, str]:
    """Every blob as base64 text, by key."""
    return {
        key: base64.b64encode(blobs.get(key) or b"").decode("ascii") for key in blobs.list_keys()
    }


def decode_blobs(value: Any) -> dict[str, bytes]:
    """The ``"blobs"`` part of a snapshot, decoded; ``ValueError`` names a bad entry."""
    if not isinstance(value, dict):
        raise ValueError(f"{BLOBS_KEY!r} must be an object of base64 strings")
    decoded = {}
    for key, text in value.items():
        if not isinstance(key, str) or not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"invalid blob key {key!r}")
        try:
            decoded[key] = base64.b64decode(text, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise ValueError(f"blob {key!r} is not base64") from None
    return decoded


@contextmanager
def replacing_blobs(blobs: BlobStore, new: dict[str, bytes]) -> Iterator[None]:
    """Store ``new`` before the block (which commits the rows pointing to them); then drop
    the blobs ``new`` lacks, or, if the block fails, the ones it added."""
    previous = set(blobs.list_keys())
    try:
        for key, data in new.items():
            blobs.put(key, data)
        yield
    except BaseException:
        for key in set(new) - previous:
            blobs.delete(key)
        raise
    for key in previous - set(new):
        blobs.delete(key)
