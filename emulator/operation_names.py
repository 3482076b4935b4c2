"""The operation a GraphQL request runs, when the client leaves ``operationName`` empty."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=512)
def single_operation_name(query: str) -> str | None:
    """The name of the document's only operation (W&B's Python code sends
    ``operationName: ""`` for "the only one"); ``None`` when the document is not
    valid GraphQL, or has several operations, or an anonymous one.

    Remembered per document: clients send the same few documents over and over.
    """
    from graphql import GraphQLError, OperationDefinitionNode, parse

    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    operations = [
        node for node in document.definitions if isinstance(node, OperationDefinitionNode)
    ]
    if len(operations) != 1 or operations[0].name is None:
        return None
    return operations[0].name.value
