"""Bad input to the registry mutations and searches: a GraphQL error naming the
problem (HTTP 200), and the store left as it was."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import Settings, Store, create_app, ids
from emulator.store.registries import RegistryInput
from tests.conftest import GraphQLClient

UPSERT = """mutation($input: UpsertModelInput!) {
  upsertModel(input: $input) { inserted project { name access } }
}"""
RENAME = """mutation($input: RenameProjectInput!) {
  renameProject(input: $input) { project { name } }
}"""
DELETE = "mutation($id: String!) { deleteModel(input: {id: $id}) { success } }"
MEMBERS = """mutation($input: CreateProjectMembersInput!) {
  result: createProjectMembers(input: $input) { success }
}"""
REGISTRIES = """query($filters: JSONString) {
  organization(name: "acme") {
    orgEntity { projects(filters: $filters) { edges { node { name } } } }
  }
}"""


@pytest.fixture
def acme(gql: GraphQLClient) -> GraphQLClient:
    """Organization ``acme`` with registry ``model`` (models only)."""
    gql.store.teams.create_organization("acme")
    gql.store.registries.upsert(
        "acme",
        "wandb-registry-model",
        RegistryInput(artifact_types=("model",), allow_all_types=False),
    )
    gql.store.projects.ensure_project("acme", "plain")
    return gql


def _error(gql: GraphQLClient, document: str, variables: dict[str, Any]) -> str:
    result = gql.query(document, variables)
    assert result["errors"], result
    return str(result["errors"][0]["message"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entityName": "alice", "name": "wandb-registry-x"}, "not an organization's entity"),
        ({"entityName": "acme", "name": "models"}, "must be 'wandb-registry-' and a name"),
        (
            {"entityName": "acme", "name": "wandb-registry-x", "access": "PUBLIC"},
            "invalid registry access 'PUBLIC'",
        ),
        ({"entityName": "acme", "name": "plain"}, "must be 'wandb-registry-'"),
        ({"name": "wandb-registry-x"}, "needs entityName"),
    ],
)
def test_upsert_refuses_bad_registries(
    acme: GraphQLClient, changes: dict[str, Any], message: str
) -> None:
    before = acme.store.version
    assert message in _error(acme, UPSERT, {"input": changes})
    assert acme.store.version == before


def test_rename_delete_and_members_errors(acme: GraphQLClient) -> None:
    before = acme.store.version
    taken = {
        "entityName": "acme",
        "oldProjectName": "wandb-registry-model",
        "newProjectName": "plain",
    }
    assert "must be 'wandb-registry-'" in _error(acme, RENAME, {"input": taken})
    missing = {
        **taken,
        "oldProjectName": "wandb-registry-nope",
        "newProjectName": "wandb-registry-y",
    }
    assert "registry acme/wandb-registry-nope not found" in _error(acme, RENAME, {"input": missing})
    plain = acme.store.projects.project("acme", "plain")
    assert plain is not None
    assert "no registry with project id" in _error(
        acme, DELETE, {"id": ids.encode_id("Project", plain.id)}
    )
    assert "invalid registry id 'x'" in _error(acme, DELETE, {"id": "x"})
    assert "invalid registry id 'x'" in _error(
        acme, MEMBERS, {"input": {"projectId": "x", "userIds": ["y"]}}
    )
    assert "cannot filter registries by 'size'" in _error(
        acme, REGISTRIES, {"filters": '{"size": 1}'}
    )
    assert acme.store.version == before
    names = acme.data(REGISTRIES, {"filters": '{"name": "wandb-registry-model"}'})
    edges = names["organization"]["orgEntity"]["projects"]["edges"]
    assert [edge["node"]["name"] for edge in edges] == ["wandb-registry-model"]


def test_strict_registries_are_written_by_organization_members(store: Store) -> None:
    alice, bob = "a" * 40, "b" * 40
    for name, key in (("alice", alice), ("bob", bob)):
        store.identity.create_user(name, api_key=key)
    store.teams.create_organization("acme")
    store.teams.add_org_member("acme", "alice")
    create = {"input": {"entityName": "acme", "name": "wandb-registry-model"}}
    with TestClient(create_app(store, settings=Settings(auth="strict"))) as http:
        refused = _post(http, bob, UPSERT, create)
        assert refused["errors"][0]["message"] == (
            "permission denied: user 'bob' may not write to entity 'acme'"
        )
        assert store.registries.registries("acme") == []
        made = _post(http, alice, UPSERT, create)
        assert made["data"]["upsertModel"]["inserted"] is True


def _post(http: TestClient, key: str, document: str, variables: dict[str, Any]) -> Any:
    token = base64.b64encode(f"api:{key}".encode()).decode()
    body = {"query": document, "variables": variables}
    return http.post("/graphql", json=body, headers={"Authorization": f"Basic {token}"}).json()
