"""Compiled filters, orders and keyset pages agree with a plain-Python reference evaluator.

Each field draws its values from one type (strings, ISO timestamps or numbers), so SQLite
and Python compare them alike. Pages and counts read the indexes on JSON keys and the tags
table; the same compiled filters also run without those indexes, and pages run both ways
SQLite may read them (walking the order's index, or finding the matches and sorting them).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.store import projects, runs
from emulator.store.database import Database
from emulator.store.filters import compile_filters, register_sql_functions
from emulator.store.records import Run, wandb_config

STATES = ["running", "finished", "failed", "crashed"]
TAGS = ["a", "b", "c"]
GROUPS = ["g1", "g2"]
TIMES = ["2024-01-01T00:00:00", "2024-01-01T00:00:30", "2024-01-02T10:00:00", "2024-01-03T23:59:59"]
LEARNING_RATES = [0.001, 0.01, 0.1, 0.5]
BATCH_SIZES = [16, 32, 64]
OPTIMIZERS = ["adam", "sgd", None]  # None is stored as a JSON null
LOSSES = [0, 1, 3, 0.5, 1.0, 2.5]  # ints and floats tie where equal
PATTERNS = ["^f", "ed$", "n", "^(r|c)", "g[12]", "a"]
_FORMAT = "%Y-%m-%dT%H:%M:%S"


def _spellings(timestamp: str) -> dict[str, str]:
    """Ways a filter may write ``timestamp``, each mapped to the stored form it means."""
    moment = datetime.strptime(timestamp, _FORMAT)
    ahead, behind = moment + timedelta(hours=2), moment - timedelta(hours=5)
    forms = [
        timestamp,
        f"{timestamp}Z",
        f"{timestamp}.000Z",
        f"{timestamp}.250",  # the fraction is dropped
        f"{ahead.strftime(_FORMAT)}+02:00",
        f"{behind.strftime(_FORMAT)}-05:00",
    ]
    return dict.fromkeys(forms, timestamp)


#: Every datetime operand the filters use -> the stored timestamp it means.
DATETIMES = {
    spelling: stored
    for timestamp in [*TIMES, "2024-01-02T00:00:00"]
    for spelling, stored in _spellings(timestamp).items()
}


# --- generated runs ------------------------------------------------------------------------


MISSING = object()


def _optional(values: list[Any]) -> st.SearchStrategy[Any]:
    """A value from ``values``, or the MISSING marker."""
    return st.sampled_from([*values, MISSING])


@st.composite
def run_records(draw: st.DrawFn, name: str) -> Run:
    config = {
        key: value
        for key, values in (
            ("lr", LEARNING_RATES),
            ("batch_size", BATCH_SIZES),
            ("optimizer", OPTIMIZERS),
        )
        if (value := draw(_optional(values))) is not MISSING
    }
    loss = draw(_optional(LOSSES))
    return Run(
        name=name,
        state=draw(st.sampled_from(STATES)),
        tags=draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=3)),
        group=draw(st.sampled_from([*GROUPS, None])),
        created_at=draw(st.sampled_from(TIMES)),
        config=wandb_config(config),
        summary_metrics={} if loss is MISSING else {"loss": loss},
    )


RUN_LISTS = st.integers(0, 10).flatmap(
    lambda count: st.tuples(*(run_records(f"run-{index}") for index in range(count)))
)


# --- generated filters ---------------------------------------------------------------------


def _config(key: str) -> Callable[[Run], Any]:
    return lambda run: run.config.get(key, {}).get("value")


@dataclass(frozen=True)
class FieldKind:
    """A filterable field: its spellings, its value in a run, the operands filters use."""

    names: tuple[str, ...]
    value: Callable[[Run], Any]
    operands: list[Any]
    patterns: bool = False  # whether filters on it use $regex
    timestamps: bool = False  # whether its operands are spellings of DATETIMES


FIELDS = [
    FieldKind(("state",), lambda run: run.state, [*STATES, "zzz"], patterns=True),
    FieldKind(("group",), lambda run: run.group, [*GROUPS, "g3"], patterns=True),
    FieldKind(
        ("createdAt", "created_at"),
        lambda run: run.created_at,
        sorted(DATETIMES),
        timestamps=True,
    ),
    FieldKind(("config.lr", "config.lr.value"), _config("lr"), [*LEARNING_RATES, 0, 0.05]),
    FieldKind(("config.batch_size",), _config("batch_size"), [*BATCH_SIZES, 0, 48]),
    FieldKind(
        ("config.optimizer",), _config("optimizer"), ["adam", "sgd", "rmsprop"], patterns=True
    ),
    FieldKind(
        ("summary_metrics.loss", "summaryMetrics.loss"),
        lambda run: run.summary_metrics.get("loss"),
        [*LOSSES, 0.75],
    ),
]
FIELD_OF = {name: field for field in FIELDS for name in field.names}


def scalar_operands(field: FieldKind) -> dict[str, st.SearchStrategy[Any]]:
    """Operator -> operands a filter may give it on ``field``."""
    values = st.sampled_from(field.operands)
    nullable = st.one_of(values, st.none())
    operands = {
        "$eq": nullable,
        "$ne": nullable,
        **dict.fromkeys(["$gt", "$gte", "$lt", "$lte"], values),
        "$in": st.lists(nullable, max_size=3),
        "$nin": st.lists(nullable, max_size=3),
        "$exists": st.booleans(),
    }
    if field.patterns:
        operands["$regex"] = st.sampled_from(PATTERNS)
    return operands


_TAG_VALUES = st.sampled_from([*TAGS, "d"])
#: Field name (every spelling) -> operator -> operands.
OPERANDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "tags": {
        "$eq": _TAG_VALUES,
        "$ne": _TAG_VALUES,
        "$in": st.lists(_TAG_VALUES, max_size=3),
        "$nin": st.lists(_TAG_VALUES, max_size=3),
        "$regex": st.sampled_from(["^a", "[bc]", "z"]),
    },
    **{name: scalar_operands(field) for field in FIELDS for name in field.names},
}


def conditions(operands: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """An implicit equality or ``{"$op": operand, ...}`` (one or two operators, maybe negated)."""
    items = [st.tuples(st.just(op), operand) for op, operand in operands.items()]
    documents = st.lists(st.one_of(items), min_size=1, max_size=2).map(dict)
    return st.one_of(operands["$eq"], documents, documents.map(lambda document: {"$not": document}))


LEAVES = st.sampled_from(sorted(OPERANDS)).flatmap(
    lambda name: conditions(OPERANDS[name]).map(lambda condition: {name: condition})
)


def _merge(first: dict, second: dict) -> dict:
    """Both documents as one (keys ANDed), or ``$and`` of them when their keys clash."""
    return {**first, **second} if first.keys().isdisjoint(second) else {"$and": [first, second]}


def documents(depth: int) -> st.SearchStrategy[dict]:
    """Filter documents nested at most ``depth`` levels below the top one."""
    if depth == 0:
        return LEAVES
    inner = documents(depth - 1)
    return st.one_of(
        LEAVES,
        st.builds(
            lambda op, children: {op: children},
            st.sampled_from(["$and", "$or", "$nor"]),
            st.lists(inner, max_size=3),
        ),
        inner.map(lambda document: {"$not": document}),
        st.builds(_merge, LEAVES, inner),
    )


FILTERS = st.one_of(st.just({}), documents(2))


# --- the reference evaluator ---------------------------------------------------------------


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda value, operand: value is not None and compare(value, operand)


SCALAR_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": operator.eq,
    "$ne": operator.ne,
    "$gt": _ordered(operator.gt),
    "$gte": _ordered(operator.ge),
    "$lt": _ordered(operator.lt),
    "$lte": _ordered(operator.le),
    "$in": lambda value, operands: value in operands,
    "$nin": lambda value, operands: value not in operands,
    "$regex": lambda value, pattern: isinstance(value, str) and bool(re.search(pattern, value)),
    "$exists": lambda value, exists: (value is not None) == exists,
}
TAG_OPERATORS: dict[str, Callable[[list[str], Any], bool]] = {
    "$eq": lambda tags, tag: tag in tags,
    "$ne": lambda tags, tag: tag not in tags,
    "$in": lambda tags, wanted: any(tag in tags for tag in wanted),
    "$nin": lambda tags, wanted: not any(tag in tags for tag in wanted),
    "$regex": lambda tags, pattern: any(re.search(pattern, tag) for tag in tags),
}


def _stored(operand: Any) -> Any:
    """A timestamp operand (or list of them) as the stored timestamp it means."""
    if isinstance(operand, list):
        return [_stored(item) for item in operand]
    return DATETIMES[operand] if isinstance(operand, str) else operand


def _holds(value: Any, document: dict, table: dict, stored: Callable[[Any], Any]) -> bool:
    return all(
        not _holds(value, operand, table, stored)
        if op == "$not"
        else table[op](value, stored(operand))
        for op, operand in document.items()
    )


def _field_matches(run: Run, name: str, condition: Any) -> bool:
    document = condition if isinstance(condition, dict) else {"$eq": condition}
    if name == "tags":
        return _holds(run.tags, document, TAG_OPERATORS, lambda operand: operand)
    field = FIELD_OF[name]
    stored = _stored if field.timestamps else lambda operand: operand
    return _holds(field.value(run), document, SCALAR_OPERATORS, stored)


LOGICAL: dict[str, Callable[[list[bool]], bool]] = {
    "$and": all,
    "$or": any,
    "$nor": lambda found: not any(found),
}


def _clause_matches(run: Run, key: str, operand: Any) -> bool:
    if key == "$not":
        return not matches(run, operand)
    if key in LOGICAL:
        return LOGICAL[key]([matches(run, child) for child in operand])
    return _field_matches(run, key, operand)


def matches(run: Run, document: dict) -> bool:
    """Whether ``run`` matches the filter ``document``, with MongoDB's semantics."""
    return all(_clause_matches(run, key, operand) for key, operand in document.items())


#: Order string -> (sort key of a run, descending).
ORDERS: dict[str | None, tuple[Callable[[Run], Any], bool]] = {
    None: (lambda run: run.created_at, True),
    "": (lambda run: run.created_at, True),
    "+created_at": (lambda run: run.created_at, False),
    "-createdAt": (lambda run: run.created_at, True),
    "created_at": (lambda run: run.created_at, False),
    "+state": (lambda run: run.state, False),
    "-state": (lambda run: run.state, True),
    "+group": (lambda run: run.group, False),
    "-group": (lambda run: run.group, True),
    "+config.lr": (_config("lr"), False),
    "-config.batch_size": (_config("batch_size"), True),
    "-config.optimizer": (_config("optimizer"), True),
    "+summary_metrics.loss": (lambda run: run.summary_metrics.get("loss"), False),
    "-summary_metrics.loss": (lambda run: run.summary_metrics.get("loss"), True),
}


def reference_order(records: list[Run], order: str | None) -> list[str]:
    """Names sorted by key with missing keys last, ties by id, both in the sort's direction."""
    key, descending = ORDERS[order]
    present = sorted(
        (run for run in records if key(run) is not None),
        key=lambda run: (key(run), run.id),
        reverse=descending,
    )
    missing = sorted((run for run in records if key(run) is None), key=lambda run: run.id)
    return [run.name for run in present + (missing[::-1] if descending else missing)]


# --- the properties ------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, database=None)

#: A runs table under test: its store, the project id and the runs as stored.
Table = tuple[runs.RunStore, int, list[Run]]


@contextmanager
def runs_table(records: tuple[Run, ...]) -> Iterator[Table]:
    """A fresh runs table holding ``records``; yields the store, project id and stored runs."""
    db = Database(None, schema=[projects.SCHEMA, runs.SCHEMA])
    try:
        # The store does not register the SQL functions on its connection yet.
        register_sql_functions(db._conn)
        project_id = projects.ProjectStore(db).ensure_project("ent", "proj").id
        store = runs.RunStore(db)
        ids = store.insert(project_id, records)
        yield store, project_id, [store.by_id(run_id) for run_id in ids]
    finally:
        db.close()


def all_pages(store: runs.RunStore, project_id: int, first: int, **query: Any) -> list[str]:
    names: list[str] = []
    after = None
    for _ in range(100):
        page = store.page(project_id, first=first, after=after, **query)
        assert len(page.runs) <= first and len(page.cursors) == len(page.runs)
        names.extend(run.name for run in page.runs)
        if not page.has_next_page:
            return names
        after = page.cursors[-1]
    raise AssertionError("paging did not end")


def assert_matches_reference(table: Table, filters: dict) -> None:
    store, project_id, stored = table
    expected = sorted(run.name for run in stored if matches(run, filters))
    page = store.page(project_id, filters=filters, first=len(stored) + 1)
    assert sorted(run.name for run in page.runs) == expected
    assert store.count(project_id, filters) == len(expected)
    store.indexes.drop_all()  # the same condition without indexes on JSON keys
    where = compile_filters(filters)
    rows = store._db.execute(f"SELECT r.name FROM runs r WHERE {where.text}", where.params)
    assert sorted(row[0] for row in rows) == expected


# Every example checks every operator on every field, so fewer examples suffice.
@settings(PROPERTY_SETTINGS, max_examples=30)
@given(records=RUN_LISTS, data=st.data())
def test_every_operator_matches_the_reference(
    records: tuple[Run, ...], data: st.DataObject
) -> None:
    with runs_table(records) as table:
        for names in [("tags",), *(field.names for field in FIELDS)]:
            name = data.draw(st.sampled_from(names), label="field")
            for op, operand in OPERANDS[name].items():
                condition = {op: data.draw(operand, label=f"{name} {op}")}
                assert_matches_reference(table, {name: condition})
                assert_matches_reference(table, {name: {"$not": condition}})


@PROPERTY_SETTINGS
@given(records=RUN_LISTS, filters=FILTERS)
def test_filter_trees_match_the_reference(records: tuple[Run, ...], filters: dict) -> None:
    with runs_table(records) as table:
        assert_matches_reference(table, filters)


@contextmanager
def walking(walk: bool) -> Iterator[None]:
    """Filtered pages walk the order's index whenever they could (``walk``), or never."""
    with mock.patch.object(runs, "_WALK_FACTOR", 0 if walk else 10**9):
        yield


@PROPERTY_SETTINGS
@given(
    records=RUN_LISTS,
    filters=FILTERS,
    order=st.sampled_from(list(ORDERS)),
    first=st.integers(1, 4),
    walk=st.booleans(),
)
def test_pages_follow_the_reference_order(
    records: tuple[Run, ...], filters: dict, order: str | None, first: int, walk: bool
) -> None:
    with runs_table(records) as (store, project_id, stored), walking(walk):
        expected = reference_order([run for run in stored if matches(run, filters)], order)
        assert all_pages(store, project_id, first, filters=filters, order=order) == expected


#: An edit of the run at an index (modulo the runs there are): new tags, a new summary
#: loss (None: none), or deleting the run (None).
EDITS = st.tuples(
    st.integers(0, 9),
    st.one_of(
        st.builds(lambda tags: {"tags": tags}, st.lists(st.sampled_from(TAGS), max_size=3)),
        st.builds(
            lambda loss: {"summary_metrics": {} if loss is MISSING else {"loss": loss}},
            _optional(LOSSES),
        ),
        st.none(),
    ),
)


#: Filters on the summary loss, which the edits change.
EDITED_FIELD_FILTERS = [
    {"summary_metrics.loss": {"$gte": 1}},
    {"summary_metrics.loss": {"$in": [0, 2.5]}},
    {"summary_metrics.loss": {"$exists": False}},
]


@PROPERTY_SETTINGS
@given(
    records=RUN_LISTS.filter(bool),
    edits=st.lists(EDITS, max_size=4),
    filters=FILTERS,
    order=st.sampled_from(list(ORDERS)),
)
def test_filters_follow_edits_and_deletes(
    records: tuple[Run, ...], edits: list, filters: dict, order: str | None
) -> None:
    with runs_table(records) as (store, project_id, stored):
        # Indexes and the tags table exist before the edits, which must keep them current.
        all_pages(store, project_id, 3, filters=filters, order=order)
        current = {run.id: run for run in stored}
        for position, change in edits:
            if not current:
                break
            run_id = sorted(current)[position % len(current)]
            if change is None:
                store.delete(run_id)
                del current[run_id]
            else:
                store.update(run_id, change)
                current[run_id] = replace(current[run_id], **change)
        remaining = [current[run_id] for run_id in sorted(current)]
        expected = reference_order([run for run in remaining if matches(run, filters)], order)
        assert all_pages(store, project_id, 3, filters=filters, order=order) == expected
        for edited in [filters, *({"tags": tag} for tag in TAGS), *EDITED_FIELD_FILTERS]:
            assert_matches_reference((store, project_id, remaining), edited)
