"""Fixtures of the UI tests: a seeded demo project served in-process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import Store, create_app
from emulator.store import Run
from fixtures.seeding import seed_project

ENTITY, PROJECT = "demo", "demo-project"
RUNS, STEPS = 12, 120


@pytest.fixture
def seeded(store: Store) -> list[Run]:
    """Runs with history, files and artifacts in ``demo/demo-project``."""
    return seed_project(
        store,
        seed=0,
        entity=ENTITY,
        project=PROJECT,
        runs=RUNS,
        steps=STEPS,
        files=True,
        artifacts=True,
    )


@pytest.fixture
def pages(store: Store) -> Iterator[TestClient]:
    """An in-process HTTP client of an app over ``store``."""
    with TestClient(create_app(store)) as http:
        yield http


#: Where the tests keep their screenshots of the main pages (shown in docs/ui.md).
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "images"


def screenshot(page: Any, name: str, *, full_page: bool = False) -> bytes:
    """Take a screenshot of ``page``; it replaces ``docs/images/ui-<name>.png`` when that is
    missing or ``UPDATE_SCREENSHOTS=1`` (dates on the pages age, so not on every run)."""
    image: bytes = page.screenshot(full_page=full_page)
    path = SCREENSHOTS / f"ui-{name}.png"
    if not path.exists() or os.environ.get("UPDATE_SCREENSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(image)
    return image
