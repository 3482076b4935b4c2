"""Identity over HTTP: admin routes, the forms of the Authorization header, GraphQL errors."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import DEFAULT_API_KEY, Settings, Store, create_app, ids

ALICE_KEY = "a" * 40


def _basic(key: str, user: str = "api") -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{key}".encode()).decode()}


@pytest.fixture(params=["open", "strict"])
def http(request: pytest.FixtureRequest, store: Store) -> Iterator[TestClient]:
    app = create_app(store, settings=Settings(auth=request.param))
    with TestClient(app, headers=_basic(DEFAULT_API_KEY)) as client:
        assert client.post("/_emulator/users", json={"username": "alice", "api_key": ALICE_KEY})
        yield client


def _viewer(http: TestClient, headers: dict[str, str]) -> Any:
    response = http.post("/graphql", json={"query": "{ viewer { username } }"}, headers=headers)
    return response.status_code, response.json()


def test_every_header_form_the_clients_send_names_the_user(http: TestClient) -> None:
    bearer = {"Authorization": f"Bearer {ALICE_KEY}"}
    for headers in (_basic(ALICE_KEY), _basic(ALICE_KEY, "alice"), bearer):
        assert _viewer(http, headers) == (200, {"data": {"viewer": {"username": "alice"}}})


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("Basic %%%", "not base64"),
        ("Digest abc", "expected 'Basic"),
        ("Basic " + base64.b64encode(b"nocolon").decode(), "no ':'"),
    ],
)
def test_malformed_headers_get_401_naming_the_problem(
    http: TestClient, header: str, problem: str
) -> None:
    status, body = _viewer(http, {"Authorization": header})
    assert status == 401 and problem in body["error"]


def test_admin_routes_answer_what_they_made_and_name_bad_input(http: TestClient) -> None:
    made = http.post("/_emulator/users", json={"username": "bob", "admin": True}).json()
    assert (made["username"], made["entity"], made["admin"], len(made["api_key"])) == (
        "bob",
        "bob",
        True,
        40,
    )
    team = http.post(
        "/_emulator/teams",
        json={"name": "ml", "admin": "alice", "members": [{"username": "bob", "role": "viewer"}]},
    )
    assert team.status_code == 201
    assert team.json()["members"] == [
        {"username": "alice", "role": "admin"},
        {"username": "bob", "role": "viewer"},
    ]
    key = http.post("/_emulator/users/bob/keys", json={"description": "ci"})
    assert key.status_code == 201 and len(key.json()["api_key"]) == 40
    assert http.post("/_emulator/orgs", json={"name": "acme", "teams": ["ml"]}).status_code == 201
    users = http.get("/_emulator/users").json()
    assert [user["username"] for user in users] == ["alice", "bob"]
    cases = [
        ("POST", "/_emulator/users", {"username": "alice"}, 409, "already exists"),
        ("POST", "/_emulator/users", {"username": "carol", "api_key": "k"}, 400, "40+"),
        (
            "POST",
            "/_emulator/users",
            {"username": "carol", "api_key": DEFAULT_API_KEY},
            400,
            "reserved",
        ),
        ("POST", "/_emulator/users", {"name": "carol"}, 400, "missing 'username'"),
        ("POST", "/_emulator/users", {"username": "carol", "admin": "yes"}, 400, "true or false"),
        ("POST", "/_emulator/users/ghost/keys", {}, 404, "no user 'ghost'"),
        ("POST", "/_emulator/teams", {"name": "ml", "admin": "alice"}, 409, "taken"),
        ("POST", "/_emulator/teams", {"name": "t2", "admin": "ghost"}, 404, "no user 'ghost'"),
        ("POST", "/_emulator/teams/ghost/members", {"username": "bob"}, 404, "no team"),
        ("DELETE", "/_emulator/teams/ml/members/alice", None, 409, "last admin"),
        ("POST", "/_emulator/orgs", {"name": "acme"}, 409, "already exists"),
    ]
    before = http.get("/_emulator/export").json()
    for method, path, body, status, message in cases:
        response = http.request(method, path, json=body)
        assert (response.status_code, message in response.json()["error"]) == (status, True), path
    not_an_object = {"content": b"[1]", "headers": {"content-type": "application/json"}}
    assert http.post("/_emulator/users", **not_an_object).status_code == 400
    assert http.get("/_emulator/export").json() == before


GRAPHQL_ERRORS = [
    (
        'mutation { createInvite(input: {entityName: "ml", username: "ghost"}) { invite { id } } }',
        "no user 'ghost'",
    ),
    (
        'mutation { createInvite(input: {entityName: "nope", username: "alice"})'
        " { invite { id } } }",
        "no team 'nope'",
    ),
    ('mutation { deleteApiKey(input: {id: "bad"}) { success } }', "invalid ApiKey id"),
    (
        'mutation { deleteInvite(input: {id: "ALICE", entityName: "ml"}) { success } }',
        "last admin",
    ),
    (
        'mutation { deleteInvite(input: {id: "VXNlcjo5OTk=", entityName: "ml"}) { success } }',
        "no user with id 'VXNlcjo5OTk='",
    ),
    ('mutation { createTeam(input: {teamName: "a b"}) { entity { name } } }', "invalid team name"),
    ('mutation { createUser(input: {email: "nope"}) { user { id } } }', "invalid email"),
    ('{ user(id: "bad") { id } }', "invalid User id"),
]


@pytest.mark.parametrize(("document", "message"), GRAPHQL_ERRORS)
def test_graphql_bad_input_is_an_error_naming_it(
    http: TestClient, store: Store, document: str, message: str
) -> None:
    assert http.post("/_emulator/teams", json={"name": "ml", "admin": "alice"}).status_code == 201
    alice = store.identity.user("alice")
    assert alice is not None
    document = document.replace('"ALICE"', f'"{ids.encode_id("User", alice.id)}"')
    response = http.post("/graphql", json={"query": document})  # as the default user, an admin
    assert response.status_code == 200
    assert message in response.json()["errors"][0]["message"]


def test_entity_answers_every_field_of_the_sdks_team_query(http: TestClient) -> None:
    http.post("/_emulator/teams", json={"name": "ml", "admin": "alice"})
    query = """{ entity(name: "ml") { id name available photoUrl readOnly readOnlyAdmin isTeam
      entityType privateOnly storageBytes codeSavingEnabled defaultAccess isPaid
      members { id admin pending email username name photoUrl accountType apiKey } } }"""
    entity = http.post("/graphql", json={"query": query}).json()["data"]["entity"]
    assert (entity["isTeam"], entity["entityType"], entity["storageBytes"]) == (True, "team", 0)
    assert entity["members"][0]["username"] == "alice" and entity["members"][0]["admin"]
    assert http.post("/graphql", json={"query": '{ entity(name: "x") { id } }'}).json() == {
        "data": {"entity": None}
    }


def test_strict_file_stream_takes_writes_from_those_who_may_write(store: Store) -> None:
    app = create_app(store, settings=Settings(auth="strict"))
    bob_key = "b" * 40
    with TestClient(app, headers=_basic(DEFAULT_API_KEY)) as http:
        for name, key in (("alice", ALICE_KEY), ("bob", bob_key)):
            http.post("/_emulator/users", json={"username": name, "api_key": key})
        upsert = 'mutation { upsertBucket(input: {name: "r", modelName: "p"}) { bucket { id } } }'
        assert (
            "errors"
            not in http.post("/graphql", json={"query": upsert}, headers=_basic(ALICE_KEY)).json()
        )
        body = {"files": {"wandb-history.jsonl": {"offset": 0, "content": ['{"_step": 0}']}}}
        refused = http.post("/files/alice/p/r/file_stream", json=body, headers=_basic(bob_key))
        assert refused.status_code == 403
        assert refused.json()["error"] == (
            "permission denied: user 'bob' may not write to entity 'alice'"
        )
        assert store.runs.get("alice", "p", "r").history_line_count == 0
        taken = http.post("/files/alice/p/r/file_stream", json=body, headers=_basic(ALICE_KEY))
        assert taken.status_code == 200
        assert store.runs.get("alice", "p", "r").history_line_count == 1
