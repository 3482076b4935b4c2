"""Artifact collections and edits of logged versions through the real SDK: listing,
renaming, describing, tagging, retyping and deleting collections; ordering versions;
descriptions, metadata, tags, aliases and TTL of versions, and versions past their TTL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import wandb
from wandb.errors import CommError

from client import Api, NotFoundError
from fixtures.handle import EmulatorHandle


@pytest.fixture
def path(wandb_env: EmulatorHandle) -> str:
    store, entity = wandb_env.store.artifacts, wandb_env.entity
    for number in range(3):
        store.log(
            entity,
            "shelf",
            collection="mnist",
            type_name="dataset",
            files={"rows.csv": f"{number}\n".encode()},
            aliases=["best"] * (number == 1),
        )
    store.log(entity, "shelf", collection="weights", type_name="model", files={"w": b"w"})
    return f"{entity}/shelf"


def test_listing_collections_and_ordering_versions(path: str, sdk: wandb.Api) -> None:
    names = [c.name for c in sdk.project(path.split("/")[1], path.split("/")[0]).collections()]
    assert names == ["mnist", "weights"]
    assert [c.name for c in sdk.artifact_collections(path, "dataset")] == ["mnist"]
    assert [c.name for c in sdk.artifact_collections(path, "dataset", order="-name")] == ["mnist"]
    collection = sdk.artifact_collection("dataset", f"{path}/mnist")
    assert collection.is_sequence()
    assert sorted(collection.aliases) == ["best", "latest"]
    newest_first = [a.version for a in sdk.artifacts("dataset", f"{path}/mnist")]
    assert newest_first == ["v2", "v1", "v0"]
    ascending = sdk.artifacts("dataset", f"{path}/mnist", order="+versionIndex")
    assert [a.version for a in ascending] == ["v0", "v1", "v2"]
    descending = sdk.artifacts("dataset", f"{path}/mnist", order="-version_index")
    assert [a.version for a in descending] == ["v2", "v1", "v0"]
    with pytest.raises(Exception, match=r"cannot order by '\+colour'"):
        list(sdk.artifacts("dataset", f"{path}/mnist", order="colour"))
    with pytest.raises(CommError):
        sdk.artifact_collection("dataset", f"{path}/no-such-thing")


def test_rename_describe_tag_and_retype_a_collection(path: str, sdk: wandb.Api) -> None:
    collection = sdk.artifact_collection("dataset", f"{path}/mnist")
    collection.description = "handwritten digits"
    collection.tags = ["vision", "small"]
    collection.name = "digits"
    collection.save()
    again = sdk.artifact_collection("dataset", f"{path}/digits")
    assert (again.description, sorted(again.tags)) == ("handwritten digits", ["small", "vision"])
    assert sdk.artifact(f"{path}/digits:v1").aliases == ["best"]

    again.tags = ["vision"]
    again.type = "training-data"
    again.save()
    moved = sdk.artifact_collection("training-data", f"{path}/digits")
    assert moved.tags == ["vision"]
    assert sdk.artifact(f"{path}/digits:v0").type == "training-data"

    clash = sdk.artifact_collection("model", f"{path}/weights")
    clash.name = "digits"
    with pytest.raises(CommError, match="named 'digits' already exists"):
        clash.save()


def test_delete_a_collection(path: str, sdk: wandb.Api, wandb_env: EmulatorHandle) -> None:
    sdk.artifact_collection("dataset", f"{path}/mnist").delete()
    with pytest.raises(CommError):
        sdk.artifact(f"{path}/mnist:v0")
    assert [c.name for c in sdk.artifact_collections(path, "dataset")] == []
    assert wandb_env.store.artifacts.contents.file(_md5(b"0\n")) is None


def test_edit_a_logged_version(path: str, sdk: wandb.Api) -> None:
    version = sdk.artifact(f"{path}/mnist:v0")
    version.description = "first cut"
    version.metadata = {"rows": 1}
    version.tags = ["raw", "checked"]
    version.aliases.append("gold")
    version.ttl = timedelta(days=30)
    version.save()
    again = sdk.artifact(f"{path}/mnist:gold")
    assert (again.version, again.description, again.metadata) == ("v0", "first cut", {"rows": 1})
    assert sorted(again.tags) == ["checked", "raw"]
    assert again.ttl == timedelta(days=30)

    again.aliases.remove("gold")
    again.tags = ["raw"]
    again.ttl = None
    again.save()
    final = sdk.artifact(f"{path}/mnist:v0")
    assert (final.aliases, final.tags, final.ttl) == ([], ["raw"], None)


def test_versions_past_their_ttl_read_as_deleted(
    path: str, sdk: wandb.Api, wandb_env: EmulatorHandle
) -> None:
    version = sdk.artifact(f"{path}/mnist:v2")
    version.ttl = timedelta(seconds=60)
    version.save()
    assert sdk.artifact(f"{path}/mnist:latest").version == "v2"
    wandb_env.store.db.execute(  # as if it had been logged two minutes ago
        "UPDATE artifacts SET created_at = '2020-01-01T00:00:00Z' WHERE version_index = 2"
    )
    with pytest.raises(CommError, match="not found"):
        sdk.artifact(f"{path}/mnist:v2")
    assert sdk.artifact(f"{path}/mnist:latest").version == "v1"


def _md5(data: bytes) -> str:
    import hashlib

    return hashlib.md5(data).hexdigest()


def test_our_client_reads_edits_and_deletes_collections(
    path: str, sdk: wandb.Api, wandb_api: Api
) -> None:
    ours = wandb_api.artifact_collection("dataset", f"{path}/mnist")
    theirs = sdk.artifact_collection("dataset", f"{path}/mnist")
    assert (ours.name, ours.type, ours.is_sequence()) == ("mnist", "dataset", True)
    assert sorted(ours.aliases) == sorted(theirs.aliases)
    assert [a.version for a in ours.artifacts()] == ["v2", "v1", "v0"]
    assert [a.version for a in ours.artifacts(order="+versionIndex")] == ["v0", "v1", "v2"]

    ours.description, ours.tags, ours.name = "digits", ["vision"], "digits"
    ours.save()
    again = sdk.artifact_collection("dataset", f"{path}/digits")
    assert (again.description, again.tags) == ("digits", ["vision"])
    ours.tags = []
    ours.save()
    assert sdk.artifact_collection("dataset", f"{path}/digits").tags == []

    ours.delete()
    with pytest.raises(NotFoundError):
        wandb_api.artifact_collection("dataset", f"{path}/digits")
