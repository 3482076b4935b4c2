"""Parsed and validated documents are reused by query text; errors stay errors."""

from __future__ import annotations

from graphql import DocumentNode

from emulator.graphql_schema import build_schema
from emulator.query_cache import QueryCache
from emulator.server_features import DEFAULT_FEATURES
from tests.conftest import GraphQLClient


def test_documents_and_their_errors_are_remembered() -> None:
    cache = QueryCache(size=2)
    first = cache.parse(None, {"query": "{ viewer { id } }"})
    assert isinstance(first, DocumentNode)
    assert cache.parse(None, {"query": "{ viewer { id } }"}) is first
    assert cache.validate(build_schema(), first) == []
    invalid = cache.parse(None, {"query": "{ nope }"})
    errors = cache.validate(build_schema(), invalid)
    assert "nope" in errors[0].message
    assert cache.validate(build_schema(), invalid) is errors


def test_a_full_cache_starts_over() -> None:
    cache = QueryCache(size=2)
    first = cache.parse(None, {"query": "{ viewer { id } }"})
    cache.parse(None, {"query": "{ viewer { name } }"})
    cache.parse(None, {"query": "{ viewer { email } }"})
    assert cache.parse(None, {"query": "{ viewer { id } }"}) is not first


def test_repeated_requests_answer_alike(gql: GraphQLClient) -> None:
    for _ in range(2):
        assert gql.query("{ nope }")["errors"][0]["message"].startswith("Cannot query field")
        assert gql.query("{ viewer(")["errors"][0]["message"].startswith("Syntax Error")
        features = gql.data("{ serverInfo { features { name } } }")["serverInfo"]["features"]
        assert [feature["name"] for feature in features] == list(DEFAULT_FEATURES)
