"""The Jinja2 environment of the UI: templates from the package, every value escaped.

Autoescaping is on for every template, so run names, tags, config values and console
lines are always text, never markup.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import ChainableUndefined, Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from emulator.store.timestamps import TIMESTAMP_FORMAT

TEMPLATES = Path(__file__).parent / "templates"


def format_value(value: Any) -> str:
    """A config or summary value as short text: numbers to 6 significant digits, strings
    as they are, anything else as compact JSON."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (int, str)):
        return str(value)
    return json.dumps(value, sort_keys=True, separators=(",", ": "), default=str)


def format_time(value: str | None) -> str:
    """A stored timestamp as ``YYYY-MM-DD HH:MM:SS`` (``-`` when missing)."""
    return "-" if not value else value.replace("T", " ")[:19]


def age(value: str | None) -> str:
    """How long ago a stored timestamp was, coarsely (``3 min ago``)."""
    if not value:
        return "-"
    try:
        moment = datetime.strptime(value[:19], TIMESTAMP_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return value
    seconds = int((datetime.now(timezone.utc) - moment).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def path_quote(value: Any) -> str:
    """One URL path segment."""
    return quote(str(value), safe="")


def query(params: dict[str, Any], **changes: Any) -> str:
    """``?`` and the query string of ``params`` with ``changes`` applied (``None`` drops a
    parameter; list values repeat it)."""
    merged = {**params, **changes}
    pairs = [
        (name, item)
        for name, value in merged.items()
        if value is not None and value != ""
        for item in (value if isinstance(value, list) else [value])
    ]
    return "?" + urlencode(pairs) if pairs else "?"


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=ChainableUndefined,  # metadata files may lack any key
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(value=format_value, time=format_time, age=age, q=path_quote)
    environment.globals.update(query_string=query)
    return environment


ENVIRONMENT = _environment()


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The HTML response of ``template`` rendered with ``context``."""
    html = ENVIRONMENT.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status)
