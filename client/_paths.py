"""Parsing of the run and project paths users pass to :class:`client.Api`."""

from __future__ import annotations

from typing import NamedTuple

from client.errors import InvalidPathError


class RunPath(NamedTuple):
    """The parts of a run path; entity and project are ``None`` when left out."""

    entity: str | None
    project: str | None
    run_id: str


def _parts(path: object, kind: str) -> list[str]:
    if not isinstance(path, str):
        raise InvalidPathError(f"Invalid {kind} path {path!r}: expected a string")
    parts = [part.strip() for part in path.strip("/ ").split("/")]
    if not all(parts):
        raise InvalidPathError(f"Invalid {kind} path {path!r}: empty part")
    return parts


def parse_run_path(path: str) -> RunPath:
    """Split a run path into entity, project and run id.

    Accepted forms: ``entity/project/run_id``, ``entity/project/runs/run_id``
    (the URL form), ``entity/project:run_id``, ``project/run_id``,
    ``project:run_id`` and ``run_id``.

    Raises:
        InvalidPathError: if ``path`` has none of these forms.
    """
    parts = _parts(path, "run")
    if len(parts) == 4 and parts[2] == "runs":
        del parts[2]
    if len(parts) == 3:
        return RunPath(*parts)
    if len(parts) > 3:
        raise InvalidPathError(
            f"Invalid run path {path!r}: expected entity/project/run_id "
            "or entity/project/runs/run_id"
        )
    if len(parts) == 2 and ":" not in parts[1]:
        return RunPath(None, parts[0], parts[1])
    entity = parts[0] if len(parts) == 2 else None
    if ":" not in parts[-1]:
        return RunPath(None, None, parts[-1])
    project, _, run_id = (part.strip() for part in parts[-1].partition(":"))
    if not project or not run_id:
        raise InvalidPathError(f"Invalid run path {path!r}: empty project or run id")
    return RunPath(entity, project, run_id)


def parse_project_path(path: str) -> tuple[str | None, str]:
    """Split ``entity/project`` or ``project`` into ``(entity or None, project)``.

    Raises:
        InvalidPathError: if ``path`` has another form.
    """
    parts = _parts(path, "project")
    if len(parts) == 1:
        return None, parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise InvalidPathError(f"Invalid project path {path!r}: expected entity/project or project")


class ArtifactPath(NamedTuple):
    """The parts of an artifact path; entity and project are ``None`` when left out."""

    entity: str | None
    project: str | None
    collection: str
    alias: str


def parse_artifact_path(path: str) -> ArtifactPath:
    """Split ``[[entity/]project/]name[:version|alias]``; the alias defaults to ``latest``.

    Raises:
        InvalidPathError: if ``path`` has more parts, an empty part, or more than one ``:``.
    """
    parts = _parts(path, "artifact")
    if len(parts) > 3:
        raise InvalidPathError(
            f"Invalid artifact path {path!r}: expected entity/project/name:version"
        )
    collection, sep, alias = parts[-1].partition(":")
    if not collection or (sep and not alias) or ":" in alias:
        raise InvalidPathError(
            f"Invalid artifact path {path!r}: expected name:version or name:alias"
        )
    padded: list[str | None] = [None] * (3 - len(parts)) + parts[:-1]
    return ArtifactPath(padded[-2], padded[-1], collection, alias or "latest")
