"""A graphql-core executor that completes lists of objects from a plan made once.

graphql-core completes every field of every object the same general way: resolve info,
argument values, a resolver call, then ``complete_value`` and its dispatch on the type.
A page of 1000 runs of 19 fields is 19,000 trips through that path, ~6 µs each.
:class:`PlannedExecutor` plans the selection of a list's object type once per request
(response keys, field definitions, resolvers, argument values, how each value completes)
and fills every object of the list in one loop over that plan.

The result is graphql-core's, error for error. Where the plan has nothing to gain or
cannot promise the same outcome, it hands over to graphql-core's own methods:

- fields that read an attribute (graphql-core's default resolver, or an
  :class:`~emulator.attribute_resolver.AttributeResolver`) are read without resolve info;
  every other resolver gets the same info, path and arguments graphql-core gives it;
- built-in scalars of plain Python values complete in place; anything else (``None`` for
  a non-null field, an exception value, ``Undefined``, other types, a failed coercion)
  completes through ``complete_value``, which also raises the exact error. Leaf
  completion calls no resolver, so doing it again there changes nothing;
- nested objects of object types are filled from their own plan; abstract types, lists
  of lists and objects with ``is_type_of`` complete the standard way (lists of objects
  inside come back here);
- fields whose arguments or sub-selections fail to prepare execute through
  ``execute_field`` for every object, so their errors are raised where graphql-core
  raises them;
- errors are located and nulled by ``handle_field_error``, in the same order.

Plans are only used for synchronous execution (``graphql_sync``), where graphql-core
itself treats no value as awaitable; otherwise every list completes the standard way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import (
    Executor,
    GraphQLBoolean,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    TypeNameMetaFieldDef,
    default_field_resolver,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.execute import assume_not_awaitable
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined
from graphql.type.scalars import GRAPHQL_MAX_INT, GRAPHQL_MIN_INT

from emulator.attribute_resolver import AttributeResolver

#: How a planned field completes its value.
_TYPENAME, _LEAF, _LEAF_LIST, _OBJECT, _OTHER, _STANDARD = range(6)
#: Python types whose values built-in scalars coerce without surprises.
_PLAIN_TYPES = frozenset({str, int, float, bool})
#: Built-in scalars that return values of one exact Python type unchanged (Int: in range).
_UNCHANGED = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool, GraphQLInt: int}
#: Returned by :func:`_complete_leaf` for values the plan leaves to graphql-core.
_UNPLANNED = object()
_new = tuple.__new__


def _kept(unchanged: type | None, value: Any) -> bool:
    """Whether ``value`` completes to itself for a type returning ``unchanged`` values."""
    return type(value) is unchanged and (
        # value is an int here: mypy cannot tell that from ``unchanged is int``
        unchanged is not int or GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT  # type: ignore[operator]
    )


class _Leaf:
    """How to complete the values of one leaf type."""

    __slots__ = ("coerce", "nullable", "unchanged")

    def __init__(self, leaf_type: Any, non_null: bool) -> None:
        self.nullable = not non_null
        self.coerce = leaf_type.coerce_output_value
        #: The Python type whose values this type returns unchanged, if any.
        self.unchanged = _UNCHANGED.get(leaf_type)


def _complete_leaf(leaf: _Leaf, value: Any) -> Any:
    """``value`` as graphql-core completes it, or ``_UNPLANNED``."""
    if _kept(leaf.unchanged, value):
        return value
    if value is None:
        return None if leaf.nullable else _UNPLANNED
    if type(value) in _PLAIN_TYPES:
        try:
            coerced = leaf.coerce(value)
        except Exception:
            return _UNPLANNED
        if coerced is not None and coerced is not Undefined:
            return coerced
    return _UNPLANNED


def _complete_leaf_list(leaf: _Leaf, values: Any) -> Any:
    """A list of leaves as graphql-core completes it, or ``_UNPLANNED``."""
    if type(values) is not list and type(values) is not tuple:
        return _UNPLANNED
    completed = []
    for value in values:
        value = _complete_leaf(leaf, value)
        if value is _UNPLANNED:
            return _UNPLANNED
        completed.append(value)
    return completed


def _unwrap(output_type: GraphQLOutputType) -> tuple[Any, bool]:
    """The type inside a non-null wrapper, and whether there was one."""
    if is_non_null_type(output_type):
        return output_type.of_type, True
    return output_type, False


def _streams(details: FieldDetailsList) -> bool:
    """Whether a field carries ``@stream`` (graphql-core then completes its list)."""
    return any(
        directive.name.value == "stream"
        for field_details in details
        for directive in field_details.node.directives or ()
    )


class _FieldPlan:
    """One response key of a planned object: how to resolve and complete it."""

    __slots__ = (
        "args",
        "attribute",
        "details",
        "info_head",
        "key",
        "kind",
        "leaf",
        "nullable",
        "plan",
        "resolve",
        "return_type",
        "type_name",
        "unchanged",
    )

    def __init__(self, key: str, details: FieldDetailsList, parent_type: GraphQLObjectType):
        self.key = key
        self.details = details
        self.type_name = parent_type.name
        self.kind = _STANDARD
        self.return_type: Any = None
        #: The resolve info's fields before its path.
        self.info_head: tuple[Any, ...] = ()
        self.resolve: Any = None
        #: The attribute (or mapping key) the field reads, if that is all its resolver does.
        self.attribute: str | None = None
        self.args: dict[str, Any] = {}
        self.leaf: _Leaf | None = None
        self.nullable = True
        #: The Python type of values that complete to themselves (leaf fields only).
        self.unchanged: type | None = None
        self.plan: _ObjectPlan | None = None

    def step(self) -> tuple[str, str | None, type | None, bool, _FieldPlan]:
        """What the fill loop reads of this field, in one tuple."""
        return self.key, self.attribute, self.unchanged, self.nullable, self


class _ObjectPlan:
    """The fields to fill in every object of one type for one selection."""

    __slots__ = ("steps", "type")

    def __init__(self, object_type: GraphQLObjectType, fields: list[_FieldPlan]) -> None:
        self.type = object_type
        self.steps = [field.step() for field in fields]


class PlannedExecutor(Executor[Any]):
    """graphql-core's executor, completing lists of objects from a plan.

    Pass it as Ariadne's ``execution_context_class`` (graphql-core's ``executor_class``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: ``(type, id(details)) -> (details, plan)``; holding ``details`` keeps its id unique.
        self._plans: dict[
            tuple[GraphQLObjectType, int], tuple[FieldDetailsList, _ObjectPlan | None]
        ] = {}
        self._planning = self.is_awaitable is assume_not_awaitable
        #: The resolve info's fields after its path (as ``build_resolve_info`` makes it).
        self._info_tail: tuple[Any, ...] = ()

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """Complete a list of objects from the plan of its item type, if it has one."""
        item_type, _ = _unwrap(return_type.of_type)
        plan = None
        if (
            self._planning
            and (type(result) is list or type(result) is tuple)
            and is_object_type(item_type)
            and self.get_stream_usage(field_details_list, path) is None
        ):
            plan = self._object_plan(item_type, field_details_list)
        if plan is None:
            return super().complete_list_value(
                return_type, field_details_list, info, path, result, position_context
            )
        self._info_tail = (
            self.schema,
            self.fragment_definitions,
            self.root_value,
            self.operation,
            self.variable_values,
            self.context_value,
            self.is_awaitable,
            self.abort_signal,
            self.async_helpers,
        )
        return self._complete_items(
            plan, return_type.of_type, field_details_list, info, path, result, position_context
        )

    def _complete_items(
        self,
        plan: _ObjectPlan,
        item_type: GraphQLOutputType,
        details: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> list[Any]:
        """``complete_iterable_value`` for items of a planned object type."""
        completed: list[Any] = []
        append = completed.append
        for index, item in enumerate(items):
            item_path = _new(Path, (path, index, None))
            try:
                if item is None or item is Undefined or isinstance(item, Exception):
                    append(
                        self.complete_value(
                            item_type, details, info, item_path, item, position_context
                        )
                    )
                else:
                    append(self._fill(plan, item, item_path, position_context))
            except Exception as raw_error:
                self.handle_field_error(raw_error, item_type, details, item_path)
                append(None)
        return completed

    def _object_plan(
        self, object_type: GraphQLObjectType, details: FieldDetailsList
    ) -> _ObjectPlan | None:
        """The plan of ``object_type`` under the fields ``details``, made once; ``None``
        when its objects must complete the standard way."""
        key = (object_type, id(details))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        plan = None
        if object_type.is_type_of is None:
            collected = self.collect_subfields(object_type, details)
            if not collected.new_defer_usages:
                fields = [
                    self._field_plan(object_type, response_key, field_details)
                    for response_key, field_details in collected.grouped_field_set.items()
                ]
                plan = _ObjectPlan(object_type, fields)
        self._plans[key] = (details, plan)
        return plan

    def _field_plan(
        self, parent_type: GraphQLObjectType, key: str, details: FieldDetailsList
    ) -> _FieldPlan:
        field = _FieldPlan(key, details, parent_type)
        node = details[0].node
        definition = self.schema.get_field(parent_type, node.name.value)
        if definition is None:
            return field  # execute_field leaves unknown fields out
        field.return_type = definition.type
        field.info_head = (
            node.name.value,
            [field_details.node for field_details in details],
            definition.type,
            parent_type,
        )
        resolve = definition.resolve or self.field_resolver
        if self.middleware_manager:
            resolve = self.middleware_manager.get_field_resolver(resolve)
        elif definition is TypeNameMetaFieldDef:
            field.kind = _TYPENAME
            return field
        elif resolve is default_field_resolver:
            field.attribute = node.name.value
        elif isinstance(resolve, AttributeResolver):
            field.attribute = resolve.attribute
        field.resolve = resolve
        try:
            if definition.args or node.arguments:
                field.args = get_argument_values(
                    definition,
                    node,
                    self.variable_values,
                    details[0].fragment_variable_values,
                    self.hide_suggestions,
                )
            field.kind = self._completion(field)
        except Exception:
            field.kind = _STANDARD  # execute_field raises it for every object, as it should
            field.attribute = None
        return field

    def _completion(self, field: _FieldPlan) -> int:
        """How ``field``'s values complete; plans nested objects."""
        inner, non_null = _unwrap(field.return_type)
        field.nullable = not non_null
        if is_leaf_type(inner):
            field.leaf = _Leaf(inner, non_null)
            field.unchanged = field.leaf.unchanged
            return _LEAF
        if is_list_type(inner) and not _streams(field.details):
            item, item_non_null = _unwrap(inner.of_type)
            if is_leaf_type(item):
                field.leaf = _Leaf(item, item_non_null)
                return _LEAF_LIST
        if is_object_type(inner):
            field.plan = self._object_plan(inner, field.details)
            if field.plan is not None:
                return _OBJECT
        return _OTHER

    def _info(self, field: _FieldPlan, path: Path) -> Any:
        """``build_resolve_info`` for ``field`` of the object at ``path``."""
        field_path = _new(Path, (path, field.key, field.type_name))
        return _new(GraphQLResolveInfo, (*field.info_head, field_path, *self._info_tail))

    def _fill(
        self, plan: _ObjectPlan, source: Any, path: Path, position_context: Any
    ) -> dict[str, Any]:
        """``execute_fields`` of ``plan`` on ``source``.

        The loop itself completes what most fields hold: an attribute whose value
        completes to itself, or ``None`` where that is allowed.
        """
        results: dict[str, Any] = {}
        mapping = type(source) is dict or isinstance(source, Mapping)
        for key, attribute, unchanged, nullable, field in plan.steps:
            if attribute is None and field.kind == _STANDARD:
                value = self.execute_field(
                    plan.type,
                    source,
                    field.details,
                    _new(Path, (path, key, field.type_name)),
                    position_context,
                )
                if value is not Undefined:
                    results[key] = value
                continue
            try:
                if attribute is None:
                    results[key] = self._resolve(field, source, path, position_context)
                    continue
                value = source.get(attribute) if mapping else getattr(source, attribute, None)
                if type(value) is unchanged and (  # _kept(), inlined: most fields end here
                    unchanged is not int or GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT  # type: ignore[operator]  # an int
                ):
                    results[key] = value
                elif value is None and nullable:
                    results[key] = None
                else:
                    if callable(value):
                        value = value(self._info(field, path), **field.args)
                    results[key] = self._complete(field, path, value, position_context)
            except Exception as raw_error:
                self.handle_field_error(
                    raw_error,
                    field.return_type,
                    field.details,
                    _new(Path, (path, key, field.type_name)),
                )
                results[key] = None
        return results

    def _resolve(self, field: _FieldPlan, source: Any, path: Path, position_context: Any) -> Any:
        """The completed value of a field with a resolver of its own."""
        if field.kind == _TYPENAME:
            return field.type_name
        value = field.resolve(source, self._info(field, path), **field.args)
        if _kept(field.unchanged, value):
            return value
        return self._complete(field, path, value, position_context)

    def _complete(self, field: _FieldPlan, path: Path, value: Any, position_context: Any) -> Any:
        """``complete_value`` of a planned field's ``value``."""
        kind = field.kind
        completed: Any = _UNPLANNED
        if kind == _LEAF:
            # A field planned as _LEAF or _LEAF_LIST has its leaf; _OBJECT its plan.
            completed = _complete_leaf(field.leaf, value)  # type: ignore[arg-type]
        elif kind == _LEAF_LIST:
            completed = _complete_leaf_list(field.leaf, value)  # type: ignore[arg-type]
        elif kind == _OBJECT:
            if value is None and field.nullable:
                completed = None
            elif value is not None and value is not Undefined and not isinstance(value, Exception):
                object_path = _new(Path, (path, field.key, field.type_name))
                completed = self._fill(field.plan, value, object_path, position_context)  # type: ignore[arg-type]
        if completed is _UNPLANNED:
            info = self._info(field, path)
            completed = self.complete_value(
                field.return_type, field.details, info, info.path, value, position_context
            )
        return completed
