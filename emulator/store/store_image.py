"""Images of a whole store, taken and put back in about a millisecond.

An image is every page of the database (a private in-memory copy made with SQLite's
backup API) plus every blob (see :class:`~emulator.store.blobs.BlobImage`). It is
what lets the pytest plugin seed a store once and give each test its own copy.
Unlike ``Store.export`` it is no document: it belongs to the store that made it.
"""

from __future__ import annotations

import sqlite3

from emulator.store.blobs import BlobImage


class StoreImage:
    """A store at one moment; ``Store.restore`` makes a store that again."""

    def __init__(self, database: sqlite3.Connection, blobs: BlobImage) -> None:
        self.database = database
        self.blobs = blobs

    @property
    def size(self) -> int:
        """Bytes the image holds in memory: database pages and in-memory blobs."""
        pages: int = self.database.execute("PRAGMA page_count").fetchone()[0]
        page_size: int = self.database.execute("PRAGMA page_size").fetchone()[0]
        return pages * page_size + self.blobs.size

    def close(self) -> None:
        """Free the image (a file store's links to blobs included)."""
        self.database.close()
        self.blobs.close()
