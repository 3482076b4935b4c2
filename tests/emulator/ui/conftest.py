"""Fixtures of the UI tests: a seeded demo project served in-process."""

from __future__ import annotations

from collections.abc import Iterator

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
        store, seed=0, entity=ENTITY, project=PROJECT, runs=RUNS, steps=STEPS, files=True,
        artifacts=True,
    )


@pytest.fixture
def pages(store: Store) -> Iterator[TestClient]:
    """An in-process HTTP client of an app over ``store``."""
    with TestClient(create_app(store)) as http:
        yield http
