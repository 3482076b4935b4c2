"""The executable schema: SDL files under ``schema/`` bound to the resolvers."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from ariadne import make_executable_schema
from graphql import GraphQLSchema

from emulator.attribute_resolver import convert_names_to_snake_case
from emulator.resolvers import BINDABLES
from emulator.scalars import SCALARS

SCHEMA_DIR = Path(__file__).parent / "schema"
_BUILDING = threading.Lock()


def build_schema() -> GraphQLSchema:
    """Build the schema once per process; it holds no state, so apps share it.

    Thread-safe: a caller arriving while another thread builds it (the server's warm-up)
    waits for that schema instead of building a second one.
    """
    with _BUILDING:
        return _build()


@cache
def _build() -> GraphQLSchema:
    # The files are read as they are: parsing them one by one first (ariadne's
    # load_schema_from_path) would parse the whole SDL twice.
    type_defs = [path.read_text(encoding="utf-8") for path in sorted(SCHEMA_DIR.glob("*.graphql"))]
    schema = make_executable_schema(type_defs, *SCALARS, *BINDABLES)
    convert_names_to_snake_case(schema)
    return schema
