"""Linking versions into portfolios (the legacy model registry), unlinking and deleting,
through the real SDK, and our client where it has the call."""

from __future__ import annotations

import json
from collections.abc import Callable
from subprocess import CompletedProcess

import pytest
import wandb
from wandb.errors import CommError

from client import Api
from fixtures.handle import EmulatorHandle


@pytest.fixture
def promoted(wandb_env: EmulatorHandle) -> None:
    """What ``scripts/promote.py`` leaves, written straight into the store (fast)."""
    store, entity = wandb_env.store.artifacts, wandb_env.entity
    first = store.log(
        entity,
        "zoo",
        collection="digits",
        type_name="model",
        files={"model.bin": b"1"},
        aliases=["candidate"],
        tags=["baseline"],
    )
    second = store.log(
        entity, "zoo", collection="digits", type_name="model", files={"model.bin": b"2"}
    )
    store.links.link(first, entity, "model-registry", "digits-classifier", ["staging"])
    store.links.link(second, entity, "model-registry", "digits-classifier", ["production"])


def test_link_artifact_and_link_model_into_the_model_registry(
    run_script: Callable[..., CompletedProcess], wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    done = run_script("promote.py", "--project", "zoo")
    entity = wandb_env.entity
    registry = f"{entity}/model-registry/digits-classifier"
    assert json.loads(done.stdout.splitlines()[-1])["linked"] == [
        [f"{registry}:v0", f"{entity}/zoo/digits:v0", True, ["latest", "staging"]],
        [f"{registry}:v1", f"{entity}/zoo/digits:v1", True, ["latest", "production"]],
    ]
    first = sdk.artifact(f"{registry}:v0")
    assert (first.version, first.is_link, first.source_name) == ("v0", True, "digits:v0")
    assert first.aliases == ["staging"]
    assert first.type == "model"
    assert first.tags == ["baseline"]
    latest = sdk.artifact(f"{registry}:latest")
    assert (latest.version, latest.source_name) == ("v1", "digits:v1")
    assert sdk.artifact(f"{registry}:production").id == latest.id

    source = sdk.artifact(f"{entity}/zoo/digits:v0")
    assert not source.is_link
    assert sorted(source.aliases) == ["candidate"]
    assert [a.qualified_name for a in source.linked_artifacts] == [f"{registry}:v0"]

    collection = sdk.artifact_collection("model", registry)
    assert not collection.is_sequence()
    assert [a.version for a in collection.artifacts()] == ["v1", "v0"]
    assert sorted(collection.aliases) == ["latest", "production", "staging"]


def test_public_link_unlink_and_versions_of_their_own(
    promoted: None, wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    entity = wandb_env.entity
    second = sdk.artifact(f"{entity}/zoo/digits:v1")
    linked = second.link(f"{entity}/showcase/favourites", aliases=["pick"])
    assert (linked.qualified_name, linked.is_link) == (f"{entity}/showcase/favourites:v0", True)
    again = sdk.artifact(f"{entity}/zoo/digits:v0").link(f"{entity}/showcase/favourites")
    assert again.version == "v1"

    sdk.artifact(f"{entity}/showcase/favourites:v0").unlink()
    remaining = sdk.artifact_collection("model", f"{entity}/showcase/favourites").artifacts()
    assert [a.source_name for a in remaining] == ["digits:v0"]
    assert sdk.artifact(f"{entity}/zoo/digits:v1").version == "v1"  # the source stays
    with pytest.raises(ValueError, match="not a linked artifact"):
        sdk.artifact(f"{entity}/zoo/digits:v1").unlink()


def test_linking_errors_are_clear_and_change_nothing(
    promoted: None, wandb_env: EmulatorHandle, sdk: wandb.Api
) -> None:
    entity = wandb_env.entity
    wandb_env.store.artifacts.log(
        entity, "zoo", collection="pixels", type_name="dataset", files={"a.txt": b"a"}
    )
    rows = sdk.artifact(f"{entity}/zoo/pixels:v0")
    with pytest.raises(CommError, match="has type 'model', cannot add a version of type"):
        rows.link(f"{entity}/model-registry/digits-classifier")
    with pytest.raises(CommError, match="'digits' is a sequence"):
        sdk.artifact(f"{entity}/zoo/digits:v0").link(f"{entity}/zoo/digits")
    registry = sdk.artifact_collection("model", f"{entity}/model-registry/digits-classifier")
    assert [a.version for a in registry.artifacts()] == ["v1", "v0"]


def test_delete_refuses_aliases_then_removes_links_and_files(
    promoted: None, wandb_env: EmulatorHandle, sdk: wandb.Api, wandb_api: Api
) -> None:
    entity = wandb_env.entity
    store = wandb_env.store
    second = sdk.artifact(f"{entity}/zoo/digits:v1")
    assert second.id is not None
    (entry,) = store.artifacts.files(store_id(second.id))
    with pytest.raises(CommError, match=r"because it has aliases \(production\)"):
        second.delete()
    assert sdk.artifact(f"{entity}/zoo/digits:v1").id == second.id  # nothing deleted

    second.delete(delete_aliases=True)
    with pytest.raises(CommError, match="not found"):
        sdk.artifact(f"{entity}/zoo/digits:v1")
    assert sdk.artifact(f"{entity}/zoo/digits:latest").version == "v0"
    registry = f"{entity}/model-registry/digits-classifier"
    assert sdk.artifact(f"{registry}:latest").version == "v0"
    assert store.artifacts.contents.file(entry.md5_hex) is None  # no version holds it now

    link = sdk.artifact(f"{registry}:v0")
    link.delete()  # on a link: unlinks, the source stays
    assert sdk.artifact(f"{entity}/zoo/digits:v0").version == "v0"
    assert list(sdk.artifact_collection("model", registry).artifacts()) == []
    assert wandb_api.artifact(f"{entity}/zoo/digits:v0").version == "v0"


def store_id(graphql_id: str) -> int:
    from emulator import ids

    (number,) = ids.decode_id(graphql_id, "Artifact")
    return int(number)


def test_our_client_links_unlinks_and_deletes_like_the_sdk(
    promoted: None, wandb_env: EmulatorHandle, sdk: wandb.Api, wandb_api: Api
) -> None:
    entity = wandb_env.entity
    registry = f"{entity}/model-registry/digits-classifier"
    ours = wandb_api.artifact(f"{registry}:v0")
    theirs = sdk.artifact(f"{registry}:v0")
    assert (ours.is_link, ours.version, ours.aliases) == (True, "v0", theirs.aliases)
    assert (ours.source_name, ours.qualified_name) == (theirs.source_name, theirs.qualified_name)
    source = wandb_api.artifact(f"{entity}/zoo/digits:v0")
    assert (source.is_link, source.aliases) == (False, ["candidate"])

    linked = source.link("showcase/favourites", aliases=["pick"])
    assert (linked.qualified_name, linked.aliases) == (
        f"{entity}/showcase/favourites:v0",
        ["latest", "pick"],
    )
    assert sdk.artifact(f"{entity}/showcase/favourites:pick").source_name == "digits:v0"
    wandb_api.artifact(f"{entity}/showcase/favourites:v0").unlink()
    with pytest.raises(CommError):
        sdk.artifact(f"{entity}/showcase/favourites:v0")

    second = wandb_api.artifact(f"{entity}/zoo/digits:v1")
    with pytest.raises(Exception, match=r"because it has aliases \(production\)"):
        second.delete()
    second.delete(delete_aliases=True)
    with pytest.raises(CommError):
        sdk.artifact(f"{entity}/zoo/digits:v1")
    wandb_api.artifact(f"{registry}:v0").delete()  # a link: unlinked
    assert sdk.artifact(f"{entity}/zoo/digits:v0").version == "v0"
