"""Our client's organization registries against the emulator: create, list, read, save,
delete, collections and versions, linking into a registry, and the SDK's answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import wandb

from client import Api, Artifact, CommError, NotFoundError, UsageError
from emulator import identity_admin
from fixtures.handle import EmulatorHandle


@pytest.fixture
def alice_api(wandb_emulator: EmulatorHandle) -> Iterator[Api]:
    """Our client as alice, a member of organization ``acme`` (whose entity is ``acme``)."""
    alice = wandb_emulator.user("alice")
    identity_admin.add_org(wandb_emulator.store, {"name": "acme", "members": ["alice"]})
    with Api(base_url=wandb_emulator.url, api_key=alice.api_key) as api:
        yield api


def test_create_list_save_and_delete(alice_api: Api) -> None:
    created = alice_api.create_registry(
        "model",
        visibility="restricted",
        organization="acme",
        description="models",
        artifact_types=["model"],
    )
    assert (created.name, created.full_name, created.entity, created.organization) == (
        "model",
        "wandb-registry-model",
        "acme",
        "acme",
    )
    assert created.created_at and created.updated_at
    alice_api.create_registry("datasets", visibility="organization")  # the org is inferred
    assert [r.name for r in alice_api.registries()] == ["model", "datasets"]
    assert [r.name for r in alice_api.registries("acme", filter={"name": "datasets"})] == [
        "datasets"
    ]
    assert [r.name for r in alice_api.registries(filter={"name": {"$regex": "data"}})] == [
        "datasets"
    ]
    assert [r.name for r in alice_api.registries(order="name", per_page=1)] == ["datasets", "model"]

    model = alice_api.registry("model", organization="acme")
    assert (model.description, model.visibility, model.allow_all_artifact_types) == (
        "models",
        "restricted",
        False,
    )
    assert model.artifact_types == ["model"]
    model.description = "production models"
    model.visibility = "organization"
    model.artifact_types.append("checkpoint")
    model.name = "models"
    model.save()
    saved = alice_api.registry("models")
    assert (saved.description, saved.visibility, saved.full_name) == (
        "production models",
        "organization",
        "wandb-registry-models",
    )
    assert saved.artifact_types == ["model", "checkpoint"]

    saved.artifact_types.remove("model")
    with pytest.raises(UsageError, match="saved artifact types cannot be removed"):
        saved.save()
    with pytest.raises(UsageError, match="registry 'datasets' already exists"):
        alice_api.create_registry("datasets", visibility="restricted", description="changed")
    datasets = alice_api.registry("datasets")
    assert (datasets.visibility, datasets.description) == ("organization", None)
    with pytest.raises(UsageError, match="invalid visibility 'public'"):
        alice_api.create_registry("open", visibility="public")
    with pytest.raises(UsageError, match="per_page must be between"):
        alice_api.registries(per_page=0)
    with pytest.raises(CommError, match="cannot order by 'size'"):
        list(alice_api.registries(order="size"))
    saved.delete()
    assert [r.name for r in alice_api.registries()] == ["datasets"]
    with pytest.raises(NotFoundError, match="registry 'models' not found"):
        alice_api.registry("models")
    with pytest.raises(NotFoundError, match="organization 'nope' not found"):
        list(alice_api.registries(organization="nope"))


def _logged(api: Api, wandb_emulator: EmulatorHandle, tmp_path: Path, type: str) -> Artifact:
    (run,) = wandb_emulator.seed(entity="alice", project="zoo", runs=1, steps=1, seed=1)
    (tmp_path / "w.bin").write_bytes(b"weights")
    draft = Artifact("digits", type)
    draft.add_file(tmp_path / "w.bin")
    return api.run(f"alice/zoo/{run.name}").log_artifact(draft)


def test_link_collections_and_versions_as_the_sdk_sees_them(
    alice_api: Api, wandb_emulator: EmulatorHandle, wandb_env: EmulatorHandle, tmp_path: Path
) -> None:
    registry = alice_api.create_registry("model", "organization", artifact_types=["model"])
    logged = _logged(alice_api, wandb_emulator, tmp_path, "model")
    link = logged.link("wandb-registry-model/digits", aliases=["staging"])
    assert link.qualified_name == "acme/wandb-registry-model/digits:v0"
    logged.link("acme/wandb-registry-model/best", aliases=["prod"])
    with pytest.raises(CommError, match="registry 'nope' not found in entity 'acme'"):
        logged.link("wandb-registry-nope/digits")

    assert sorted(c.name for c in registry.collections()) == ["best", "digits"]
    assert [c.name for c in registry.collections(filter={"name": "best"})] == ["best"]
    assert sorted(v.qualified_name for v in registry.versions()) == [
        "acme/wandb-registry-model/best:v0",
        "acme/wandb-registry-model/digits:v0",
    ]
    assert [
        v.qualified_name for v in alice_api.registries().versions(filter={"alias": "prod"})
    ] == ["acme/wandb-registry-model/best:v0"]
    assert {v.id for v in registry.versions()} == {logged.id}

    # The real SDK answers the same for the same registry.
    wandb_env.use(wandb_env.user("alice"))
    sdk = wandb.Api(timeout=15).registry("model", organization="acme")
    ours = alice_api.registry("model", organization="acme")
    fields = (
        "name",
        "full_name",
        "entity",
        "organization",
        "description",
        "visibility",
        "allow_all_artifact_types",
        "created_at",
        "updated_at",
    )
    assert {f: getattr(ours, f) for f in fields} == {f: getattr(sdk, f) for f in fields}
    assert ours.artifact_types == list(sdk.artifact_types)
    assert sorted(c.name for c in ours.collections()) == sorted(c.name for c in sdk.collections())
    assert sorted(v.qualified_name for v in ours.versions()) == sorted(
        v.qualified_name for v in sdk.versions()
    )
