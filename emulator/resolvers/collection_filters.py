"""MongoDB-style ``filters`` on artifact collection listings, matched in memory.

Fields: ``name``, ``description``, ``type`` and ``tags`` (a tag matches when any of the
collection's tags does). Operators: a plain value (equality), ``$eq``, ``$ne``, ``$in``,
``$nin``, ``$regex``, and ``$and``/``$or`` over sub-filters. Anything else is a
GraphQL error naming it, never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLError

from emulator.store.artifacts.records import ArtifactCollection

_FIELDS: dict[str, Callable[[ArtifactCollection, list[str]], list[Any]]] = {
    "name": lambda c, _: [c.name],
    "description": lambda c, _: [c.description],
    "type": lambda c, _: [c.type],
    "tags": lambda _, tags: tags,
}


def _regex(pattern: Any) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern))
    except re.error as error:
        raise GraphQLError(f"invalid $regex {pattern!r}: {error}") from None


def _test(operator: str, operand: Any, value: Any) -> bool:
    if operator == "$eq":
        return bool(value == operand)
    if operator == "$ne":
        return bool(value != operand)
    if operator in ("$in", "$nin"):
        if not isinstance(operand, list):
            raise GraphQLError(f"{operator} needs a list, got {operand!r}")
        return (value in operand) == (operator == "$in")
    if operator == "$regex":
        return isinstance(value, str) and _regex(operand).search(value) is not None
    raise GraphQLError(f"unsupported filter operator {operator!r}")


def _field_matches(values: list[Any], condition: Any) -> bool:
    if isinstance(condition, Mapping):
        return all(
            any(_test(op, operand, value) for value in values)
            if op not in ("$ne", "$nin")
            else all(_test(op, operand, value) for value in values)
            for op, operand in condition.items()
        )
    return condition in values


def matches_fields(fields: Mapping[str, list[Any]], filters: Any, what: str) -> bool:
    """Whether an object whose filterable fields have ``fields`` (each a list of values)
    satisfies ``filters``; ``what`` names the objects in errors."""
    if not isinstance(filters, Mapping):
        raise GraphQLError(f"filters must be a JSON object, got {filters!r}")
    for key, condition in filters.items():
        if key in ("$and", "$or"):
            if not isinstance(condition, list):
                raise GraphQLError(f"{key} needs a list of filters, got {condition!r}")
            results = [matches_fields(fields, part, what) for part in condition]
            if not (all(results) if key == "$and" else any(results)):
                return False
        elif key in fields:
            if not _field_matches(fields[key], condition):
                return False
        else:
            raise GraphQLError(f"cannot filter {what} by {key!r}: use one of {', '.join(fields)}")
    return True


def matches(collection: ArtifactCollection, tags: list[str], filters: Any) -> bool:
    """Whether a collection (with its tags) satisfies ``filters``."""
    fields = {key: values(collection, tags) for key, values in _FIELDS.items()}
    return matches_fields(fields, filters, "artifact collections")
