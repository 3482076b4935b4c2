"""The tables of artifacts, and how a version is read from them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from emulator.store.artifacts.records import Artifact

SCHEMA = """
CREATE TABLE IF NOT EXISTS artifact_types (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, name)
);
CREATE TABLE IF NOT EXISTS artifact_collections (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    type_id INTEGER NOT NULL REFERENCES artifact_types(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL,
    -- Version indexes are never reused, even after a version is deleted.
    next_version INTEGER NOT NULL DEFAULT 0,
    UNIQUE (project_id, name)
);
CREATE TABLE IF NOT EXISTS artifacts (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    version_index INTEGER,
    digest TEXT NOT NULL,
    state TEXT NOT NULL,
    description TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    tags TEXT NOT NULL DEFAULT '[]',
    ttl_duration_seconds INTEGER NOT NULL DEFAULT -1,
    history_step INTEGER,
    size INTEGER NOT NULL DEFAULT 0,
    file_count INTEGER NOT NULL DEFAULT 0,
    pending_aliases TEXT NOT NULL DEFAULT '[]',
    created_by_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (collection_id, version_index)
);
CREATE INDEX IF NOT EXISTS artifacts_by_digest ON artifacts (collection_id, digest);
CREATE INDEX IF NOT EXISTS artifacts_by_run ON artifacts (created_by_run_id);
CREATE TABLE IF NOT EXISTS artifact_aliases (
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    PRIMARY KEY (collection_id, alias)
);
CREATE TABLE IF NOT EXISTS artifact_files (
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    md5 TEXT NOT NULL,
    md5_hex TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    birth_artifact_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (artifact_id, name)
);
CREATE TABLE IF NOT EXISTS artifact_lineage (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
    used_as TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, artifact_id, direction)
);
CREATE INDEX IF NOT EXISTS lineage_by_artifact ON artifact_lineage (artifact_id, direction);
-- Collections that are portfolios (links to versions of other collections), not sequences.
CREATE TABLE IF NOT EXISTS artifact_portfolios (
    collection_id INTEGER PRIMARY KEY REFERENCES artifact_collections(id) ON DELETE CASCADE
);
-- A version linked into a portfolio, numbered there from the portfolio's next_version.
CREATE TABLE IF NOT EXISTS artifact_links (
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    version_index INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, artifact_id),
    UNIQUE (collection_id, version_index)
);
CREATE INDEX IF NOT EXISTS links_by_artifact ON artifact_links (artifact_id);
-- Reference entries of committed versions: the bytes live at ``ref``, not in storage.
CREATE TABLE IF NOT EXISTS artifact_file_refs (
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    ref TEXT NOT NULL,
    PRIMARY KEY (artifact_id, name)
);
-- The version an incremental manifest adds to: its files are merged in at commit.
CREATE TABLE IF NOT EXISTS artifact_manifest_bases (
    artifact_id INTEGER PRIMARY KEY REFERENCES artifacts(id) ON DELETE CASCADE,
    base_artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS artifact_collection_tags (
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (collection_id, tag)
);
"""
TABLES = (
    "artifact_types",
    "artifact_collections",
    "artifacts",
    "artifact_aliases",
    "artifact_files",
    "artifact_lineage",
    "artifact_portfolios",
    "artifact_links",
    "artifact_collection_tags",
    "artifact_file_refs",
    "artifact_manifest_bases",
)

#: Versions with their collection, type, project and entity; the table is aliased ``a``.
SELECT = """
SELECT a.*, c.name AS collection, c.project_id, t.name AS type, p.name AS project,
       e.name AS entity
FROM artifacts a
JOIN artifact_collections c ON c.id = a.collection_id
JOIN artifact_types t ON t.id = c.type_id
JOIN projects p ON p.id = c.project_id
JOIN entities e ON e.id = p.entity_id
"""


def record(row: sqlite3.Row | Mapping[str, Any]) -> Artifact:
    """The version a row of :data:`SELECT` describes."""
    data = dict(row)
    data.pop("pending_aliases")
    data["metadata"] = json.loads(data["metadata"])
    data["tags"] = json.loads(data["tags"])
    return Artifact(**data)
