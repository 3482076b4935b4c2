"""Typed access to the per-request context every resolver receives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from emulator.settings import Settings
from emulator.store import Store
from emulator.store.records import User

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo


class _Cached(TypedDict, total=False):
    """What resolvers remember for the rest of one request."""

    users_by_name: dict[str, User | None]
    viewer: User


class Context(_Cached):
    """The context ``endpoints/graphql.py`` executes each request with."""

    request: Any  # the Starlette request; None where a test executes without one
    store: Store
    settings: Settings


#: The resolve info of our resolvers. A string: graphql-core's class is generic only on
#: Python >= 3.11, so it cannot be subscripted at run time on 3.10.
Info: TypeAlias = "GraphQLResolveInfo[Context]"


def store_of(info: Info) -> Store:
    """The store this request works on."""
    return info.context["store"]


def settings_of(info: Info) -> Settings:
    """The settings of the app serving this request."""
    return info.context["settings"]


def base_url_of(info: Info) -> str:
    """The URL the client reached us at, without a trailing slash (for file URLs)."""
    return str(info.context["request"].base_url).rstrip("/")
