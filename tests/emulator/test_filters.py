"""Run filters, orders and cursors, compiled to SQL and run against a real SQLite runs table."""

from __future__ import annotations

import base64
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.store import projects, runs
from emulator.store.database import Database
from emulator.store.filters import (
    SQL,
    FilterError,
    JsonKey,
    Ordering,
    compile_filters,
    compile_order,
    register_sql_functions,
)
from emulator.store.pagination import Cursor, CursorError, Segment, segments
from emulator.store.records import Run, wandb_config

ALL = ["r1", "r2", "r3", "r4"]

RUNS = [
    Run(
        name="r1",
        state="finished",
        display_name="alpha-run",
        tags=["baseline", "good"],
        group="g1",
        job_type="train",
        username="alice",
        sweep_name="sw1",
        notes="first try",
        host="host-a",
        commit="abc123",
        description="the baseline",
        created_at="2024-01-01T00:00:00",
        heartbeat_at="2024-01-01T01:00:00",
        config=wandb_config(
            {
                "lr": 0.01,
                "batch_size": 32,
                "optimizer": "adam",
                "model": {"layers": 4, "act/fn": "relu"},
                "flag": True,
                "nothing": None,
            }
        ),
        summary_metrics={
            "loss": 0.5,
            "eval/acc": 0.9,
            "nested": {"inner": 1},
            "with space": 3,
            "it's": 1,
            "café": 1,
            "back\\slash": 1,
        },
        system_metrics={"gpu": 80},
    ),
    Run(
        name="r2",
        state="running",
        display_name="beta-run",
        tags=["good"],
        group="g2",
        job_type="eval",
        username="bob",
        created_at="2024-01-02T12:30:00",
        config=wandb_config(
            {"lr": 0.1, "batch_size": 64, "optimizer": "sgd", "model": {"layers": 8}, "flag": False}
        ),
        summary_metrics={"loss": 1, "eval/acc": 0.7, "nested": {"inner": 2}, "it's": 2},
        system_metrics={"gpu": 40},
    ),
    Run(
        name="r3",
        state="crashed",
        display_name="gamma",
        tags=[],
        group="g1",
        username="alice",
        created_at="2024-01-03T00:00:00",
        config=wandb_config({"lr": 0.001, "optimizer": "adam", "nothing": 5}),
        summary_metrics={"loss": 2.5},
    ),
    Run(
        name="r4",
        state="finished",
        tags=["other"],
        username="carol",
        created_at="2024-01-03T00:00:00",
        config=wandb_config({"lr": "auto", "optimizer": None}),
    ),
]


class RunsTable:
    """A fresh in-memory runs table holding :data:`RUNS` in project ``ent/proj``."""

    def __init__(self) -> None:
        self.db = Database(None, schema=[projects.SCHEMA, runs.SCHEMA])
        # The store does not register the SQL functions on its connection yet.
        register_sql_functions(self.db._conn)
        self.project_id = projects.ProjectStore(self.db).ensure_project("ent", "proj").id
        self.runs = runs.RunStore(self.db)
        self.ids = self.runs.insert(self.project_id, RUNS)

    def match(self, filters: Any) -> list[str]:
        """Names of the runs matching ``filters``, sorted."""
        where = compile_filters(filters)
        rows = self.db.execute(f"SELECT r.name FROM runs r WHERE {where.text}", where.params)
        return sorted(row["name"] for row in rows)

    def ordered(self, order: str | None, first: int = 100) -> list[str]:
        """Names of all runs in ``order``, fetched ``first`` at a time."""
        names: list[str] = []
        after = None
        while True:
            page = self.runs.page(self.project_id, order=order, first=first, after=after)
            names.extend(run.name for run in page.runs)
            if not page.has_next_page:
                return names
            after = page.cursors[-1]


@pytest.fixture
def table() -> Iterator[RunsTable]:
    table = RunsTable()
    yield table
    table.db.close()


# --- filters -------------------------------------------------------------------------------


def test_empty_filter_is_true(table: RunsTable) -> None:
    assert compile_filters({}) == SQL("1")
    assert table.match({}) == ALL
    assert table.runs.count(table.project_id, {"state": "finished"}) == 2


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "finished"}, ["r1", "r4"]),
        ({"state": {"$eq": "finished"}}, ["r1", "r4"]),
        ({"state": {"$ne": "finished"}}, ["r2", "r3"]),
        ({"state": {"$in": ["running", "crashed"]}}, ["r2", "r3"]),
        ({"state": {"$nin": ["running", "crashed"]}}, ["r1", "r4"]),
        ({"state": {"$in": []}}, []),
        ({"state": {"$nin": []}}, ALL),
        ({"state": {"$gt": "finished"}}, ["r2"]),
        ({"state": {"$gte": "finished"}}, ["r1", "r2", "r4"]),
        ({"state": {"$lt": "finished"}}, ["r3"]),
        ({"state": {"$lte": "finished"}}, ["r1", "r3", "r4"]),
        ({"state": {"$regex": "^f"}}, ["r1", "r4"]),
        ({"state": {"$exists": True}}, ALL),
        ({"state": {"$not": {"$eq": "finished"}}}, ["r2", "r3"]),
        ({"state": {"$not": {"$gte": "crashed", "$lt": "g"}}}, ["r2"]),
    ],
)
def test_scalar_operators(table: RunsTable, filters: dict, expected: list[str]) -> None:
    assert table.match(filters) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "finished", "username": "alice"}, ["r1"]),
        ({"config.lr": {"$gte": 0.01, "$lt": 0.1}}, ["r1"]),
        ({"$and": [{"state": "finished"}, {"group": "g1"}]}, ["r1"]),
        ({"$or": [{"state": "running"}, {"group": "g1"}]}, ["r1", "r2", "r3"]),
        ({"$nor": [{"state": "running"}, {"group": "g1"}]}, ["r4"]),
        ({"$not": {"state": "finished", "group": "g1"}}, ["r2", "r3", "r4"]),
        ({"$and": []}, ALL),
        ({"$or": []}, []),
        ({"$nor": []}, ALL),
        # The W&B UI sends this shape when no filter is set.
        ({"$or": [{"$and": []}]}, ALL),
        (
            {
                "$and": [
                    {"$or": [{"tags": "good"}, {"state": "crashed"}]},
                    {"$nor": [{"name": "r2"}]},
                ]
            },
            ["r1", "r3"],
        ),
    ],
)
def test_logical_operators(table: RunsTable, filters: dict, expected: list[str]) -> None:
    assert table.match(filters) == expected


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("name", "r2", ["r2"]),
        ("displayName", "gamma", ["r3"]),
        ("display_name", "gamma", ["r3"]),
        ("group", "g1", ["r1", "r3"]),
        ("jobType", "eval", ["r2"]),
        ("job_type", "train", ["r1"]),
        ("username", "alice", ["r1", "r3"]),
        ("sweep", "sw1", ["r1"]),
        ("sweepName", "sw1", ["r1"]),
        ("notes", "first try", ["r1"]),
        ("host", "host-a", ["r1"]),
        ("commit", "abc123", ["r1"]),
        ("description", "the baseline", ["r1"]),
        ("createdAt", "2024-01-03T00:00:00", ["r3", "r4"]),
        ("created_at", "2024-01-02T12:30:00", ["r2"]),
        ("heartbeatAt", "2024-01-01T01:00:00", ["r1"]),
        ("heartbeat_at", None, ["r2", "r3", "r4"]),
    ],
)
def test_column_fields(table: RunsTable, field: str, value: Any, expected: list[str]) -> None:
    assert table.match({field: value}) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"group": None}, ["r4"]),
        ({"group": {"$eq": None}}, ["r4"]),
        ({"group": {"$ne": None}}, ["r1", "r2", "r3"]),
        # $ne, $nin and $not match runs without the field, as in MongoDB.
        ({"group": {"$ne": "g1"}}, ["r2", "r4"]),
        ({"group": {"$nin": ["g1"]}}, ["r2", "r4"]),
        ({"group": {"$not": {"$eq": "g1"}}}, ["r2", "r4"]),
        ({"group": {"$in": ["g2", None]}}, ["r2", "r4"]),
        ({"group": {"$nin": ["g2", None]}}, ["r1", "r3"]),
        ({"group": {"$exists": False}}, ["r4"]),
        ({"group": {"$exists": True}}, ["r1", "r2", "r3"]),
        # Missing values neither compare nor match a pattern.
        ({"group": {"$gte": ""}}, ["r1", "r2", "r3"]),
        ({"group": {"$not": {"$gte": ""}}}, ["r4"]),
        ({"display_name": {"$regex": "run$"}}, ["r1", "r2"]),
        ({"display_name": {"$not": {"$regex": "run$"}}}, ["r3", "r4"]),
    ],
)
def test_null_and_missing_values(table: RunsTable, filters: dict, expected: list[str]) -> None:
    assert table.match(filters) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-02T00:00:00", ["r2", "r3", "r4"]),
        ("2024-01-02T00:00:00Z", ["r2", "r3", "r4"]),
        ("2024-01-02T12:30:00.250Z", ["r3", "r4"]),  # fractions are dropped, then compared
        ("2024-01-02T12:29:59.999999", ["r2", "r3", "r4"]),
        ("2024-01-02T12:30:00+00:00", ["r3", "r4"]),
        ("2024-01-02T14:30:00+02:00", ["r3", "r4"]),  # converted to UTC
        ("2024-01-02T07:29:00-0500", ["r2", "r3", "r4"]),
        ("2024-01-02", ["r2", "r3", "r4"]),
        ("2024-01-02 12:29", ["r2", "r3", "r4"]),
    ],
)
def test_datetime_values_are_normalized(table: RunsTable, value: str, expected: list) -> None:
    assert table.match({"createdAt": {"$gt": value}}) == expected


def test_datetime_equality_and_membership(table: RunsTable) -> None:
    assert table.match({"created_at": "2024-01-03T00:00:00.000Z"}) == ["r3", "r4"]
    assert table.match({"created_at": {"$in": ["2024-01-01", "2024-01-02T12:30:00Z"]}}) == [
        "r1",
        "r2",
    ]
    assert table.match({"heartbeat_at": {"$lt": "2025-01-01"}}) == ["r1"]
    assert table.match({"created_at": {"$regex": "^2024-01-03"}}) == ["r3", "r4"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"config.lr": 0.1}, ["r2"]),
        ({"config.lr.value": 0.1}, ["r2"]),
        ({"config.lr": {"$lt": 0.05}}, ["r1", "r3"]),
        ({"config.lr": "auto"}, ["r4"]),
        ({"config.batch_size": {"$in": [32, 64.0]}}, ["r1", "r2"]),
        ({"config.batch_size": {"$gte": 32}}, ["r1", "r2"]),
        ({"config.batch_size": {"$ne": 32}}, ["r2", "r3", "r4"]),
        ({"config.optimizer": "adam"}, ["r1", "r3"]),
        ({"config.optimizer": {"$regex": "^s"}}, ["r2"]),
        ({"config.model.layers": {"$gt": 4}}, ["r2"]),
        ({"config.model.value.layers": 4}, ["r1"]),
        ({"config.model.act/fn": "relu"}, ["r1"]),
        # Booleans are stored as JSON true/false and compare as 1/0.
        ({"config.flag": True}, ["r1"]),
        ({"config.flag": False}, ["r2"]),
        ({"config.flag": {"$gt": False}}, ["r1"]),
        # A JSON null and a missing key are both null.
        ({"config.optimizer": None}, ["r4"]),
        ({"config.nothing": None}, ["r1", "r2", "r4"]),
        ({"config.nothing": {"$exists": True}}, ["r3"]),
        ({"config.optimizer": {"$exists": False}}, ["r4"]),
    ],
)
def test_config_fields(table: RunsTable, filters: dict, expected: list[str]) -> None:
    assert table.match(filters) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # Comparisons stay within a type: numbers with numbers, strings with strings.
        ({"config.lr": {"$gt": 0}}, ["r1", "r2", "r3"]),
        ({"config.lr": {"$gt": ""}}, ["r4"]),
        ({"config.optimizer": {"$lt": 5}}, []),
        ({"config.lr": {"$regex": "0"}}, []),  # only strings match patterns
        ({"config.lr": {"$in": ["auto", 0.001]}}, ["r3", "r4"]),
        ({"config.missing": {"$gt": 0}}, []),
        ({"config.missing": {"$not": {"$gt": 0}}}, ALL),
    ],
)
def test_json_values_compare_by_type(table: RunsTable, filters: dict, expected: list) -> None:
    assert table.match(filters) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"summary_metrics.loss": {"$lte": 1}}, ["r1", "r2"]),
        ({"summaryMetrics.loss": 1.0}, ["r2"]),
        ({"summary_metrics.eval/acc": {"$gt": 0.8}}, ["r1"]),
        ({"summary_metrics.with space": 3}, ["r1"]),
        ({"summary_metrics.nested.inner": 2}, ["r2"]),
        ({"summary_metrics.it's": 2}, ["r2"]),
        ({"summary_metrics.café": 1}, ["r1"]),
        ({"summary_metrics.back\\slash": 1}, ["r1"]),
        ({"summary_metrics.loss": {"$exists": False}}, ["r4"]),
        ({"system_metrics.gpu": {"$gte": 50}}, ["r1"]),
        ({"systemMetrics.gpu": 40}, ["r2"]),
    ],
)
def test_summary_and_system_metrics(table: RunsTable, filters: dict, expected: list) -> None:
    assert table.match(filters) == expected


@pytest.mark.skipif(
    sqlite3.sqlite_version_info < (3, 45), reason="SQLite < 3.45 cannot match keys holding a quote"
)
def test_keys_with_double_quotes(table: RunsTable) -> None:
    table.runs.update(table.ids[3], {"summary_metrics": {'say "hi"': 1}})
    assert table.match({'summary_metrics.say "hi"': 1}) == ["r4"]


def test_json_paths_are_quoted_literals_and_name_the_keys() -> None:
    where = compile_filters({'summary_metrics.a/b.c "d"': 1, "config.x y": 2, "config.it's": 3})
    assert where.params == (1, 2, 3)
    keys = {
        JsonKey("summary_metrics", '$."a/b"."c \\"d\\""'),
        JsonKey("config", '$."x y"."value"'),
        JsonKey("config", '$."it\'s"."value"'),
    }
    assert where.indexed == keys
    for key in keys:
        assert f"{key.value} IS ?" in where.text
    assert "json_extract(r.config, '$.\"it''s\".\"value\"')" in where.text


@pytest.mark.parametrize(
    ("filters", "indexed"),
    [
        ({"config.lr": {"$gte": 0.1, "$lt": 1}}, True),
        ({"config.lr": {"$in": [0.1, None]}}, True),
        ({"config.lr": {"$exists": False}}, True),
        ({"config.lr": 0.1}, True),
        ({"$or": [{"config.lr": 0.1}, {"state": "finished"}]}, True),
        ({"config.lr": {"$ne": 0.1}}, False),
        ({"config.lr": {"$nin": [0.1]}}, False),
        ({"config.lr": {"$not": {"$gt": 0.1}}}, False),
        ({"$nor": [{"config.lr": 0.1}]}, False),
        ({"config.optimizer": {"$regex": "^a"}}, False),
        ({"state": "finished", "tags": "a"}, False),
    ],
)
def test_keys_are_named_where_an_index_can_answer(filters: dict, indexed: bool) -> None:
    expected = {JsonKey("config", '$."lr"."value"')} if indexed else set()
    assert compile_filters(filters).json_keys == expected


def test_values_are_bound_never_interpolated(table: RunsTable) -> None:
    hostile = "x'); DROP TABLE runs; --"
    where = compile_filters({"state": hostile, f"config.{hostile}": {"$in": [hostile]}})
    assert hostile not in where.text
    assert table.match({"state": hostile}) == []
    assert table.match({"display_name": {"$regex": re.escape(hostile)}}) == []
    assert table.match({}) == ALL


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"tags": "good"}, ["r1", "r2"]),
        ({"tags": {"$eq": "baseline"}}, ["r1"]),
        ({"tags": {"$ne": "good"}}, ["r3", "r4"]),
        ({"tags": {"$in": ["baseline", "other"]}}, ["r1", "r4"]),
        ({"tags": {"$in": []}}, []),
        ({"tags": {"$nin": ["good", "other"]}}, ["r3"]),
        ({"tags": {"$nin": []}}, ALL),
        ({"tags": {"$regex": "^oth"}}, ["r4"]),
        ({"tags": {"$not": {"$regex": "o"}}}, ["r3"]),
        ({"tags": {"$exists": True}}, ALL),
        ({"tags": "missing"}, []),
    ],
)
def test_tags_are_membership(table: RunsTable, filters: dict, expected: list[str]) -> None:
    assert table.match(filters) == expected


def test_regexp_sql_function() -> None:
    conn = sqlite3.connect(":memory:")
    register_sql_functions(conn)
    rows = conn.execute(
        "SELECT 'abc' REGEXP 'b', 'abc' REGEXP '^b', NULL REGEXP 'b', 12 REGEXP '1'"
    ).fetchone()
    assert rows == (1, 0, 0, 0)
    conn.close()


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ([("state", "finished")], "list"),
        ("state", "str"),
        (None, "None"),
        ({"$foo": 1}, "'$foo'"),
        ({"state": {"$foo": 1}}, "'$foo'"),
        ({"state": {"$eq": "x", "plain": 1}}, "'plain'"),
        ({"$eq": "finished"}, "'$eq'"),
        ({"state": {"$and": []}}, "$and"),
        ({"tags": {"$gt": "a"}}, "'$gt'"),
        ({"bogus": 1}, "'bogus'"),
        ({"config": 1}, "'config'"),
        ({"config.": 1}, "'config.'"),
        ({"summary_metrics.a..b": 1}, "'summary_metrics.a..b'"),
        ({"$and": {"state": "x"}}, "$and"),
        ({"$or": ["state"]}, "$or"),
        ({"$not": ["state"]}, "$not"),
        ({"state": {"$in": "finished"}}, "$in"),
        ({"state": {"$nin": None}}, "$nin"),
        ({"tags": {"$in": "a"}}, "$in"),
        ({"tags": {"$in": [1]}}, "tag"),
        ({"tags": ["a"]}, "['a']"),
        ({"state": {"$regex": 5}}, "$regex"),
        ({"state": {"$regex": "("}}, "'('"),
        ({"tags": {"$regex": "[a"}}, "'[a'"),
        ({"state": {"$exists": 1}}, "$exists"),
        ({"state": {"$not": "x"}}, "$not"),
        ({"state": {"$not": {}}}, "$not"),
        ({"state": 5}, "5"),
        ({"state": {"a": 1}}, "{'a': 1}"),
        ({"config.lr": {"$eq": [1]}}, "[1]"),
        ({"config.lr": {"a": 1}}, "{'a': 1}"),
        ({"config.lr": {"$gt": None}}, "$gt"),
        ({"config.lr": 2**64}, str(2**64)),
        ({"config.lr": float("nan")}, "NaN"),
        ({"created_at": {"$gt": "yesterday"}}, "'yesterday'"),
        ({"created_at": {"$gt": "2024-13-01"}}, "'2024-13-01'"),
        ({1: "x"}, "1"),
    ],
)
def test_bad_filters_name_the_problem(filters: Any, named: str) -> None:
    with pytest.raises(FilterError) as raised:
        compile_filters(filters)
    assert named in str(raised.value)


# --- orders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (None, Ordering("r.created_at", descending=True)),
        ("", Ordering("r.created_at", descending=True)),
        ("+created_at", Ordering("r.created_at", descending=False)),
        ("createdAt", Ordering("r.created_at", descending=False)),
        ("-heartbeat_at", Ordering("r.heartbeat_at", descending=True)),
        ("+display_name", Ordering("r.display_name", descending=False)),
        ("state", Ordering("r.state", descending=False)),
        ("-group", Ordering("r.group_name", descending=True)),
        (
            "-summary_metrics.loss",
            Ordering(
                "json_extract(r.summary_metrics, '$.\"loss\"')",
                descending=True,
                key=JsonKey("summary_metrics", '$."loss"'),
            ),
        ),
        (
            "+config.lr",
            Ordering(
                'json_extract(r.config, \'$."lr"."value"\')',
                descending=False,
                key=JsonKey("config", '$."lr"."value"'),
            ),
        ),
        (
            "+summary_metrics.it's",
            Ordering(
                "json_extract(r.summary_metrics, '$.\"it''s\"')",
                descending=False,
                key=JsonKey("summary_metrics", '$."it\'s"'),
            ),
        ),
    ],
)
def test_compile_order(order: str | None, expected: Ordering) -> None:
    assert compile_order(order) == expected


@pytest.mark.parametrize(
    ("order", "named"),
    [
        ("-bogus", "'bogus'"),
        ("+", "''"),
        ("-config", "'config'"),
        (5, "5"),
        ("-summary_metrics.a\nb", "control characters"),
    ],
)
def test_bad_orders_name_the_problem(order: Any, named: str) -> None:
    with pytest.raises(FilterError) as raised:
        compile_order(order)
    assert named in str(raised.value)


@pytest.mark.parametrize("first", [1, 2, 3, 100])
@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (None, ["r4", "r3", "r2", "r1"]),  # newest first; the tie goes to the higher id
        ("+created_at", ["r1", "r2", "r3", "r4"]),
        ("-summary_metrics.loss", ["r3", "r2", "r1", "r4"]),  # missing keys last
        ("+summary_metrics.loss", ["r1", "r2", "r3", "r4"]),
        ("-heartbeat_at", ["r1", "r4", "r3", "r2"]),  # NULLs last, by id descending
        ("+heartbeat_at", ["r1", "r2", "r3", "r4"]),
        ("+group", ["r1", "r3", "r2", "r4"]),
        ("-config.lr", ["r4", "r2", "r1", "r3"]),  # text sorts after numbers
        ("+display_name", ["r1", "r2", "r3", "r4"]),
        ("+summary_metrics.it's", ["r1", "r2", "r3", "r4"]),
    ],
)
def test_pages_follow_the_order(
    table: RunsTable, order: str | None, expected: list[str], first: int
) -> None:
    assert table.ordered(order, first) == expected


def test_page_with_filters_and_cursor(table: RunsTable) -> None:
    first = table.runs.page(table.project_id, filters={"state": "finished"}, order="+name", first=1)
    assert [run.name for run in first.runs] == ["r1"] and first.has_next_page
    rest = table.runs.page(
        table.project_id, filters={"state": "finished"}, order="+name", after=first.cursors[0]
    )
    assert [run.name for run in rest.runs] == ["r4"] and not rest.has_next_page


# --- cursors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [None, 0, -5, 2**62, 0.1, 1e300, "", "2024-01-01T00:00:00", "é/'"]
)
def test_cursor_round_trip(value: Any) -> None:
    cursor = Cursor(value, 42)
    text = cursor.encode()
    assert text.isascii() and "=" not in text and "+" not in text and "/" not in text
    assert Cursor.decode(text) == cursor


def _encoded(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (None, "string"),
        ("not base64!", "base64"),
        ("abcde", "decode"),
        (_encoded("not json"), "decode"),
        (_encoded("[1, 2]"), "sort key and an id"),
        (_encoded('{"v": 1}'), "sort key and an id"),
        (_encoded('{"v": 1, "id": "7"}'), "'7'"),
        (_encoded('{"v": 1, "id": true}'), "True"),
        (_encoded('{"v": [1], "id": 7}'), "[1]"),
        (_encoded('{"v": true, "id": 7}'), "True"),
        (_encoded('{"v": NaN, "id": 7}'), "NaN"),
        ("//8", "base64"),
        ("__8", "decode"),
    ],
)
def test_bad_cursors_name_the_problem(text: Any, named: str) -> None:
    with pytest.raises(CursorError) as raised:
        Cursor.decode(text)
    assert named in str(raised.value)


def test_pages_are_segments_keyed_then_keyless() -> None:
    ordering = Ordering("r.created_at", descending=True)
    keyed, keyless = segments(ordering, None)
    assert keyed == Segment(SQL("r.created_at IS NOT NULL"), "r.created_at DESC, r.id DESC")
    assert keyless == Segment(SQL("r.created_at IS NULL"), "r.id DESC")  # NULLs last
    after, rest = segments(ordering, Cursor("2024-01-01T00:00:00", 7))
    assert after.condition.params == ("2024-01-01T00:00:00", "2024-01-01T00:00:00", 7)
    assert "<" in after.condition.text and ">" not in after.condition.text
    assert after.order_by == keyed.order_by and rest == keyless
    ascending = Ordering("r.group_name", descending=False)
    assert segments(ascending, Cursor(None, 3)) == [
        Segment(SQL("r.group_name IS NULL AND r.id > ?", (3,)), "r.id ASC")
    ]
    assert segments(ascending, None)[0].order_by == "r.group_name ASC, r.id ASC"


@pytest.mark.parametrize(
    ("pattern", "sql"),
    [
        ("-run", "instr("),
        ("", "instr("),
        ("^carol", "r.username >= ?"),
        ("^", "REGEXP"),
        ("^c.r", "REGEXP"),
        ("^caro\U0010ffff", "REGEXP"),
        ("ol$", "REGEXP"),
    ],
)
def test_literal_patterns_compile_to_plain_sql(pattern: str, sql: str) -> None:
    assert sql in compile_filters({"username": {"$regex": pattern}}).text


@pytest.mark.parametrize("attribute", ["username", "display_name", "group"])
@pytest.mark.parametrize(
    "pattern",
    ["", "a", "b", "^", "^b", "^bo", "^bob", "^bobby", "^al", "o", "-run", "^g1", "^\ud7ff"],
)
def test_literal_patterns_match_as_regular_expressions(
    table: RunsTable, attribute: str, pattern: str
) -> None:
    # display_name and group are missing on some runs: those never match, so $not keeps them.
    values = {run.name: getattr(run, attribute) for run in RUNS}
    expected = sorted(
        name for name, value in values.items() if value is not None and re.search(pattern, value)
    )
    assert table.match({attribute: {"$regex": pattern}}) == expected
    negated = table.match({attribute: {"$not": {"$regex": pattern}}})
    assert negated == sorted(set(ALL) - set(expected))


def test_prefix_bound_skips_surrogates() -> None:
    where = compile_filters({"username": {"$regex": "^a\ud7ff"}})
    assert where.params[-1] == "a\ue000"
