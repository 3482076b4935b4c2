"""PlannedExecutor gives resolvers the resolve info graphql-core's executor gives them.

``emulator.execution`` builds graphql-core's ``GraphQLResolveInfo`` and ``Path`` tuples by
position and reads executor attributes that are not public API. When a graphql-core
release adds, removes or reorders one of them, these tests fail: every field of every
info a resolver receives is compared with the one the stock ``Executor`` passes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from graphql import Executor, GraphQLResolveInfo, build_schema, execute_sync, parse
from graphql.execution.execute import assume_not_awaitable

from emulator.execution import PlannedExecutor

SCHEMA = build_schema("""
type Item {
  id: ID!
  seen(times: Int = 1, text: String): String
  called(text: String): String
  child: Item
  kids: [Item!]
}
type Query { items: [Item!]! }
""")
DOCUMENT = parse("""
query Listing($times: Int, $skip: Boolean!) {
  items {
    id
    seen(times: $times, text: "a")
    again: seen(text: "b")
    ...Parts
    child @skip(if: $skip) { id seen called kids { seen called(text: "c") } }
  }
}
fragment Parts on Item { seen(times: $times, text: "a") called }
""")
VARIABLES = {"times": 2, "skip": False}
CONTEXT = {"request": "the context"}

#: The infos resolvers received during one execution, in call order.
received: list[GraphQLResolveInfo] = []


def _seen(_item: Any, info: GraphQLResolveInfo, **_args: Any) -> str:
    received.append(info)
    return "seen"


def _called(info: GraphQLResolveInfo, **_args: Any) -> str:
    """An attribute's callable value: the default resolver calls it with the info."""
    received.append(info)
    return "called"


def _item(n: int, depth: int) -> dict[str, Any]:
    item: dict[str, Any] = {"id": f"{n}.{depth}", "called": _called}
    if depth:
        item["child"] = _item(n, depth - 1)
        item["kids"] = [_item(k, depth - 1) for k in range(2)]
    return item


SCHEMA.type_map["Item"].fields["seen"].resolve = _seen  # type: ignore[union-attr]
ROOT = {"items": [_item(n, 2) for n in range(3)]}


class SpiedExecutor(PlannedExecutor):
    """PlannedExecutor, keeping each info its plans build beside the one graphql-core's
    ``build_resolve_info`` builds for the same field in the same execution."""

    built: ClassVar[list[tuple[GraphQLResolveInfo, GraphQLResolveInfo]]] = []

    def _info(self, field: Any, path: Any) -> Any:
        info = super()._info(field, path)
        definition = info.parent_type.fields[info.field_name]
        stock = self.build_resolve_info(definition, info.field_nodes, info.parent_type, info.path)
        self.built.append((info, stock))
        return info


def _infos(executor: type[Executor]) -> list[GraphQLResolveInfo]:
    received.clear()
    result = execute_sync(
        SCHEMA,
        DOCUMENT,
        ROOT,
        context_value=CONTEXT,
        variable_values=VARIABLES,
        executor_class=executor,
    )
    assert result.errors is None
    return list(received)


#: Info fields that must be the very objects graphql-core passes.
SAME_OBJECTS = (
    "return_type",
    "parent_type",
    "schema",
    "root_value",
    "operation",
    "context",
    "is_awaitable",
)
#: Info fields compared by value: ``path`` is a chain of tuples (key and typename each).
SAME_VALUES = ("field_name", "path", "fragments", "abort_signal")


def _compare(name: str, ours: Any, theirs: Any) -> None:
    """Assert one field of two infos is the same."""
    if name in SAME_OBJECTS:
        assert ours is theirs, name
    elif name == "field_nodes":  # a fresh list per field, of the document's own nodes
        assert [id(node) for node in ours] == [id(node) for node in theirs]
    elif name == "variable_values":  # coerced per execution (fresh wrapper types)
        assert ours.coerced == theirs.coerced
        assert ours.sources.keys() == theirs.sources.keys()
    elif name == "async_helpers":  # methods bound to the executor running the field
        assert type(ours) is type(theirs)
        assert [f.__func__ for f in ours] == [f.__func__ for f in theirs]
    else:
        assert name in SAME_VALUES, f"GraphQLResolveInfo has a new field {name!r}"
        assert ours == theirs, name


def test_resolvers_receive_the_info_graphql_core_gives() -> None:
    SpiedExecutor.built.clear()
    planned, stock = _infos(SpiedExecutor), _infos(Executor)
    assert len(planned) == len(stock) == 3 * (3 + 2 + 2 * 2)  # an item, its child, two kids
    # Every one of them was built by the plans, not by graphql-core's fallbacks, and equals
    # (same executor, same objects) what graphql-core's build_resolve_info makes.
    built = {id(info): stock for info, stock in SpiedExecutor.built}
    for info in planned:
        assert info == built[id(info)]
        assert all(
            mine is stock or name == "field_nodes"
            for name, mine, stock in zip(info._fields, info, built[id(info)], strict=True)
        )
    for ours, theirs in zip(planned, stock, strict=True):
        assert type(ours) is type(theirs) is GraphQLResolveInfo
        assert len(ours) == len(theirs) == len(GraphQLResolveInfo._fields)
        for name, mine, stock_value in zip(GraphQLResolveInfo._fields, ours, theirs, strict=True):
            _compare(name, mine, stock_value)
        assert ours.is_awaitable is assume_not_awaitable
        assert ours.context is CONTEXT and ours.root_value is ROOT
        assert ours.variable_values.coerced == VARIABLES


def test_the_paths_reach_into_nested_lists() -> None:
    paths = [info.path.as_list() for info in _infos(PlannedExecutor)]
    assert paths[:3] == [["items", 0, "seen"], ["items", 0, "again"], ["items", 0, "called"]]
    assert ["items", 2, "child", "kids", 1, "called"] in paths
