"""PlannedExecutor answers exactly as graphql-core's own executor, errors included.

Every document runs twice over the same data, once with graphql-core's ``Executor`` and
once with ``PlannedExecutor``; data, error messages, paths and locations must be equal.
The data holds every kind of value a resolver may return: ``None`` where non-null
fields need a value, exceptions, ``Undefined``, callables, values that do not coerce.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from ariadne import graphql_sync
from graphql import (
    Executor,
    GraphQLSchema,
    build_schema,
    execute,
    execute_sync,
    parse,
)
from graphql.pyutils import Undefined
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wandb.apis.public.runs import _create_runs_query

from emulator import Settings, Store
from emulator.attribute_resolver import AttributeResolver, convert_names_to_snake_case
from emulator.execution import PlannedExecutor
from emulator.graphql_schema import build_schema as build_schema_of_emulator
from fixtures.seeding import seed_project

SDL = """
scalar Stamp
enum Color { RED GREEN }
interface Named { name: String }
type Item implements Named {
  id: ID!
  name: String
  count: Int
  ratio: Float
  flag: Boolean!
  stamp: Stamp
  color: Color
  tags: [String!]
  loose: [Int]
  grid: [[Int]]
  child: Item
  required: Item!
  kids: [Item!]
  parent: Item
  named: Named
  echo(times: Int = 1, text: String): String
  explode: String
  displayName: String
  camelCase: Int
}
type Query {
  items(limit: Int): [Item!]!
  maybeItems: [Item]
}
"""


def _schema() -> GraphQLSchema:
    schema = build_schema(SDL)
    item = schema.type_map["Item"]
    item.fields["echo"].resolve = lambda obj, _info, times=1, text=None: f"{text}" * times
    item.fields["explode"].resolve = _explode
    item.fields["displayName"].resolve = AttributeResolver("display")
    item.fields["parent"].resolve = lambda obj, _info: obj.get("up")
    schema.type_map["Named"].resolve_type = lambda value, *_: value.get("kind")
    schema.type_map["Stamp"].coerce_output_value = _stamp
    schema.type_map["Color"].values["RED"].value = "red"
    schema.type_map["Color"].values["GREEN"].value = "green"
    convert_names_to_snake_case(schema)
    return schema


def _explode(obj: dict[str, Any], info: Any) -> str:
    if obj.get("id") == "boom":
        raise ValueError(f"exploded at {info.path.as_list()}")
    return "fine"


def _stamp(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a stamp: {value!r}")
    return f"@{value}"


SCHEMA = _schema()

ITEM_FIELDS = """
  id name count ratio flag stamp color tags loose grid displayName camelCase
  echo(times: 2, text: "x") explode __typename
"""
DOCUMENTS = [
    f"{{ items {{ {ITEM_FIELDS} }} }}",
    f"{{ maybeItems {{ {ITEM_FIELDS} child {{ id name }} }} }}",
    """query ($skip: Boolean!, $on: Boolean!, $times: Int) {
      items {
        ident: id
        alias: name @skip(if: $skip)
        count @include(if: $on)
        ...Parts
        ... on Item @include(if: $on) { flag echo(times: $times, text: "ab") }
        child @skip(if: $skip) { ...Parts kids { id __typename } }
      }
    }
    fragment Parts on Item { name id ratio tags named { __typename name } }""",
    "{ items { id required { id name required { id } } } }",
    "{ maybeItems { id kids { id flag child { count } } grid } }",
    '{ items { id first: echo(text: "a") second: echo(times: 3, text: "b") } }',
    "{ maybeItems { kids { kids { id } } named { name ... on Item { count } } } }",
    "{ items(limit: 1) { __typename color stamp } }",
    "{ maybeItems { id parent { id tags parent { id } } } }",
]
VARIABLES = {"skip": False, "on": True, "times": 2}

SCALARS = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["red", "green", "blue"]),
    st.just(Undefined),
    st.builds(ValueError, st.just("value is an error")),
    st.builds(lambda v: lambda _info, **_args: v, st.integers(min_value=0, max_value=9)),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.lists(st.lists(SCALARS, max_size=2)))
LEAF_KEYS = (
    "name",
    "count",
    "ratio",
    "flag",
    "stamp",
    "color",
    "tags",
    "loose",
    "grid",
    "display",
    "camel_case",
    "camelCase",
)


def _items(depth: int) -> st.SearchStrategy[Any]:
    fields: dict[str, Any] = {key: VALUES for key in LEAF_KEYS}
    fields["id"] = st.sampled_from(["a", "b", "boom", None, 7])
    fields["kind"] = st.sampled_from(["Item", None, "Query", "Nope"])
    if depth > 0:
        item = _items(depth - 1)
        kids = st.one_of(st.none(), st.lists(item, max_size=2))
        fields.update(child=item, required=item, kids=kids, named=item, up=item)
    return st.one_of(st.fixed_dictionaries({}, optional=fields), st.none(), st.just(Undefined))


def _run(executor: type[Executor], document: str, root: Any, **kwargs: Any) -> Any:
    result = execute_sync(
        SCHEMA, parse(document), root, variable_values=VARIABLES, executor_class=executor, **kwargs
    )
    return result.data, [error.formatted for error in result.errors or ()]


def _same(document: str, root: Any, **kwargs: Any) -> None:
    planned = _run(PlannedExecutor, document, root, **kwargs)
    assert planned == _run(Executor, document, root, **kwargs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_items(2), max_size=4), document=st.sampled_from(DOCUMENTS))
def test_any_data_answers_as_graphql_core_does(items: list[Any], document: str) -> None:
    _same(document, {"items": items, "maybe_items": items})


def test_a_plain_page_answers_as_graphql_core_does() -> None:
    items = [
        {
            "id": str(n),
            "name": f"n{n}",
            "count": n,
            "ratio": n / 2,
            "flag": n % 2 == 0,
            "stamp": "2024",
            "color": "red",
            "tags": ["a", "b"],
            "display": "d",
            "camel_case": n,
            "child": {"id": "c"},
            "required": {"id": "r", "required": {"id": "rr"}},
            "kids": [{"id": "k", "flag": True}],
            "named": {"kind": "Item", "name": "x"},
        }
        for n in range(5)
    ]
    for document in DOCUMENTS:
        result = _run(PlannedExecutor, document, {"items": items, "maybe_items": items})
        assert result == _run(Executor, document, {"items": items, "maybe_items": items})
        assert result[1] == []


def test_errors_are_located_like_graphql_core_locates_them() -> None:
    items = [{"id": "boom", "flag": None, "count": 2**40, "required": None}, {"id": "ok"}]
    for document in DOCUMENTS:
        _same(document, {"items": items, "maybe_items": items})
    document = "{ maybeItems { id explode flag } }"
    _same(document, {"maybe_items": items})
    data, errors = _run(PlannedExecutor, document, {"maybe_items": items})
    assert data == {"maybeItems": [None, None]}
    assert [(error["message"], error["path"]) for error in errors] == [
        ("exploded at ['maybeItems', 0, 'explode']", ["maybeItems", 0, "explode"]),
        ("Cannot return null for non-nullable field Item.flag.", ["maybeItems", 0, "flag"]),
        ("Cannot return null for non-nullable field Item.flag.", ["maybeItems", 1, "flag"]),
    ]


def test_values_the_plan_hands_back_to_graphql_core() -> None:
    items = [
        {"id": "a", "tags": ["x", None], "up": None, "count": True, "flag": 1},
        {"id": "b", "tags": ("x", 2), "up": {"id": "u", "tags": "not a list"}, "flag": "yes"},
        {"id": "c", "tags": [ValueError("bad tag")], "up": ValueError("no parent")},
    ]
    for document in DOCUMENTS:
        _same(document, {"items": items, "maybe_items": items})


def test_middleware_still_wraps_every_resolver() -> None:
    calls: list[str] = []

    def middleware(next_: Any, obj: Any, info: Any, **args: Any) -> Any:
        calls.append(info.field_name)
        return next_(obj, info, **args)

    items = [{"id": "a", "name": "n", "display": "d"}, {"id": "b"}]
    document = "{ items { id name displayName __typename } }"
    _same(document, {"items": items}, middleware=[middleware])
    assert calls.count("name") == 4  # twice per item: once per executor


def test_argument_errors_are_field_errors_of_every_item() -> None:
    items = [{"id": "a"}, {"id": "b"}]
    document = "query ($times: Int) { items { id echo(times: $times, text: 5) } }"
    _same(document, {"items": items})


def test_async_execution_completes_the_standard_way() -> None:
    async def name(obj: dict[str, Any], _info: Any) -> str:
        return obj["id"].upper()

    schema = build_schema("type Item { id: ID! name: String } type Query { items: [Item!]! }")
    schema.type_map["Item"].fields["name"].resolve = name
    items = [{"id": "a"}, {"id": "b"}]
    document = parse("{ items { id name } }")

    async def both() -> tuple[Any, Any]:
        planned = await execute(schema, document, {"items": items}, executor_class=PlannedExecutor)
        plain = await execute(schema, document, {"items": items}, executor_class=Executor)
        return planned, plain

    planned, plain = asyncio.run(both())
    assert planned == plain
    assert planned.data == {"items": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]}


@pytest.mark.parametrize("parent", [{"display": "dict"}, type("Obj", (), {"display": "attr"})()])
def test_attribute_resolvers_read_mappings_and_attributes(parent: Any) -> None:
    assert AttributeResolver("display")(parent, None) in {"dict", "attr"}
    assert AttributeResolver("missing")(parent, None) is None
    assert AttributeResolver("display").attribute == "display"


def test_unvalidated_unknown_fields_are_left_out_alike() -> None:
    _same("{ items { id nope __schema { types { name } } } }", {"items": [{"id": "a"}]})


@pytest.mark.parametrize("lazy", [True, False])
def test_the_sdks_run_listing_answers_alike(store: Store, lazy: bool) -> None:
    seed_project(store, entity="ent", project="proj", runs=6, steps=3)
    variables = {"project": "proj", "entity": "ent", "perPage": 4, "order": "-created_at"}
    context = {"store": store, "settings": Settings(entity="ent"), "request": None}
    payload = {"query": _create_runs_query(lazy=lazy), "variables": variables}

    def answer(executor: type[Executor]) -> Any:
        return graphql_sync(
            build_schema_of_emulator(),
            payload,
            context_value=context,
            execution_context_class=executor,
        )

    planned = answer(PlannedExecutor)
    assert planned == answer(Executor)
    assert planned[0] is True
    node = planned[1]["data"]["project"]["runs"]["edges"][0]["node"]
    assert node["projectId"] and node["displayName"] and node["user"]["username"] == "ent"
