"""Which features have landed: workloads that need a missing one report "n/a" instead."""

from __future__ import annotations

from functools import cache


@cache
def _run_fields() -> frozenset[str]:
    from emulator.graphql_schema import build_schema

    run_type = build_schema().type_map.get("Run")
    return frozenset(getattr(run_type, "fields", {}) or {})


def missing_run_fields(*names: str) -> list[str]:
    """The GraphQL fields of ``Run`` among ``names`` that the emulator's schema lacks."""
    return [name for name in names if name not in _run_fields()]


def missing_methods(cls: type, *names: str) -> list[str]:
    """The methods among ``names`` that ``cls`` lacks, as ``Class.method``."""
    return [f"{cls.__name__}.{name}" for name in names if not callable(getattr(cls, name, None))]


def missing_routes(*fragments: str) -> list[str]:
    """The route path fragments (e.g. ``"file_stream"``) no emulator route contains."""
    from emulator.endpoints import routes

    paths = [getattr(route, "path", "") for route in routes()]
    return [fragment for fragment in fragments if not any(fragment in path for path in paths)]
