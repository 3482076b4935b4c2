"""W&B-style opaque GraphQL ids: base64 of ``Type:key``."""

from __future__ import annotations

import base64
import binascii
from binascii import b2a_base64


class InvalidIdError(ValueError):
    """An id that is not one this server handed out."""


def encode_id(kind: str, *parts: object) -> str:
    """``encode_id("Project", 7)`` -> base64 of ``Project:7``."""
    return _base64(":".join([kind, *map(str, parts)]))


def _base64(text: str) -> str:
    return b2a_base64(text.encode(), newline=False).decode("ascii")


def decode_id(value: str, kind: str) -> list[str]:
    """The parts after ``kind:`` of an id made by :func:`encode_id`."""
    try:
        text = base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidIdError(f"invalid {kind} id {value!r}: not base64") from None
    head, _, rest = text.partition(":")
    if head != kind or not rest:
        raise InvalidIdError(f"invalid {kind} id {value!r}: not a {kind} id")
    return rest.split(":")


def run_id(entity: str, project: str, name: str) -> str:
    """A run's storage id, as W&B forms it: ``Run:v1:<name>:<project>:<entity>``.

    ``encode_id("Run", "v1", name, project, entity)``, formatted directly: a page of runs
    makes one per run.
    """
    return _base64(f"Run:v1:{name}:{project}:{entity}")


def decode_run_id(value: str) -> tuple[str, str, str]:
    """(entity, project, name) of a run storage id."""
    parts = decode_id(value, "Run")
    if len(parts) != 4 or parts[0] != "v1":
        raise InvalidIdError(f"invalid Run id {value!r}")
    _, name, project, entity = parts
    return entity, project, name
