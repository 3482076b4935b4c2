"""Bytes that live beside the database: run files, artifact files, exports.

Memory mode keeps them in a dict; file mode writes each blob to a temporary name
in the blob directory, fsyncs it and renames it into place, so a blob is either
whole or absent, never half-written. Callers write the blob *before* committing
the row that points to it.

A blob file is never written in place: every write renames a new file over the key.
So a hard link to a blob file is a stable copy of that blob, which is how a
:class:`BlobImage` holds the blobs of a file store without copying them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

#: Prefix of the temporary names blobs are written under before being renamed into place.
_PARTIAL = ".upload-"


def _remove_orphaned_images(images: Path) -> None:
    """Remove the image directories of processes that ended without closing them (killed).

    Each directory is named ``image-<pid>-...`` after the process that made it; those of
    live processes (this one included) are left alone. A reused pid only delays removal.
    """
    for path in images.glob("image-*-*"):
        pid = path.name.split("-")[1]
        if pid.isdigit() and not _process_exists(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours to signal, or this platform cannot tell
        return True
    return True


class BlobImage:
    """Every blob of a store at one moment (see :meth:`BlobStore.capture`).

    In memory it holds the bytes by key. For a file store it is a private directory
    of hard links to the blob files (a copy where the file system has no hard links),
    removed when the image is closed or garbage-collected.
    """

    def __init__(self, memory: Mapping[str, bytes] | None = None, directory: Path | None = None):
        self.memory = dict(memory or {})
        self.directory = directory
        #: Inode of each linked blob by key: a store blob with the same inode is this one.
        self.inodes: dict[str, int] = {}
        self._remove = (
            None
            if directory is None
            else weakref.finalize(self, shutil.rmtree, directory, ignore_errors=True)
        )

    @property
    def size(self) -> int:
        """Bytes this image holds in memory."""
        return sum(map(len, self.memory.values()))

    def close(self) -> None:
        """Remove the image's directory, if it has one."""
        if self._remove is not None:
            self._remove()


class BlobStore:
    """Content under string keys such as ``runs/42/output.log``."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = None if directory is None else Path(directory)
        self._memory: dict[str, bytes] = {}
        self._lock = threading.Lock()
        #: Blobs put or deleted so far; see ``Store.version``.
        self.writes = 0
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
        self.writes += 1
        if self.directory is None:
            with self._lock:
                self._memory[key] = bytes(data)
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=_PARTIAL)
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
        self.writes += 1
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
        return sorted(_files(self.directory))

    def clear(self) -> None:
        """Remove every blob."""
        self.writes += 1
        with self._lock:
            self._memory.clear()
        if self.directory is not None:
            for path in sorted(self.directory.rglob("*"), reverse=True):
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()

    def capture(self) -> BlobImage:
        """An image of every blob, for :meth:`restoring`.

        A file store links its blob files into a new directory beside the blob
        directory (``.<name>-images/``), so capturing costs no copy of the bytes.
        """
        if self.directory is None:
            with self._lock:
                return BlobImage(memory=self._memory)
        images = self.directory.with_name(f".{self.directory.name}-images")
        images.mkdir(exist_ok=True)
        _remove_orphaned_images(images)
        root = Path(tempfile.mkdtemp(prefix=f"image-{os.getpid()}-", dir=images))
        image = BlobImage(directory=root)
        for key, entry in _files(self.directory).items():
            target = root.joinpath(*key.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(entry.path, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(entry.path, target)
            image.inodes[key] = target.stat().st_ino
        return image

    @contextmanager
    def restoring(self, image: BlobImage) -> Iterator[None]:
        """Make the blobs those of ``image``: present before the block (which points the
        rows at them), the blobs ``image`` lacks removed after it.

        A file store links back only the blobs whose file is not the image's own (by
        inode) and removes only what the image lacks; if the block fails, the blobs the
        image lacks stay but others may already be the image's. A memory store swaps
        all its blobs at once after the block.
        """
        if self.directory is None:
            assert image.directory is None, "an image of a file store"
            yield
            with self._lock:
                self._memory = dict(image.memory)
            return
        assert not image.memory, "an image of a memory store"
        current = _files(self.directory)
        for key, inode in image.inodes.items():
            entry = current.get(key)
            if entry is None or entry.inode() != inode:
                assert image.directory is not None
                self._link_in(os.path.join(image.directory, key), key, replace=entry is not None)
        yield
        for key in current.keys() - image.inodes.keys():
            with suppress(FileNotFoundError):
                os.unlink(current[key].path)

    def _link_in(self, source: str, key: str, *, replace: bool) -> None:
        """Put the image file ``source`` in place as blob ``key``, atomically: a new
        link appears whole; a blob already there is replaced by renaming a link over it."""
        assert self.directory is not None
        path = os.path.join(self.directory, key)  # ``key`` was listed from a blob directory
        folder, name = os.path.split(path)
        target = os.path.join(folder, _PARTIAL + name) if replace else path
        try:
            try:
                os.link(source, target)
            except FileNotFoundError:  # the blob's folder is gone
                os.makedirs(folder, exist_ok=True)
                os.link(source, target)
            except FileExistsError:  # left over by an interrupted restore
                os.unlink(target)
                os.link(source, target)
        except OSError:  # a file system without hard links
            self.put(key, Path(source).read_bytes())
            return
        if replace:
            os.replace(target, path)


def _files(directory: Path) -> dict[str, os.DirEntry[str]]:
    """Every blob file under ``directory`` by key (temporary upload names left out)."""
    found: dict[str, os.DirEntry[str]] = {}
    folders = [("", str(directory))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                elif not entry.name.startswith(_PARTIAL):
                    found[prefix + entry.name] = entry
    return found
