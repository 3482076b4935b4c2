"""The files of a run: a lazy :class:`Files` listing and :class:`File` downloads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from client._paginator import ConnectionPaginator
from client._session import RunLike, Session
from client.errors import NotFoundError, UsageError


def local_path(root: str | os.PathLike[str], name: str) -> Path:
    """Where file ``name`` goes under ``root``; refuses names that would leave ``root``."""
    base = Path(root).resolve()
    path = (base / name).resolve()
    if Path(name).is_absolute() or not path.is_relative_to(base):
        raise UsageError(f"file name {name!r} would be written outside {str(base)!r}")
    return path


class File:
    """A file stored with a run: ``name``, ``size``, ``md5``, ``mimetype``, ``url``..."""

    def __init__(self, session: Session, attrs: Mapping[str, Any], run: RunLike) -> None:
        self._session = session
        self._attrs = dict(attrs)
        self.run = run

    @property
    def id(self) -> str:
        """The server's id of the file."""
        value: str = self._attrs["id"]
        return value

    @property
    def name(self) -> str:
        """The file's path inside the run, e.g. ``media/images/x.png``."""
        value: str = self._attrs["name"]
        return value

    @property
    def size(self) -> int:
        """Size in bytes."""
        return int(self._attrs.get("sizeBytes") or 0)

    @property
    def md5(self) -> str | None:
        """Base64 of the MD5 digest of the content."""
        return self._attrs.get("md5")

    @property
    def mimetype(self) -> str | None:
        """The content type."""
        return self._attrs.get("mimetype")

    @property
    def updated_at(self) -> str | None:
        """ISO timestamp of the last upload."""
        return self._attrs.get("updatedAt")

    @property
    def url(self) -> str:
        """Where the content downloads from."""
        value: str = self._attrs["url"]
        return value

    @property
    def direct_url(self) -> str | None:
        """The storage URL of the content."""
        return self._attrs.get("directUrl")

    def read(self) -> bytes:
        """The file's content.

        Raises:
            CommError: if the download fails.
        """
        return self._session.graphql.transfer("GET", self.url)

    def download(self, root: str = ".", replace: bool = False, exist_ok: bool = False) -> IO[str]:
        """Write the file to ``root/<name>`` and return it opened for reading, as wandb does.

        Raises:
            UsageError: if the local file exists and neither ``replace`` nor ``exist_ok``
                is set (with ``exist_ok`` alone, the existing file is returned unchanged),
                or if the name would place the file outside ``root``.
            CommError: if the download fails.
        """
        path = local_path(root, self.name)
        if path.exists() and not replace:
            if exist_ok:
                return open(path)
            raise UsageError(
                "File already exists, pass replace=True to overwrite "
                "or exist_ok=True to leave it as is and don't error."
            )
        data = self.read()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return open(path)

    def delete(self) -> None:
        """Delete the file from the server."""
        self._session.graphql.execute("DeleteFiles", {"files": [self.id]})

    def __repr__(self) -> str:
        return f"<File {self.name} ({self.mimetype}) {self.size} bytes>"


class Files(ConnectionPaginator[File]):
    """A run's files by name, fetched ``per_page`` at a time; only ``names`` if given.

    ``len()`` is the run's file count, or with ``names`` the number of those that exist.
    """

    cursor_variable = "fileCursor"
    per_page_variable = "fileLimit"
    cursor_from_edges = True

    def __init__(
        self,
        session: Session,
        run: RunLike,
        names: Iterable[str] | None = None,
        per_page: int = 50,
        pattern: str | None = None,
    ) -> None:
        """Describe the listing; nothing is fetched yet.

        Raises:
            UsageError: if both ``names`` and ``pattern`` are given, or ``per_page``
                is out of range.
        """
        self.run = run
        self.names = list(names or [])
        if self.names and pattern:
            raise UsageError("Querying for files by both names and pattern is not supported")
        self.pattern = pattern
        variables = {
            "project": run.project,
            "entity": run.entity,
            "name": run.id,
            "fileNames": self.names,
            "pattern": pattern,
        }
        super().__init__(
            session,
            "RunFiles",
            variables,
            ("project", "run", "files"),
            lambda node: File(session, node, run),
            per_page,
        )

    def _not_found(self) -> NotFoundError:
        return NotFoundError(f"Could not find run {'/'.join(self.run.path)}")

    def _total(self) -> int | None:
        if self.names:
            return None  # the listed names that exist: counted once all are fetched
        run = ((self.last_response or {}).get("project") or {}).get("run") or {}
        return int(run.get("fileCount") or 0)

    def __repr__(self) -> str:
        return f"<Files {'/'.join(self.run.path)}>"
