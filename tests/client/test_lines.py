"""Decoding the JSON lines of ``history``/``events`` answers."""

from __future__ import annotations

import json

import pytest

from client._lines import decode_rows


def test_lines_decode_to_rows() -> None:
    rows = [{"_step": 0, "loss": 0.5, "x": "a,b"}, {"_step": 1, "nested": {"a": [1, 2]}}]
    assert decode_rows([json.dumps(row) for row in rows]) == rows
    assert decode_rows([]) == []


def test_a_line_holding_two_values_is_an_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        decode_rows(['{"a": 1}', '{"b": 2}, {"c": 3}'])
