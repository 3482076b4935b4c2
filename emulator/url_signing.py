"""Signed URLs: how file routes know the user when the SDK sends them no credentials.

wandb-core uploads run files and the SDK fetches artifact files and manifests without
an ``Authorization`` header (W&B hands out pre-signed storage URLs there). In strict
mode the emulator does the same: the URLs GraphQL answers with carry the viewer's name
and an HMAC of it and the path, made with a secret of the app (so they stop working when
the server restarts, like W&B's expiring URLs). Open mode hands out plain URLs.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import unquote, urlencode, urlsplit

USER_PARAM = "wandb_emulator_user"
SIGNATURE_PARAM = "wandb_emulator_signature"


def _signature(secret: bytes, username: str, path: str) -> str:
    message = f"{username}\n{path}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]


def sign_url(url: str, username: str, secret: bytes) -> str:
    """``url`` with the query parameters that let ``username`` use it without a key."""
    path = unquote(urlsplit(url).path)
    query = urlencode({USER_PARAM: username, SIGNATURE_PARAM: _signature(secret, username, path)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def signed_user(path: str, query: Mapping[str, str], secret: bytes) -> str | None:
    """The user a signed URL was made for, when ``path`` and ``query`` carry a valid
    signature (``path`` as the server sees it, percent-decoded)."""
    username, signature = query.get(USER_PARAM), query.get(SIGNATURE_PARAM)
    if not username or not signature:
        return None
    expected = _signature(secret, username, path)
    return username if hmac.compare_digest(signature, expected) else None
