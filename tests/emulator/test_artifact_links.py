"""Bad input to the linking, editing and deleting mutations: a GraphQL error naming
the problem, and the store left as it was."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import ids
from emulator.store.artifacts.records import Artifact
from tests.conftest import GraphQLClient

LINK = """mutation($input: LinkArtifactInput!) {
  linkArtifact(input: $input) { versionIndex artifactMembership { versionIndex } }
}"""
UNLINK = "mutation($input: UnlinkArtifactInput!) { unlinkArtifact(input: $input) { success } }"
DELETE = """mutation($input: DeleteArtifactInput!) {
  deleteArtifact(input: $input) { artifact { id } }
}"""
UPDATE = """mutation($input: UpdateArtifactInput!) {
  updateArtifact(input: $input) { artifact { ttlDurationSeconds tags { name } } }
}"""
ADD_ALIASES = "mutation($input: AddAliasesInput!) { addAliases(input: $input) { success } }"
RENAME = """mutation($input: UpdateArtifactSequenceInput!) {
  updateArtifactSequence(input: $input) { artifactCollection { name } }
}"""
MOVE = """mutation($input: MoveArtifactSequenceInput!) {
  moveArtifactSequence(input: $input) { artifactCollection { name } }
}"""
COLLECTIONS = """query($filters: JSONString, $order: String) {
  project(name: "proj", entityName: "team") {
    artifactCollections(filters: $filters, order: $order) { edges { node { name } } }
  }
}"""


@pytest.fixture
def versions(gql: GraphQLClient) -> list[Artifact]:
    store = gql.store.artifacts
    first = store.log(
        "team", "proj", collection="ds", type_name="dataset", files={"a": b"1"}, aliases=["best"]
    )
    second = store.log("team", "proj", collection="ds", type_name="dataset", files={"a": b"2"})
    store.log("team", "proj", collection="net", type_name="model", files={"w": b"w"})
    return [first, second]


def _id(artifact: Artifact) -> str:
    return ids.encode_id("Artifact", artifact.id)


def _error(gql: GraphQLClient, document: str, variables: dict[str, Any]) -> str:
    result = gql.query(document, variables)
    assert result.get("errors"), result
    return str(result["errors"][0]["message"])


def test_linked_versions_are_numbered_in_their_portfolio(
    gql: GraphQLClient, versions: list[Artifact]
) -> None:
    link = {"entityName": "team", "projectName": "reg", "artifactPortfolioName": "best-ds"}
    second = gql.data(LINK, {"input": {**link, "artifactID": _id(versions[1])}})
    first = gql.data(LINK, {"input": {**link, "artifactID": _id(versions[0])}})
    assert second["linkArtifact"]["versionIndex"] == 0
    assert first["linkArtifact"] == {"versionIndex": 1, "artifactMembership": {"versionIndex": 1}}
    again = gql.data(LINK, {"input": {**link, "artifactID": _id(versions[0])}})
    assert again["linkArtifact"]["versionIndex"] == 1  # linking twice: the same link


def test_link_errors(gql: GraphQLClient, versions: list[Artifact]) -> None:
    base = {"entityName": "team", "projectName": "proj", "artifactID": _id(versions[0])}
    assert "is a sequence" in _error(gql, LINK, {"input": {**base, "artifactPortfolioName": "ds"}})
    message = _error(gql, LINK, {"input": {**base, "artifactPortfolioName": "bad name!"}})
    assert "invalid artifact name 'bad name!'" in message
    assert "needs artifactPortfolioID" in _error(gql, LINK, {"input": base})
    bogus = {**base, "artifactID": "bm90IGFuIGlk", "artifactPortfolioName": "p"}
    assert "invalid artifact id" in _error(gql, LINK, {"input": bogus})
    unknown = {**base, "artifactPortfolioID": ids.encode_id("ArtifactCollection", 999)}
    assert "not found" in _error(gql, LINK, {"input": unknown})
    assert gql.store.artifacts.collection(versions[0].project_id, "p") is None


def test_unlink_errors(gql: GraphQLClient, versions: list[Artifact]) -> None:
    sequence = ids.encode_id("ArtifactCollection", versions[0].collection_id)
    message = _error(
        gql, UNLINK, {"input": {"artifactID": _id(versions[0]), "artifactPortfolioID": sequence}}
    )
    assert "is a sequence" in message


def test_delete_with_aliases_is_refused_and_changes_nothing(
    gql: GraphQLClient, versions: list[Artifact]
) -> None:
    message = _error(gql, DELETE, {"input": {"artifactID": _id(versions[0])}})
    assert message == (
        "cannot delete artifact ds:v0 because it has aliases (best): delete them first,"
        " or delete the artifact with delete_aliases=True"
    )
    assert gql.store.artifacts.aliases(versions[0].id) == ["best"]
    assert len(gql.store.artifacts.files(versions[0].id)) == 1
    gql.data(DELETE, {"input": {"artifactID": _id(versions[1])}})  # only 'latest': deletable
    assert gql.store.artifacts.aliases(versions[0].id) == ["latest", "best"]


@pytest.mark.parametrize("ttl", [-5, 0, -3])
def test_invalid_ttl_is_refused(gql: GraphQLClient, versions: list[Artifact], ttl: int) -> None:
    message = _error(
        gql,
        UPDATE,
        {"input": {"artifactID": _id(versions[0]), "ttlDurationSeconds": ttl, "description": "x"}},
    )
    assert f"invalid ttlDurationSeconds {ttl}" in message
    assert gql.store.artifacts.get(versions[0].id).description is None  # type: ignore[union-attr]


def test_ttl_values_and_tags(gql: GraphQLClient, versions: list[Artifact]) -> None:
    update = {"artifactID": _id(versions[0]), "tagsToAdd": [{"tagName": "raw"}]}
    for ttl in (3600, -2, -1):
        found = gql.data(UPDATE, {"input": {**update, "ttlDurationSeconds": ttl}})
        assert found["updateArtifact"]["artifact"] == {
            "ttlDurationSeconds": ttl,
            "tags": [{"name": "raw"}],
        }
    bad = {"artifactID": _id(versions[0]), "tagsToAdd": [{"tagName": "no/slash"}]}
    assert "invalid tag 'no/slash'" in _error(gql, UPDATE, {"input": bad})


def test_alias_errors(gql: GraphQLClient, versions: list[Artifact]) -> None:
    where = {"entityName": "team", "projectName": "proj", "artifactCollectionName": "net"}
    message = _error(
        gql,
        ADD_ALIASES,
        {"input": {"artifactID": _id(versions[0]), "aliases": [{**where, "alias": "x"}]}},
    )
    assert "is not a member" in message
    where["artifactCollectionName"] = "ds"
    message = _error(
        gql,
        ADD_ALIASES,
        {"input": {"artifactID": _id(versions[0]), "aliases": [{**where, "alias": "v7"}]}},
    )
    assert "versions such as v3 are not aliases" in message
    where["artifactCollectionName"] = "nope"
    message = _error(
        gql,
        ADD_ALIASES,
        {"input": {"artifactID": _id(versions[0]), "aliases": [{**where, "alias": "x"}]}},
    )
    assert "artifact collection team/proj/nope not found" in message


def test_collection_errors(gql: GraphQLClient, versions: list[Artifact]) -> None:
    sequence = ids.encode_id("ArtifactCollection", versions[0].collection_id)
    rename = {"artifactSequenceID": sequence, "name": "net"}
    assert "named 'net' already exists" in _error(gql, RENAME, {"input": rename})
    move = {"artifactSequenceID": sequence, "destinationArtifactTypeName": "a/b"}
    assert "invalid artifact type 'a/b'" in _error(gql, MOVE, {"input": move})
    assert "invalid artifact collection id" in _error(
        gql, '{ artifactCollection(id: "eA==") { name } }', {}
    )
    assert "cannot filter artifact collections by 'colour'" in _error(
        gql, COLLECTIONS, {"filters": '{"colour": "red"}'}
    )
    found = gql.data(COLLECTIONS, {"filters": '{"name": {"$regex": "^n"}}', "order": "-name"})
    assert found["project"]["artifactCollections"]["edges"] == [{"node": {"name": "net"}}]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("ftp://host/file", "unsupported scheme 'ftp'"),
        ("s3:///no-bucket", "no host"),
        ("file://", "no path"),
        (42, "invalid reference 42"),
    ],
)
def test_malformed_references_are_refused(gql: GraphQLClient, ref: Any, message: str) -> None:
    store = gql.store.artifacts
    draft = store.create("team", "proj", collection="refs", type_name="dataset", digest="d")
    document = '{"version": 1, "contents": {"x": {"digest": "abc", "size": 1, "ref": %s}}}' % (
        f'"{ref}"' if isinstance(ref, str) else ref
    )
    response = gql.http.put(f"/artifacts/manifests/{draft.id}", content=document.encode())
    assert response.status_code == 400
    assert message in response.text
    assert store.contents.manifest(draft.id) is None


def test_storage_paths_have_the_wandb_artifacts_form(
    gql: GraphQLClient, versions: list[Artifact]
) -> None:
    document = '{ artifact(id: "%s") { files { edges { node { storagePath } } } } }'
    found = gql.data(document % _id(versions[0]))["artifact"]["files"]["edges"]
    (entry,) = gql.store.artifacts.files(versions[0].id)
    assert found == [{"node": {"storagePath": f"wandb_artifacts/{entry.md5_hex}"}}]


def test_update_manifest_errors(gql: GraphQLClient, versions: list[Artifact]) -> None:
    document = """mutation($input: UpdateArtifactManifestInput!) {
      updateArtifactManifest(input: $input) { artifactManifest { id } }
    }"""
    assert "not a ArtifactManifest id" in _error(
        gql, document, {"input": {"artifactManifestID": _id(versions[0])}}
    )
    committed = ids.encode_id("ArtifactManifest", versions[0].id)
    assert "is COMMITTED, not PENDING" in _error(
        gql, document, {"input": {"artifactManifestID": committed}}
    )


def test_file_downloads_carry_w_and_b_storage_headers(
    gql: GraphQLClient, versions: list[Artifact]
) -> None:
    (entry,) = gql.store.artifacts.files(versions[0].id)
    response = gql.http.get(f"/artifacts/files/{entry.md5_hex}")
    assert response.status_code == 200
    assert response.headers["etag"] == f'"{entry.md5_hex}"'
    assert response.headers["content-md5"] == entry.md5
    assert response.headers["content-type"] == "application/octet-stream"
    assert int(response.headers["content-length"]) == entry.size_bytes
