"""Bytes that live beside the database: run files, artifact files, exports.

Memory mode keeps them in a dict; file mode writes each blob to a temporary name
in the blob directory, fsyncs it and renames it into place, so a blob is either
whole or absent, never half-written. Callers write the blob *before* committing
the row that points to it.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path


class BlobStore:
    """Content under string keys such as ``runs/42/output.log``."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = None if directory is None else Path(directory)
        self._memory: dict[str, bytes] = {}
        self._lock = threading.Lock()
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        parts = key.split("/")
        # Keys are built by the store from validated names; refuse anything that could escape.
        if not key or key.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"invalid blob key {key!r}")
        return self.directory.joinpath(*parts)

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, replacing what was there, atomically."""
        if self.directory is None:
            with self._lock:
                self._memory[key] = bytes(data)
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or ``None``."""
        if self.directory is None:
            with self._lock:
                return self._memory.get(key)
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        """Remove ``key`` if present."""
        if self.directory is None:
            with self._lock:
                self._memory.pop(key, None)
            return
        self._path(key).unlink(missing_ok=True)

    def list_keys(self) -> list[str]:
        """Every stored key, sorted."""
        if self.directory is None:
            with self._lock:
                return sorted(self._memory)
        return sorted(
            path.relative_to(self.directory).as_posix()
            for path in self.directory.rglob("*")
            if path.is_file() and not path.name.startswith(".upload-")
        )

    def clear(self) -> None:
        """Remove every blob."""
        with self._lock:
            self._memory.clear()
        if self.directory is not None:
            for path in sorted(self.directory.rglob("*"), reverse=True):
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()
