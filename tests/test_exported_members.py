"""Each package's public names are pinned: adding or removing one is a deliberate act."""

from __future__ import annotations

import importlib

import pytest

EXPECTED = {
    "emulator": ["DEFAULT_API_KEY", "EmulatorServer", "Settings", "Store", "create_app"],
}


@pytest.mark.parametrize("package", ["emulator", "client", "fixtures"])
def test_all_is_sorted_and_every_name_exists(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == sorted(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None, name


@pytest.mark.parametrize(("package", "names"), EXPECTED.items())
def test_public_names(package: str, names: list[str]) -> None:
    assert importlib.import_module(package).__all__ == names
