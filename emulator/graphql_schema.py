"""The executable schema: SDL files under ``schema/`` bound to the resolvers."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ariadne import load_schema_from_path, make_executable_schema
from graphql import GraphQLSchema

from emulator.attribute_resolver import convert_names_to_snake_case
from emulator.resolvers import BINDABLES
from emulator.scalars import SCALARS

SCHEMA_DIR = Path(__file__).parent / "schema"


@cache
def build_schema() -> GraphQLSchema:
    """Build the schema once per process; it holds no state, so apps share it."""
    type_defs = load_schema_from_path(SCHEMA_DIR)
    schema = make_executable_schema(type_defs, *SCALARS, *BINDABLES)
    convert_names_to_snake_case(schema)
    return schema
