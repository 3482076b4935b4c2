"""Fault rules: validation naming the field, matching, counting, and the admin routes."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.fault_rules import FaultRules, RuleError, parse_rule
from emulator.middleware.classify import RequestInfo
from tests.conftest import GraphQLClient

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("rule", "field", "fragment"),
    [
        ({"route": "graphql"}, "status", "needs an effect"),
        ({"route": "websocket", "status": 500}, "route", "one of graphql, file_stream"),
        ({"status": 200}, "status", "from 400 to 599"),
        ({"status": 600}, "status", "from 400 to 599"),
        ({"status": "503"}, "status", "integer"),
        ({"status": True}, "status", "integer"),
        ({"delay_ms": -1}, "delay_ms", "at least 0"),
        ({"jitter_ms": float("nan")}, "jitter_ms", "at least 0"),
        ({"delay_ms": 10**9}, "delay_ms", "at most"),
        ({"status": 500, "times": 0}, "times", "at least 1"),
        ({"status": 500, "times": -2}, "times", "at least 1"),
        ({"status": 500, "after": -1}, "after", "at least 0"),
        ({"status": 500, "probability": 1.5}, "probability", "between 0 and 1"),
        ({"status": 500, "probability": -0.1}, "probability", "at least 0"),
        ({"status": 500, "seed": 1.5}, "seed", "integer"),
        ({"status": 500, "retry_after": 1}, "retry_after", "429 or 503"),
        ({"status": 429, "retry_after": -1}, "retry_after", "at least 0"),
        ({"status": 500, "reset": True}, "reset", "cannot be combined with 'status'"),
        ({"reset": "yes"}, "reset", "true or false"),
        ({"graphql_error": ""}, "graphql_error", "non-empty"),
        ({"graphql_error": "x", "route": "upload"}, "graphql_error", "only to route 'graphql'"),
        ({"operation": "Runs", "route": "upload", "status": 500}, "operation", "'graphql'"),
        ({"variables": [1], "status": 500}, "variables", "object"),
        ({"status": 500, "colour": "red"}, "colour", "not a rule field"),
        ({"status": 500, "entity": 3}, "entity", "non-empty string"),
    ],
)
def test_malformed_rules_name_the_field(rule: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(RuleError, match=fragment) as raised:
        parse_rule(rule)
    assert raised.value.key == field
    assert repr(field) in str(raised.value)


def _graphql(operation: str, **variables: Any) -> RequestInfo:
    info = RequestInfo("graphql", "POST", "/graphql", operation=operation, variables=variables)
    info.entity, info.project = variables.get("entity"), variables.get("project")
    return info


def test_times_and_after_count_matching_requests_only() -> None:
    rules = FaultRules()
    [rule] = rules.add([parse_rule({"operation": "Runs", "status": 503, "after": 1, "times": 2})])
    requests = [
        _graphql("Runs"),
        _graphql("Viewer"),
        _graphql("Runs"),
        _graphql("Runs"),
        _graphql("Runs"),
    ]
    fired = [rules.match(request) is not None for request in requests]
    assert fired == [False, False, True, True, False]
    assert (rule.matched, rule.fired, rule.active) == (4, 2, False)


def test_conditions_on_entity_project_and_variables() -> None:
    rules = FaultRules()
    rules.add([parse_rule({"project": "p", "variables": {"name": "a"}, "status": 500})])
    assert rules.match(_graphql("Run", entity="e", project="p", name="a")) is not None
    assert rules.match(_graphql("Run", entity="e", project="p", name="b")) is None
    assert rules.match(_graphql("Run", entity="e", project="q", name="a")) is None
    upload = RequestInfo("upload", "PUT", "/_upload/runfiles/t")
    assert rules.match(upload) is None  # a variables condition needs GraphQL


def test_a_predicate_on_variables() -> None:
    rules = FaultRules()
    rules.add([parse_rule({"variables": lambda v: v.get("perPage", 0) > 10, "status": 500})])
    assert rules.match(_graphql("Runs", perPage=50)) is not None
    assert rules.match(_graphql("Runs", perPage=5)) is None


def test_probability_is_deterministic_for_a_seed() -> None:
    def pattern(seed: int) -> list[bool]:
        rules = FaultRules()
        rules.add([parse_rule({"status": 503, "probability": 0.5, "seed": seed})])
        return [rules.match(_graphql("Runs")) is not None for _ in range(40)]

    assert pattern(7) == pattern(7)
    assert pattern(7) != pattern(8)
    assert 10 < sum(pattern(7)) < 30


def test_jitter_stays_within_bounds_and_repeats_for_a_seed() -> None:
    def delays() -> list[float]:
        rules = FaultRules()
        rules.add([parse_rule({"delay_ms": 100, "jitter_ms": 50, "seed": 3})])
        return [rules.match(_graphql("Runs")).delay_s for _ in range(20)]  # type: ignore[union-attr]

    assert delays() == delays()
    assert all(0.1 <= delay <= 0.15 for delay in delays())
    assert len(set(delays())) > 1


def test_the_first_rule_that_fires_wins_and_later_ones_still_count() -> None:
    rules = FaultRules()
    first, second = rules.add(
        [
            parse_rule({"operation": "Runs", "status": 429, "times": 1}),
            parse_rule({"route": "graphql", "status": 503}),
        ]
    )
    assert [rules.match(_graphql("Runs")).rule.id for _ in range(2)] == [  # type: ignore[union-attr]
        first.id,
        second.id,
    ]
    assert (first.fired, second.fired, second.matched) == (1, 1, 1)


def test_reset_brings_back_the_initial_rules_with_fresh_counts() -> None:
    rules = FaultRules([parse_rule({"status": 503, "times": 1})])
    assert rules.match(_graphql("Runs")) is not None
    assert rules.match(_graphql("Runs")) is None
    rules.add([parse_rule({"status": 500})])
    rules.reset()
    assert [rule.as_dict() for rule in rules.all()] == [
        {"status": 503, "times": 1, "id": "f1", "matched": 0, "fired": 0, "active": True}
    ]
    rules.clear()
    assert rules.empty


def test_routes_add_list_and_remove_rules(gql: GraphQLClient) -> None:
    http = gql.http
    added = http.post(
        "/_emulator/faults",
        json=[
            {"operation": "Runs", "status": 429, "retry_after": 2},
            {"id": "slow", "route": "download", "delay_ms": 5},
        ],
    )
    assert added.status_code == 200
    assert [rule["id"] for rule in added.json()] == ["f1", "slow"]
    assert added.json()[0] == {
        "operation": "Runs",
        "status": 429,
        "retry_after": 2,
        "id": "f1",
        "matched": 0,
        "fired": 0,
        "active": True,
    }
    one = http.post("/_emulator/faults", json={"status": 500, "route": "upload"}).json()
    assert [rule["id"] for rule in one] == ["f2"]
    assert [rule["id"] for rule in http.get("/_emulator/faults").json()] == ["f1", "slow", "f2"]

    assert http.delete("/_emulator/faults/slow").json() == {"status": "ok"}
    missing = http.delete("/_emulator/faults/slow")
    assert (missing.status_code, missing.json()) == (404, {"error": "no fault rule with id 'slow'"})
    assert http.delete("/_emulator/faults").json() == {"status": "ok"}
    assert http.get("/_emulator/faults").json() == []


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{oops", "not valid JSON"),
        (b"3", "a list of them"),
        (b'[{"status": 503}, {"status": 503, "times": -1}]', "rule 1: fault rule field 'times'"),
        (b'{"route": "ftp", "status": 500}', "'route'"),
        (b'[{"id": "a", "status": 500}, {"id": "a", "status": 500}]', "'id'"),
    ],
)
def test_malformed_rules_are_refused_whole(gql: GraphQLClient, body: bytes, fragment: str) -> None:
    gql.http.post("/_emulator/faults", json={"id": "kept", "status": 500, "route": "upload"})
    response = gql.http.post("/_emulator/faults", content=body, headers=JSON)
    assert response.status_code == 400
    assert fragment in response.json()["error"]
    assert [rule["id"] for rule in gql.http.get("/_emulator/faults").json()] == ["kept"]


def test_reset_forgets_rules(gql: GraphQLClient) -> None:
    gql.http.post("/_emulator/faults", json={"status": 500, "route": "upload"})
    gql.http.post("/_emulator/reset", headers=JSON)
    assert gql.http.get("/_emulator/faults").json() == []
