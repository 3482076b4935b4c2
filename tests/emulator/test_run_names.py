"""The store names runs created without a display name: deterministic, never colliding."""

from __future__ import annotations

import re

from emulator.run_names import generated_name
from emulator.store import Store


def _create(store: Store, project: str, name: str, **changes: object) -> str | None:
    store.runs.upsert("e", project, name, changes, username="e")
    run = store.runs.get("e", project, name)
    assert run is not None
    return run.display_name


def test_names_count_the_project_runs_and_repeat_in_a_fresh_store() -> None:
    with Store() as one, Store() as two:
        names = [_create(one, "p", f"run{i}") for i in range(3)]
        again = [_create(two, "p", f"run{i}") for i in range(3)]
    assert names == again
    assert [name.rsplit("-", 1)[1] for name in names if name] == ["1", "2", "3"]
    assert all(re.fullmatch(r"[a-z]+-[a-z]+-[0-9]+", name or "") for name in names)


def test_a_generated_name_skips_names_the_project_has(store: Store) -> None:
    taken = generated_name("e/p", 1)
    _create(store, "p", "manual", display_name=taken)
    assert _create(store, "p", "auto") not in {taken, None}


def test_an_update_keeps_the_name_and_an_explicit_name_wins(store: Store) -> None:
    name = _create(store, "p", "run1")
    assert _create(store, "p", "run1", state="finished") == name
    assert _create(store, "p", "run2", display_name="chosen") == "chosen"
