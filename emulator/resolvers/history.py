"""Run history fields: sampled and paged history, system events, sampled specs, parquet.

Wire shapes follow W&B: ``history``/``events`` are lists of JSON-encoded strings,
``sampledHistory`` a list (one per spec) of lists of row objects, ``historyKeys`` and
``liveData`` JSON objects. Sampling is deterministic (see :meth:`Selection.sample`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ariadne import ObjectType
from graphql import GraphQLError

from emulator.resolvers.context import Info, base_url_of, settings_of, store_of
from emulator.resolvers.viewer import signed_url
from emulator.store import Run, parquet_export
from emulator.store.history import EVENTS, HISTORY, Selection
from emulator.store.history_chunks import NO_STEP

run = ObjectType("Run")

#: Rows returned when a query names no ``samples`` (the SDK's own default).
DEFAULT_SAMPLES = 500

_encode = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


def check_samples(samples: Any, where: str = "samples") -> int:
    """``samples`` as a positive int (``DEFAULT_SAMPLES`` when null); a GraphQL error otherwise."""
    if samples is None:
        return DEFAULT_SAMPLES
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise GraphQLError(f"{where} must be a positive integer, got {samples!r}")
    return samples


def _strings(selection: Selection) -> list[str]:
    return list(map(_encode, selection.rows()))


@run.field("history")
def resolve_history(
    obj: Run,
    info: Info,
    samples: int | None = None,
    min_step: int | None = None,
    max_step: int | None = None,
) -> list[str]:
    """Rows with ``minStep <= _step < maxStep`` (every row without bounds), sampled."""
    count = check_samples(samples)
    selection = store_of(info).history.select(obj.id, HISTORY, min_step=min_step, max_step=max_step)
    return _strings(selection.sample(count))


@run.field("events")
def resolve_events(obj: Run, info: Info, samples: int | None = None) -> list[str]:
    """System-metric rows, sampled."""
    count = check_samples(samples)
    return _strings(store_of(info).history.select(obj.id, EVENTS).sample(count))


@dataclass(frozen=True)
class Spec:
    """One ``sampledHistory`` spec. ``max_step`` is exclusive here (inclusive on the wire)."""

    keys: tuple[str, ...]
    samples: int
    min_step: int | None
    max_step: int | None

    @classmethod
    def parse(cls, spec: Any) -> Spec:
        """Validate a decoded spec; a GraphQL error names what is wrong."""
        if not isinstance(spec, dict):
            raise GraphQLError(f"sampledHistory spec must be a JSON object, got {spec!r}")
        keys = spec.get("keys")
        if keys is None:
            # The sweep agent and `wandb sweep --stop` send "{}": they want the runs, not
            # their history. Such a spec selects nothing.
            keys = []
        elif (
            not isinstance(keys, list) or not keys or not all(isinstance(key, str) for key in keys)
        ):
            raise GraphQLError(f"sampledHistory spec keys must be a list of strings, got {keys!r}")
        # wandb-core repeats "_step" in the keys of scan pages: keep each key once.
        unique = tuple(dict.fromkeys(keys))
        max_step = _step_bound(spec.get("maxStep"), "maxStep")
        return cls(
            keys=unique,
            samples=check_samples(spec.get("samples"), "sampledHistory spec samples"),
            min_step=_step_bound(spec.get("minStep"), "minStep"),
            max_step=None if max_step is None else max_step + 1,
        )


def _step_bound(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise GraphQLError(f"sampledHistory spec {name} must be a number, got {value!r}")
    # Steps may arrive as floats; W&B truncates them, as for Int64 arguments.
    return int(value)


def _json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities as the strings W&B uses ("NaN", "Infinity",
    "-Infinity"): a JSON object cannot hold them, and failing to encode would be a 5xx."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


@run.field("historyKeys")
def resolve_history_keys(obj: Run, info: Info) -> dict[str, Any]:
    """Per key its type counts and last value (NaN and infinities as W&B's strings)."""
    return _json_safe(store_of(info).history.history_keys(obj.id))  # type: ignore[no-any-return]


def _projected(selection: Selection, keys: Sequence[str]) -> list[dict[str, Any]]:
    return [{key: _json_safe(row[key]) for key in keys} for row in selection.rows()]


@run.field("sampledHistory")
def resolve_sampled_history(obj: Run, info: Info, specs: list[Any]) -> list[list[dict[str, Any]]]:
    """Per spec: the rows holding every key (in ``[minStep, maxStep]``), projected, sampled."""
    history = store_of(info).history
    answers: list[list[dict[str, Any]]] = []
    for spec in map(Spec.parse, specs):
        if not spec.keys:
            answers.append([])
            continue
        selection = history.select(
            obj.id, HISTORY, keys=spec.keys, min_step=spec.min_step, max_step=spec.max_step
        )
        answers.append(_projected(selection.sample(spec.samples), spec.keys))
    return answers


@run.field("parquetHistory")
def resolve_parquet_history(
    obj: Run, info: Info, live_keys: list[str] | None = None
) -> dict[str, list[Any]]:
    """The run's parquet files (one per export, never changed once served), or (when it
    is served live) every row projected to ``liveKeys``: never both, since wandb-core
    appends live rows to parquet rows."""
    store = store_of(info)
    if settings_of(info).parquet_history:
        files = parquet_export.exported_files(store, obj.id)
        if files is not None:
            base = base_url_of(info)
            urls = [
                signed_url(info, f"{base}/_history/{obj.id}/{file.position}.parquet")
                for file in files
            ]
            return {"parquet_urls": urls, "live_data": []}
    keys = tuple(dict.fromkeys(live_keys or ["_step"]))
    selection = store.history.select(obj.id, HISTORY, keys=keys)
    if keys == ("_step",):  # what wandb-core asks: read the steps without decoding rows
        live = [{"_step": step} for step in selection.steps() if step != NO_STEP]
    else:
        live = _projected(selection, keys)
    return {"parquet_urls": [], "live_data": live}


BINDABLES = (run,)
