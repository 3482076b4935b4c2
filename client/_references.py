"""Reading the bytes of reference entries (``add_reference``), which live outside W&B.

``file://`` references are read from this machine and ``http(s)://`` ones fetched when
they point at a loopback address; cloud references (``s3://``, ``gs://``) need the
cloud's own client and fail with an error naming the scheme. Other web addresses are
refused too: the client never reaches outside the machine on a reference's behalf.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from client.errors import CommError

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_reference(storage_path: str | None) -> bool:
    """Whether a file's ``storagePath`` is a reference rather than stored contents."""
    return storage_path is not None and "://" in storage_path


def read_reference(ref: str) -> bytes:
    """The bytes a reference points at.

    Raises:
        CommError: for cloud schemes, non-loopback web addresses and failed reads.
    """
    parsed = urlsplit(ref)
    if parsed.scheme == "file":
        try:
            return Path(unquote(parsed.path)).read_bytes()
        except OSError as error:
            raise CommError(f"cannot read reference {ref}: {error}") from None
    if parsed.scheme in ("http", "https"):
        if parsed.hostname not in _LOOPBACK:
            raise CommError(f"reference {ref} is not on this machine; download it yourself")
        try:
            response = httpx.get(ref, timeout=30)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise CommError(f"cannot download reference {ref}: {error}") from None
        return response.content
    raise CommError(
        f"cannot download reference {ref}: {parsed.scheme}:// references need that"
        " cloud's own client"
    )
