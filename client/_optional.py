"""Optional dependencies (pandas, polars, pyarrow), imported only when a call needs them."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from client.errors import MissingDependencyError


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` for ``purpose``, or explain how to install it.

    Raises:
        MissingDependencyError: if ``module`` is not installed.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{purpose} requires {module}, which is not installed: pip install {module}"
        ) from None


def available(module: str) -> bool:
    """Whether ``module`` can be imported (without importing it)."""
    return importlib.util.find_spec(module) is not None
