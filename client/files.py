"""The files of a run: a lazy :class:`Files` listing and :class:`File` downloads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from client._paginator import Paginator
from client._session import Session
from client.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from client.run import Run


def local_path(root: str | os.PathLike[str], name: str) -> Path:
    """Where file ``name`` goes under ``root``; refuses names that would leave ``root``."""
    base = Path(root).resolve()
    path = (base / name).resolve()
    if Path(name).is_absolute() or not path.is_relative_to(base):
        raise UsageError(f"file name {name!r} would be written outside {str(base)!r}")
    return path


class File:
    """A file stored with a run: ``name``, ``size``, ``md5``, ``mimetype``, ``url``..."""

    def __init__(self, session: Session, attrs: Mapping[str, Any], run: Run) -> None:
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

    def download(
        self, root: str = ".", replace: bool = False, exist_ok: bool = False
    ) -> IO[str]:
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


class Files(Paginator[File]):
    """A run's files by name, fetched ``per_page`` at a time; only ``names`` if given.

    ``len()`` is the run's file count, or with ``names`` the number of those that exist.
    """

    def __init__(
        self,
        session: Session,
        run: Run,
        names: Iterable[str] | None = None,
        per_page: int = 50,
        pattern: str | None = None,
    ) -> None:
        """Describe the listing; nothing is fetched yet.

        Raises:
            UsageError: if both ``names`` and ``pattern`` are given, or ``per_page``
                is out of range.
        """
        super().__init__(per_page)
        self._session = session
        self.run = run
        self.names = list(names or [])
        if self.names and pattern:
            raise UsageError("Querying for files by both names and pattern is not supported")
        self.pattern = pattern

    def _fetch(self, cursor: str | None) -> dict[str, Any]:
        return self._session.graphql.execute(
            "RunFiles",
            {
                "project": self.run.project,
                "entity": self.run.entity,
                "name": self.run.id,
                "fileNames": self.names,
                "pattern": self.pattern,
                "fileLimit": self.per_page,
                "fileCursor": cursor,
            },
        )

    def _run_node(self) -> dict[str, Any]:
        project = (self.last_response or {}).get("project") or {}
        return project.get("run") or {}

    @property
    def more(self) -> bool:
        """Whether another page may be fetched."""
        if self.last_response is None:
            return True
        files = self._run_node().get("files") or {}
        return bool((files.get("pageInfo") or {}).get("hasNextPage"))

    @property
    def cursor(self) -> str | None:
        """The cursor of the last file fetched."""
        edges = (self._run_node().get("files") or {}).get("edges") or []
        return edges[-1].get("cursor") if edges else None

    def convert_objects(self) -> list[File]:
        """The files of the last fetched page.

        Raises:
            NotFoundError: if the run does not exist.
        """
        if not self._run_node():
            raise NotFoundError(f"Could not find run {'/'.join(self.run.path)}")
        edges = (self._run_node().get("files") or {}).get("edges") or []
        return [File(self._session, edge["node"], self.run) for edge in edges]

    def __len__(self) -> int:
        """How many files this listing holds."""
        if self.names:
            self._load_all()
            return len(self.objects)
        if self.last_response is None:
            self._load_page()
        return int(self._run_node().get("fileCount") or 0)

    def __repr__(self) -> str:
        return f"<Files {'/'.join(self.run.path)}>"
