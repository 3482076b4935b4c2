"""wandb-emulator: an offline, hermetic stand-in for the Weights & Biases backend.

Names are imported on first use, so ``import emulator.store`` (what seeding code
needs) does not pay for the web stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulator.app import create_app
    from emulator.server import EmulatorServer
    from emulator.settings import DEFAULT_API_KEY, Settings
    from emulator.store import Store

__all__ = ["DEFAULT_API_KEY", "EmulatorServer", "Settings", "Store", "create_app"]

_HOMES = {
    "DEFAULT_API_KEY": "emulator.settings",
    "EmulatorServer": "emulator.server",
    "Settings": "emulator.settings",
    "Store": "emulator.store",
    "create_app": "emulator.app",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'emulator' has no attribute {name!r}")
