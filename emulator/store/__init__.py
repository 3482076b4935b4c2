"""The emulator's storage: SQLite (in memory or a file) plus blobs beside it.

:class:`Store` (in :mod:`emulator.store.store`) holds one part per area; this package is
the only code that knows SQL.
"""

from emulator.store.artifacts import ArtifactStore
from emulator.store.blobs import BlobStore
from emulator.store.console import ConsoleStore
from emulator.store.files import FileStore, RunFile
from emulator.store.history import HistoryStore
from emulator.store.lifecycle import LifecycleStore
from emulator.store.projects import ProjectStore
from emulator.store.records import Project, Run, User, wandb_config
from emulator.store.runs import RunPage, RunStore
from emulator.store.store import Store
from emulator.store.store_image import StoreImage
from emulator.store.stream_batches import Lines, OffsetError, StreamBatch, StreamStore

__all__ = [
    "ArtifactStore",
    "BlobStore",
    "ConsoleStore",
    "FileStore",
    "HistoryStore",
    "LifecycleStore",
    "Lines",
    "OffsetError",
    "Project",
    "ProjectStore",
    "Run",
    "RunFile",
    "RunPage",
    "RunStore",
    "Store",
    "StoreImage",
    "StreamBatch",
    "StreamStore",
    "User",
    "wandb_config",
]
