"""Artifacts in the store: the :class:`ArtifactStore` and the modules it is built from.

``schema`` holds the tables, ``records`` the rows as objects, ``manifests`` the manifest
format and name checks, ``catalog`` types and collections, ``contents`` manifests and
files, ``lineage`` which runs logged and used which versions, ``store`` the whole.
"""

from emulator.store.artifacts.store import ArtifactStore

__all__ = ["ArtifactStore"]
