"""What one emulator app holds: its store, its settings and what it builds for them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from emulator.fault_rules import FaultRules
from emulator.request_journal import Journal
from emulator.seeders import Seeder
from emulator.settings import Settings
from emulator.store import Store
from emulator.ui.series_cache import SeriesCache
from emulator.unsupported import UnsupportedOperations

if TYPE_CHECKING:
    from emulator.query_cache import QueryCache


@dataclass(eq=False)
class EmulatorState:
    """The per-app state, kept as ``app.state.emulator`` and read with :func:`state_of`.

    Several apps may live in one process (the pytest plugin's server and a test's own
    ``TestClient`` app, say); nothing here is shared between them.

    Besides the store, an app keeps what tests use to watch and disturb it: the
    ``faults`` rules, the request ``journal`` and the ``unsupported`` GraphQL clients
    met; :meth:`reset_harness` clears them.
    """

    store: Store
    settings: Settings
    seeder: Seeder | None = None
    #: Chart series of recently viewed runs (the UI's run and compare pages).
    ui_series: SeriesCache = field(default_factory=SeriesCache, repr=False)
    #: Signs the file URLs handed out in strict mode (see :mod:`emulator.url_signing`).
    url_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    faults: FaultRules = field(init=False, repr=False)
    journal: Journal = field(init=False, repr=False)
    unsupported: UnsupportedOperations = field(init=False, repr=False)
    _query_cache: QueryCache | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.faults = FaultRules(self.settings.faults)
        self.journal = Journal(self.settings.journal_size)
        self.unsupported = UnsupportedOperations()

    def reset_harness(self) -> None:
        """Forget the fault rules (those the server started with come back), the
        journal and the recorded unsupported operations: what ``/_emulator/reset`` and
        the pytest plugin do with the store, for every test."""
        self.faults.reset()
        self.journal.clear()
        self.unsupported.clear()

    @property
    def query_cache(self) -> QueryCache:
        """Parsed and validated documents of this app (made on the first GraphQL request,
        since it needs the GraphQL stack that other routes never import)."""
        if self._query_cache is None:
            from emulator.query_cache import QueryCache

            self._query_cache = QueryCache()
        return self._query_cache

    def crash_stale_runs(self) -> None:
        """Mark ``running`` runs silent for longer than the heartbeat timeout as crashed.

        A run whose process died simply stops heartbeating, so this is applied lazily,
        before any read that could show such a run.
        """
        timeout = self.settings.heartbeat_timeout_s
        if timeout is not None:
            self.store.lifecycle.crash_stale(timeout)


def state_of(app: Any) -> EmulatorState:
    """The state of an emulator app (``request.app`` in an endpoint)."""
    state: EmulatorState = app.state.emulator
    return state
