"""Registry members in the store and over GraphQL: default roles, roles through teams
and the organization, bad input (a GraphQL error naming the problem, nothing changed)
and strict mode's registry admins."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import Settings, Store, create_app, identity_admin
from emulator.ids import encode_id
from emulator.store.registries import Registry, RegistryError, RegistryInput
from tests.conftest import GraphQLClient


def _mutation(field: str, input_type: str) -> str:
    return f"mutation($input: {input_type}!) {{ result: {field}(input: $input) {{ success }} }}"


ADD = _mutation("createProjectMembers", "CreateProjectMembersInput")
REMOVE = _mutation("deleteProjectMembers", "DeleteProjectMembersInput")
USER_ROLE = _mutation("updateProjectMember", "UpdateProjectMemberInput")
TEAM_ROLE = _mutation("updateProjectTeamMember", "UpdateProjectTeamMemberInput")
MEMBERS = """query($project: String!) {
  project(name: $project, entityName: "acme") {
    members { username role { name } }
    teamMembers { team { name } role { name } }
  }
}"""


def _registry(store: Store, name: str = "wandb-registry-model") -> Registry:
    registry, _ = store.registries.upsert("acme", name, RegistryInput())
    return registry


@pytest.fixture
def acme(store: Store) -> Registry:
    """Organization ``acme`` (admin olga, member alice), team ``ml`` (bob) and user carol,
    registry ``model`` with no members."""
    for name in ("olga", "alice", "bob", "carol"):
        store.identity.create_user(name, api_key=name[0] * 40)
    store.teams.create_team("ml", admin="bob")
    identity_admin.add_org(
        store,
        {"name": "acme", "members": [{"username": "olga", "role": "admin"}, "alice"]},
    )
    return _registry(store)


def test_default_roles_and_roles_through_teams(store: Store, acme: Registry) -> None:
    members = store.registry_members
    service, _ = store.teams.create_service_account("ml", "ci")
    members.add(acme, ["alice", "olga", service.username], ["ml"])
    assert [(user.username, role) for user, role in members.users(acme)] == [
        ("alice", "viewer"),
        ("olga", "admin"),  # an organization admin
        (service.username, "member"),  # a service account
    ]
    assert [(team.name, role) for team, role in members.teams(acme)] == [("ml", "viewer")]
    members.add(acme, ["alice"])  # already a member: keeps the role
    members.set_team_role(acme, "ml", "member")
    assert members.role_of(acme, "bob") == "member"  # through team ml
    members.set_user_role(acme, "alice", "restricted_viewer")
    assert members.role_of(acme, "alice") == "restricted_viewer"
    assert members.role_of(acme, "carol") is None
    with pytest.raises(RegistryError, match="cannot have the registry role 'viewer'"):
        members.set_user_role(acme, service.username, "viewer")
    copy = Store()  # snapshots carry the members
    copy.load(store.export())
    assert copy.registry_members.teams(acme) == members.teams(acme)
    copy.close()
    store.registries.delete(acme.project.id)  # members go with the registry
    assert members.users(_registry(store)) == []


@pytest.fixture
def ids(store: Store, acme: Registry) -> dict[str, str]:
    """GraphQL ids: the registry, alice, bob, team ml and carol's personal entity."""
    found = {name: store.identity.user(name) for name in ("alice", "bob")}
    entity = {name: store.teams.entity(name) for name in ("ml", "carol")}
    return {
        "registry": encode_id("Project", acme.project.id),
        **{name: encode_id("User", user.id) for name, user in found.items() if user},
        **{name: encode_id("Entity", team.id) for name, team in entity.items() if team},
    }


def _error(gql: GraphQLClient, document: str, input: dict[str, Any]) -> str:
    before = gql.store.version
    result = gql.query(document, {"input": input})
    assert result["errors"] and gql.store.version == before, result
    return str(result["errors"][0]["message"])


def test_bad_member_input_is_an_error_naming_it(gql: GraphQLClient, ids: dict[str, str]) -> None:
    registry = ids["registry"]
    gql.data(ADD, {"input": {"projectId": registry, "userIds": [ids["alice"]]}})
    cases: list[tuple[str, dict[str, Any], str]] = [
        (ADD, {"userIds": [encode_id("User", 999)]}, "no user with id"),
        (ADD, {"userIds": ["nonsense"]}, "invalid User id 'nonsense'"),
        (ADD, {"teamIds": [ids["carol"]]}, f"no team with id {ids['carol']!r}"),
        (ADD, {"userIds": []}, "give at least one of userIds and teamIds"),
        (ADD, {"projectId": encode_id("Project", 999), "userIds": [ids["bob"]]}, "no registry"),
        (REMOVE, {"userIds": [ids["alice"], ids["bob"]]}, "user 'bob' is not a member"),
        (REMOVE, {"teamIds": [ids["ml"]]}, "team 'ml' is not a member of registry 'model'"),
        (
            USER_ROLE,
            {"userId": ids["alice"], "userProjectRole": "owner"},
            "invalid registry role 'owner'; expected one of restricted_viewer, viewer,",
        ),
        (USER_ROLE, {"userId": ids["bob"], "userProjectRole": "admin"}, "'bob' is not a member"),
        (TEAM_ROLE, {"teamId": ids["ml"], "teamProjectRole": "admin"}, "'ml' is not a member"),
    ]
    for document, input, message in cases:
        assert message in _error(gql, document, {"projectId": registry, **input}), message
    members = gql.data(MEMBERS, {"project": "wandb-registry-model"})["project"]
    assert members == {
        "members": [{"username": "alice", "role": {"name": "viewer"}}],
        "teamMembers": [],
    }
    gql.store.projects.ensure_project("acme", "plain")
    assert gql.data(MEMBERS, {"project": "plain"}) == {
        "project": {"members": [], "teamMembers": []}  # a plain project has none here
    }


def _as(http: TestClient, key: str, document: str, input: dict[str, Any]) -> Any:
    token = base64.b64encode(f"api:{key}".encode()).decode()
    body = {"query": document, "variables": {"input": input}}
    return http.post("/graphql", json=body, headers={"Authorization": f"Basic {token}"}).json()


def test_strict_members_are_changed_by_registry_admins(
    store: Store, acme: Registry, ids: dict[str, str]
) -> None:
    store.registry_members.add(acme, ["alice"])
    add_bob = {"projectId": ids["registry"], "userIds": [ids["bob"]]}
    promote = {"projectId": ids["registry"], "userId": ids["alice"], "userProjectRole": "admin"}
    with TestClient(create_app(store, settings=Settings(auth="strict"))) as http:
        before = store.version
        for document, input in ((ADD, add_bob), (USER_ROLE, promote)):
            refused = _as(http, "a" * 40, document, input)  # alice, a viewer
            assert "permission denied: user 'alice' may not" in refused["errors"][0]["message"]
        assert store.version == before
        assert _as(http, "o" * 40, USER_ROLE, promote)["data"]["result"]["success"]  # org admin
        assert _as(http, "a" * 40, ADD, add_bob)["data"]["result"]["success"]
    roles = [(user.username, role) for user, role in store.registry_members.users(acme)]
    assert roles == [("alice", "admin"), ("bob", "viewer")]
