"""Project runs over GraphQL: counts, filters, orders, cursor pages and their errors."""

from __future__ import annotations

import json

import pytest

from emulator.store import Run, Store, wandb_config
from tests.conftest import GraphQLClient

RUNS = """
query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50,
           $order: String, $filters: JSONString) {
  project(name: $project, entityName: $entity) {
    internalId
    runCount(filters: $filters)
    runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
      edges { node { id name displayName state tags config summaryMetrics projectId
                     user { name username } } cursor }
      pageInfo { endCursor hasNextPage }
    }
  }
}
"""


def _add_runs(store: Store, count: int = 7) -> list[Run]:
    store.projects.ensure_user("emulator")
    project = store.projects.ensure_project("emulator", "proj")
    runs = [
        Run(
            name=f"run{i:05d}",
            display_name=f"run-{i}",
            state="finished" if i % 3 else "failed",
            config=wandb_config({"lr": 0.001 * (i + 1), "optimizer": "adam" if i % 2 else "sgd"}),
            summary_metrics={"loss": 1.0 / (i + 1)} if i != 4 else {},
            tags=["baseline"] if i < 3 else ["sweep"],
            username="emulator",
            created_at=f"2026-01-{i + 1:02d}T00:00:00",
        )
        for i in range(count)
    ]
    store.runs.insert(project.id, runs)
    return runs


def _runs(gql: GraphQLClient, **variables: object) -> dict:
    return gql.query(RUNS, {"project": "proj", "entity": "emulator", **variables})


def _names(result: dict) -> list[str]:
    return [edge["node"]["name"] for edge in result["data"]["project"]["runs"]["edges"]]


def test_filters_count_and_page_agree(gql: GraphQLClient) -> None:
    _add_runs(gql.store)
    filters = json.dumps({"$and": [{"config.lr": {"$gte": 0.003}}, {"tags": "sweep"}]})
    result = _runs(gql, filters=filters, order="+created_at")
    assert result["data"]["project"]["runCount"] == 4
    assert _names(result) == ["run00003", "run00004", "run00005", "run00006"]


def test_order_by_summary_metric_descending(gql: GraphQLClient) -> None:
    _add_runs(gql.store)
    names = _names(_runs(gql, order="-summary_metrics.loss"))
    # loss = 1/(i+1): largest first; run 4 has no loss and sorts last.
    assert names == [
        "run00000",
        "run00001",
        "run00002",
        "run00003",
        "run00005",
        "run00006",
        "run00004",
    ]


def test_cursor_of_last_edge_continues_the_listing(gql: GraphQLClient) -> None:
    _add_runs(gql.store, count=7)
    seen, cursor = [], None
    while True:
        page = _runs(gql, perPage=3, cursor=cursor, order="+config.lr")["data"]["project"]["runs"]
        seen += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["edges"][-1]["cursor"]
    assert seen == [f"run{i:05d}" for i in range(7)]


def test_run_fields_are_encoded_as_the_sdk_expects(gql: GraphQLClient) -> None:
    _add_runs(gql.store, count=1)
    node = _runs(gql)["data"]["project"]["runs"]["edges"][0]["node"]
    assert json.loads(node["config"]) == {
        "lr": {"value": 0.001, "desc": None},
        "optimizer": {"value": "sgd", "desc": None},
    }
    assert json.loads(node["summaryMetrics"]) == {"loss": 1.0}
    assert isinstance(node["projectId"], int)
    assert node["user"] == {"name": "emulator", "username": "emulator"}


@pytest.mark.parametrize(
    ("variables", "fragment"),
    [
        ({"filters": json.dumps({"state": {"$near": 1}})}, "$near"),
        ({"filters": json.dumps(["state"])}, "JSON object"),
        ({"filters": "{not json"}, "invalid JSON"),
        ({"order": "+shoe_size"}, "shoe_size"),
        ({"cursor": "bm9wZQ"}, "cursor"),
        ({"perPage": 0}, "first"),
        ({"perPage": 100000}, "first"),
    ],
)
def test_bad_requests_get_errors_naming_the_problem(
    gql: GraphQLClient, variables: dict, fragment: str
) -> None:
    _add_runs(gql.store, count=2)
    before = gql.store.export()
    result = _runs(gql, **variables)
    assert any(fragment in error["message"] for error in result["errors"]), result["errors"]
    assert gql.store.export() == before


def test_missing_run_is_null(gql: GraphQLClient) -> None:
    _add_runs(gql.store, count=1)
    document = 'query { project(name: "proj", entityName: "emulator") { run(name: "x") { id } } }'
    data = gql.data(document)
    assert data == {"project": {"run": None}}
