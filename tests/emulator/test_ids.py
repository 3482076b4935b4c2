"""Opaque ids: run ids are W&B's ``Run:v1:<name>:<project>:<entity>`` in base64."""

from __future__ import annotations

import base64

import pytest

from emulator import ids


@pytest.mark.parametrize(
    ("entity", "project", "name"), [("ent", "proj", "a1b2"), ("é", "p-q", "x y")]
)
def test_run_ids_round_trip(entity: str, project: str, name: str) -> None:
    value = ids.run_id(entity, project, name)
    assert value == ids.encode_id("Run", "v1", name, project, entity)
    assert base64.b64decode(value).decode() == f"Run:v1:{name}:{project}:{entity}"
    assert ids.decode_run_id(value) == (entity, project, name)


def test_foreign_ids_are_rejected() -> None:
    with pytest.raises(ids.InvalidIdError, match="not a Run id"):
        ids.decode_run_id(ids.encode_id("Project", 7))
