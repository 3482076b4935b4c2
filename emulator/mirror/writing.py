"""Writing what a mirror read into a store, each run all or nothing."""

from __future__ import annotations

import json

from emulator.mirror.anonymize import Anonymizer
from emulator.mirror.reading import RunCopy
from emulator.store import Run, Store

_METADATA = "wandb-metadata.json"


def anonymized(copy: RunCopy, anonymizer: Anonymizer) -> RunCopy:
    """``copy`` with its personal values replaced (see :mod:`emulator.mirror.anonymize`)."""
    attributes = dict(copy.attributes)
    attributes["username"] = anonymizer.replace("user name", attributes["username"])
    attributes["display_name"] = anonymizer.replace("run name", attributes["display_name"])
    attributes["notes"] = anonymizer.replace("notes", attributes["notes"])
    attributes["description"] = anonymizer.replace("notes", attributes["description"])
    _register_metadata(copy.files.get(_METADATA), anonymizer)
    paths = {name: anonymizer.file_path(name) for name in copy.files}
    files = {paths[name]: anonymizer.file_contents(name, data) for name, data in copy.files.items()}
    return RunCopy(copy.name, attributes, copy.history, copy.events, files)


def _register_metadata(document: bytes | None, anonymizer: Anonymizer) -> None:
    """Replace the host, user name and email the SDK wrote into ``wandb-metadata.json``, so
    the file's contents get them substituted like every other replaced value."""
    try:
        metadata = json.loads(document or b"{}")
    except ValueError:
        return
    if isinstance(metadata, dict):
        for key, kind in (("host", "host"), ("username", "user name"), ("email", "email")):
            if isinstance(metadata.get(key), str):
                anonymizer.replace(kind, metadata[key])


def write_run(store: Store, entity: str, project: str, copy: RunCopy) -> Run:
    """Store ``copy`` in ``entity/project`` in one transaction; returns the stored run."""
    with store.db.bulk_transaction():
        username = copy.attributes["username"] or entity
        store.projects.ensure_user(username)
        stored_project = store.projects.ensure_project(entity, project)
        attributes = {**copy.attributes, "username": username}
        [run_id] = store.runs.insert(stored_project.id, [Run(name=copy.name, **attributes)])
        store.history.write_history(run_id, copy.history)
        store.history.write_events(run_id, copy.events)
        for name, data in copy.files.items():
            store.files.put(run_id, name, data, updated_at=copy.attributes["heartbeat_at"])
    run = store.runs.by_id(run_id)
    assert run is not None
    return run
