"""Strict mode through the real SDK: unknown keys are refused on every route, users write
only to their own entity and their teams, and file URLs work for the user they were
signed for."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess

import httpx
import pytest
import wandb

import client
from emulator import EmulatorServer, Store
from emulator.state import state_of
from fixtures.handle import EmulatorHandle
from fixtures.identity import UserHandle, ensure_team, ensure_user

UNKNOWN_KEY = "u" * 40


@dataclass
class Strict:
    url: str
    store: Store
    alice: UserHandle
    bob: UserHandle


@pytest.fixture
def strict(
    strict_server: EmulatorServer, wandb_env: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> Strict:
    """The strict server, emptied, with alice (admin of team ml) and bob; the SDK's
    environment (``wandb_env``'s, pointed at this server) acts as alice."""
    store = state_of(strict_server.app).store
    store.clear()
    alice, bob = ensure_user(store, "alice"), ensure_user(store, "bob")
    ensure_team(store, "ml", [alice], default_admin="alice")
    monkeypatch.setenv("WANDB_BASE_URL", strict_server.url)
    monkeypatch.setenv("WANDB_API_KEY", alice.api_key)
    monkeypatch.delenv("WANDB_ENTITY")
    return Strict(strict_server.url, store, alice, bob)


def _sdk_viewer(key: str) -> object:
    return wandb.Api(api_key=key, timeout=15).viewer


def _basic(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"api:{key}".encode()).decode()}


def test_every_route_refuses_an_unknown_key(strict: Strict) -> None:
    md5 = "0" * 32
    routes = [
        ("POST", "/graphql", {"json": {"query": "{ viewer { username } }"}}),
        ("POST", "/files/alice/p/r/file_stream", {"json": {}}),
        ("PUT", "/_upload/runfiles/some-token", {"content": b"x"}),
        ("GET", "/_download/runfiles/alice/p/r/notes.txt", {}),
        ("PUT", f"/artifacts/files/{md5}", {"content": b"x"}),
        ("GET", f"/artifacts/files/{md5}", {}),
        ("GET", "/artifacts/manifests/1", {}),
        ("GET", "/_history/1/1.parquet", {}),
        ("POST", "/_emulator/reset", {"json": {}}),  # JSON: the local-server guards ask it
        ("POST", "/_emulator/users", {"json": {"username": "mallory"}}),
    ]
    with httpx.Client(base_url=strict.url) as http:
        for method, path, body in routes:
            for headers in (_basic(UNKNOWN_KEY), {}):
                response = http.request(method, path, headers=headers, **body)
                assert response.status_code == 401, (method, path, response.text)
                assert response.json()["error"]
            # A user's key is not enough for the admin routes.
            if path.startswith("/_emulator/"):
                response = http.request(method, path, headers=_basic(strict.bob.api_key), **body)
                assert response.status_code == 403
        assert http.get("/healthz").status_code == 200
        malformed = http.post("/graphql", headers={"Authorization": "Basic %%%"}, json={})
        assert malformed.status_code == 401 and "malformed" in malformed.json()["error"]
    assert strict.store.identity.user("mallory") is None
    with pytest.raises(Exception, match=r"401|API key"):
        _sdk_viewer(UNKNOWN_KEY)
    with pytest.raises(client.CommError), client.Api(strict.url, UNKNOWN_KEY) as ours:
        ours.default_entity  # noqa: B018 (the request is the point)


def test_users_write_to_their_entity_and_teams_only(
    strict: Strict, run_script: Callable[..., CompletedProcess], tmp_path: Path
) -> None:
    run_script("init_as.py", "alice", "ml", "bob")
    outcome = json.loads((tmp_path / "outcome.json").read_text())
    assert outcome["alice"] == outcome["ml"] == "ok"
    assert "permission denied" in outcome["bob"] and "'bob'" in outcome["bob"]
    assert strict.store.projects.project("bob", "p") is None

    # alice reads back what she logged; the file and artifact URLs are signed for her.
    as_alice = wandb.Api(timeout=15)
    assert as_alice.default_entity == "alice"
    run = as_alice.run("ml/p/run-ml")
    assert run.user.username == "alice"
    assert [row["loss"] for row in run.scan_history(keys=["loss"])] == [1, 0.5, 1 / 3]
    with run.file("notes.txt").download(root=str(tmp_path / "files")) as notes:
        assert notes.read() == "written by ml\n"
    artifact = as_alice.artifact("ml/p/data:latest")
    path = Path(artifact.download(root=str(tmp_path / "artifact"))) / "notes.txt"
    assert path.read_text() == "written by ml\n"

    # bob sees neither alice's projects nor a team he is not in.
    as_bob = wandb.Api(api_key=strict.bob.api_key, timeout=15)
    for path_ in ("alice/p", "ml/p"):
        with pytest.raises(ValueError, match="Could not find project"):
            len(as_bob.runs(path_))
    ours = client.Api(base_url=strict.url, api_key=strict.bob.api_key)
    assert (ours.viewer.username, ours.default_entity) == ("bob", "bob")


def test_admin_and_team_operations_need_rights(strict: Strict) -> None:
    as_bob = wandb.Api(api_key=strict.bob.api_key, timeout=15)
    with pytest.raises(Exception, match="only instance admins"):
        as_bob.users("alice")
    with pytest.raises(Exception, match="only instance admins"):
        as_bob.create_user("eve@example.com")
    assert as_bob.team("ml").invite("bob") is False
    assert as_bob.team("ml").create_service_account("mine") is None
    as_alice = wandb.Api(api_key=strict.alice.api_key, timeout=15)
    assert as_alice.team("ml").invite("bob") is True
    assert as_bob.viewer.teams == ["bob", "ml"]
    # A revoked key is refused like an unknown one.
    new_key = as_bob.viewer.generate_api_key()
    assert wandb.Api(api_key=new_key, timeout=15).viewer.username == "bob"
    assert as_bob.viewer.delete_api_key(new_key) is True
    with pytest.raises(Exception, match=r"401|API key"):
        _sdk_viewer(new_key)
