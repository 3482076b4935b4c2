"""Entities and project activity, as the UI's project lists show them."""

from __future__ import annotations

from emulator import Store
from emulator.store import Run


def test_activity_counts_runs_and_takes_the_latest_creation_or_heartbeat(store: Store) -> None:
    project = store.projects.ensure_project("team", "p")
    assert (
        store.runs.activity(project.id).run_count,
        store.runs.activity(project.id).last_activity,
    ) == (0, None)
    store.runs.insert(
        project.id,
        [
            Run(
                name="a",
                username="u",
                created_at="2024-01-01T00:00:00",
                heartbeat_at="2024-01-05T00:00:00",
            ),
            Run(name="b", username="u", created_at="2024-01-07T00:00:00"),
        ],
    )
    activity = store.runs.activity(project.id)
    assert (activity.run_count, activity.last_activity) == (2, "2024-01-07T00:00:00")
    store.runs.insert(
        project.id,
        [
            Run(
                name="c",
                username="u",
                created_at="2024-01-02T00:00:00",
                heartbeat_at="2024-02-01T00:00:00",
            )
        ],
    )
    assert store.runs.activity(project.id).last_activity == "2024-02-01T00:00:00"


def test_entities_are_listed_by_name(store: Store) -> None:
    store.projects.ensure_project("zeta", "p")
    store.projects.ensure_user("alice")
    assert store.projects.entities() == ["alice", "zeta"]
