"""The bytes of artifact versions: content-addressed files and one manifest per version.

Files live under ``artifacts/files/<md5 hex>``, so identical files of any number of
versions are stored once; a version's manifest lives under ``artifacts/manifests/<id>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from emulator.store.artifacts.manifests import (
    ArtifactError,
    ManifestEntry,
    b64_to_hex,
    check_hex_md5,
    manifest_digest,
    parse_manifest,
)
from emulator.store.artifacts.records import Artifact
from emulator.store.blobs import BlobStore


def file_key(md5_hex: str) -> str:
    """The blob key of a file's contents."""
    return f"artifacts/files/{check_hex_md5(md5_hex)}"


def manifest_key(artifact_id: int) -> str:
    """The blob key of a version's manifest."""
    return f"artifacts/manifests/{int(artifact_id)}"


class ArtifactContents:
    """Reads and writes the blobs of artifact versions."""

    def __init__(self, blobs: BlobStore) -> None:
        self._blobs = blobs

    def has_file(self, md5: str) -> bool:
        """Whether contents with this base64 MD5 are stored."""
        return self._blobs.get(file_key(b64_to_hex(md5))) is not None

    def put_file(self, md5_hex: str, data: bytes) -> None:
        """Store file contents under their MD5; ArtifactError if the bytes do not match it."""
        actual = hashlib.md5(data).hexdigest()
        if actual != check_hex_md5(md5_hex):
            raise ArtifactError(f"uploaded bytes have md5 {actual}, expected {md5_hex}")
        self._blobs.put(file_key(md5_hex), data)

    def file(self, md5_hex: str) -> bytes | None:
        """The stored bytes with this MD5, or ``None``."""
        return self._blobs.get(file_key(md5_hex))

    def delete_file(self, md5_hex: str) -> None:
        """Remove stored contents (once no version lists them)."""
        self._blobs.delete(file_key(md5_hex))

    def put_manifest(self, artifact_id: int, data: bytes) -> None:
        """Store a version's manifest document after checking that it parses."""
        parse_manifest(data)
        self._blobs.put(manifest_key(artifact_id), data)

    def manifest(self, artifact_id: int) -> bytes | None:
        """The manifest document of a version, or ``None`` if it never arrived."""
        return self._blobs.get(manifest_key(artifact_id))

    def delete_manifests(self, artifact_ids: Iterable[int]) -> None:
        """Forget deleted versions' manifests (their files may be shared, so they stay)."""
        for artifact_id in artifact_ids:
            self._blobs.delete(manifest_key(artifact_id))

    def committable_entries(
        self, artifact: Artifact, *, check_digest: bool = True, require_contents: bool = True
    ) -> list[ManifestEntry]:
        """The manifest entries of a version that may be committed.

        Raises ArtifactError when the manifest or (with ``require_contents``) a stored
        file it lists never arrived, or when the manifest does not hash to the version's
        digest (unless ``check_digest`` is off: an incremental version's digest is its
        additions', checked on upload).
        """
        document = self.manifest(artifact.id)
        if document is None:
            raise ArtifactError(
                f"cannot commit artifact {artifact.collection}: its manifest was never uploaded"
            )
        entries = parse_manifest(document)
        digest = manifest_digest({entry.path: entry.digest for entry in entries})
        if check_digest and digest != artifact.digest:
            raise ArtifactError(
                f"cannot commit artifact {artifact.collection}: manifest digest {digest}"
                f" does not match the artifact digest {artifact.digest}"
            )
        missing = sorted(
            entry.path
            for entry in entries
            if require_contents and entry.ref is None and not self.has_file(entry.digest)
        )
        if missing:
            raise ArtifactError(
                f"cannot commit artifact {artifact.collection}: files never uploaded:"
                f" {', '.join(missing)}"
            )
        return entries
