"""Typed access to the per-request context every resolver receives."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from emulator.settings import Settings
from emulator.store import Store


def store_of(info: GraphQLResolveInfo) -> Store:
    """The store this request works on."""
    return info.context["store"]


def settings_of(info: GraphQLResolveInfo) -> Settings:
    """The settings of the app serving this request."""
    return info.context["settings"]


def base_url_of(info: GraphQLResolveInfo) -> str:
    """The URL the client reached us at, without a trailing slash (for file URLs)."""
    request: Any = info.context["request"]
    return str(request.base_url).rstrip("/")
