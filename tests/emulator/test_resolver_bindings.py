"""Each GraphQL field is bound by exactly one bindable.

Ariadne binds the bindables in order and a later ``ObjectType`` replaces an earlier one's
resolver for the same field without a word, so a field bound in two feature modules would
silently run only the last one. An interface's resolvers land on the fields of the types
implementing it, unless those have their own: a field bound on both is the same mistake.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ariadne import InterfaceType, ObjectType, SchemaBindable
from graphql import GraphQLInterfaceType, GraphQLSchema

from emulator.graphql_schema import build_schema
from emulator.resolvers import BINDABLES


def bound_fields(
    bindables: Iterable[SchemaBindable], schema: GraphQLSchema
) -> dict[str, list[str]]:
    """Map ``Type.field`` to the modules of every bindable registering a resolver for it."""
    owners: dict[str, list[str]] = defaultdict(list)
    for bindable in bindables:
        # QueryType, MutationType and InterfaceType subclass ObjectType; another kind of
        # bindable would need its own reading here, so it fails the test.
        assert isinstance(bindable, ObjectType), f"unexpected bindable {bindable!r}"
        types = [bindable.name]
        if isinstance(bindable, InterfaceType):
            interface = schema.get_type(bindable.name)
            assert isinstance(interface, GraphQLInterfaceType)
            types += [t.name for t in schema.get_implementations(interface).objects]
        # ariadne keeps the registered resolvers in ``_resolvers`` (field name -> resolver)
        # and has no public accessor for them.
        for field, resolver in bindable._resolvers.items():
            for type_name in types:
                owners[f"{type_name}.{field}"].append(resolver.__module__)
    return owners


def test_no_field_is_bound_twice() -> None:
    fields = bound_fields(BINDABLES, build_schema())
    assert fields["Run.history"] == ["emulator.resolvers.history"]  # the reader sees them
    assert {field: owners for field, owners in fields.items() if len(owners) > 1} == {}


def test_a_field_bound_twice_is_found() -> None:
    first, second = ObjectType("Run"), ObjectType("Run")
    interface = InterfaceType("ArtifactCollection")
    first.set_field("name", str)
    second.set_field("name", repr)
    interface.set_field("aliases", str)
    sequence = ObjectType("ArtifactSequence")
    sequence.set_field("aliases", repr)
    fields = bound_fields([first, second, interface, sequence], build_schema())
    assert fields["Run.name"] == ["builtins", "builtins"]
    assert fields["ArtifactSequence.aliases"] == ["builtins", "builtins"]
    assert fields["ArtifactCollection.aliases"] == ["builtins"]
