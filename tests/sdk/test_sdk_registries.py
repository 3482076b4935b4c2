"""Organization registries through the real SDK: create, list, read, save, delete,
collections and versions, and linking logged versions into them."""

from __future__ import annotations

import json
from collections.abc import Callable
from subprocess import CompletedProcess

import pytest
import wandb

from emulator import identity_admin
from fixtures.handle import EmulatorHandle


@pytest.fixture
def sdk(wandb_env: EmulatorHandle) -> wandb.Api:
    """``wandb.Api`` as alice, a member of organization ``acme`` (whose entity is ``acme``)."""
    alice = wandb_env.user("alice")
    identity_admin.add_org(wandb_env.store, {"name": "acme", "members": ["alice"]})
    wandb_env.use(alice)
    return wandb.Api(timeout=15)


def test_create_list_save_and_delete_registries(sdk: wandb.Api) -> None:
    created = sdk.create_registry(
        "model",
        visibility="restricted",
        organization="acme",
        description="models",
        artifact_types=["model"],
    )
    assert (created.full_name, created.entity, created.organization) == (
        "wandb-registry-model",
        "acme",
        "acme",
    )
    sdk.create_registry("datasets", visibility="organization")  # the org is inferred
    assert [r.name for r in sdk.registries()] == ["model", "datasets"]
    assert [r.name for r in sdk.registries("acme", filter={"name": {"$regex": "data"}})] == [
        "datasets"
    ]
    assert [r.name for r in sdk.registries(order="name")] == ["datasets", "model"]

    model = sdk.registry("model", organization="acme")
    assert (model.description, model.visibility, model.allow_all_artifact_types) == (
        "models",
        "restricted",
        False,
    )
    assert list(model.artifact_types) == ["model"]
    model.description = "production models"
    model.visibility = "organization"
    model.artifact_types.append("checkpoint")
    model.name = "models"
    model.save()
    saved = sdk.registry("models")
    assert (saved.description, saved.visibility) == ("production models", "organization")
    assert list(saved.artifact_types) == ["model", "checkpoint"]

    with pytest.raises(ValueError, match="Registry 'datasets' already exists"):
        sdk.create_registry("datasets", visibility="organization")
    saved.delete()
    assert [r.name for r in sdk.registries()] == ["datasets"]
    with pytest.raises(ValueError, match="Failed to load registry 'models'"):
        sdk.registry("models")
    with pytest.raises(ValueError, match="'nope' not found"):
        list(sdk.registries(organization="nope"))


def test_link_versions_into_a_registry(
    run_script: Callable[..., CompletedProcess], wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    registry = sdk.create_registry("model", visibility="organization", artifact_types=["model"])
    done = run_script("register.py")
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["linked"] == ["acme/wandb-registry-model/digits:v0", ["latest", "staging"]]
    assert "registry 'nope' not found in entity 'acme'" in summary["missing"]
    assert "registry 'model' does not accept artifact type 'dataset'" in summary["wrong_type"]
    # Refused links left nothing behind: no project for the missing registry, no collection.
    assert wandb_env.store.projects.project("acme", "wandb-registry-nope") is None
    assert [c.name for c in registry.collections()] == ["digits"]

    source = sdk.artifact("alice/zoo/digits:v0")
    again = source.link("wandb-registry-model/best", aliases=["prod"])
    assert (again.qualified_name, again.source_qualified_name) == (
        "acme/wandb-registry-model/best:v0",
        "alice/zoo/digits:v0",
    )
    assert sorted(v.qualified_name for v in registry.versions()) == [
        "acme/wandb-registry-model/best:v0",
        "acme/wandb-registry-model/digits:v0",
    ]
    assert [v.qualified_name for v in sdk.registries().versions(filter={"alias": "prod"})] == [
        "acme/wandb-registry-model/best:v0"
    ]
    (best,) = registry.collections(filter={"name": "best"})
    assert [c.name for c in registry.collections(filter={"id": best.id})] == ["best"]
    latest = sdk.artifact("wandb-registry-model/digits:latest")
    assert (latest.id, latest.aliases) == (source.id, ["latest", "staging"])
    assert sdk.artifact("acme/wandb-registry-model/best:prod").id == source.id
