"""Artifact manifests (W&B's storage-layout V2 JSON) and checks of the names clients send.

A manifest lists an artifact version's files: ``{"version": 1, "storagePolicy":
"wandb-storage-policy-v1", "storagePolicyConfig": {"storageLayout": "V2"}, "contents":
{path: {"digest": <base64 md5>, "size": n, "birthArtifactID": id, ...}}}``. The artifact's
digest is the MD5 over the sorted ``path:digest`` lines, exactly as the SDK computes it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_MANIFEST_HEADER = b"wandb-artifact-manifest-v1\n"
_HEX_MD5 = re.compile(r"[0-9a-f]{32}")
_VERSION = re.compile(r"v(\d+)")
_ALIAS = re.compile(r"[^:/\s]{1,128}")
#: Schemes of reference entries: local files, web servers and the cloud stores.
REFERENCE_SCHEMES = ("file", "http", "https", "s3", "gs")


class ArtifactError(ValueError):
    """A request about artifacts that cannot be served; the message says why."""


@dataclass(frozen=True)
class ManifestEntry:
    """One file of a manifest: its path, base64 MD5 and size."""

    path: str
    digest: str
    size: int
    birth_artifact_id: str | None = None
    #: Where the bytes live for a reference entry (``add_reference``); ``None`` when stored.
    ref: str | None = None

    @property
    def md5_hex(self) -> str:
        """The hex MD5 of stored contents; empty for a reference, whose digest is whatever
        the SDK's storage handler computed (an ETag, a version) and whose bytes it fetches
        itself."""
        return "" if self.ref is not None else b64_to_hex(self.digest)


def check_file_name(name: Any) -> str:
    """``name`` if it is a safe relative POSIX path inside an artifact; ArtifactError otherwise."""
    if not isinstance(name, str) or not name:
        raise ArtifactError(f"invalid artifact file name {name!r}: must be a non-empty string")
    parts = name.split("/")
    if (
        name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ArtifactError(f"invalid artifact file name {name!r}: must be a relative path")
    return name


def split_name(name: str) -> tuple[str, str]:
    """``("coll", "alias")`` from ``"coll:alias"`` (``"coll"`` means ``coll:latest``).

    ArtifactError for any other form.
    """
    collection, sep, alias = name.partition(":")
    if not sep:
        alias = "latest"
    if not collection or not alias or ":" in alias or "/" in name:
        raise ArtifactError(
            f"invalid artifact name {name!r}: expected 'name:version' or 'name:alias'"
        )
    return collection, alias


def check_alias(alias: Any) -> str:
    """A user alias: no ``:``, ``/`` or spaces, and not a version such as ``v3``."""
    if not isinstance(alias, str) or not _ALIAS.fullmatch(alias):
        raise ArtifactError(f"invalid alias {alias!r}: aliases cannot contain ':', '/' or spaces")
    if version_index(alias) is not None:
        raise ArtifactError(f"invalid alias {alias!r}: versions such as v3 are not aliases")
    return alias


def version_index(alias: str) -> int | None:
    """``N`` for a version name ``vN``, else ``None``."""
    found = _VERSION.fullmatch(alias)
    return None if found is None else int(found.group(1))


def b64_to_hex(md5: Any) -> str:
    """The hex form of a base64 MD5 digest; ArtifactError unless it decodes to 16 bytes."""
    try:
        raw = base64.b64decode(str(md5).encode(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 16:
        raise ArtifactError(f"invalid md5 {md5!r}: expected 16 bytes in base64")
    return raw.hex()


def check_hex_md5(value: str) -> str:
    """``value`` if it is a lowercase hex MD5; ArtifactError otherwise."""
    if not _HEX_MD5.fullmatch(value):
        raise ArtifactError(f"invalid md5 {value!r}: expected 32 lowercase hex digits")
    return value


def md5_b64(data: bytes) -> str:
    """The base64 MD5 of ``data``, as manifests and ``createArtifactFiles`` carry it."""
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def manifest_digest(entries: Mapping[str, str]) -> str:
    """The artifact digest of ``{path: base64 md5}``, as the SDK's ``MANIFEST_MD5`` computes it."""
    hasher = hashlib.md5(_MANIFEST_HEADER)
    for path in sorted(entries):
        hasher.update(f"{path}:{entries[path]}\n".encode())
    return hasher.hexdigest()


def build_manifest(entries: Sequence[ManifestEntry]) -> bytes:
    """A V2 manifest document listing ``entries``."""
    contents = {
        entry.path: {
            "digest": entry.digest,
            "size": entry.size,
            **({"birthArtifactID": entry.birth_artifact_id} if entry.birth_artifact_id else {}),
            **({"ref": entry.ref} if entry.ref else {}),
        }
        for entry in entries
    }
    document = {
        "version": 1,
        "storagePolicy": "wandb-storage-policy-v1",
        "storagePolicyConfig": {"storageLayout": "V2"},
        "contents": contents,
    }
    return json.dumps(document, sort_keys=True).encode()


def _entry(path: Any, value: Any) -> ManifestEntry:
    check_file_name(path)
    if not isinstance(value, dict):
        raise ArtifactError(f"manifest entry {path!r} must be an object")
    ref = value.get("ref")
    if ref is not None:
        check_reference(path, ref)
        if not isinstance(value.get("digest"), str) or not value["digest"]:
            raise ArtifactError(f"manifest entry {path!r} has no digest")
    else:
        b64_to_hex(value.get("digest"))
    size = value.get("size")
    if ref is not None and size is None:  # add_reference(..., checksum=False) sends none
        size = 0
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ArtifactError(f"manifest entry {path!r} has an invalid size {size!r}")
    return ManifestEntry(path, value["digest"], size, value.get("birthArtifactID"), ref)


def check_reference(path: str, ref: Any) -> str:
    """A reference URI of a scheme W&B's SDK stores references for; ArtifactError
    naming the entry otherwise."""
    parsed = urlsplit(ref) if isinstance(ref, str) else None
    if parsed is None or parsed.scheme not in REFERENCE_SCHEMES:
        scheme = parsed.scheme if parsed is not None else None
        raise ArtifactError(
            f"manifest entry {path!r} has an invalid reference {ref!r}"
            + (f": unsupported scheme {scheme!r}" if scheme else "")
            + f" (use one of {', '.join(REFERENCE_SCHEMES)})"
        )
    if parsed.scheme != "file" and not parsed.netloc:
        raise ArtifactError(f"manifest entry {path!r} has an invalid reference {ref!r}: no host")
    if parsed.scheme == "file" and not parsed.path:
        raise ArtifactError(f"manifest entry {path!r} has an invalid reference {ref!r}: no path")
    return str(ref)


def parse_manifest(data: bytes) -> list[ManifestEntry]:
    """The entries of a V1/V2 manifest document; ArtifactError naming the first problem."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ArtifactError(f"manifest is not valid JSON: {error}") from None
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ArtifactError("manifest must be a JSON object with version 1")
    contents = document.get("contents")
    if not isinstance(contents, dict):
        raise ArtifactError("manifest has no 'contents' object")
    return [_entry(path, value) for path, value in contents.items()]
