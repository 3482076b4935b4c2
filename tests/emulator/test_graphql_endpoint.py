"""The /graphql endpoint accepts requests exactly as the W&B SDK sends them."""

from __future__ import annotations

from emulator.server_features import DEFAULT_FEATURES
from tests.conftest import GraphQLClient

VIEWER = """
query Viewer { viewer { id entity username email flags teams { edges { node { name } } } } }
"""


def test_viewer_is_the_default_entity(gql: GraphQLClient) -> None:
    viewer = gql.data(VIEWER)["viewer"]
    assert viewer["entity"] == "emulator"
    assert viewer["username"] == "emulator"
    assert isinstance(viewer["id"], str)
    assert viewer["flags"] == "{}"
    assert viewer["teams"]["edges"] == [{"node": {"name": "emulator"}}]


def test_empty_operation_name_means_the_only_operation(gql: GraphQLClient) -> None:
    result = gql.query("query GetDefaultEntity { viewer { id entity } }", operationName="")
    assert result["data"]["viewer"]["entity"] == "emulator"


def test_graphql_comment_line_and_undeclared_variables_are_accepted(gql: GraphQLClient) -> None:
    document = "#graphql\n        query ServerFeaturesQuery { serverInfo { features { name } } }"
    result = gql.query(document, {"entity": "e", "project": "p", "name": "n"})
    features = [{"name": name} for name in DEFAULT_FEATURES]
    assert result == {"data": {"serverInfo": {"features": features}}}


def test_missing_variables_key_is_accepted(gql: GraphQLClient) -> None:
    response = gql.http.post("/graphql", json={"operationName": "Viewer", "query": VIEWER})
    assert response.json()["data"]["viewer"]["entity"] == "emulator"


def test_malformed_json_body_is_a_400_naming_the_problem(gql: GraphQLClient) -> None:
    response = gql.http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


def test_body_without_query_is_a_400(gql: GraphQLClient) -> None:
    response = gql.http.post("/graphql", json={"variables": {}})
    assert response.status_code == 400
    assert "query" in response.json()["error"]


def test_unparsable_query_is_a_graphql_error_not_a_5xx(gql: GraphQLClient) -> None:
    result = gql.query("query { viewer { id ")
    assert result["errors"][0]["message"].startswith("Syntax Error")


def test_unknown_field_fails_validation_with_its_name(gql: GraphQLClient) -> None:
    result = gql.query("query { viewer { shoeSize } }")
    assert "shoeSize" in result["errors"][0]["message"]


def test_missing_project_is_null(gql: GraphQLClient) -> None:
    data = gql.data('query { project(name: "nope", entityName: "emulator") { id } }')
    assert data == {"project": None}


def test_explorer_is_served_on_get(gql: GraphQLClient) -> None:
    response = gql.http.get("/graphql")
    assert response.status_code == 200
    assert "<html" in response.text.lower()


def test_health_and_telemetry(gql: GraphQLClient) -> None:
    assert gql.http.get("/healthz").json() == {"status": "ok"}
    assert gql.http.post("/sdk/otel/v1/metrics", content=b"").json() == {}
