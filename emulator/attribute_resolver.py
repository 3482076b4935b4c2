"""Resolvers that read one attribute of the parent, recognisable by the executor.

Ariadne's ``convert_names_case`` answers ``projectId`` with a closure reading
``project_id``; nothing outside the closure tells which attribute it reads. Bound as an
:class:`AttributeResolver` instead, the same field can be read by
:class:`emulator.execution.PlannedExecutor` without a call per object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ariadne import convert_camel_case_to_snake, convert_schema_names
from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema


class AttributeResolver:
    """Resolve a field to ``parent[attribute]`` (mappings) or ``parent.attribute``.

    Exactly what graphql-core's ``default_field_resolver`` does with a field's own
    name, including calling a callable value with the resolve info and arguments.
    """

    __slots__ = ("attribute",)

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __call__(self, parent: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
        if isinstance(parent, Mapping):
            value = parent.get(self.attribute)
        else:
            value = getattr(parent, self.attribute, None)
        return value(info, **args) if callable(value) else value

    def __repr__(self) -> str:
        return f"AttributeResolver({self.attribute!r})"


def convert_names_to_snake_case(schema: GraphQLSchema) -> None:
    """Ariadne's ``convert_names_case=True``, with :class:`AttributeResolver` readers.

    Every object field without a resolver whose snake_case name differs (``projectId``)
    reads that attribute; arguments and input fields get snake_case ``out_name`` as
    Ariadne gives them. The schema is changed in place.
    """
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            attribute = convert_camel_case_to_snake(field_name)
            if field.resolve is None and attribute != field_name:
                field.resolve = AttributeResolver(attribute)
    # Fields now all have the resolvers they need; this converts argument and input names.
    convert_schema_names(schema, None)
