"""How the emulator finds the code that fills a project with fake data.

The emulator does not generate data itself: a *seeder* does, registered under the
entry-point group ``wandb_emulator.seeders`` (this distribution registers
``fixtures.seeding:seed_from_json`` as ``default``). Keeping it behind an entry
point lets the server stay free of Faker and of the fixtures package.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from emulator.store import Run, Store

#: ``seeder(store, request)`` validates the JSON request, seeds, returns the new runs.
Seeder = Callable[[Store, dict[str, Any]], list[Run]]
ENTRY_POINT_GROUP = "wandb_emulator.seeders"


class NoSeederError(LookupError):
    """No seeder is installed."""


@cache  # process-wide on purpose: the installed entry points are the same for every app
def default_seeder() -> Seeder:
    """The seeder registered as ``default``."""
    # Imported here: reading package metadata is needed only to seed, not to serve.
    from importlib.metadata import entry_points

    for entry_point in entry_points(group=ENTRY_POINT_GROUP, name="default"):
        seeder: Seeder = entry_point.load()
        return seeder
    raise NoSeederError(f"no seeder registered under entry point group {ENTRY_POINT_GROUP!r}")
