"""upsertBucket: create, update with null-means-unchanged, and its errors."""

from __future__ import annotations

import json

import pytest

from emulator import ids
from tests.conftest import GraphQLClient

UPSERT = """
mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String,
                      $config: JSONString, $summaryMetrics: JSONString, $tags: [String!],
                      $displayName: String, $state: String, $notes: String) {
  upsertBucket(input: {id: $id, name: $name, modelName: $project, entityName: $entity,
                       config: $config, summaryMetrics: $summaryMetrics, tags: $tags,
                       displayName: $displayName, state: $state, notes: $notes}) {
    bucket { id name displayName state config summaryMetrics tags notes
             project { name entity { name } } }
    inserted
  }
}
"""


def _upsert(gql: GraphQLClient, **variables: object) -> dict:
    return gql.query(UPSERT, variables)


def test_create_then_update_keeps_unmentioned_fields(gql: GraphQLClient) -> None:
    created = _upsert(
        gql,
        name="abc12345",
        project="p",
        entity="team",
        notes="first",
        config=json.dumps({"lr": {"value": 0.1, "desc": None}}),
    )
    payload = created["data"]["upsertBucket"]
    assert payload["inserted"] is True
    assert payload["bucket"]["state"] == "running"
    assert payload["bucket"]["project"] == {"name": "p", "entity": {"name": "team"}}

    updated = _upsert(gql, id=payload["bucket"]["id"], tags=["a"], displayName="nice-run-1")
    bucket = updated["data"]["upsertBucket"]["bucket"]
    assert bucket["tags"] == ["a"]
    assert bucket["displayName"] == "nice-run-1"
    assert bucket["notes"] == "first"
    assert json.loads(bucket["config"]) == {"lr": {"value": 0.1, "desc": None}}

    again = _upsert(gql, name="abc12345", project="p", entity="team", state="finished")
    assert again["data"]["upsertBucket"]["inserted"] is False
    assert again["data"]["upsertBucket"]["bucket"]["tags"] == ["a"]


def test_summary_is_replaced_whole(gql: GraphQLClient) -> None:
    _upsert(gql, name="r1", project="p", summaryMetrics=json.dumps({"a": 1, "b": 2}))
    result = _upsert(gql, name="r1", project="p", summaryMetrics=json.dumps({"c": 3}))
    assert json.loads(result["data"]["upsertBucket"]["bucket"]["summaryMetrics"]) == {"c": 3}


@pytest.mark.parametrize(
    ("variables", "fragment"),
    [
        ({"id": ids.run_id("team", "p", "missing")}, "not found"),
        ({"id": "not-an-id"}, "invalid Run id"),
        ({"name": "r1", "project": "p", "config": "[1, 2]"}, "config must be a JSON object"),
        ({"name": "r1", "project": "p", "summaryMetrics": "3"}, "summary_metrics must be"),
        ({"name": "r1", "project": "p", "state": "exploded"}, "unknown run state"),
        ({"name": "r1", "project": "p", "tags": [1]}, "tags"),
    ],
)
def test_bad_updates_are_errors_and_change_nothing(
    gql: GraphQLClient, variables: dict, fragment: str
) -> None:
    _upsert(gql, name="r1", project="p", entity="team")
    before = gql.store.export()
    result = _upsert(gql, **variables)
    assert any(fragment in error["message"] for error in result["errors"]), result["errors"]
    assert gql.store.export() == before
