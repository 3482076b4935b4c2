"""Parsed and validated GraphQL documents, remembered by query text.

W&B clients send a handful of distinct documents over and over (one per history page,
one per run of ``runs.histories()``), and parsing plus validating even a small one
costs milliseconds. The schema is built once per process, so a document's validation
errors never change; the cache is bounded and simply starts over when full.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.utilities import TypeInfo
from graphql.validation import ASTValidationRule

#: Distinct documents remembered before the cache starts over.
MAX_DOCUMENTS = 512


class QueryCache:
    """Ariadne ``query_parser`` and ``query_validator`` hooks that remember their work."""

    def __init__(self, size: int = MAX_DOCUMENTS) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._documents: dict[str, DocumentNode] = {}
        #: ``id(document) -> (document, errors)``; holding the document keeps its id unique.
        self._errors: dict[int, tuple[DocumentNode, list[GraphQLError]]] = {}

    def parse(self, _context: Any, data: dict[str, Any]) -> DocumentNode:
        """The document of ``data["query"]``, parsed once."""
        text = data["query"]
        with self._lock:
            document = self._documents.get(text)
        if document is None:
            document = parse(text)
            with self._lock:
                if len(self._documents) >= self._size:
                    self._documents.clear()
                    self._errors.clear()
                self._documents[text] = document
        return document

    def validate(
        self,
        schema: GraphQLSchema,
        document_ast: DocumentNode,
        rules: Collection[type[ASTValidationRule]] | None = None,
        max_errors: int | None = None,
        type_info: TypeInfo | None = None,
        **kwargs: Any,
    ) -> list[GraphQLError]:
        """The validation errors of ``document_ast``, computed once (ariadne's
        ``QueryValidator``; ``type_info``, which graphql-core 3.3 no longer takes, is
        passed on only when given, as ariadne's own validator does)."""
        if type_info is not None:
            kwargs["type_info"] = type_info
        with self._lock:
            held, errors = self._errors.get(id(document_ast), (None, None))
        if held is not document_ast or errors is None:
            errors = validate(schema, document_ast, rules=rules, max_errors=max_errors, **kwargs)
            with self._lock:
                self._errors[id(document_ast)] = (document_ast, errors)
        return errors
