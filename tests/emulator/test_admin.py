"""Admin routes: reset, seed, export and import, and their answers to bad bodies."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient

COUNT = 'query { project(name: "demo", entityName: "team") { runCount } }'
#: Admin POSTs carry a JSON content type (or this header): see emulator.middleware.guards.
JSON = {"Content-Type": "application/json"}


def _seed(gql: GraphQLClient, **body: object):
    return gql.http.post("/_emulator/seed", json={"entity": "team", "project": "demo", **body})


def test_seed_then_reset(gql: GraphQLClient) -> None:
    response = _seed(gql, runs=4, steps=5, seed=3)
    assert response.status_code == 200
    assert len(response.json()["runs"]) == 4
    assert gql.data(COUNT) == {"project": {"runCount": 4}}

    assert gql.http.post("/_emulator/reset", headers=JSON).json() == {"status": "ok"}
    assert gql.data(COUNT) == {"project": None}


def test_export_import_round_trip(gql: GraphQLClient) -> None:
    _seed(gql, runs=3, steps=4)
    snapshot = gql.http.get("/_emulator/export").json()
    gql.http.post("/_emulator/reset", headers=JSON)

    assert gql.http.post("/_emulator/import", json=snapshot).status_code == 200
    assert gql.http.get("/_emulator/export").json() == snapshot
    assert gql.data(COUNT) == {"project": {"runCount": 3}}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{oops", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"runs": -1}', "runs"),
        (b'{"runs": "many"}', "runs"),
        (b'{"colour": "red"}', "colour"),
    ],
)
def test_seed_rejects_bad_bodies(gql: GraphQLClient, body: bytes, fragment: str) -> None:
    _seed(gql, runs=2, steps=2)
    before = gql.store.export()
    response = gql.http.post("/_emulator/seed", content=body, headers=JSON)
    assert response.status_code == 400
    assert fragment in response.json()["error"]
    assert gql.store.export() == before


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"not json", "not valid JSON"),
        (b'{"spaceships": []}', "spaceships"),
        (b'{"runs": [{"warp": 9}]}', "warp"),
        (b'{"projects": "x"}', "list of objects"),
        (
            b'{"runs": [{"id": 1, "project_id": 999, "name": "x", "state": "finished",'
            b' "username": "u", "created_at": "2026-01-01T00:00:00"}]}',
            "FOREIGN KEY",
        ),
    ],
)
def test_import_rejects_bad_snapshots_and_keeps_the_store(
    gql: GraphQLClient, body: bytes, fragment: str
) -> None:
    _seed(gql, runs=2, steps=2)
    before = gql.store.export()
    response = gql.http.post("/_emulator/import", content=body, headers=JSON)
    assert response.status_code == 400
    assert fragment in response.json()["error"]
    assert gql.store.export() == before
