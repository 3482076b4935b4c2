"""What each page shows, read from the store: one function per page, returning the
template's context. A missing entity, project, run or artifact raises :class:`NotFound`
naming it. These run in a worker thread (they read SQLite), never on the event loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from emulator.artifact_urls import file_url
from emulator.file_urls import download_path
from emulator.store import Project, Run, Store
from emulator.store.artifacts.records import Artifact, ArtifactCollection
from emulator.store.console import strip_prefix
from emulator.store.history import EVENTS, HISTORY
from emulator.store.records import RUN_STATES
from emulator.store.sweeps import Sweep
from emulator.sweeps.metric import sweep_metric
from emulator.ui.charts import build_chart
from emulator.ui.parallel import sweep_parallel
from emulator.ui.runs_table import FIXED_COLUMNS, TableQuery, cell, read_table
from emulator.ui.scatter import parameter_cell, sweep_plots, swept_parameters
from emulator.ui.series import X_KEYS
from emulator.ui.series_cache import SeriesCache

#: Console lines shown on a run page (the last ones).
CONSOLE_LINES = 1000
#: Files and artifact files listed on one page.
FILES_SHOWN = 500
#: Runs a comparison plots at most.
COMPARED_RUNS = 20
#: Runs of a sweep its page lists and plots at most (as many as ``bestLoss`` reads).
SWEEP_RUNS = 1000
_METADATA_FILE = "wandb-metadata.json"
#: The console output a run uploads when it finishes.
_OUTPUT_FILE = "output.log"


class NotFound(LookupError):
    """What a page needed and did not find; the message is shown on the 404 page."""


def find_project(store: Store, entity: str, name: str) -> Project:
    """Project ``entity/name``; NotFound naming the entity or the project if missing."""
    if store.projects.entity_id(entity) is None:
        raise NotFound(f"entity {entity!r} not found")
    project = store.projects.project(entity, name)
    if project is None:
        raise NotFound(f"project {entity}/{name} not found")
    return project


def find_run(store: Store, project: Project, name: str) -> Run:
    """Run ``name`` of ``project``; NotFound naming it if missing."""
    run = store.runs.get(project.entity, project.name, name)
    if run is None:
        raise NotFound(f"run {project.entity}/{project.name}/{name} not found")
    return run


class _Stored(Protocol):
    @property
    def id(self) -> int: ...


_Record = TypeVar("_Record", bound=_Stored)
#: Records read per query when a page lists all of them.
_BATCH = 500


def _read_all(read: Callable[[int, int], list[_Record]]) -> list[_Record]:
    """Every record ``read(after_id, limit)`` pages through, in storage order."""
    found: list[_Record] = []
    while True:
        batch = read(found[-1].id if found else 0, _BATCH)
        found += batch
        if len(batch) < _BATCH:
            return found


def _all_projects(store: Store, entity: str | None) -> list[Project]:
    return _read_all(
        lambda after, limit: store.projects.projects(entity, after_id=after, limit=limit)
    )


def _project_rows(store: Store, entity: str | None) -> list[dict[str, Any]]:
    return [
        {"project": project, "activity": store.runs.activity(project.id)}
        for project in _all_projects(store, entity)
    ]


def home(store: Store) -> dict[str, Any]:
    """Every entity with its projects, their run counts and last activity."""
    rows = _project_rows(store, None)
    return {
        "entities": [
            (entity, [row for row in rows if row["project"].entity == entity])
            for entity in store.projects.entities()
        ]
    }


def entity(store: Store, name: str) -> dict[str, Any]:
    """One entity's projects."""
    if store.projects.entity_id(name) is None:
        raise NotFound(f"entity {name!r} not found")
    return {"entity": name, "rows": _project_rows(store, name)}


def project(store: Store, entity: str, name: str, params: Mapping[str, str]) -> dict[str, Any]:
    """A project's runs table for the query string ``params``."""
    found = find_project(store, entity, name)
    query = TableQuery.parse(params)
    table = read_table(store, found, query)
    return {
        "project": found,
        "query": query,
        "table": table,
        "states": RUN_STATES,
        "page_tags": sorted({tag for run in table.runs for tag in run.tags}),
        "fixed_columns": FIXED_COLUMNS,
        "cell": cell,
        "activity": store.runs.activity(found.id),
        "has_artifacts": bool(store.artifacts.types(found.id)),
        "sweep_count": store.sweeps.count(found.id),
    }


def _file_bytes(store: Store, run: Run, name: str) -> bytes | None:
    """The bytes of the run's file ``name``, if it has one."""
    stored = store.files.get(run.id, name)
    return None if stored is None else store.files.read(stored)


def _metadata(store: Store, run: Run) -> dict[str, Any]:
    """The run's ``wandb-metadata.json`` (program, args, git, python...), if uploaded."""
    data = _file_bytes(store, run, _METADATA_FILE)
    try:
        metadata = json.loads(data) if data else {}
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def _console(store: Store, run: Run) -> list[str]:
    """The run's console lines: as streamed, else from its uploaded ``output.log``."""
    lines = [strip_prefix(line) for line in store.console.lines(run.id)]
    if lines:
        return lines
    data = _file_bytes(store, run, _OUTPUT_FILE)
    return [] if not data else data.decode("utf-8", errors="replace").splitlines()


def run(
    store: Store, cache: SeriesCache, entity: str, project_name: str, name: str
) -> dict[str, Any]:
    """A run's overview, config, summary, charts, console, files and artifacts."""
    found_project = find_project(store, entity, project_name)
    found = find_run(store, found_project, name)
    lines = _console(store, found)
    files = store.files.page(found.id, first=FILES_SHOWN)
    return {
        "project": found_project,
        "run": found,
        "metadata": _metadata(store, found),
        "exit_code": store.lifecycle.exit_code(found.id),
        "charts": cache.get(store.history, found, HISTORY).charts,
        "system_charts": cache.get(store.history, found, EVENTS).charts,
        "console": lines[-CONSOLE_LINES:],
        "console_total": len(lines),
        "files": [
            (file, download_path(entity, project_name, name, file.name)) for file in files.files
        ],
        "more_files": files.has_next_page,
        "logged": store.artifacts.lineage.logged_by_run(found.id),
        "used": store.artifacts.lineage.used_by_run(found.id),
        # Seeded groups and runs of a deleted sweep name a sweep that is not stored.
        "sweep": (
            store.sweeps.get(entity, project_name, found.sweep_name) if found.sweep_name else None
        ),
    }


def compare(
    store: Store,
    cache: SeriesCache,
    entity: str,
    project_name: str,
    names: list[str],
    metric: str | None,
) -> dict[str, Any]:
    """One metric of several runs on one chart; the metric defaults to the first shared."""
    found_project = find_project(store, entity, project_name)
    runs = [find_run(store, found_project, name) for name in dict.fromkeys(names)][:COMPARED_RUNS]
    series = {run.name: cache.get(store.history, run, HISTORY).series for run in runs}
    metrics = sorted({found.key for each in series.values() for found in each})
    chosen = metric if metric in metrics else (metrics[0] if metrics else None)
    lines = [
        (run.display_name or run.name, found)
        for run in runs
        for found in series[run.name]
        if found.key == chosen
    ]
    chart = build_chart(chosen or "", X_KEYS[HISTORY], lines) if chosen else None
    return {
        "project": found_project,
        "runs": runs,
        "metrics": metrics,
        "metric": chosen,
        "chart": chart,
    }


def artifacts(store: Store, entity: str, project_name: str) -> dict[str, Any]:
    """A project's artifact types and their collections."""
    found = find_project(store, entity, project_name)
    return {
        "project": found,
        "types": [
            (kind, store.artifacts.collections(found.id, kind.name))
            for kind in store.artifacts.types(found.id)
        ],
    }


def _collection(store: Store, project: Project, kind: str, name: str) -> ArtifactCollection:
    collection = store.artifacts.collection(project.id, name)
    if collection is None or collection.type != kind:
        raise NotFound(
            f"artifact {project.entity}/{project.name}/{name} of type {kind!r} not found"
        )
    return collection


def collection(
    store: Store, entity: str, project_name: str, kind: str, name: str
) -> dict[str, Any]:
    """A collection's versions with their aliases."""
    found_project = find_project(store, entity, project_name)
    found = _collection(store, found_project, kind, name)
    return {
        "project": found_project,
        "collection": found,
        "versions": [
            (version, store.artifacts.aliases(version.id))
            for version in store.artifacts.versions(found.id)
        ],
    }


def _runs_by_id(store: Store, ids: list[int]) -> list[Run]:
    return [run for run in map(store.runs.by_id, ids) if run is not None]


def version(
    store: Store, entity: str, project_name: str, kind: str, name: str, alias: str
) -> dict[str, Any]:
    """One version: metadata, aliases, files with downloads and its lineage."""
    found_project = find_project(store, entity, project_name)
    found_collection = _collection(store, found_project, kind, name)
    found: Artifact | None = store.artifacts.resolve(found_collection.id, alias)
    if found is None:
        raise NotFound(f"artifact {entity}/{project_name}/{name}:{alias} not found")
    producer = [] if found.created_by_run_id is None else [found.created_by_run_id]
    return {
        "project": found_project,
        "collection": found_collection,
        "artifact": found,
        "aliases": store.artifacts.aliases(found.id),
        "files": store.artifacts.files(found.id, limit=FILES_SHOWN),
        "file_href": lambda md5_hex: file_url("", md5_hex),
        "producers": _runs_by_id(store, producer),
        "consumers": _runs_by_id(store, store.artifacts.lineage.users(found.id)),
    }


def find_sweep(store: Store, project: Project, name: str) -> Sweep:
    """Sweep ``name`` of ``project``; NotFound naming it if missing."""
    found = store.sweeps.get(project.entity, project.name, name)
    if found is None:
        raise NotFound(f"sweep {project.entity}/{project.name}/{name} not found")
    return found


def _sweep_runs(store: Store, found: Sweep) -> list[Run]:
    """The sweep's runs, newest first (W&B's order)."""
    page = store.runs.page(found.project_id, filters={"sweep": found.name}, first=SWEEP_RUNS)
    return page.runs


def _all_sweeps(store: Store, project: Project) -> list[Sweep]:
    return _read_all(
        lambda after, limit: store.sweeps.of_project(project.id, after_id=after, limit=limit)
    )


def sweeps(store: Store, entity: str, project_name: str) -> dict[str, Any]:
    """A project's sweeps, newest first, each with its metric and the best value reached."""
    found_project = find_project(store, entity, project_name)
    rows = []
    newest_first = sorted(
        _all_sweeps(store, found_project),
        key=lambda found: (found.created_at, found.id),
        reverse=True,
    )
    for found in newest_first:
        metric = sweep_metric(found.config)
        best = (
            None
            if metric is None
            else metric.best(run.summary_metrics for run in _sweep_runs(store, found))
        )
        rows.append({"sweep": found, "metric": metric, "best": best})
    return {"project": found_project, "rows": rows}


def sweep(store: Store, entity: str, project_name: str, name: str) -> dict[str, Any]:
    """A sweep's config, state, runs, a parallel-coordinates plot of its parameters and
    metric, and a plot of each parameter against its metric."""
    found_project = find_project(store, entity, project_name)
    found = find_sweep(store, found_project, name)
    runs = _sweep_runs(store, found)
    metric = sweep_metric(found.config)
    best = None if metric is None else metric.best(run.summary_metrics for run in runs)
    return {
        "project": found_project,
        "sweep": found,
        "metric": metric,
        "best": best,
        "runs": runs,
        "more_runs": found.run_count > len(runs),
        "parameters": swept_parameters(found.config),
        "parameter_cell": parameter_cell,
        "plots": sweep_plots(found.config, metric, runs),
        "parallel": sweep_parallel(found.config, metric, runs, best),
    }
