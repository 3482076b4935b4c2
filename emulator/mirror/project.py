"""Mirroring one project from any W&B-compatible server into a store."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from client import Api
from client.errors import CommError, NotFoundError
from emulator.mirror.anonymize import Anonymizer
from emulator.mirror.artifacts import mirror_artifacts
from emulator.mirror.options import MirrorOptions
from emulator.mirror.reading import read_run, source_runs
from emulator.mirror.writing import anonymized, write_run
from emulator.store import Store


class MirrorError(Exception):
    """A mirror that could not finish; what it wrote so far stays for a rerun to continue."""


@dataclass
class MirrorReport:
    """What a mirror has done so far (passed to the progress callback as it goes)."""

    runs_total: int = 0
    runs_written: int = 0
    #: Runs an earlier, interrupted mirror had already written.
    runs_kept: int = 0
    history_rows: int = 0
    bytes: int = 0
    artifact_versions: int = 0
    replaced: dict[str, int] = field(default_factory=dict)


Progress = Callable[[MirrorReport], None]


def mirror_project(
    api: Api,
    path: str,
    store: Store,
    options: MirrorOptions,
    *,
    workers: int = 4,
    progress: Progress | None = None,
) -> MirrorReport:
    """Copy project ``entity/project`` from the server ``api`` talks to into ``store``.

    Runs are read by ``workers`` threads at a time (the client retries 429 and 5xx
    answers with backoff) and each is written in one transaction, so an interrupted
    mirror leaves whole runs only; runs already in ``store`` are not read again.

    Raises:
        MirrorError: naming the problem (unreachable source, refused key, missing project).
    """
    entity, _, project = path.partition("/")
    if not entity or not project or "/" in project:
        raise MirrorError(f"expected ENTITY/PROJECT, got {path!r}")
    report = MirrorReport()
    anonymizer = Anonymizer(options.seed) if options.anonymize else None
    notify = progress or (lambda _: None)
    try:
        runs = source_runs(api, path, options)
        report.runs_total = len(runs)
        todo = [run for run in runs if store.runs.get(entity, project, run.id) is None]
        report.runs_kept = len(runs) - len(todo)
        notify(report)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mirror") as pool:
            for copy in pool.map(lambda run: read_run(run, options), todo):
                if anonymizer is not None:
                    copy = anonymized(copy, anonymizer)
                write_run(store, entity, project, copy)
                report.runs_written += 1
                report.history_rows += len(copy.history)
                report.bytes += copy.size
                notify(report)
        if options.artifacts != "none":
            run_ids = {}
            for run in runs:
                stored = store.runs.get(entity, project, run.id)
                if stored is not None:
                    run_ids[run.id] = stored.id
            versions, size = mirror_artifacts(api, entity, project, store, options, run_ids)
            report.artifact_versions, report.bytes = versions, report.bytes + size
            notify(report)
    except NotFoundError as error:
        raise MirrorError(f"{path}: {error}") from None
    except CommError as error:
        raise MirrorError(_describe(error)) from None
    if anonymizer is not None:
        report.replaced = anonymizer.report()
    return report


def _describe(error: CommError) -> str:
    if error.status == 401:
        return f"the source refused the API key (HTTP 401): {error}"
    if error.status == 403:
        return f"the API key may not read this project (HTTP 403): {error}"
    return f"reading the source failed: {error}"
